"""DRF API of the ktp context for integrators and officers (thin: one command or query each).
A NIK never travels in a URL: the lookup by NIK is a POST with the NIK in the body."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.ktp import commands, queries
from apps.ktp.domain import ALASAN_PENGGANTIAN, BARU, PENGGANTIAN
from apps.ktp.models import KtpIdempotencyRecord, StatusPermohonanKTP
from apps.ktp.roles import require_petugas
from apps.ktp.store import store
from egov.api import idempotent
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.portal.accounts import principal_of
from egov.web import metadata_from_request

PESAN_DITERIMA = gettext_noop("Permintaan diterima")


def _readable(request, permohonan_id: uuid.UUID) -> queries.StatusKTP:
    """The request's status if this principal may see it (else 404: another citizen's request
    does not exist for them); records the access of anyone but the citizen themself (UU PDP:
    who viewed my data)."""
    principal = principal_of(request)
    status = queries.status_untuk(principal, permohonan_id)
    if not principal.owns(status.subject_id):
        store.record_access(
            subject_id=status.subject_id,
            door="api",
            purpose=request.path,
            metadata=metadata_from_request(request, source="api"),
        )
    return status


def _post(request, handle) -> Response:
    return idempotent(request, model=KtpIdempotencyRecord, alias="ktp", handle=handle)


class KtpStatusOutput(serializers.Serializer):
    permohonan_id = serializers.UUIDField()
    status = serializers.CharField()
    jenis = serializers.CharField()
    alasan = serializers.CharField()
    nik_masked = serializers.CharField()
    kode_provinsi = serializers.CharField()
    nomor_blangko = serializers.CharField()
    diajukan_pada = serializers.DateTimeField()
    diperbarui_pada = serializers.DateTimeField()


class KtpAcceptedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    pesan = serializers.CharField()


class KtpAjukanApi(APIView):
    class KtpAjukanInput(serializers.Serializer):
        nik = serializers.CharField(max_length=20)
        nama = serializers.CharField(max_length=200)
        tanggal_lahir = serializers.DateField()
        pernah_kawin = serializers.BooleanField(default=False)
        jenis = serializers.ChoiceField(choices=[BARU, PENGGANTIAN])
        alasan = serializers.ChoiceField(choices=["", *ALASAN_PENGGANTIAN], default="")

    @extend_schema(
        request=KtpAjukanInput, responses={202: KtpAcceptedOutput}, operation_id="ktp_ajukan"
    )
    def post(self, request):
        def handle() -> Response:
            data = self.KtpAjukanInput(data=request.data)
            data.is_valid(raise_exception=True)
            permohonan_id = commands.ktp_ajukan(
                principal=principal_of(request),
                **data.validated_data,
                metadata=metadata_from_request(request, source="api"),
            )
            return Response(
                {"id": str(permohonan_id), "status": "DIAJUKAN", "pesan": _(PESAN_DITERIMA)},
                status=202,
            )

        return _post(request, handle)


class PermohonanFilter(filters.FilterSet):
    class Meta:
        model = StatusPermohonanKTP
        fields = ("status", "kode_provinsi", "jenis")


class KtpDaftarApi(ListAPIView):
    """Officers: every request (the work queues are the ``status`` filter)."""

    serializer_class = KtpStatusOutput
    filterset_class = PermohonanFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return StatusPermohonanKTP.objects.none()
        require_petugas(principal_of(self.request))
        return queries.semua_permohonan()


class KtpDetailApi(APIView):
    @extend_schema(responses={200: KtpStatusOutput}, operation_id="ktp_status")
    def get(self, request, permohonan_id: uuid.UUID):
        return Response(KtpStatusOutput(_readable(request, permohonan_id)).data)


class KtpRiwayatOutput(serializers.Serializer):
    """The seed's payload shape: event_id, nik, status, timestamp, officer_id."""

    event_id = serializers.UUIDField()
    event_type = serializers.CharField(source="jenis")
    nik = serializers.CharField()
    status = serializers.CharField()
    timestamp = serializers.DateTimeField(source="pada")
    officer_id = serializers.CharField()
    keterangan = serializers.CharField()


class KtpRiwayatApi(APIView):
    @extend_schema(responses={200: KtpRiwayatOutput(many=True)}, operation_id="ktp_riwayat")
    def get(self, request, permohonan_id: uuid.UUID):
        status = _readable(request, permohonan_id)
        steps = [
            {**step.__dict__, "nik": status.nik_masked} for step in queries.riwayat(permohonan_id)
        ]
        return Response(KtpRiwayatOutput(steps, many=True).data)


