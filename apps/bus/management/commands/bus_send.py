"""``manage.py bus_send --agency kemendagri --type KematianDicatat --key agency.key
payload.json [--url http://127.0.0.1:8000]``: sign an envelope and POST it to the HTTP door,
as an agency's system would. Prints the answer; fails (exit 1) on a refusal.

With ``--nats [URL]`` (default ``NATS_URL``) the envelope is published instead on JetStream
subject ``gov.<agency>.<EventType>`` (``Nats-Msg-Id`` = the message id); the broker's
acknowledgement is printed, and egov's decision comes from ``bus_consume`` (its log, the
proof of delivery at ``/api/v1/bus/bukti/<message_id>/``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.bus.domain.kirim import bungkus
from apps.bus.domain.kunci import KunciTidakSah, muat_kunci_privat
from apps.bus.domain.rute import JENIS
from apps.bus.nats_io import KoneksiNats
from egov import clock

PATH = "/api/v1/bus/pesan/"


def post(url: str, body: dict, timeout: float = 30.0) -> tuple[int, dict]:
    """POST the envelope as JSON; (status, answer) whatever the status."""
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the operator gives the URL
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def publish_nats(url: str, envelope: dict, *, subject_prefix: str = "gov") -> dict:
    """Publish the envelope to JetStream; the broker's acknowledgement (stream, seq,
    duplicate: the same message id within the duplicate window)."""
    subject = f"{subject_prefix}.{envelope['agency']}.{envelope['event_type']}"
    data = json.dumps(envelope, ensure_ascii=False).encode()
    with KoneksiNats(url, nama="egov-bus-send") as koneksi:
        ack = koneksi.run(
            koneksi.js.publish(subject, data, headers={"Nats-Msg-Id": envelope["message_id"]})
        )
    return {
        "subject": subject,
        "message_id": envelope["message_id"],
        "stream": ack.stream,
        "seq": ack.seq,
        "duplicate": bool(ack.duplicate),
        "bukti": f"/api/v1/bus/bukti/{envelope['message_id']}/",
    }


class Command(BaseCommand):
    help = "Sign an envelope with an agency's key and send it to egov's bus (HTTP or NATS)."

    def add_arguments(self, parser):
        parser.add_argument("payload", help="JSON file with the event's payload.")
        parser.add_argument("--agency", required=True)
        parser.add_argument("--type", dest="event_type", required=True, choices=sorted(JENIS))
        parser.add_argument("--key", required=True, help="The agency's private key (PEM).")
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="egov's base URL.")
        parser.add_argument(
            "--nats", nargs="?", const="-", default=None, metavar="URL",
            help="Publish on JetStream (gov.<agency>.<EventType>) instead; URL default NATS_URL.",
        )  # fmt: skip
        parser.add_argument("--subject-prefix", default="gov", help="With --nats.")
        parser.add_argument("--user-id", default="bus_send")
        parser.add_argument("--case-reference", default="-")
        parser.add_argument("--message-id", type=uuid.UUID, default=None)
        parser.add_argument(
            "--occurred-at",
            type=datetime.fromisoformat,
            default=None,
            help="ISO 8601 with offset (default: now). A resend must repeat it exactly.",
        )

    def handle(self, *args, **o):
        try:
            key = muat_kunci_privat(Path(o["key"]).read_bytes())
            payload = json.loads(Path(o["payload"]).read_text())
        except (OSError, ValueError, KunciTidakSah) as error:
            raise CommandError(str(error)) from None
        envelope = bungkus(
            private_key=key,
            agency=o["agency"],
            event_type=o["event_type"],
            payload=payload,
            user_id=o["user_id"],
            case_reference=o["case_reference"],
            occurred_at=o["occurred_at"] or clock.now(),
            message_id=o["message_id"],
        )
        if o["nats"] is not None:
            url = settings.NATS_URL if o["nats"] == "-" else o["nats"]
            if not url:
                raise CommandError("--nats: give a URL or set NATS_URL")
            answer = publish_nats(url, envelope, subject_prefix=o["subject_prefix"])
            self.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False))
            return
        status, answer = post(o["url"].rstrip("/") + PATH, envelope)
        self.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False))
        if not 200 <= status < 300:
            raise CommandError(f"refused: HTTP {status}")
