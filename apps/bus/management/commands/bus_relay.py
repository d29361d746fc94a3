"""``manage.py bus_relay``: publish each context's published events to NATS JetStream until
stopped (SIGTERM/SIGINT: after the message in flight). ``apps/bus/relay.py`` tells how nothing
is lost or duplicated. Needs ``NATS_URL`` (or ``--url``); without NATS the relay is not needed:
integrators read the same events from ``GET /api/v1/feed/{context}/``.

``--sekali`` publishes what is there and exits; ``--lag`` prints each stream's checkpoint."""

from __future__ import annotations

import json
import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.bus import relay, terbitan
from apps.bus.nats_io import KoneksiNats


class Command(BaseCommand):
    help = "Publish the published contract events of every context to NATS JetStream."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="NATS server(s) (default: NATS_URL).")
        parser.add_argument(
            "--konteks",
            action="append",
            choices=terbitan.konteks_terbit(),
            default=None,
            help="Only this context (repeatable; default: every context that publishes).",
        )
        parser.add_argument("--subject-prefix", default="egov")
        parser.add_argument("--stream-prefix", default="EGOV")
        parser.add_argument("--replicas", type=int, default=1, help="Stream replicas (cluster).")
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--laju", type=float, default=0.0, help="Max messages per second.")
        parser.add_argument("--jeda", type=float, default=1.0, help="Idle poll interval (s).")
        parser.add_argument("--sekali", action="store_true", help="Catch up once, then exit.")
        parser.add_argument("--lag", action="store_true", help="Print the checkpoints, exit.")

    def handle(self, *args, **o):
        if o["lag"]:
            self.stdout.write(json.dumps(relay.lag(), indent=2))
            return
        url = o["url"] or settings.NATS_URL
        if not url:
            raise CommandError(
                "NATS_URL is not set: without NATS the relay is not needed "
                "(integrators read GET /api/v1/feed/{context}/)."
            )
        stopping: list[int] = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, frame: stopping.append(signum))
        with KoneksiNats(url, nama="egov-bus-relay") as koneksi:
            worker = relay.Relay(
                koneksi,
                konteks=o["konteks"] or terbitan.konteks_terbit(),
                subjek_prefix=o["subject_prefix"],
                stream_prefix=o["stream_prefix"],
                batch=o["batch"],
                replika=o["replicas"],
                laju=o["laju"],
            )
            if o["sekali"]:
                self.stdout.write(f"published {worker.siklus()}")
                return
            self.stdout.write(f"relay: {', '.join(worker.konteks)} -> {url}", ending="\n")
            self.stdout.flush()
            worker.jalankan(jeda=o["jeda"], berhenti=lambda: bool(stopping))
