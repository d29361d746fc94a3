from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit import chain


class KunciPublikApi(APIView):
    """Public: the Ed25519 key that verifies the audit chain's seals (for third parties)."""

    permission_classes = (AllowAny,)
    authentication_classes = ()

    class KunciPublikOutput(serializers.Serializer):
        algoritma = serializers.CharField()
        kunci_publik = serializers.CharField(help_text="base64, 32 byte")
        pesan_segel = serializers.CharField()

    @extend_schema(responses={200: KunciPublikOutput}, operation_id="audit_kunci_publik")
    def get(self, request):
        return Response(
            {
                "algoritma": "Ed25519",
                "kunci_publik": chain.public_key_b64(),
                "pesan_segel": "egov-audit:{nomor}:{hash}",
            }
        )
