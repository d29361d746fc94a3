"""DRF API of one taxpayer's records and of the pajak writes (the aggregates are in
``api.py``; the rules of both are in its docstring). Thin: one view per operation calling one
command or query; writes through ``egov.doors.api_command`` (``Idempotency-Key`` honoured;
the payment report through ``egov.api.idempotent``: its status is 201 or 200). No NIK or
NPWP in any URL: a taxpayer is named by its internal id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.pajak import commands
from apps.pajak import queries_wajib_pajak as catatan
from apps.pajak.domain.rules import BADAN, JENIS_PAJAK, OP
from apps.pajak.roles import MSG_WP_TIDAK_DITEMUKAN, is_petugas, require_bank
from egov.api import idempotency_model, idempotent
from egov.db import atomic
from egov.doors import api_command, record_view
from egov.eventstore.domain import EventMetadata
from egov.portal.accounts import principal_of
from egov.principals import (
    CITIZEN,
    NotVisible,
    Principal,
    require,
    require_authenticated,
)
from egov.web import metadata_from_request
from egov.wilayah import KABUPATEN
from egov.wilayah_api import KodeWilayahField


# --- one taxpayer's records ----------------------------------------------------------------------
class Penolakan(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


def _ditolak(description: str) -> OpenApiResponse:
    return OpenApiResponse(Penolakan, description=description)


TIDAK_DITEMUKAN = _ditolak(
    "``tidak_ditemukan``: no such taxpayer or obligation, or not one this caller may see."
)


class WajibPajakOutput(serializers.Serializer):
    wajib_pajak_id = serializers.UUIDField(help_text="Internal id: the only way to name one.")
    jenis_wp = serializers.ChoiceField(choices=[OP, BADAN])
    npwp_tersamar = serializers.CharField(help_text="Masked NPWP, e.g. 3273**********01.")
    kode_wilayah = serializers.CharField(help_text="Regency of the registered tax office.")
    terdaftar_pada = serializers.DateTimeField()
    pkp = serializers.BooleanField()
    tanggal_pkp = serializers.DateField(allow_null=True)
    peninjauan = serializers.BooleanField(help_text="Under review (NIK deactivated).")


class KewajibanOutput(serializers.Serializer):
    kewajiban_id = serializers.UUIDField()
    jenis_pajak = serializers.CharField()
    masa = serializers.CharField()
    jatuh_tempo_bayar = serializers.DateField()
    jatuh_tempo_lapor = serializers.DateField()
    status_spt = serializers.CharField(help_text='"", DRAF, MENUNGGU_PEMBAYARAN or DILAPORKAN.')
    pembetulan_ke = serializers.IntegerField()
    pajak_terutang = serializers.IntegerField()
    kredit_pajak = serializers.IntegerField()
    kurang_bayar = serializers.IntegerField()
    kode_billing = serializers.CharField()
    bpe = serializers.CharField(help_text="Electronic filing receipt of the latest filing.")
    dilaporkan_pada = serializers.DateTimeField(allow_null=True)
    denda = serializers.IntegerField(help_text="Late-filing fines (UU KUP Pasal 7).")


class KodeBillingOutput(serializers.Serializer):
    kode = serializers.CharField()
    jenis_pajak = serializers.CharField()
    masa = serializers.CharField()
    nominal = serializers.IntegerField()
    status = serializers.CharField(help_text="AKTIF, DIBAYAR or KEDALUWARSA (as of now).")
    dibuat_pada = serializers.DateTimeField()
    kedaluwarsa = serializers.DateTimeField()
    sisa_detik = serializers.IntegerField(help_text="Seconds left to pay it (0 unless AKTIF).")
    ntpn = serializers.CharField()
    tanggal_bayar = serializers.DateTimeField(allow_null=True)
    bank = serializers.CharField()


def _catatan(request, wajib_pajak_id: uuid.UUID) -> catatan.ProfilWP:
    """The taxpayer if this caller may read it (404, or 403 for an officer of another office),
    the read recorded unless the taxpayer reads their own."""
    profil = catatan.profil_untuk(principal_of(request), wajib_pajak_id)
    record_view(
        request,
        context="pajak",
        subject_id=profil.subjek_id,
        door="api",
        purpose=request.resolver_match.view_name,
    )
    return profil


class PajakWajibPajakDetailApi(APIView):
    @extend_schema(responses={200: WajibPajakOutput}, operation_id="pajak_wajib_pajak")
    def get(self, request, wajib_pajak_id: uuid.UUID):
        return Response(WajibPajakOutput(_catatan(request, wajib_pajak_id)).data)


class PajakWajibPajakSayaApi(APIView):
    @extend_schema(
        responses={200: WajibPajakOutput, 404: TIDAK_DITEMUKAN},
        operation_id="pajak_wajib_pajak_saya",
        description="The signed-in citizen's own registration (404 until they activated it).",
    )
    def get(self, request):
        profil = catatan.profil_warga(principal_of(request).subject_id)
        if profil is None:
            raise NotVisible(MSG_WP_TIDAK_DITEMUKAN)
        return Response(WajibPajakOutput(profil).data)


class PajakKewajibanApi(APIView):
    @extend_schema(responses={200: KewajibanOutput(many=True)}, operation_id="pajak_kewajiban")
    def get(self, request, wajib_pajak_id: uuid.UUID):
        profil = _catatan(request, wajib_pajak_id)
        return Response(KewajibanOutput(catatan.kewajiban(profil.wajib_pajak_id), many=True).data)


class PajakKodeBillingDaftarApi(APIView):
    @extend_schema(
        responses={200: KodeBillingOutput(many=True)}, operation_id="pajak_kode_billing_daftar"
    )
    def get(self, request, wajib_pajak_id: uuid.UUID):
        profil = _catatan(request, wajib_pajak_id)
        found = catatan.kode_billing(profil.wajib_pajak_id)
        return Response(KodeBillingOutput(found, many=True).data)


class PajakPembayaranDaftarApi(APIView):
    @extend_schema(
        responses={200: KodeBillingOutput(many=True)},
        operation_id="pajak_pembayaran_daftar",
        description="Payments: the billing codes a bank reported paid, the latest first.",
    )
    def get(self, request, wajib_pajak_id: uuid.UUID):
        profil = _catatan(request, wajib_pajak_id)
        found = catatan.pembayaran(profil.wajib_pajak_id)
        return Response(KodeBillingOutput(found, many=True).data)


# --- writes --------------------------------------------------------------------------------------
def _wajib_pajak_atau_petugas(principal: Principal) -> None:
    """Billing codes and returns: a citizen (the command then checks theirs is verified and
    registered) or a DJP officer (the command checks the office). Others: 403 before the body
    is read."""
    require_authenticated(principal)
    require(principal.kind == CITIZEN or is_petugas(principal))


class TerdaftarOutput(serializers.Serializer):
    wajib_pajak_id = serializers.UUIDField()
    jenis_wp = serializers.ChoiceField(choices=[OP, BADAN])


class PajakDaftarBadanApi(APIView):
    class PajakDaftarBadanInput(serializers.Serializer):
        npwp = serializers.CharField(
            max_length=20, help_text="16 digits (or the old 15, dots and dashes allowed)."
        )
        nama = serializers.CharField(max_length=200)
        kode_wilayah = KodeWilayahField(
            tingkat=(KABUPATEN,), max_length=4, help_text="Regency of the registered seat."
        )

    @extend_schema(
        request=PajakDaftarBadanInput,
        responses={201: TerdaftarOutput},
        operation_id="pajak_daftar_badan",
        description=(
            "Register a company: a DJP officer of the seat's office, or a registration "
            "system with scope pajak:daftar. Refusals: 400 ``npwp_format``, "
            "``npwp_check_digit``, ``npwp_badan_tanpa_nol``, an unknown region; 403 "
            "``bukan_petugas`` / ``luar_wilayah``; 409 ``sudah_terdaftar``."
        ),
    )
    def post(self, request):
        return api_command(
            request,
            context="pajak",
            command=commands.pajak_daftar_badan,
            input_serializer=self.PajakDaftarBadanInput,
            status=201,
            respond=lambda wp_id: {"wajib_pajak_id": str(wp_id), "jenis_wp": BADAN},
        )


class PajakAktivasiNpwpApi(APIView):
    class PajakAktivasiInput(serializers.Serializer):
        nik = serializers.CharField(
            max_length=20, help_text="The NIK the account was verified for (typed to confirm)."
        )
        nama = serializers.CharField(max_length=200)

    @extend_schema(
        request=PajakAktivasiInput,
        responses={201: TerdaftarOutput},
        operation_id="pajak_aktivasi_npwp",
        description=(
            "A citizen activates their own NIK as NPWP (PMK 112/2022). Refusals: 400 "
            "``nik_tidak_valid``, 403 ``bukan_nik_anda`` / ``nik_belum_terverifikasi`` (the "
            "account's NIK claim), 409 ``nik_belum_terverifikasi`` (Dukcapil has not verified "
            "the NIK), ``nik_nonaktif``, ``sudah_terdaftar``."
        ),
    )
    def post(self, request):
        return api_command(
            request,
            context="pajak",
            command=commands.pajak_aktifkan_npwp,
            input_serializer=self.PajakAktivasiInput,
            status=201,
            respond=lambda wp_id: {"wajib_pajak_id": str(wp_id), "jenis_wp": OP},
        )


class KodeBillingTerbitOutput(serializers.Serializer):
    kode = serializers.CharField(help_text="15 digits, paid at any perception bank.")
    jenis_pajak = serializers.CharField()
    masa = serializers.CharField()
    nominal = serializers.IntegerField()
    kedaluwarsa = serializers.DateTimeField(help_text="Unpaid after this, the code is void.")


def _kode_terbit(k: commands.KodeBillingTerbit) -> dict:
    return KodeBillingTerbitOutput(k).data


class PajakBuatKodeBillingApi(APIView):
    class PajakKodeBillingInput(serializers.Serializer):
        jenis_pajak = serializers.ChoiceField(choices=list(JENIS_PAJAK))
        masa = serializers.CharField(max_length=7, help_text="2026-03 (monthly) or 2025.")
        nominal = serializers.IntegerField(min_value=1, max_value=10**15)
        wajib_pajak_id = serializers.UUIDField(
            required=False,
            default=None,
            help_text="Officers: the taxpayer. A citizen leaves it out (their own is used).",
        )

    @extend_schema(
        request=PajakKodeBillingInput,
        responses={201: KodeBillingTerbitOutput, 404: TIDAK_DITEMUKAN},
        operation_id="pajak_buat_kode_billing",
        description=(
            "Issue a billing code, valid for the period in force on today's Jakarta date. "
            "Refusals: 400 ``masa_tidak_valid``, ``masa_tidak_sesuai``, "
            "``jenis_wp_tidak_sesuai``; 403 ``nik_belum_terverifikasi``, ``luar_wilayah``; "
            "409 ``belum_terdaftar``, ``bukan_pkp``."
        ),
    )
    def post(self, request):
        return api_command(
            request,
            context="pajak",
            command=commands.pajak_buat_kode_billing,
            input_serializer=self.PajakKodeBillingInput,
            status=201,
            respond=_kode_terbit,
            authorize=_wajib_pajak_atau_petugas,
        )


class PembayaranOutput(serializers.Serializer):
    kode_billing = serializers.CharField(source="kode")
    ntpn = serializers.CharField()
    ntb = serializers.CharField()
    nominal = serializers.IntegerField()
    tanggal_bayar = serializers.DateTimeField()
    bank = serializers.CharField()


class PajakPembayaranApi(APIView):
    class PajakPembayaranInput(serializers.Serializer):
        kode_billing = serializers.CharField(source="kode", max_length=15)
        ntpn = serializers.CharField(max_length=16, help_text="16 letters or digits.")
        ntb = serializers.CharField(max_length=64, help_text="The bank's transaction number.")
        tanggal_bayar = serializers.DateTimeField(help_text="Without a zone: Jakarta time.")
        nominal = serializers.IntegerField(min_value=1, max_value=10**15)
        bank = serializers.CharField(max_length=200, required=False, default="")

    @extend_schema(
        request=PajakPembayaranInput,
        responses={
            201: OpenApiResponse(PembayaranOutput, description="The payment, recorded now."),
            200: OpenApiResponse(
                PembayaranOutput,
                description=(
                    "The same report again (same code, NTPN and amount): the payment as first "
                    "recorded, nothing new recorded."
                ),
            ),
            409: _ditolak(
                "``nominal_tidak_sesuai`` (another amount than the code's, also with the "
                "NTPN already recorded), ``kedaluwarsa``, ``sudah_dibayar`` (paid with "
                "another NTPN), ``ntpn_sudah_dipakai``, ``kode_billing_tidak_dikenal``."
            ),
        },
        operation_id="pajak_pembayaran",
        description=(
            "A perception bank (scope pajak:pembayaran) reports a payment: 201 when it is "
            "recorded. Idempotent on the NTPN: the same report again records nothing and "
            "answers 200 with the same body (a retry with the same ``Idempotency-Key`` gets "
            "the first answer, 201, with ``Idempotent-Replayed: true``). Refusals, nothing "
            "recorded: 400 ``kode_billing_format``, ``ntpn_format``, ``ntb_wajib``, "
            "``tanggal_bayar_tidak_valid``; 403 ``bukan_bank_persepsi``; 409 "
            "``nominal_tidak_sesuai``, ``kedaluwarsa``, ``sudah_dibayar``, "
            "``ntpn_sudah_dipakai``, ``kode_billing_tidak_dikenal``."
        ),
    )
    def post(self, request):
        principal = principal_of(request)
        require_bank(principal)  # before the body is read

        def handle() -> Response:
            masukan = self.PajakPembayaranInput(data=request.data)
            masukan.is_valid(raise_exception=True)
            bayar = commands.pajak_terima_pembayaran(
                principal=principal,
                metadata=metadata_from_request(request, source="api"),
                **masukan.validated_data,
            )
            return Response(PembayaranOutput(bayar).data, status=201 if bayar.baru else 200)

        # api_command's status is fixed; here it depends on the command's answer
        return idempotent(request, model=idempotency_model("pajak"), alias="pajak", handle=handle)


@dataclass(frozen=True)
class HasilSPT:
    kewajiban_id: uuid.UUID
    kurang_bayar: int
    status: str
    bpe: str
    kode_billing: commands.KodeBillingTerbit | None


def lapor_spt(
    *,
    principal: Principal,
    kewajiban_id: uuid.UUID,
    pajak_terutang: int,
    kredit_pajak: int,
    metadata: EventMetadata,
) -> HasilSPT:
    """A simple return in one step (the API and the portal): draft it, then file it, in one
    transaction (a refused filing leaves no draft behind). Nothing left to pay: filed now with
    its BPE; else a billing code is issued and the bank's payment report files it."""
    with atomic("pajak"):
        kurang = commands.pajak_susun_spt(
            principal=principal,
            kewajiban_id=kewajiban_id,
            pajak_terutang=pajak_terutang,
            kredit_pajak=kredit_pajak,
            metadata=metadata,
        )
        hasil = commands.pajak_laporkan_spt(
            principal=principal, kewajiban_id=kewajiban_id, metadata=metadata
        )
    return HasilSPT(kewajiban_id, kurang, hasil.status, hasil.bpe, hasil.kode_billing)


