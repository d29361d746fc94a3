"""``manage.py bus_send --agency kemendagri --type KematianDicatat --key agency.key
payload.json [--url http://127.0.0.1:8000]``: sign an envelope and POST it to the HTTP door,
as an agency's system would. Prints the answer; fails (exit 1) on a refusal."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.bus.domain.kirim import bungkus
from apps.bus.domain.kunci import KunciTidakSah, muat_kunci_privat
from apps.bus.domain.rute import JENIS
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


class Command(BaseCommand):
    help = "Sign an envelope with an agency's key and send it to egov's bus (HTTP)."

    def add_arguments(self, parser):
        parser.add_argument("payload", help="JSON file with the event's payload.")
        parser.add_argument("--agency", required=True)
        parser.add_argument("--type", dest="event_type", required=True, choices=sorted(JENIS))
        parser.add_argument("--key", required=True, help="The agency's private key (PEM).")
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="egov's base URL.")
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
        status, answer = post(o["url"].rstrip("/") + PATH, envelope)
        self.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False))
        if not 200 <= status < 300:
            raise CommandError(f"refused: HTTP {status}")
