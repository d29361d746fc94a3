"""DRF API of the bansos context for Kemensos officers (group ``petugas_kemensos``, with their
portal session): households from proposal to suspension, disbursement rounds from draft to
closing, and the dashboard (officers and integrators with scope ``bansos:baca``). Thin: one
view per operation calling one command or query; the payment channels' door is
``api_kanal.py``.

No NIK or KK number ever travels in a URL: households and rounds are named by their internal
id. A proposal's NIKs and KK number arrive in the body and are validated and hashed here, at
the door (``commands.nik_hash``): the clear numbers reach neither a command nor a table.
Refusals: 400 naming the field (or ``{code, detail}`` from a command's ``InvalidInput``),
403 with the role's code (``bukan_petugas``, ``luar_wilayah``), 404 ``tidak_ditemukan``,
409 with the state's code (``tahap``, ``empat_mata``, ``tidak_layak``,
``rekonsiliasi_tidak_seimbang``...). Writes honour ``Idempotency-Key``.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.bansos import commands, queries
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.rules import ALASAN_PENANGGUHAN
from apps.bansos.roles import require_petugas
from egov.doors import api_command, record_view
from egov.eventstore.domain import InvalidInput
from egov.eventstore.pseudonym import keyed_hash
from egov.portal.accounts import principal_of
from egov.wilayah import KELURAHAN
from egov.wilayah_api import KodeWilayahField

MSG_KK = gettext_lazy("Nomor KK harus 16 digit angka.")
MSG_PERIODE = gettext_lazy("Periode harus YYYY-MM (bulanan) atau YYYY-TW1 sampai YYYY-TW4.")
MSG_ANGGOTA_KOSONG = gettext_lazy("Usulan harus memuat sedikitnya satu anggota keluarga.")
PERIODE_PATTERN = r"^\d{4}-((0[1-9]|1[0-2])|TW[1-4])$"


class NikField(serializers.CharField):
    """A NIK in the body: validated as typed, then turned into its keyed hash here; the clear
    NIK is dropped (400 naming the field when it is not a valid NIK)."""

    def run_validation(self, data=serializers.empty) -> str:
        nik = super().run_validation(data)  # the field's own checks, on the NIK as typed
        try:
            return commands.nik_hash(nik)
        except InvalidInput as error:
            raise serializers.ValidationError(_(error.message), code=error.code) from None


class NomorKKField(serializers.RegexField):
    """A KK number (16 digits) in the body, kept only as its keyed hash (purpose ``kk``)."""

    def __init__(self, **kwargs):
        super().__init__(r"^\d{16}$", error_messages={"invalid": MSG_KK}, **kwargs)

    def run_validation(self, data=serializers.empty) -> str:
        return keyed_hash(super().run_validation(data), purpose="kk")


class NomorRekeningField(serializers.CharField):
    """The bank account the aid is paid into (6 to 20 digits), in the body over TLS, turned
    into its keyed hash here (``commands.rekening_hash``, purpose ``rekening``); the clear
    number is dropped. Optional: "" or absent when the household has none (cash at PT Pos)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=40, required=False, allow_blank=True, default="", **kwargs)

    def run_validation(self, data=serializers.empty) -> str:
        nomor = super().run_validation(data)
        if not nomor:
            return ""
        try:
            return commands.rekening_hash(nomor)
        except InvalidInput as error:
            raise serializers.ValidationError(_(error.message), code=error.code) from None


def periode_field(**kwargs) -> serializers.RegexField:
    return serializers.RegexField(
        PERIODE_PATTERN, max_length=8, error_messages={"invalid": MSG_PERIODE}, **kwargs
    )


def petugas(request, command, respond, serializer=None, *, status=200, **fields) -> Response:
    """An officer's command: the role first (before the body is read); the command checks
    the office's region and the record's state."""
    return api_command(
        request,
        context="bansos",
        command=command,
        respond=respond,
        input_serializer=serializer,
        status=status,
        authorize=require_petugas,
        **fields,
    )


def status_saja(value: str):
    return lambda _result: {"status": value}


def _temuan(rows) -> list[dict]:
    return [{**asdict(t), "alasan": _(t.alasan)} for t in rows]


class BansosStatusOutput(serializers.Serializer):
    status = serializers.CharField()


class BansosTemuanOutput(serializers.Serializer):
    kode = serializers.CharField()
    alasan = serializers.CharField(help_text="The rule's reason, in the caller's language.")
    nik_hash = serializers.CharField(help_text="Keyed hash of the member it is about; '' all.")


class BansosTemuanUsulanOutput(serializers.Serializer):
    kode = serializers.CharField()
    alasan = serializers.CharField(help_text="The rule's reason, in the caller's language.")
    anggota = serializers.ListField(
        child=serializers.CharField(), help_text="Keyed hashes of the members it is about."
    )


