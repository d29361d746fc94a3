"""Officer read endpoints: queues per authority and risk level, counts per sector and region.
Lists carry no personal data (no NIK, no name), so they record no access event."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.izin import queries
from apps.izin.roles import peran_petugas

MSG_KHUSUS_PETUGAS = gettext_noop("Hanya petugas OSS yang dapat melihat antrean.")


def _harus_petugas(user) -> None:
    if not (peran_petugas(user) or user.is_staff):
        raise PermissionDenied(_(MSG_KHUSUS_PETUGAS))


class IzinAntreanApi(APIView):
    class IzinAntreanOutputSerializer(serializers.Serializer):
        permohonan_id = serializers.UUIDField()
        nama_usaha = serializers.CharField()
        kbli_kode = serializers.CharField()
        kbli_judul = serializers.CharField()
        tingkat_risiko = serializers.CharField()
        otoritas = serializers.CharField()
        tahap = serializers.CharField()
        tenggat = serializers.DateField(allow_null=True)
        sisa_hari_kerja = serializers.IntegerField(allow_null=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("otoritas", str),
            OpenApiParameter("tingkat", str),
            OpenApiParameter("tahap", str),
        ],
        responses={200: IzinAntreanOutputSerializer(many=True)},
        operation_id="izin_antrean",
    )
    def get(self, request):
        _harus_petugas(request.user)
        rows = queries.antrean_petugas(
            tahap=request.query_params.get("tahap") or None,
            otoritas=request.query_params.get("otoritas") or None,
            tingkat=request.query_params.get("tingkat") or None,
        )
        data = [r.as_dict() for r in rows]
        return Response(self.IzinAntreanOutputSerializer(data, many=True).data)


class IzinRingkasanApi(APIView):
    class IzinRingkasanOutputSerializer(serializers.Serializer):
        antrean = serializers.ListField(child=serializers.DictField())
        sektor_wilayah = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses={200: IzinRingkasanOutputSerializer}, operation_id="izin_ringkasan")
    def get(self, request):
        _harus_petugas(request.user)
        body = {
            "antrean": queries.ringkasan_antrean(),
            "sektor_wilayah": queries.statistik_sektor_wilayah(),
        }
        return Response(self.IzinRingkasanOutputSerializer(body).data)
