"""Use cases of the bus context: one pipeline for every door (HTTP now, NATS later).

``bus_terima_pesan`` checks, in this order, and appends nothing on any refusal:

1. the envelope's shape and its payload for the event type (400 naming the field);
2. the agency is registered and active, the signature verifies with its key, the payload is
   the one signed (401);
3. the agency may publish this event type (403);
4. the message id is new: if it was accepted before, the first answer is given again and
   nothing is appended (the same id with another envelope: 409);
5. the message log entry (``PesanDiterima``) and the routed event (``KematianDicatat``, ...)
   are appended together, in one transaction, as versions 1 and 2 of the stream named by the
   message id. Their event ids derive from the message id, so a concurrent second delivery
   inserts nothing (the kernel skips known event ids) and gets the first answer too.

Other contexts react to the routed event through ``egov.contracts.bus`` (e-KTP: the death
deactivates the NIK).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import Any

from apps.bus.domain.amplop import Amplop, baca_amplop
from apps.bus.domain.events import PesanDiterima
from apps.bus.domain.galat import MSG_ID_DIPAKAI, IdPesanDipakai
from apps.bus.domain.kunci import mentah_base64, muat_kunci_publik, sidik
from apps.bus.domain.rute import JENIS, rutekan
from apps.bus.models import Instansi
from apps.bus.roles import ALIAS, autentikasi, require_boleh_mengirim
from apps.bus.store import store
from egov import clock
from egov.db import atomic
from egov.eventstore.domain import DomainEvent, EventMetadata
from egov.eventstore.pseudonym import keyed_hash
from egov.eventstore.store import ConcurrencyError, PendingEvent, RecordedEvent
from egov.principals import Principal

DITERIMA = "DITERIMA"
STREAM_TYPE = "PesanBus"


@dataclass(frozen=True)
class Jawaban:
    """The answer to an accepted envelope, rebuilt from the log (so a repeat gets it again)."""

    message_id: str
    status: str
    diterima_pada: str
    event_log: str  # the PesanDiterima event's id
    event_ids: tuple[str, ...]  # the routed events it caused

    @property
    def bukti(self) -> str:
        return f"/api/v1/bus/bukti/{self.message_id}/"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"event_ids": list(self.event_ids), "bukti": self.bukti}


def bus_terima_pesan(
    *,
    amplop: Any,
    pintu: str,
    metadata: EventMetadata | None = None,
    principal: Principal | None = None,
) -> Jawaban:
    """Accept one envelope from an agency (see the module docstring). ``principal`` is the
    door's caller, ignored: the agency is who signed, not who connected."""
    pesan = baca_amplop(amplop, jenis_dikenal=JENIS)
    routed = rutekan(pesan, hash_=_keyed_hash, hari_ini=clock.today())
    instansi = autentikasi(pesan)
    require_boleh_mengirim(instansi, pesan.event_type)
    try:
        with atomic(ALIAS):
            first = jawaban_pertama(pesan)
            if first is not None:
                return first
            recorded = store.append(
                stream_id=pesan.message_id,
                stream_type=STREAM_TYPE,
                expected_version=0,
                events=_events(pesan, instansi, routed, pintu),
                metadata=_metadata(pesan, pintu, metadata),
            )
            if recorded:
                return _jawaban(recorded)
    except ConcurrencyError:
        pass  # a concurrent delivery of this message id committed first
    first = jawaban_pertama(pesan)  # the append above lost to a stream that now exists
    if first is None:
        raise ConcurrencyError(pesan.message_id, 0)
    return first


def jawaban_pertama(pesan: Amplop) -> Jawaban | None:
    """The answer given when this message id was accepted, or None if it never was."""
    events = store.load(pesan.message_id)
    if not events:
        return None
    log = events[0].event
    if log.header != pesan.header() or log.signature != pesan.signature:
        raise IdPesanDipakai(MSG_ID_DIPAKAI)
    return _jawaban(events)


def _events(pesan: Amplop, instansi: Instansi, routed: DomainEvent, pintu: str) -> list:
    key = muat_kunci_publik(instansi.kunci_publik)
    log = PesanDiterima(
        header=pesan.header(),
        signature=pesan.signature,
        kunci_publik=mentah_base64(key),
        sidik_kunci=sidik(key),
        diterima_pada=clock.now().isoformat(),
        pintu=pintu,
        subjek=routed.data_subject(),
    )
    return [
        PendingEvent(log, event_id=_event_id(pesan, log)),
        PendingEvent(routed, event_id=_event_id(pesan, routed)),
    ]


def _event_id(pesan: Amplop, event: DomainEvent) -> uuid.UUID:
    return uuid.uuid5(pesan.message_id, event.event_type())


def _metadata(pesan: Amplop, pintu: str, base: EventMetadata | None) -> EventMetadata:
    """Who: the agency (and its user); the chain of reactions in every context is correlated
    by the message id."""
    actor = f"instansi:{pesan.agency}"
    return dataclasses.replace(
        base or EventMetadata(actor=actor, source=""),
        actor=actor,
        principal_id=actor,
        source=f"bus-{pintu}",
        officer_id=f"{pesan.agency}:{pesan.user_id}",
        correlation_id=str(pesan.message_id),
        causation_id="",
        office="",
    )


def _jawaban(events: list[RecordedEvent]) -> Jawaban:
    log = events[0]
    return Jawaban(
        message_id=str(log.stream_id),
        status=DITERIMA,
        diterima_pada=log.payload["diterima_pada"],
        event_log=str(log.event_id),
        event_ids=tuple(str(e.event_id) for e in events[1:]),
    )


def _keyed_hash(value: str, purpose: str) -> str:
    return keyed_hash(value, purpose=purpose)