# --- households ----------------------------------------------------------------------------------
class BansosAnggotaInput(serializers.Serializer):
    nik = NikField(max_length=16, help_text="The member's NIK (hashed at the door, not kept).")
    komponen = serializers.CharField(
        max_length=30,
        required=False,
        default="",
        allow_blank=True,
        help_text="PKH component the member counts for (SD, SMP, IBU_HAMIL...); '' none.",
    )


class BansosAjukanUsulanApi(APIView):
    class BansosUsulanInput(serializers.Serializer):
        program = serializers.CharField(max_length=20, help_text="PKH, BPNT, BLT...")
        periode = periode_field(help_text="First period: 2025-TW1 (quarterly), 2025-03 (monthly).")
        nomor_kk = NomorKKField(help_text="KK number (hashed at the door, never kept).")
        anggota = serializers.ListField(
            child=BansosAnggotaInput(),
            min_length=1,
            max_length=30,
            error_messages={"min_length": MSG_ANGGOTA_KOSONG, "empty": MSG_ANGGOTA_KOSONG},
            help_text="The members; the first is the pengurus, who receives the aid.",
        )
        desil = serializers.IntegerField(min_value=1, max_value=10, help_text="DTSEN decile.")
        kode_wilayah = KodeWilayahField(tingkat=KELURAHAN, max_length=10)
        nomor_rekening = NomorRekeningField(
            help_text=(
                "Bank account the aid is paid into, 6-20 digits (hashed at the door, never "
                "kept); '' or absent: none yet (cash at PT Pos)."
            )
        )

        def validate(self, attrs: dict) -> dict:
            attrs = dict(attrs)
            anggota = tuple(Anggota(a["nik"], a["komponen"]) for a in attrs.pop("anggota"))
            kk = attrs.pop("nomor_kk")
            return attrs | {
                "rekening_hash": attrs.pop("nomor_rekening", ""),
                "nomor_kk_hash": kk,
                "pengurus_nik_hash": anggota[0].nik_hash,
                "anggota": anggota,
            }

    class BansosUsulanDiajukanOutput(serializers.Serializer):
        usulan_id = serializers.UUIDField()
        status = serializers.CharField()

    @extend_schema(
        request=BansosUsulanInput,
        responses={201: BansosUsulanDiajukanOutput},
        operation_id="bansos_ajukan_usulan",
        description=(
            "A village or dinas officer proposes a household: members' NIKs, the KK number and "
            "the bank account in the body, hashed at the door. 403 ``luar_wilayah`` outside "
            "the office's region."
        ),
    )
    def post(self, request):
        return petugas(
            request,
            commands.bansos_ajukan_usulan,
            lambda usulan_id: {"usulan_id": str(usulan_id), "status": "DIAJUKAN"},
            self.BansosUsulanInput,
            status=201,
        )


class BansosVerifikasiUsulanApi(APIView):
    class BansosVerifikasiOutput(serializers.Serializer):
        layak = serializers.BooleanField()
        desil = serializers.IntegerField()
        gagal = BansosTemuanOutput(many=True)
        tinjau = BansosTemuanOutput(many=True, help_text="Flags for review; they do not refuse.")

    @extend_schema(
        request=None,
        responses={200: BansosVerifikasiOutput},
        operation_id="bansos_verifikasi_usulan",
        description="Check every eligibility rule now and record the result, passed or not.",
    )
    def post(self, request, usulan_id: uuid.UUID):
        def respond(hasil) -> dict:
            return {
                "layak": hasil.layak,
                "desil": hasil.desil,
                "gagal": _temuan(hasil.gagal),
                "tinjau": _temuan(hasil.tinjau),
            }

        return petugas(request, commands.bansos_verifikasi_usulan, respond, usulan_id=usulan_id)


class BansosTetapkanPenerimaApi(APIView):
    class BansosPenetapanInput(serializers.Serializer):
        dasar_hukum = serializers.CharField(max_length=200, help_text="The decision's legal basis.")

    @extend_schema(
        request=BansosPenetapanInput,
        responses={200: BansosStatusOutput},
        operation_id="bansos_tetapkan_penerima",
        description=(
            "Decide a verified household a recipient: another officer than the proposer (409 "
            "``empat_mata``), eligible on the replicas now (409 ``tidak_layak``)."
        ),
    )
    def post(self, request, usulan_id: uuid.UUID):
        return petugas(
            request,
            commands.bansos_tetapkan_penerima,
            status_saja("AKTIF"),
            self.BansosPenetapanInput,
            usulan_id=usulan_id,
        )


class BansosTolakUsulanApi(APIView):
    class BansosPenolakanInput(serializers.Serializer):
        alasan = serializers.CharField(max_length=1000)

    @extend_schema(
        request=BansosPenolakanInput,
        responses={200: BansosStatusOutput},
        operation_id="bansos_tolak_usulan",
    )
    def post(self, request, usulan_id: uuid.UUID):
        return petugas(
            request,
            commands.bansos_tolak_usulan,
            status_saja("DITOLAK"),
            self.BansosPenolakanInput,
            usulan_id=usulan_id,
        )


