"""DRF API of the bansos context for a recipient after the decision: Kemensos officers of its
region reactivate, graduate or exit it and answer appeals; officers, integrators with scope
``bansos:kepatuhan`` (a school or health system) record PKH conditionality; a citizen member
of the household appeals (their personal token or portal session). Thin, as ``api.py``: one
view per operation calling one command; households named by their internal id only.

Refusals: 403 with the role's code (``bukan_petugas``, ``luar_wilayah``,
``bukan_pencatat_kepatuhan``, ``nik_belum_terverifikasi``), 404 ``tidak_ditemukan`` (also a
citizen who is not a member: the household does not exist for them), 409 with the state's
code (``tahap``, ``keberatan_terbuka``, ``tidak_ada_keberatan``...). Writes honour
``Idempotency-Key``.
"""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from apps.bansos import commands
from apps.bansos.api import BansosStatusOutput, periode_field, petugas, status_saja
from apps.bansos.domain.rules import (
    AKTIF,
    DIAJUKAN,
    DIGRADUASI,
    DIKELUARKAN,
    KEPUTUSAN_KEBERATAN,
)
from apps.bansos.roles import require_pencatat_kepatuhan, require_warga
from egov.doors import api_command


class BansosKeteranganInput(serializers.Serializer):
    keterangan = serializers.CharField(max_length=1000, help_text="The officer's own words.")


class BansosAktifkanKembaliApi(APIView):
    @extend_schema(
        request=BansosKeteranganInput,
        responses={200: BansosStatusOutput},
        operation_id="bansos_aktifkan_kembali_penerima",
        description=(
            "Resume a suspended recipient's payments (a death recorded in error, checked by a "
            "person); eligibility is checked again before every payment instruction. 409 "
            "``tahap`` when not suspended."
        ),
    )
    def post(self, request, usulan_id: uuid.UUID):
        return petugas(
            request,
            commands.bansos_aktifkan_kembali_penerima,
            status_saja(AKTIF),
            BansosKeteranganInput,
            penerima_id=usulan_id,
        )


class BansosGraduasiApi(APIView):
    @extend_schema(
        request=BansosKeteranganInput,
        responses={200: BansosStatusOutput},
        operation_id="bansos_graduasi_penerima",
        description=(
            "The household leaves the programme out of poverty; its instructions whose money "
            "has not left are cancelled."
        ),
    )
    def post(self, request, usulan_id: uuid.UUID):
        return petugas(
            request,
            commands.bansos_graduasi_penerima,
            status_saja(DIGRADUASI),
            BansosKeteranganInput,
            penerima_id=usulan_id,
        )


class BansosKeluarkanApi(APIView):
    class BansosPengeluaranInput(serializers.Serializer):
        alasan = serializers.CharField(max_length=1000)

    @extend_schema(
        request=BansosPengeluaranInput,
        responses={200: BansosStatusOutput},
        operation_id="bansos_keluarkan_penerima",
        description=(
            "Remove the household from the programme; its instructions whose money has not "
            "left are cancelled."
        ),
    )
    def post(self, request, usulan_id: uuid.UUID):
        return petugas(
            request,
            commands.bansos_keluarkan_penerima,
            status_saja(DIKELUARKAN),
            self.BansosPengeluaranInput,
            penerima_id=usulan_id,
        )


class BansosKepatuhanApi(APIView):
    class BansosKepatuhanInput(serializers.Serializer):
        periode = periode_field(help_text="The period it is about: 2025-TW2.")
        komponen = serializers.CharField(max_length=30, help_text="SD, SMP, IBU_HAMIL...")
        patuh = serializers.BooleanField()
        sumber = serializers.CharField(
            max_length=100, help_text="Who reports it: a survey, a school system, an event."
        )

    class BansosKepatuhanOutput(serializers.Serializer):
        dicatat = serializers.BooleanField(help_text="False: the same report was recorded.")

    @extend_schema(
        request=BansosKepatuhanInput,
        responses={200: BansosKepatuhanOutput},
        operation_id="bansos_catat_kepatuhan",
        description=(
            "PKH conditionality of one component in one period, by an officer of the region "
            "or an integrator with scope ``bansos:kepatuhan``. Idempotent per source and "
            "answer; a different answer from the same source is a correction."
        ),
    )
    def post(self, request, usulan_id: uuid.UUID):
        return api_command(
            request,
            context="bansos",
            command=commands.bansos_catat_kepatuhan,
            respond=lambda dicatat: {"dicatat": dicatat},
            input_serializer=self.BansosKepatuhanInput,
            authorize=require_pencatat_kepatuhan,
            penerima_id=usulan_id,
        )


class BansosKeberatanApi(APIView):
    class BansosKeberatanInput(serializers.Serializer):
        alasan = serializers.CharField(max_length=2000, help_text="Why the decision is wrong.")

    class BansosKeberatanOutput(serializers.Serializer):
        keberatan = serializers.CharField()

    @extend_schema(
        request=BansosKeberatanInput,
        responses={201: BansosKeberatanOutput},
        operation_id="bansos_ajukan_keberatan",
        description=(
            "A citizen member of the household appeals a decision on it (suspension, exit, "
            "graduation). 404 for anyone not a member; 409 ``keberatan_terbuka`` while one is "
            "unanswered."
        ),
    )
    def post(self, request, usulan_id: uuid.UUID):
        return api_command(
            request,
            context="bansos",
            command=commands.bansos_ajukan_keberatan,
            respond=lambda _result: {"keberatan": DIAJUKAN},
            input_serializer=self.BansosKeberatanInput,
            status=201,
            authorize=require_warga,
            penerima_id=usulan_id,
        )


class BansosJawabKeberatanApi(APIView):
    class BansosJawabanInput(serializers.Serializer):
        keputusan = serializers.ChoiceField(choices=KEPUTUSAN_KEBERATAN)
        jawaban = serializers.CharField(max_length=2000)

    class BansosJawabanOutput(serializers.Serializer):
        keputusan = serializers.CharField()

    @extend_schema(
        request=BansosJawabanInput,
        responses={200: BansosJawabanOutput},
        operation_id="bansos_jawab_keberatan",
        description=(
            "An officer of the region answers the open appeal. An accepted appeal changes no "
            "status by itself: reactivate (or verify again) as its own decision. 409 "
            "``tidak_ada_keberatan`` when none is open."
        ),
    )
    def post(self, request, usulan_id: uuid.UUID):
        return petugas(
            request,
            commands.bansos_jawab_keberatan,
            lambda _result: {"keputusan": request.data.get("keputusan")},
            self.BansosJawabanInput,
            penerima_id=usulan_id,
        )
