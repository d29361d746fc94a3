"""The KBLI risk table as published to the read side: one stream whose events say which rows
are in the table (``RisikoKBLIDitetapkan``) and which left it (``RisikoKBLIDicabut``).

The table itself is configuration on izin's write alias (edited in the admin, read by the
command that decides an application's risk level). Pages and the API never read it there:
they read the copy the ``izin.referensi`` projector keeps from these events. Publishing is a
reconciliation (``TabelRisikoKBLI.selaraskan``): the table's rows now against what the stream
has said so far, so calling it again after a save, a migration or a reseed appends only the
difference, and nothing when there is none.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from egov.eventstore.domain import Aggregate, DomainEvent

TABEL_RISIKO_STREAM = uuid.uuid5(uuid.NAMESPACE_URL, "egov:izin:tabel-risiko-kbli")


@dataclass(frozen=True)
class RisikoKBLIDicabut(DomainEvent):
    """A row left the KBLI risk table (deleted, or its key changed). Key fields only."""

    kode: str
    versi: str
    skala: str  # "" = every scale
    berlaku_mulai: str  # ISO date


@dataclass(frozen=True)
class RisikoKBLIDitetapkan(DomainEvent):
    """A row of the KBLI risk table, as it now reads (new or changed)."""

    kode: str
    versi: str
    skala: str
    berlaku_mulai: str
    judul: str
    sektor: str
    tingkat: str
    otoritas: str
    berlaku_sampai: str  # ISO date, "" = open-ended

    def kunci(self) -> tuple[str, str, str, str]:
        return (self.kode, self.versi, self.skala, self.berlaku_mulai)


class TabelRisikoKBLI(Aggregate):
    stream_type = "TabelRisikoKBLI"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.baris: dict[tuple[str, str, str, str], RisikoKBLIDitetapkan] = {}

    def selaraskan(self, sekarang: list[RisikoKBLIDitetapkan]) -> None:
        """Record what changed between the published rows and ``sekarang`` (the table's
        rows now): removed rows first, then new or changed ones, each in key order."""
        baru = {row.kunci(): row for row in sekarang}
        for kunci in sorted(self.baris.keys() - baru.keys()):
            kode, versi, skala, mulai = kunci
            self._record(
                RisikoKBLIDicabut(kode=kode, versi=versi, skala=skala, berlaku_mulai=mulai)
            )
        for kunci in sorted(baru):
            if self.baris.get(kunci) != baru[kunci]:
                self._record(baru[kunci])

    def apply_RisikoKBLIDitetapkan(self, event: RisikoKBLIDitetapkan) -> None:
        self.baris[event.kunci()] = event

    def apply_RisikoKBLIDicabut(self, event: RisikoKBLIDicabut) -> None:
        self.baris.pop((event.kode, event.versi, event.skala, event.berlaku_mulai), None)


KUNCI = ("kode", "versi", "skala", "berlaku_mulai")


def baris_kunci_dari(payload: dict) -> dict[str, str]:
    """The key fields of a row event's payload, as the read table's filter."""
    return {name: payload[name] for name in KUNCI}
