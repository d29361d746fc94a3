"""Poison messages: a delivery the pipeline kept failing on (``NAK``, not a refusal) is parked
after the door's maximum number of deliveries, with the error, instead of being redelivered
for ever or dropped. An operator replays it after the fix (admin: Bus antarinstansi → Pesan
terparkir → "Putar ulang"); the pipeline is idempotent by message id, so a message that did
get through in the meantime is applied once all the same.

The parked row keeps the envelope as delivered (NIK in clear) only until it is settled: a
replay that is accepted or refused for good empties ``data``.
"""

from __future__ import annotations

import json
import logging

from apps.bus.models import PesanTerparkir
from apps.bus.pintu import ACK, NAK, Keputusan, putuskan
from egov import clock

logger = logging.getLogger(__name__)

ALIAS = "bus"


def _message_id(data: bytes) -> str:
    try:
        value = json.loads(data).get("message_id", "")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return ""
    return value[:64] if isinstance(value, str) else ""


def parkir(
    *, stream: str, urutan: int, subjek: str, data: bytes, galat: str, percobaan: int
) -> PesanTerparkir:
    """Record a poison message (again: the same row, by stream and sequence)."""
    pesan, _ = PesanTerparkir.objects.using(ALIAS).update_or_create(
        stream=stream,
        urutan=urutan,
        defaults={
            "subjek": subjek,
            "message_id": _message_id(data),
            "data": data,
            "galat": galat,
            "percobaan": percobaan,
            "hasil": "",
            "diputar_ulang_pada": None,
        },
    )
    logger.error(
        "bus: message %s #%d parked after %d deliveries: %s", subjek, urutan, percobaan, galat
    )
    return pesan


def putar_ulang(pesan: PesanTerparkir, *, pintu: str = "nats") -> Keputusan:
    """Run a parked message through the pipeline again and record the outcome."""
    keputusan = putuskan(bytes(pesan.data), pintu=pintu)
    pesan.percobaan += 1
    if keputusan.tindakan == NAK:
        pesan.galat = keputusan.alasan
        pesan.hasil = NAK
    else:
        pesan.hasil = ACK if keputusan.tindakan == ACK else f"TERM {keputusan.alasan}"
        pesan.diputar_ulang_pada = clock.now()
        pesan.data = b""  # settled: the clear payload is not kept
    pesan.save(using=ALIAS)
    return keputusan
