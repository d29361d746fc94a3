"""DRF API of the izin context (integrators, verifiers, approvers). Thin: one view per
operation calling one command or query. No NIK in any URL: applications are addressed by id."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.izin import commands, dokumen, pemohon, queries, referensi
from apps.izin.roles import require_petugas
from egov.api import PDFRenderer
from egov.doors import api_command, record_view
from egov.portal.accounts import principal_of
from egov.uploads import read_bounded
from egov.wilayah import KABUPATEN, KECAMATAN, KELURAHAN
from egov.wilayah_api import KodeWilayahField


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
        nik = serializers.CharField(
            max_length=16,
            required=False,
            default="",
            allow_blank=True,
            help_text=(
                "NIK of the applicant. Required for an integrator; a citizen (session or "
                "personal token) may leave it out: their own verified NIK is used."
            ),
        )
        nama_pemohon = serializers.CharField(max_length=200)
        jenis_pelaku = serializers.ChoiceField(choices=["PERORANGAN", "BADAN_USAHA"])
        nomor_badan_usaha = serializers.CharField(max_length=50, required=False, default="")
        nama_usaha = serializers.CharField(max_length=200)
        kbli_kode = serializers.CharField(max_length=5)
        kbli_versi = serializers.CharField(max_length=4, default="2020")
        # A regency too: integrators have sent regency codes since v1 (the portal asks for a
        # district or village, as OSS-RBA does). An unknown code is a 400.
        kode_wilayah = KodeWilayahField(tingkat=(KABUPATEN, KECAMATAN, KELURAHAN), max_length=10)
        skala = serializers.ChoiceField(choices=["MIKRO", "KECIL", "MENENGAH", "BESAR"])
        nilai_investasi = serializers.DecimalField(max_digits=20, decimal_places=2)
        konfirmasi_ganda = serializers.BooleanField(
            default=False,
            help_text=(
                "The same applicant already has an open or approved application for the same "
                "KBLI, location and business name: 409 ``permohonan_ganda`` unless true."
            ),
        )

    @extend_schema(request=IzinAjukanInput, responses={202: ACCEPTED}, operation_id="izin_ajukan")
    def post(self, request):
        return api_command(
            request,
            context="izin",
            command=commands.izin_ajukan,
            input_serializer=self.IzinAjukanInput,
            status=status.HTTP_202_ACCEPTED,
            respond=lambda pid: {"id": str(pid), "status": "DITERIMA"},
            nik_masked=pemohon.nik_tersamar(request),  # shown when a citizen sends no NIK
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


def _perbaikan(*, lampiran=None, **fields) -> None:
    """The command with the uploaded file read (bounded) into bytes: no file object in it."""
    if lampiran is not None:
        lampiran = read_bounded(lampiran, settings.IZIN_UNGGAH_MAKS_BYTES)
    commands.izin_ajukan_perbaikan(lampiran=lampiran, **fields)


class IzinAjukanPerbaikanApi(APIView):
    class IzinAjukanPerbaikanInput(serializers.Serializer):
        keterangan = serializers.CharField(max_length=2000)
        lampiran = serializers.FileField(
            required=False,
            allow_empty_file=True,  # refused by egov.uploads with its own code
            help_text=(
                "Optional document asked for by the officer (multipart/form-data): PDF, JPEG or "
                "PNG by content, at most IZIN_UNGGAH_MAKS_BYTES; 413 too large, 415 another "
                "type, 400 ``berkas_terinfeksi`` when the virus scan finds a threat, 410 "
                "``pemohon_dihapus`` when the applicant's personal data was erased."
            ),
        )

    @extend_schema(
        request={
            "multipart/form-data": IzinAjukanPerbaikanInput,
            "application/json": IzinAjukanPerbaikanInput,
        },
        responses={200: OK},
        operation_id="izin_perbaikan",
    )
    def post(self, request, permohonan_id: uuid.UUID):
        return api_command(
            request,
            context="izin",
            command=_perbaikan,
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


class DokumenDihapusApi(APIException):
    """410: the document's owner was erased (UU PDP); its bytes can no longer be opened."""

    status_code = status.HTTP_410_GONE
    default_code = "dokumen_dihapus"


class IzinDokumenApi(APIView):
    renderer_classes = (JSONRenderer, PDFRenderer)

    @extend_schema(
        responses={(200, "application/pdf"): bytes, 410: OpenApiTypes.OBJECT},
        operation_id="izin_dokumen",
    )
    def get(self, request, permohonan_id: uuid.UUID):
        _terlihat(request, permohonan_id)
        try:
            found = dokumen.ambil_dokumen(permohonan_id)
        except dokumen.DokumenDihapus as exc:
            raise DokumenDihapusApi(_(exc.message)) from exc
        if found is None:
            raise NotFound(_("Dokumen izin belum diterbitkan."))
        return dokumen.pdf_response(*found)


class IzinKbliRisikoOutput(serializers.Serializer):
    """The risk level of a KBLI activity at one scale, and what it yields (in words)."""

    skala = serializers.CharField()
    tingkat = serializers.CharField()
    tingkat_nama = serializers.CharField()
    penjelasan = serializers.CharField()
    otoritas = serializers.CharField()


class IzinKbliApi(APIView):
    """Public: the KBLI risk table, searched by code, title or sector (the portal's picker)."""

    permission_classes = (AllowAny,)

    class IzinKbliQuery(serializers.Serializer):
        q = serializers.CharField(
            max_length=100,
            required=False,
            default="",
            allow_blank=True,
            help_text="Start of a KBLI code, or words of its title or sector.",
        )
        versi = serializers.ChoiceField(choices=["2020", "2025"], default="2020")

    class IzinKbliOutput(serializers.Serializer):
        kode = serializers.CharField()
        versi = serializers.CharField()
        judul = serializers.CharField()
        sektor = serializers.CharField()
        risiko = IzinKbliRisikoOutput(many=True)

    @extend_schema(
        parameters=[IzinKbliQuery],
        responses={200: IzinKbliOutput(many=True)},
        operation_id="izin_kbli",
    )
    def get(self, request):
        query = self.IzinKbliQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = referensi.cari_kbli(query.validated_data["q"], versi=query.validated_data["versi"])
        return Response(self.IzinKbliOutput([asdict(k) for k in found], many=True).data)


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
