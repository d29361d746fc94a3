"""DRF API of the bansos context for Kemensos officers: disbursement rounds (OpenG2P's cycle:
draft, submitted, approved four-eyes, instructed, closed when reconciled to the rupiah) and
the dashboard (officers and integrators with scope ``bansos:baca``). Thin, as ``api.py``."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.bansos import commands, queries
from apps.bansos.api import BansosStatusOutput, periode_field, petugas, status_saja
from apps.bansos.domain.rules import KANAL
from apps.bansos.roles import require_petugas
from egov.portal.accounts import principal_of


# --- disbursement rounds -------------------------------------------------------------------------
class BansosRekonsiliasiOutput(serializers.Serializer):
    jumlah_instruksi = serializers.IntegerField()
    diinstruksikan = serializers.IntegerField(help_text="Rupiah instructed.")
    disalurkan = serializers.IntegerField(help_text="Rupiah the channels reported paid.")
    dikembalikan = serializers.IntegerField(help_text="Rupiah returned to the treasury.")
    gagal = serializers.IntegerField()
    dibatalkan = serializers.IntegerField()
    belum_final = serializers.IntegerField(help_text="Instructions still without an outcome.")
    selisih = serializers.IntegerField(help_text="Instructed minus every outcome, in rupiah.")
    seimbang = serializers.BooleanField(help_text="Closable: nothing pending, selisih 0.")


def _rekonsiliasi(r) -> dict:
    return {**asdict(r), "selisih": r.selisih, "seimbang": r.seimbang}


class BansosSiklusOutput(serializers.Serializer):
    siklus_id = serializers.UUIDField()
    program = serializers.CharField()
    periode = serializers.CharField()
    tahap = serializers.IntegerField()
    status = serializers.CharField()
    dibuat_oleh = serializers.CharField()
    dibuat_pada = serializers.DateTimeField()
    diajukan_oleh = serializers.CharField()
    disetujui_oleh = serializers.CharField()
    disetujui_pada = serializers.DateTimeField(allow_null=True)
    ditutup_oleh = serializers.CharField()
    ditutup_pada = serializers.DateTimeField(allow_null=True)
    jumlah = serializers.DictField(child=serializers.IntegerField(), help_text="Per status.")
    rupiah = serializers.DictField(child=serializers.IntegerField(), help_text="Per status.")
    rekonsiliasi = BansosRekonsiliasiOutput()


def _siklus(s) -> dict:
    return {**asdict(s), "rekonsiliasi": _rekonsiliasi(s.rekonsiliasi)}


class BansosInstruksiOutput(serializers.Serializer):
    instruksi_id = serializers.UUIDField()
    penerima_id = serializers.UUIDField()
    kode_provinsi = serializers.CharField()
    nominal = serializers.IntegerField()
    kanal = serializers.CharField()
    status = serializers.CharField()
    ntx = serializers.CharField()
    nominal_disalurkan = serializers.IntegerField()
    nominal_dikembalikan = serializers.IntegerField()
    referensi = serializers.CharField()
    alasan = serializers.CharField()
    diperbarui_pada = serializers.DateTimeField()


class BansosSiklusApi(APIView):
    class BansosSiklusInput(serializers.Serializer):
        program = serializers.CharField(max_length=20)
        periode = periode_field()
        tahap = serializers.IntegerField(
            min_value=1, max_value=99, default=1, help_text="2 and up: catch-up rounds."
        )

    class BansosSiklusDibuatOutput(serializers.Serializer):
        siklus_id = serializers.UUIDField()
        status = serializers.CharField()

    class BansosSiklusQuery(serializers.Serializer):
        program = serializers.CharField(max_length=20, required=False, default="")
        periode = serializers.CharField(max_length=8, required=False, default="")
        status = serializers.ChoiceField(
            choices=queries.STATUS_SIKLUS, required=False, default="", allow_blank=True
        )

    @extend_schema(
        request=BansosSiklusInput,
        responses={201: BansosSiklusDibuatOutput},
        operation_id="bansos_buat_siklus",
        description="A draft round of a programme for a period (the same round twice: 409).",
    )
    def post(self, request):
        return petugas(
            request,
            commands.bansos_buat_siklus,
            lambda siklus_id: {"siklus_id": str(siklus_id), "status": "DRAF"},
            self.BansosSiklusInput,
            status=201,
        )

    @extend_schema(
        parameters=[BansosSiklusQuery],
        responses={200: BansosSiklusOutput(many=True)},
        operation_id="bansos_daftar_siklus",
        description="Rounds with their totals, the latest period first.",
    )
    def get(self, request):
        principal = principal_of(request)
        require_petugas(principal)
        query = self.BansosSiklusQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = queries.daftar_siklus(principal, **query.validated_data)
        return Response(BansosSiklusOutput([_siklus(s) for s in rows], many=True).data)


class BansosSiklusDetailApi(APIView):
    class BansosRekonsiliasiQuery(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=queries.STATUS_INSTRUKSI,
            required=False,
            default="",
            allow_blank=True,
            help_text="Only the instructions in this status.",
        )

    class BansosSiklusRekonsiliasiOutput(serializers.Serializer):
        siklus = BansosSiklusOutput()
        instruksi = BansosInstruksiOutput(many=True, help_text="Of the officer's region.")

    @extend_schema(
        parameters=[BansosRekonsiliasiQuery],
        responses={200: BansosSiklusRekonsiliasiOutput},
        operation_id="bansos_siklus",
        description=(
            "A round with its reconciliation to the rupiah (instructed = disbursed + returned "
            "+ failed + cancelled) and its instructions."
        ),
    )
    def get(self, request, siklus_id: uuid.UUID):
        principal = principal_of(request)
        require_petugas(principal)
        query = self.BansosRekonsiliasiQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = queries.rekonsiliasi(principal, siklus_id, **query.validated_data)
        body = {"siklus": _siklus(found.siklus), "instruksi": [asdict(i) for i in found.instruksi]}
        return Response(self.BansosSiklusRekonsiliasiOutput(body).data)


class BansosAjukanSiklusApi(APIView):
    @extend_schema(
        request=None,
        responses={200: BansosStatusOutput},
        operation_id="bansos_ajukan_siklus",
        description="Submit a draft round for approval.",
    )
    def post(self, request, siklus_id: uuid.UUID):
        return petugas(
            request, commands.bansos_ajukan_siklus, status_saja("DIAJUKAN"), siklus_id=siklus_id
        )


class BansosSetujuiSiklusApi(APIView):
    @extend_schema(
        request=None,
        responses={200: BansosStatusOutput},
        operation_id="bansos_setujui_siklus",
        description="Approve a submitted round: an officer other than its creator (409 "
        "``empat_mata``).",
    )
    def post(self, request, siklus_id: uuid.UUID):
        return petugas(
            request, commands.bansos_setujui_siklus, status_saja("DISETUJUI"), siklus_id=siklus_id
        )


class BansosBuatInstruksiApi(APIView):
    class BansosInstruksiInput(serializers.Serializer):
        kanal = serializers.ChoiceField(choices=KANAL, help_text="A Himbara bank or POS.")

    class BansosInstruksiDibuatOutput(serializers.Serializer):
        class Dilewati(serializers.Serializer):
            penerima_id = serializers.UUIDField()
            kode = serializers.CharField(help_text="penerima_tidak_aktif, tidak_layak...")

        dibuat = serializers.ListField(child=serializers.UUIDField(), help_text="Made now.")
        dilewati = Dilewati(many=True, help_text="Recipients left without an instruction.")

    @extend_schema(
        request=BansosInstruksiInput,
        responses={200: BansosInstruksiDibuatOutput},
        operation_id="bansos_buat_instruksi",
        description=(
            "Instruct the channel to pay every recipient active and eligible now (checked "
            "again on the replicas); run again, it instructs only those not instructed yet."
        ),
    )
    def post(self, request, siklus_id: uuid.UUID):
        def respond(hasil) -> dict:
            dilewati = [{"penerima_id": p, "kode": k} for p, k in hasil.dilewati]
            return self.BansosInstruksiDibuatOutput(
                {"dibuat": hasil.dibuat, "dilewati": dilewati}
            ).data

        return petugas(
            request,
            commands.bansos_buat_instruksi,
            respond,
            self.BansosInstruksiInput,
            siklus_id=siklus_id,
        )


class BansosTutupSiklusApi(APIView):
    class BansosPenutupanOutput(serializers.Serializer):
        status = serializers.CharField()
        rekonsiliasi = BansosRekonsiliasiOutput()

    @extend_schema(
        request=None,
        responses={200: BansosPenutupanOutput},
        operation_id="bansos_tutup_siklus",
        description=(
            "Close a round once every instruction has a final outcome and the rupiah balance; "
            "else 409 ``rekonsiliasi_tidak_seimbang`` with the figures in ``detail``."
        ),
    )
    def post(self, request, siklus_id: uuid.UUID):
        return petugas(
            request,
            commands.bansos_tutup_siklus,
            lambda r: {"status": "DITUTUP", "rekonsiliasi": _rekonsiliasi(r)},
            siklus_id=siklus_id,
        )


# --- the dashboard -------------------------------------------------------------------------------
class BansosBarisDasborOutput(serializers.Serializer):
    program = serializers.CharField()
    kode_provinsi = serializers.CharField(help_text="'' on a programme's total row.")
    nama_provinsi = serializers.CharField()
    aktif = serializers.IntegerField()
    ditangguhkan = serializers.IntegerField()
    digraduasi = serializers.IntegerField()
    dikeluarkan = serializers.IntegerField()
    jumlah_instruksi = serializers.IntegerField()
    rupiah_instruksi = serializers.IntegerField()
    jumlah_disalurkan = serializers.IntegerField()
    rupiah_disalurkan = serializers.IntegerField()
    jumlah_dikembalikan = serializers.IntegerField()
    rupiah_dikembalikan = serializers.IntegerField()


class BansosDasborApi(APIView):
    class BansosDasborQuery(serializers.Serializer):
        program = serializers.CharField(max_length=20, required=False, default="")
        periode = serializers.CharField(
            max_length=8, required=False, default="", help_text="Money of one period only."
        )
        kode_provinsi = serializers.RegexField(r"^\d{2}$", required=False, default="")

    @extend_schema(
        parameters=[BansosDasborQuery],
        responses={200: BansosBarisDasborOutput(many=True)},
        operation_id="bansos_dasbor",
        description=(
            "Per programme and province: households now, money instructed, disbursed and "
            "returned; then a total row per programme. Aggregates only (officers, bansos:baca)."
        ),
    )
    def get(self, request):
        principal = principal_of(request)
        queries.require_pembaca_statistik(principal)
        query = self.BansosDasborQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = queries.dasbor(principal, **query.validated_data)
        return Response(BansosBarisDasborOutput([asdict(r) for r in rows], many=True).data)
