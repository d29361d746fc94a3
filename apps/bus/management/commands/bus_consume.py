"""``manage.py bus_consume``: the NATS JetStream door of the inbound bus, until stopped
(SIGTERM/SIGINT: after the delivery in hand). ``apps/bus/nats_door.py`` tells what is acked,
terminated, redelivered and parked. Needs ``NATS_URL`` (or ``--url``); without NATS agencies
use the HTTP door (``POST /api/v1/bus/pesan/``) and nothing needs to run."""

from __future__ import annotations

import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.bus.nats_door import PintuNats
from apps.bus.nats_io import KoneksiNats


class Command(BaseCommand):
    help = "Consume signed envelopes from NATS JetStream (subjects gov.<agency>.<EventType>)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="NATS server(s) (default: NATS_URL).")
        parser.add_argument("--stream", default="GOV")
        parser.add_argument("--subject-prefix", default="gov")
        parser.add_argument("--durable", default="egov-bus", help="The durable consumer's name.")
        parser.add_argument("--max-deliver", type=int, default=5, help="Then parked.")
        parser.add_argument("--replicas", type=int, default=1, help="Stream replicas (cluster).")
        parser.add_argument(
            "--nak-delay", type=float, action="append", default=None,
            help="Seconds before redelivery 2, 3, ... (repeatable; default 1 5 30 120).",
        )  # fmt: skip
        parser.add_argument("--sekali", action="store_true", help="Drain what waits, then exit.")

    def handle(self, *args, **o):
        url = o["url"] or settings.NATS_URL
        if not url:
            raise CommandError(
                "NATS_URL is not set: without NATS agencies use the HTTP door "
                "(POST /api/v1/bus/pesan/)."
            )
        stopping: list[int] = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, frame: stopping.append(signum))
        with KoneksiNats(url, nama="egov-bus-consume") as koneksi:
            door = PintuNats(
                koneksi,
                stream=o["stream"],
                subjek_prefix=o["subject_prefix"],
                durable=o["durable"],
                max_deliver=o["max_deliver"],
                replika=o["replicas"],
                **({"jeda_nak": tuple(o["nak_delay"])} if o["nak_delay"] else {}),
            )
            door.siapkan()
            if o["sekali"]:
                total = 0
                while count := door.proses(timeout=0.5):
                    total += count
                self.stdout.write(f"settled {total}")
                return
            self.stdout.write(f"bus_consume: {o['stream']} ({o['subject_prefix']}.>) <- {url}")
            self.stdout.flush()
            door.jalankan(berhenti=lambda: bool(stopping))