class SPTOutput(serializers.Serializer):
    kewajiban_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["DILAPORKAN", "MENUNGGU_PEMBAYARAN"])
    kurang_bayar = serializers.IntegerField(help_text="Below zero: overpaid.")
    bpe = serializers.CharField(help_text="Electronic receipt once filed, else empty.")
    kode_billing = KodeBillingTerbitOutput(
        allow_null=True, help_text="The code whose payment files the return, if tax is left."
    )


class PajakSPTApi(APIView):
    class PajakSPTInput(serializers.Serializer):
        kewajiban_id = serializers.UUIDField()
        pajak_terutang = serializers.IntegerField(min_value=0, max_value=10**15)
        kredit_pajak = serializers.IntegerField(min_value=0, max_value=10**15, default=0)

    @extend_schema(
        request=PajakSPTInput,
        responses={201: SPTOutput, 404: TIDAK_DITEMUKAN},
        operation_id="pajak_spt",
        description=(
            "File a simple return for an obligation (drafted and filed in one step; an "
            "amendment once filed). Refusals: 400 ``pajak_tidak_valid``; 403 "
            "``luar_wilayah``; 404 ``tidak_ditemukan``; 409 ``tahap_spt_salah``."
        ),
    )
    def post(self, request):
        return api_command(
            request,
            context="pajak",
            command=lapor_spt,
            input_serializer=self.PajakSPTInput,
            status=201,
            respond=lambda hasil: SPTOutput(hasil).data,
            authorize=_wajib_pajak_atau_petugas,
        )