class BansosTangguhkanPenerimaApi(APIView):
    class BansosPenangguhanInput(serializers.Serializer):
        alasan = serializers.ChoiceField(choices=ALASAN_PENANGGUHAN)
        keterangan = serializers.CharField(
            max_length=1000, required=False, default="", allow_blank=True
        )
        nik = NikField(
            max_length=16,
            required=False,
            source="nik_hash",
            help_text="The member concerned (a death), hashed at the door; optional.",
        )

    @extend_schema(
        request=BansosPenangguhanInput,
        responses={200: BansosStatusOutput},
        operation_id="bansos_tangguhkan_penerima",
        description=(
            "Suspend a recipient's payments; its instructions whose money has not left are "
            "cancelled (a channel's later report on them is 409 ``instruksi_dibatalkan``)."
        ),
    )
    def post(self, request, usulan_id: uuid.UUID):
        return petugas(
            request,
            commands.bansos_tangguhkan_penerima,
            status_saja("DITANGGUHKAN"),
            self.BansosPenangguhanInput,
            penerima_id=usulan_id,
        )


class BansosUsulanOutput(serializers.Serializer):
    penerima_id = serializers.UUIDField(help_text="The household's id (its proposal's).")
    program = serializers.CharField()
    periode = serializers.CharField()
    kode_wilayah = serializers.CharField()
    kode_provinsi = serializers.CharField()
    status = serializers.CharField()
    jumlah_anggota = serializers.IntegerField()
    layak = serializers.BooleanField(allow_null=True, help_text="null until verified.")
    kode_gagal = serializers.ListField(child=serializers.CharField())
    kode_tinjau = serializers.ListField(child=serializers.CharField())
    alasan_penangguhan = serializers.CharField()
    keberatan_terbuka = serializers.BooleanField()
    nominal_per_tahap = serializers.IntegerField()
    tahap_diterima = serializers.IntegerField()
    rupiah_diterima = serializers.IntegerField()
    diajukan_oleh = serializers.CharField()
    diajukan_pada = serializers.DateTimeField()
    diputuskan_oleh = serializers.CharField()
    diputuskan_pada = serializers.DateTimeField(allow_null=True)
    diperbarui_pada = serializers.DateTimeField()


class BansosAntreanApi(APIView):
    class BansosAntreanQuery(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=queries.STATUS_USULAN, required=False, default="", allow_blank=True
        )
        program = serializers.CharField(max_length=20, required=False, default="")
        periode = serializers.CharField(max_length=8, required=False, default="")
        kode_wilayah = serializers.RegexField(
            r"^\d{2,10}$", required=False, default="", help_text="A region code prefix."
        )
        perlu_tinjau = serializers.BooleanField(required=False, allow_null=True, default=None)
        keberatan_terbuka = serializers.BooleanField(required=False, allow_null=True, default=None)

    @extend_schema(
        parameters=[BansosAntreanQuery],
        responses={200: BansosUsulanOutput(many=True)},
        operation_id="bansos_antrean",
        description="The queue of the officer's region, oldest proposal first (200 at most).",
    )
    def get(self, request):
        principal = principal_of(request)
        require_petugas(principal)  # before the query string is read
        query = self.BansosAntreanQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = queries.antrean_usulan(principal, **query.validated_data)
        return Response(BansosUsulanOutput([asdict(r) for r in rows], many=True).data)


class BansosUsulanDetailApi(APIView):
    class BansosHasilKelayakanOutput(serializers.Serializer):
        usulan = BansosUsulanOutput()
        desil = serializers.IntegerField(allow_null=True)
        gagal = BansosTemuanUsulanOutput(many=True, help_text="Every failed rule with its reason.")
        tinjau = BansosTemuanUsulanOutput(many=True)
        komponen = serializers.ListField(child=serializers.CharField())
        dasar_hukum = serializers.CharField()
        diverifikasi_oleh = serializers.CharField()
        diverifikasi_pada = serializers.DateTimeField(allow_null=True)

    @extend_schema(
        responses={200: BansosHasilKelayakanOutput},
        operation_id="bansos_usulan",
        description=(
            "One household with its last eligibility result: each failed rule and review flag "
            "with its reason. The read is recorded for the pengurus (who viewed my data)."
        ),
    )
    def get(self, request, usulan_id: uuid.UUID):
        hasil = queries.hasil_kelayakan(principal_of(request), usulan_id)
        record_view(
            request,
            context="bansos",
            subject_id=hasil.pengurus_nik_hash,
            door="api",
            purpose=request.resolver_match.view_name,
        )
        body = asdict(hasil)
        body |= {"gagal": _temuan(hasil.gagal), "tinjau": _temuan(hasil.tinjau)}
        return Response(self.BansosHasilKelayakanOutput(body).data)
