"""Poison messages: a delivery the pipeline kept failing on (``NAK``, not a refusal) is parked
after the door's maximum number of deliveries, with the error, instead of being redelivered
for ever or dropped; so is a message the broker itself stopped redelivering (``nats_door``:
JetStream's ``MAX_DELIVERIES`` advisory). An operator replays it after the fix (admin: Bus
antarinstansi → Pesan terparkir → "Putar ulang"); the pipeline is idempotent by message id, so
a message that did get through in the meantime is applied once all the same.

No NIK in clear at rest (UU PDP 27/2022): the envelope as delivered names citizens, so the
parked row keeps it **sealed** with a key of its own (AES-256-GCM, a subject key of the bus's
key table named ``parkir:<random>``, wrapped by the master key like every citizen's key, bound
to the row's stream and sequence). Only the replay opens it. The key is destroyed (the row
keeps no payload) as soon as the message is settled, accepted or refused for good, and when
it was left unsettled for ``BUS_PARKIR_RETENSI_HARI`` days (beat task
``bus_parkir_kedaluwarsa``). Why its own key and not the citizen's: the envelope is poison,
it may not even parse, and a family-card message names several citizens; a key per message
can always be destroyed, and an erasure request is answered by the retention at the latest.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings

from apps.bus.models import PesanTerparkir
from apps.bus.pintu import ACK, NAK, TERM, Keputusan, putuskan
from apps.bus.store import store
from egov import clock
from egov.db import atomic

logger = logging.getLogger(__name__)

ALIAS = "bus"
KUNCI_PREFIX = "parkir:"
KEDALUWARSA = "KEDALUWARSA"  # hasil: unsettled past the retention, payload shredded
TANPA_ISI = "isi_tidak_disimpan"  # a replay of a row whose payload is no longer kept


def retensi() -> timedelta:
    return timedelta(days=getattr(settings, "BUS_PARKIR_RETENSI_HARI", 30))


def _message_id(data: bytes) -> str:
    try:
        value = json.loads(data).get("message_id", "")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return ""
    return value[:64] if isinstance(value, str) else ""


def _terikat(stream: str, urutan: int) -> str:
    """Associated data: the sealed envelope opens only in the row it was parked in."""
    return f"bus:parkir:{stream}:{urutan}"


def parkir(
    *, stream: str, urutan: int, subjek: str, data: bytes, galat: str, percobaan: int
) -> PesanTerparkir:
    """Record a poison message (again: the same row, by stream and sequence, with a new
    key; the old one is destroyed)."""
    with atomic(ALIAS):
        lama = PesanTerparkir.objects.using(ALIAS).filter(stream=stream, urutan=urutan).first()
        if lama is not None:
            _lupakan(lama)
        kunci = f"{KUNCI_PREFIX}{uuid.uuid4().hex}" if data else ""
        sealed = store.codec.seal_bytes(kunci, data, _terikat(stream, urutan)) if data else b""
        pesan, _ = PesanTerparkir.objects.using(ALIAS).update_or_create(
            stream=stream,
            urutan=urutan,
            defaults={
                "subjek": subjek,
                "message_id": _message_id(data),
                "data": sealed,
                "kunci": kunci,
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


def isi(pesan: PesanTerparkir) -> bytes | None:
    """The envelope as delivered, or None when it is no longer kept (settled, expired)."""
    if not pesan.kunci:
        return None
    return store.codec.open_bytes(
        pesan.kunci, bytes(pesan.data), _terikat(pesan.stream, pesan.urutan)
    )


def putar_ulang(pesan: PesanTerparkir, *, pintu: str = "nats") -> Keputusan:
    """Run a parked message through the pipeline again and record the outcome."""
    data = isi(pesan)
    if data is None:
        return Keputusan(TERM, alasan=TANPA_ISI)
    keputusan = putuskan(data, pintu=pintu)
    with atomic(ALIAS):
        pesan.percobaan += 1
        if keputusan.tindakan == NAK:
            pesan.galat = keputusan.alasan
            pesan.hasil = NAK
        else:
            pesan.hasil = ACK if keputusan.tindakan == ACK else f"TERM {keputusan.alasan}"
            pesan.diputar_ulang_pada = clock.now()
            _lupakan(pesan)  # settled: the payload is shredded
        pesan.save(using=ALIAS)
    return keputusan


def kedaluwarsakan(*, sekarang: datetime | None = None) -> int:
    """Shred the payload of every message parked longer than the retention and never
    settled; how many. Idempotent (beat: ``bus_parkir_kedaluwarsa``)."""
    batas = (sekarang or clock.now()) - retensi()
    lama = PesanTerparkir.objects.using(ALIAS).filter(diparkir_pada__lt=batas).exclude(kunci="")
    count = 0
    for pesan in lama:
        with atomic(ALIAS):
            _lupakan(pesan)
            pesan.hasil = KEDALUWARSA
            pesan.save(using=ALIAS)
        count += 1
    if count:
        logger.warning("bus: %d parked messages expired unsettled: payload shredded", count)
    return count


def _lupakan(pesan: PesanTerparkir) -> None:
    """Destroy the row's key and drop the sealed payload (the caller saves the row)."""
    if pesan.kunci:
        store.codec.destroy_key(pesan.kunci)
    pesan.kunci = ""
    pesan.data = b""
