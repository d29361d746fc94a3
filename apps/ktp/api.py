"""DRF API of the ktp context for integrators and officers (thin: one command or query each).
A NIK never travels in a URL: the lookup by NIK is a POST with the NIK in the body."""

from __future__ import annotations

import uuid
from collections.abc import Callable

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
from apps.ktp.models import StatusPermohonanKTP
from apps.ktp.roles import require_petugas
from egov.doors import api_command, record_view
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.portal.accounts import principal_of

PESAN_DITERIMA = gettext_noop("Permintaan diterima")


def _readable(request, permohonan_id: uuid.UUID) -> queries.StatusKTP:
    """The request's status if this principal may see it (else 404: another citizen's request
    does not exist for them); records the access of anyone but the citizen themself (UU PDP:
    who viewed my data)."""
    status = queries.status_untuk(principal_of(request), permohonan_id)
    record_view(
        request, context="ktp", subject_id=status.subject_id, door="api", purpose=request.path
    )
    return status


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
        return api_command(
            request,
            context="ktp",
            command=commands.ktp_ajukan,
            input_serializer=self.KtpAjukanInput,
            status=202,
            respond=lambda pid: {"id": str(pid), "status": "DIAJUKAN", "pesan": _(PESAN_DITERIMA)},
        )


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
            record_view(
                request, context="ktp", subject_id=subject_id, door="api", purpose=request.path
            )
        return Response(
            {"nik": mask_nik(nik), "permohonan": KtpStatusOutput(found, many=True).data}
        )


class KtpOkOutput(serializers.Serializer):
    status = serializers.CharField()


def _status(value: str) -> Callable[[object], dict]:
    return lambda _result: {"status": value}


def _officer(request, command, respond, input_serializer=None, **fields) -> Response:
    """Officer actions: the role is checked before the body is read."""
    return api_command(
        request,
        context="ktp",
        command=command,
        respond=respond,
        input_serializer=input_serializer,
        authorize=require_petugas,
        **fields,
    )


class KtpRekamBiometrikApi(APIView):
    class KtpRekamInput(serializers.Serializer):
        template_hash = serializers.CharField(max_length=64, min_length=64)
        lokasi = serializers.CharField(max_length=200)

    @extend_schema(
        request=KtpRekamInput, responses={200: KtpOkOutput}, operation_id="ktp_rekam_biometrik"
    )
    def post(self, request, permohonan_id: uuid.UUID):
        return _officer(
            request,
            commands.ktp_rekam_biometrik,
            _status("DIREKAM"),
            self.KtpRekamInput,
            permohonan_id=permohonan_id,
        )


class KtpAdjudikasiApi(APIView):
    class KtpAdjudikasiInput(serializers.Serializer):
        setujui = serializers.BooleanField()
        alasan = serializers.CharField(max_length=500, required=False, default="")

    @extend_schema(
        request=KtpAdjudikasiInput, responses={200: KtpOkOutput}, operation_id="ktp_adjudikasi"
    )
    def post(self, request, permohonan_id: uuid.UUID):
        return _officer(
            request,
            commands.ktp_adjudikasi,
            lambda status: {"status": status},
            self.KtpAdjudikasiInput,
            permohonan_id=permohonan_id,
        )


class KtpPenyerahanApi(APIView):
    @extend_schema(request=None, responses={200: KtpOkOutput}, operation_id="ktp_serahkan")
    def post(self, request, permohonan_id: uuid.UUID):
        return _officer(
            request, commands.ktp_serahkan, _status("DISERAHKAN"), permohonan_id=permohonan_id
        )


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
        return _officer(
            request,
            commands.ktp_tambah_blangko,
            lambda stock: {"stok": stock},
            self.KtpBlangkoInput,
        )
