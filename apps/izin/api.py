"""DRF API of the izin context (integrators, verifiers, approvers). Thin: one view per
operation calling one command or query. No NIK in any URL: applications are addressed by id."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.izin import commands, dokumen, queries
from apps.izin.roles import require_petugas
from egov.api import PDFRenderer
from egov.doors import api_command, record_view
from egov.portal.accounts import principal_of


def _terlihat(request, permohonan_id: uuid.UUID) -> queries.StatusIzin:
    """The application if this principal may see it (404 otherwise)."""
    return queries.status_untuk(principal_of(request), permohonan_id)


def _keputusan(request, command, hasil: str, serializer=None, **fields) -> Response:
    """An officer's decision: the role first (before the body is read); the command checks
    office and stage."""
    return api_command(
        request,
        context="izin",
        command=command,
        respond=lambda _result: {"status": hasil},
        input_serializer=serializer,
        authorize=require_petugas,
        **fields,
    )


class StatusOutput(serializers.Serializer):
    permohonan_id = serializers.UUIDField()
    nik_masked = serializers.CharField()
    jenis_pelaku = serializers.CharField()
    nama_usaha = serializers.CharField()
    nib = serializers.CharField()
    kbli_kode = serializers.CharField()
    kbli_versi = serializers.CharField()
    kbli_judul = serializers.CharField()
    sektor = serializers.CharField()
    kode_wilayah = serializers.CharField()
    skala = serializers.CharField()
    nilai_investasi = serializers.DecimalField(max_digits=20, decimal_places=2)
    tingkat_risiko = serializers.CharField()
    otoritas = serializers.CharField()
    tahap = serializers.CharField()
    tenggat = serializers.DateField(allow_null=True)
    sisa_hari_kerja = serializers.IntegerField(allow_null=True)
    keputusan = serializers.CharField()
    catatan = serializers.CharField()
    dasar_hukum = serializers.CharField()
    petugas = serializers.CharField()
    diajukan_pada = serializers.DateTimeField()
    diputuskan_pada = serializers.DateTimeField(allow_null=True)
    kode_verifikasi = serializers.CharField()
    dikirim_pada = serializers.DateTimeField(allow_null=True)


ACCEPTED = inline_serializer(
    "IzinDiterima", {"id": serializers.UUIDField(), "status": serializers.CharField()}
)
OK = inline_serializer("IzinKeputusanDicatat", {"status": serializers.CharField()})


class IzinAjukanApi(APIView):
    class IzinAjukanInput(serializers.Serializer):
        nik = serializers.CharField(max_length=16)
        nama_pemohon = serializers.CharField(max_length=200)
        jenis_pelaku = serializers.ChoiceField(choices=["PERORANGAN", "BADAN_USAHA"])
        nomor_badan_usaha = serializers.CharField(max_length=50, required=False, default="")
        nama_usaha = serializers.CharField(max_length=200)
        kbli_kode = serializers.CharField(max_length=5)
        kbli_versi = serializers.CharField(max_length=4, default="2020")
        kode_wilayah = serializers.CharField(max_length=10)
        skala = serializers.ChoiceField(choices=["MIKRO", "KECIL", "MENENGAH", "BESAR"])
        nilai_investasi = serializers.DecimalField(max_digits=20, decimal_places=2)

    @extend_schema(request=IzinAjukanInput, responses={202: ACCEPTED}, operation_id="izin_ajukan")
    def post(self, request):
        return api_command(
            request,
            context="izin",
            command=commands.izin_ajukan,
            input_serializer=self.IzinAjukanInput,
            status=status.HTTP_202_ACCEPTED,
            respond=lambda pid: {"id": str(pid), "status": "DITERIMA"},
        )


class IzinDetailApi(APIView):
    @extend_schema(responses={200: StatusOutput}, operation_id="izin_status")
    def get(self, request, permohonan_id: uuid.UUID):
        status_izin = _terlihat(request, permohonan_id)
        record_view(
            request,
            context="izin",
            subject_id=status_izin.subject_id,
            door="api",
            purpose=request.resolver_match.view_name,
        )
        return Response(StatusOutput(status_izin.as_dict()).data)


class IzinRiwayatApi(APIView):
    class IzinRiwayatOutput(serializers.Serializer):
        urutan = serializers.IntegerField()
        jenis = serializers.CharField()
        keterangan = serializers.CharField()
        aktor = serializers.CharField()
        pada = serializers.DateTimeField()

    @extend_schema(responses={200: IzinRiwayatOutput(many=True)}, operation_id="izin_riwayat")
    def get(self, request, permohonan_id: uuid.UUID):
        _terlihat(request, permohonan_id)
        langkah = [vars(s) for s in queries.riwayat_izin(permohonan_id)]
        return Response(self.IzinRiwayatOutput(langkah, many=True).data)


class IzinSetujuiApi(APIView):
    @extend_schema(request=None, responses={200: OK}, operation_id="izin_setujui")
    def post(self, request, permohonan_id: uuid.UUID):
        return _keputusan(request, commands.izin_setujui, "DISETUJUI", permohonan_id=permohonan_id)


class IzinAlasanInput(serializers.Serializer):
    """A decision that must be justified (rejection, revocation): the reason and the law."""

    alasan = serializers.CharField(max_length=1000)
    dasar_hukum = serializers.CharField(max_length=200)


class IzinTolakApi(APIView):
    @extend_schema(request=IzinAlasanInput, responses={200: OK}, operation_id="izin_tolak")
    def post(self, request, permohonan_id: uuid.UUID):
        return _keputusan(
            request,
            commands.izin_tolak,
            "DITOLAK",
            IzinAlasanInput,
            permohonan_id=permohonan_id,
        )


class IzinMintaPerbaikanApi(APIView):
    class IzinMintaPerbaikanInput(serializers.Serializer):
        catatan = serializers.CharField(max_length=2000)

    @extend_schema(
        request=IzinMintaPerbaikanInput,
        responses={200: OK},
        operation_id="izin_minta_perbaikan",
    )
    def post(self, request, permohonan_id: uuid.UUID):
        return _keputusan(
            request,
            commands.izin_minta_perbaikan,
            "PERBAIKAN",
            self.IzinMintaPerbaikanInput,
            permohonan_id=permohonan_id,
        )


class IzinAjukanPerbaikanApi(APIView):
    class IzinAjukanPerbaikanInput(serializers.Serializer):
        keterangan = serializers.CharField(max_length=2000)

    @extend_schema(
        request=IzinAjukanPerbaikanInput,
        responses={200: OK},
        operation_id="izin_perbaikan",
    )
    def post(self, request, permohonan_id: uuid.UUID):
        return api_command(
            request,
            context="izin",
            command=commands.izin_ajukan_perbaikan,
            respond=lambda _result: {"status": "DIAJUKAN"},
            input_serializer=self.IzinAjukanPerbaikanInput,
            # another citizen's application does not exist for this caller (404)
            authorize=lambda principal: queries.status_untuk(principal, permohonan_id),
            permohonan_id=permohonan_id,
        )


class IzinCabutApi(APIView):
    @extend_schema(request=IzinAlasanInput, responses={200: OK}, operation_id="izin_cabut")
    def post(self, request, permohonan_id: uuid.UUID):
        return _keputusan(
            request,
            commands.izin_cabut,
            "DICABUT",
            IzinAlasanInput,
            permohonan_id=permohonan_id,
        )


class IzinDokumenApi(APIView):
    renderer_classes = (JSONRenderer, PDFRenderer)

    @extend_schema(responses={(200, "application/pdf"): bytes}, operation_id="izin_dokumen")
    def get(self, request, permohonan_id: uuid.UUID):
        _terlihat(request, permohonan_id)
        found = dokumen.ambil_dokumen(permohonan_id)
        if found is None:
            raise NotFound(_("Dokumen izin belum diterbitkan."))
        return dokumen.pdf_response(*found)


class IzinVerifikasiDokumenApi(APIView):
    """Public: anyone holding a permit document can check that it is genuine."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_scope = "publik"  # stricter rate: anyone may call it, so anyone may abuse it
    # JSON for API clients; a page for a person who scanned the document's code in a browser
    renderer_classes = (JSONRenderer, TemplateHTMLRenderer)
    template_name = "izin/verifikasi.html"

    class IzinVerifikasiDokumenOutput(serializers.Serializer):
        nib = serializers.CharField()
        nama_usaha = serializers.CharField()
        kbli_kode = serializers.CharField()
        kbli_judul = serializers.CharField()
        tingkat_risiko = serializers.CharField()
        keputusan = serializers.CharField()
        tahap = serializers.CharField()
        diputuskan_pada = serializers.DateTimeField(allow_null=True)
        sha256 = serializers.CharField()
        berlaku = serializers.BooleanField()

    @extend_schema(
        responses={
            (200, "application/json"): IzinVerifikasiDokumenOutput,
            (200, "text/html"): OpenApiTypes.STR,
            (404, "application/json"): OpenApiTypes.OBJECT,
            (404, "text/html"): OpenApiTypes.STR,
        },
        operation_id="izin_verifikasi_dokumen",
    )
    def get(self, request, kode: str):
        found = queries.verifikasi_dokumen(kode)
        if found is None:
            raise NotFound(_("Kode verifikasi tidak dikenal: dokumen tidak asli."))
        data = self.IzinVerifikasiDokumenOutput(found).data
        if isinstance(request.accepted_renderer, TemplateHTMLRenderer):  # dates as values
            data = {**data, "diputuskan_pada": found["diputuskan_pada"]}
        return Response(data)
