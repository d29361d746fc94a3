from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit import chain
from apps.audit.models import KunciAudit
from apps.audit.verify import ALIAS


class KunciAuditOutput(serializers.Serializer):
    key_id = serializers.CharField(help_text="16 hex: awal SHA-256 dari kunci publik mentah")
    public_key = serializers.CharField(help_text="base64, 32 byte")
    active_from = serializers.DateTimeField(
        allow_null=True, help_text="null: kunci aktif yang belum pernah menyegel"
    )


class KunciPublikApi(APIView):
    """Public: the Ed25519 keys that verify the audit chain's seals (for third parties). A seal
    names its key by ``key_id``; retired keys stay listed so old seals keep verifying."""

    permission_classes = (AllowAny,)
    authentication_classes = ()

    class KunciPublikOutput(serializers.Serializer):
        algoritma = serializers.CharField()
        kunci_publik = serializers.CharField(help_text="kunci aktif: base64, 32 byte")
        key_id = serializers.CharField(help_text="id kunci aktif")
        pesan_segel = serializers.CharField()
        kunci = KunciAuditOutput(many=True)

    @extend_schema(responses={200: KunciPublikOutput}, operation_id="audit_kunci_publik")
    def get(self, request):
        return Response(
            {
                "algoritma": "Ed25519",
                "kunci_publik": chain.public_key_b64(),
                "key_id": chain.active_key_id(),
                "pesan_segel": "egov-audit:{nomor}:{hash}",
                "kunci": _all_keys(),
            }
        )


def _all_keys() -> list[dict]:
    """Every published key, oldest first, and the active key even before its first seal."""
    keys = [
        {"key_id": k.key_id, "public_key": k.kunci_publik, "active_from": k.aktif_sejak}
        for k in KunciAudit.objects.using(ALIAS).order_by("aktif_sejak", "key_id")
    ]
    if chain.active_key_id() not in {k["key_id"] for k in keys}:
        keys.append(
            {
                "key_id": chain.active_key_id(),
                "public_key": chain.public_key_b64(),
                "active_from": None,
            }
        )
    return keys
