"""DRF API of the bansos context for the payment channels (Himbara banks, PT Pos): OAuth2
client credentials with scope ``bansos:penyaluran`` (docs/integrator-guide.md).

- ``GET instruksi/``: the instructions waiting for a report (from the read side, no personal
  data: the recipient by its pseudonymous id), by round, channel and status.
- ``POST instruksi/{instruksi_id}/laporan/``: the outcome of one instruction, answered
  asynchronously by the channel: ``DISALURKAN`` (``ntx``, ``nominal``) | ``GAGAL``
  (``alasan``) | ``TIDAK_DIAMBIL`` -> ``DIALIHKAN_KE_POS`` -> ``DISALURKAN`` by PT Pos or
  ``DIKEMBALIKAN`` (``nominal``, ``referensi``). 201 when recorded; the same report again
  (a retry without ``Idempotency-Key``, a late duplicate) records nothing and answers 200 with
  the same body; a retry with the same key gets the first answer (201,
  ``Idempotent-Replayed: true``). A report that no longer fits is 409 with the domain's code
  (``instruksi_dibatalkan`` for a recipient suspended meanwhile, ``status_instruksi``,
  ``sudah_disalurkan``, ``instruksi_tidak_dikenal``, ``tahap`` for a closed
  round).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.bansos import commands, queries
from apps.bansos.domain.rules import (
    DIALIHKAN_KE_POS,
    DIKEMBALIKAN,
    GAGAL,
    KANAL,
    TERSALUR,
    TIDAK_DIAMBIL,
)
from apps.bansos.roles import require_penyalur
from egov.api import idempotency_model, idempotent
from egov.portal.accounts import principal_of
from egov.web import metadata_from_request

DISALURKAN = "DISALURKAN"  # the channel's word for a payment made (the instruction: TERSALUR)
LAPORAN = (DISALURKAN, GAGAL, TIDAK_DIAMBIL, DIALIHKAN_KE_POS, DIKEMBALIKAN)
HASIL = {DISALURKAN: TERSALUR}  # report -> the command's ``hasil``; the others are the same
WAJIB = {DISALURKAN: ("ntx", "nominal"), GAGAL: ("alasan",), DIKEMBALIKAN: ("nominal", "referensi")}
MSG_WAJIB = gettext_lazy("Wajib diisi untuk laporan {status}.")
MSG_STATUS_INSTRUKSI = gettext_lazy(
    "Status harus MENUNGGU atau salah satu status instruksi: {pilihan}."
)


class BansosInstruksiKanalApi(APIView):
    class BansosInstruksiKanalQuery(serializers.Serializer):
        siklus = serializers.UUIDField(required=False, help_text="Only this round's.")
        kanal = serializers.ChoiceField(choices=KANAL, required=False, default="")
        status = serializers.CharField(
            max_length=20,
            required=False,
            default=queries.MENUNGGU,
            help_text=(
                "MENUNGGU (default: DIBUAT, TIDAK_DIAMBIL or DIALIHKAN_KE_POS, i.e. waiting "
                "for an outcome) or one instruction status; any case."
            ),
        )

        def validate_status(self, value: str) -> str:
            value = value.strip().upper()
            pilihan = (queries.MENUNGGU, *queries.STATUS_INSTRUKSI)
            if value not in pilihan:
                raise serializers.ValidationError(
                    MSG_STATUS_INSTRUKSI.format(pilihan=", ".join(pilihan)), code="invalid_choice"
                )
            return value

    class BansosInstruksiKanalOutput(serializers.Serializer):
        instruksi_id = serializers.UUIDField(help_text="Also the channel's idempotency key.")
        siklus_id = serializers.UUIDField()
        penerima_id = serializers.UUIDField(help_text="The household (pseudonymous id).")
        kode_wilayah = serializers.CharField(help_text="The household's village.")
        nominal = serializers.IntegerField(help_text="Rupiah to pay.")
        kanal = serializers.CharField()
        status = serializers.CharField()
        dibuat_pada = serializers.DateTimeField()
        diperbarui_pada = serializers.DateTimeField()

    @extend_schema(
        parameters=[BansosInstruksiKanalQuery],
        responses={200: BansosInstruksiKanalOutput(many=True)},
        operation_id="bansos_kanal_instruksi",
        description=(
            "The channel's poll: instructions waiting for an outcome, the oldest first (500 at "
            "most per call; what is reported leaves the list once the read side has it)."
        ),
    )
    def get(self, request):
        principal = principal_of(request)
        require_penyalur(principal)
        query = self.BansosInstruksiKanalQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows = queries.instruksi_kanal(
            principal, siklus_id=data.get("siklus"), kanal=data["kanal"], status=data["status"]
        )
        return Response(self.BansosInstruksiKanalOutput(map(asdict, rows), many=True).data)


class BansosLaporanInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=LAPORAN)
    ntx = serializers.CharField(
        max_length=64, required=False, default="", help_text="DISALURKAN: transaction number."
    )
    nominal = serializers.IntegerField(
        min_value=1,
        max_value=10**12,
        required=False,
        help_text="DISALURKAN: rupiah paid; DIKEMBALIKAN: rupiah returned to the treasury.",
    )
    kanal = serializers.ChoiceField(
        choices=KANAL,
        required=False,
        default="",
        help_text="DISALURKAN: who paid (default: the channel instructed; POS after redirect).",
    )
    alasan = serializers.CharField(
        max_length=500, required=False, default="", help_text="GAGAL: why."
    )
    referensi = serializers.CharField(
        max_length=64, required=False, default="", help_text="DIKEMBALIKAN: the return's receipt."
    )

    def validate(self, attrs: dict) -> dict:
        kosong = {
            field: [MSG_WAJIB.format(status=attrs["status"])]
            for field in WAJIB.get(attrs["status"], ())
            if not attrs.get(field)
        }
        if kosong:
            raise serializers.ValidationError(kosong, code="required")
        return attrs


class BansosLaporanOutput(serializers.Serializer):
    instruksi_id = serializers.UUIDField()
    status = serializers.CharField(help_text="The report recorded.")


class BansosLaporanApi(APIView):
    @extend_schema(
        request=BansosLaporanInput,
        responses={
            201: OpenApiResponse(BansosLaporanOutput, description="Recorded now."),
            200: OpenApiResponse(
                BansosLaporanOutput,
                description="The same report again: nothing new recorded, the same body.",
            ),
        },
        operation_id="bansos_kanal_laporan",
        description=(
            "A channel reports an instruction's outcome (see the module's flow). Refusals, "
            "nothing recorded: 400 naming the field; 403 ``bukan_penyalur``; 409 "
            "``instruksi_dibatalkan``, ``status_instruksi``, ``sudah_disalurkan``, "
            "``instruksi_tidak_dikenal``, ``tahap``."
        ),
    )
    def post(self, request, instruksi_id: uuid.UUID):
        principal = principal_of(request)
        require_penyalur(principal)  # before the body is read

        def handle() -> Response:
            laporan = BansosLaporanInput(data=request.data)
            laporan.is_valid(raise_exception=True)
            data = dict(laporan.validated_data)
            status = data.pop("status")
            baru = commands.bansos_catat_penyaluran(
                principal=principal,
                instruksi_id=instruksi_id,
                hasil=HASIL.get(status, status),
                metadata=metadata_from_request(request, source="api"),
                **data,
            )
            body = BansosLaporanOutput({"instruksi_id": instruksi_id, "status": status}).data
            return Response(body, status=201 if baru else 200)

        # api_command's status is fixed; here it depends on the command's answer (as pajak's)
        return idempotent(request, model=idempotency_model("bansos"), alias="bansos", handle=handle)
