"""The published feed for integrators without NATS: ``GET /api/v1/feed/{konteks}/`` (routed
by ``feed_urls.py`` from ``egov/urls.py``).

The same events the relay publishes on ``egov.<context>.<EventType>`` (``terbitan.py``):
published contract events only, personal fields removed, in the feed's stable order (gap-safe
under concurrent writers: ``egov.eventstore.feed``). ``?after=<cursor>`` continues after the
last event read (``berikutnya`` of the previous page; none: from the first), ``limit`` up to
500. A page may be shorter than ``limit`` (even empty, with the cursor moved past internal
events); ``habis`` says the feed had nothing more for now: poll again later with the cursor.

Who: an integrator token with scope ``feed:<context>`` (every published type) or
``feed:<context>:<EventType>`` scopes (only those types: the others are skipped and the cursor
moves past them; ``roles.jenis_terbaca``); without any feed scope of the context, 403; a
context that publishes nothing does not exist here (404).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.bus import terbitan
from apps.bus.roles import jenis_terbaca, require_pembaca_feed
from egov.portal.accounts import principal_of
from egov.principals import NotVisible

MSG_KONTEKS_TIDAK_ADA = gettext_noop("Konteks ini tidak menerbitkan peristiwa.")
BATAS_MAKS = 500


class FeedQuery(serializers.Serializer):
    after = serializers.RegexField(
        r"^\d+\.\d+$", required=False, default="", allow_blank=True,
        help_text="Cursor: 'berikutnya' of the previous page (none: from the first event).",
    )  # fmt: skip
    limit = serializers.IntegerField(min_value=1, max_value=BATAS_MAKS, default=100)


class PeristiwaTerbitOutput(serializers.Serializer):
    event_id = serializers.UUIDField(help_text="Also the NATS message id (Nats-Msg-Id).")
    konteks = serializers.CharField()
    event_type = serializers.CharField()
    schema_version = serializers.IntegerField()
    stream_id = serializers.UUIDField()
    versi = serializers.IntegerField()
    subject_id = serializers.CharField(help_text="Pseudonymous subject id (a NIK's keyed hash).")
    dicatat_pada = serializers.DateTimeField()
    correlation_id = serializers.CharField()
    causation_id = serializers.CharField()
    kursor = serializers.CharField(help_text="This event's cursor.")
    payload = serializers.DictField(help_text="The contract's fields, personal ones removed.")


class HalamanFeedOutput(serializers.Serializer):
    konteks = serializers.CharField()
    peristiwa = PeristiwaTerbitOutput(many=True)
    berikutnya = serializers.CharField(help_text="Pass as ?after= to read on.")
    habis = serializers.BooleanField(help_text="Nothing more for now: poll again later.")


class FeedApi(APIView):
    throttle_scope = "bus"

    @extend_schema(
        parameters=[
            OpenApiParameter("konteks", OpenApiTypes.STR, OpenApiParameter.PATH),
            FeedQuery,
        ],
        responses={200: HalamanFeedOutput},
        operation_id="feed_baca",
        summary=(
            "A context's published events after a cursor "
            "(integrators, scope feed:<ctx> or feed:<ctx>:<EventType>)"
        ),
    )
    def get(self, request, konteks: str):
        principal = principal_of(request)
        require_pembaca_feed(principal, konteks)
        kontrak = terbitan.kontrak()
        if konteks not in kontrak:
            raise NotVisible(MSG_KONTEKS_TIDAK_ADA)
        jenis = jenis_terbaca(principal, konteks, kontrak[konteks])
        query = FeedQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        after = terbitan.baca_kursor(query.validated_data["after"])
        halaman = terbitan.baca(
            konteks, after=after, limit=query.validated_data["limit"], jenis=jenis
        )
        return Response(
            {
                "konteks": konteks,
                "peristiwa": halaman.peristiwa,
                "berikutnya": terbitan.tulis_kursor(halaman.berikutnya),
                "habis": halaman.habis,
            }
        )