class KtpCariApi(APIView):
    """Look a citizen's requests up by NIK, given in the body (never in the URL)."""

    class KtpCariInput(serializers.Serializer):
        nik = serializers.CharField(max_length=20)

    class KtpCariOutput(serializers.Serializer):
        nik = serializers.CharField(help_text="NIK tersamar, mis. 3273**********01")
        permohonan = KtpStatusOutput(many=True)

    @extend_schema(request=KtpCariInput, responses={200: KtpCariOutput}, operation_id="ktp_cari")
    def post(self, request):
        require_petugas(principal_of(request))
        data = self.KtpCariInput(data=request.data)
        data.is_valid(raise_exception=True)
        nik = "".join(data.validated_data["nik"].split())
        subject_id = keyed_hash(nik)
        found = queries.permohonan_warga(subject_id)
        if found:
            store.record_access(
                subject_id=subject_id,
                door="api",
                purpose=request.path,
                metadata=metadata_from_request(request, source="api"),
            )
        return Response(
            {"nik": mask_nik(nik), "permohonan": KtpStatusOutput(found, many=True).data}
        )


class KtpOkOutput(serializers.Serializer):
    status = serializers.CharField()


def _officer_post(request, action) -> Response:
    """Officer actions: the command checks the role; validation runs only for an officer, so
    anyone else learns nothing from error messages about the request's shape."""
    principal = principal_of(request)
    require_petugas(principal)

    def handle() -> Response:
        metadata = metadata_from_request(request, source="api")
        return Response({"status": action(principal, metadata)})

    return _post(request, handle)


class KtpRekamBiometrikApi(APIView):
    class KtpRekamInput(serializers.Serializer):
        template_hash = serializers.CharField(max_length=64, min_length=64)
        lokasi = serializers.CharField(max_length=200)

    @extend_schema(
        request=KtpRekamInput, responses={200: KtpOkOutput}, operation_id="ktp_rekam_biometrik"
    )
    def post(self, request, permohonan_id: uuid.UUID):
        data = self.KtpRekamInput(data=request.data)

        def action(principal, metadata) -> str:
            data.is_valid(raise_exception=True)
            commands.ktp_rekam_biometrik(
                principal=principal,
                permohonan_id=permohonan_id,
                metadata=metadata,
                **data.validated_data,
            )
            return "DIREKAM"

        return _officer_post(request, action)


class KtpAdjudikasiApi(APIView):
    class KtpAdjudikasiInput(serializers.Serializer):
        setujui = serializers.BooleanField()
        alasan = serializers.CharField(max_length=500, required=False, default="")

    @extend_schema(
        request=KtpAdjudikasiInput, responses={200: KtpOkOutput}, operation_id="ktp_adjudikasi"
    )
    def post(self, request, permohonan_id: uuid.UUID):
        data = self.KtpAdjudikasiInput(data=request.data)

        def action(principal, metadata) -> str:
            data.is_valid(raise_exception=True)
            commands.ktp_adjudikasi(
                principal=principal,
                permohonan_id=permohonan_id,
                metadata=metadata,
                **data.validated_data,
            )
            return "VERIFIED" if data.validated_data["setujui"] else "DITOLAK"

        return _officer_post(request, action)


class KtpPenyerahanApi(APIView):
    @extend_schema(request=None, responses={200: KtpOkOutput}, operation_id="ktp_serahkan")
    def post(self, request, permohonan_id: uuid.UUID):
        def action(principal, metadata) -> str:
            commands.ktp_serahkan(
                principal=principal, permohonan_id=permohonan_id, metadata=metadata
            )
            return "DISERAHKAN"

        return _officer_post(request, action)


class KtpBlangkoApi(APIView):
    class KtpBlangkoInput(serializers.Serializer):
        jumlah = serializers.IntegerField(min_value=1, max_value=100000)

    class KtpBlangkoOutput(serializers.Serializer):
        stok = serializers.IntegerField()

    @extend_schema(
        request=KtpBlangkoInput,
        responses={200: KtpBlangkoOutput},
        operation_id="ktp_tambah_blangko",
    )
    def post(self, request):
        principal = principal_of(request)
        require_petugas(principal)

        def handle() -> Response:
            data = self.KtpBlangkoInput(data=request.data)
            data.is_valid(raise_exception=True)
            stock = commands.ktp_tambah_blangko(
                principal=principal,
                jumlah=data.validated_data["jumlah"],
                metadata=metadata_from_request(request, source="api"),
            )
            return Response({"stok": stock})

        return _post(request, handle)
