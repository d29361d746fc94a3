"""Officer read endpoints: queues per authority and risk level, counts per sector and region.
Lists carry no personal data (no NIK, no name), so they record no access event."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.izin import queries
from apps.izin.roles import require_petugas
from egov.portal.accounts import principal_of


class IzinAntreanApi(APIView):
    class IzinAntreanOutput(serializers.Serializer):
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
        responses={200: IzinAntreanOutput(many=True)},
        operation_id="izin_antrean",
    )
    def get(self, request):
        principal = principal_of(request)
        require_petugas(principal)  # OSS officers only, within their office's region
        rows = queries.antrean_petugas(
            wilayah=principal.office,
            tahap=request.query_params.get("tahap") or None,
            otoritas=request.query_params.get("otoritas") or None,
            tingkat=request.query_params.get("tingkat") or None,
        )
        data = [r.as_dict() for r in rows]
        return Response(self.IzinAntreanOutput(data, many=True).data)


class IzinRingkasanApi(APIView):
    class IzinRingkasanOutput(serializers.Serializer):
        antrean = serializers.ListField(child=serializers.DictField())
        sektor_wilayah = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses={200: IzinRingkasanOutput}, operation_id="izin_ringkasan")
    def get(self, request):
        require_petugas(principal_of(request))
        body = {
            "antrean": queries.ringkasan_antrean(),
            "sektor_wilayah": queries.statistik_sektor_wilayah(),
        }
        return Response(self.IzinRingkasanOutput(body).data)
