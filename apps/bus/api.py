"""DRF API of the bus context (HTTP door of the inbound bus). Thin: one view per operation.

- ``POST pesan/``: an agency sends one signed envelope (``apps/bus/domain/amplop.py``). No
  login: the signature is the authentication (``roles.py``). 202 with the receipt; the same
  message id again: the same 202 and receipt, nothing applied twice. Refusals carry a stable
  ``code`` and, for a malformed envelope, the ``field`` (``payload.nik``): 400 malformed,
  401 unknown agency / bad signature / payload not the one signed, 403 event type not allowed
  for the agency, 409 the message id already used by another envelope. The message id is the
  idempotency key; an ``Idempotency-Key`` header is not needed.
- ``GET bukti/{message_id}/``: the proof of delivery, public to whoever knows the id.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.bus import queries
from apps.bus.commands import bus_terima_pesan
from apps.bus.domain.galat import PesanDitolak
from egov.doors import api_command
from egov.parsers import BoundedJSONParser
from egov.principals import NotVisible

MSG_BUKTI_TIDAK_ADA = gettext_noop("Pesan dengan message_id ini tidak ada dalam log.")


class AmplopInput(serializers.Serializer):
    """Documentation of the envelope; the bus's domain validates it (one rule for both doors)."""

    message_id = serializers.UUIDField(help_text="Chosen by the sender; the idempotency key.")
    agency = serializers.CharField(help_text="The sending agency's registered code.")
    event_type = serializers.ChoiceField(
        choices=["KematianDicatat", "KKDiupdate", "NISNDiverifikasi"]
    )
    occurred_at = serializers.CharField(help_text="ISO 8601 with offset, kept as sent.")
    user_id = serializers.CharField(help_text="The agency's officer or system user.")
    case_reference = serializers.CharField(help_text="The agency's case number; no personal data.")
    payload = serializers.DictField(help_text="The event's data (NIK in clear); see README.")
    payload_hash = serializers.CharField(help_text="Hex SHA-256 of the payload's canonical JSON.")
    signature = serializers.CharField(
        help_text="Base64 Ed25519 signature of the canonical JSON of every field but payload "
        "and signature (keys sorted, no whitespace, UTF-8)."
    )


class JawabanOutput(serializers.Serializer):
    message_id = serializers.UUIDField()
    status = serializers.CharField()
    diterima_pada = serializers.DateTimeField()
    event_log = serializers.UUIDField(help_text="The message-log entry's event id.")
    event_ids = serializers.ListField(child=serializers.UUIDField(), help_text="Routed events.")
    bukti = serializers.CharField(help_text="Path of the proof of delivery.")


class PenolakanOutput(serializers.Serializer):
    code = serializers.CharField()
    field = serializers.CharField(required=False, help_text="The wrong field (400 only).")
    detail = serializers.CharField()


class PeristiwaOutput(serializers.Serializer):
    event_id = serializers.UUIDField()
    event_type = serializers.CharField()


class EventLogOutput(serializers.Serializer):
    event_id = serializers.UUIDField()
    posisi = serializers.IntegerField()
    dicatat_pada = serializers.DateTimeField()


class BuktiOutput(serializers.Serializer):
    message_id = serializers.UUIDField()
    header = serializers.DictField(child=serializers.CharField(), help_text="As signed.")
    signature = serializers.CharField()
    kanonik = serializers.CharField(help_text="The exact UTF-8 text the signature covers.")
    algoritma = serializers.CharField()
    kunci_publik = serializers.CharField(help_text="Raw Ed25519 public key, base64.")
    sidik_kunci = serializers.CharField(help_text="Hex SHA-256 of the raw public key.")
    diterima_pada = serializers.DateTimeField()
    pintu = serializers.CharField()
    event_log = EventLogOutput()
    peristiwa = PeristiwaOutput(many=True)
    cara_verifikasi = serializers.CharField()


class Penolakan(APIException):
    """A refusal of the pipeline as the HTTP door's answer (with the field, when there is one)."""

    def __init__(self, refusal: PesanDitolak):
        self.status_code = refusal.status_code
        body = {"code": refusal.code, "detail": _(refusal.message)}
        super().__init__(body | ({"field": refusal.field} if refusal.field else {}))


def _terima(**kwargs):
    try:
        return bus_terima_pesan(**kwargs)
    except PesanDitolak as refusal:
        raise Penolakan(refusal) from None


class BusPesanApi(APIView):
    authentication_classes = ()  # the signature authenticates (roles.py)
    permission_classes = (AllowAny,)
    parser_classes = (BoundedJSONParser,)

    @extend_schema(
        request=AmplopInput,
        responses={
            202: JawabanOutput,
            400: OpenApiResponse(PenolakanOutput, description="Malformed: names the field."),
            401: OpenApiResponse(PenolakanOutput, description="Unknown agency, bad signature."),
            403: OpenApiResponse(PenolakanOutput, description="Event type not allowed."),
            409: OpenApiResponse(PenolakanOutput, description="Message id already used."),
        },
        auth=[],
        operation_id="bus_kirim_pesan",
        summary="An agency sends one signed envelope",
    )
    def post(self, request):
        return api_command(
            request,
            context="bus",
            command=_terima,
            respond=lambda jawaban: jawaban.to_dict(),
            status=202,
            amplop=request.data,
            pintu="http",
        )


class BusBuktiApi(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_scope = "publik"  # anyone may call it, so anyone may abuse it

    @extend_schema(
        responses={200: BuktiOutput, 404: PenolakanOutput},
        auth=[],
        operation_id="bus_bukti",
        summary="Proof of delivery of one message, verifiable offline",
    )
    def get(self, request, message_id: uuid.UUID):
        bukti = queries.bukti_pengiriman(message_id)
        if bukti is None:
            raise NotVisible(MSG_BUKTI_TIDAK_ADA)
        return Response(bukti)
