"""Events the bus context publishes to other contexts: facts other agencies sent to egov,
each signed by the sending agency and kept in the bus's message log (``apps/bus``).

The NIK (and the family card number) arrive in clear in the agency's payload; the bus keeps
and publishes only their keyed hashes (``egov.eventstore.pseudonym.keyed_hash``, purpose
``"nik"`` and ``"kk"``), the very subject ids the other contexts use. Personal fields
(``personal_fields``) are sealed with the citizen's key in the bus's store and removed from
what other contexts receive. Changing a field means a new ``schema_version`` with an upcaster
in the producer (tests/contracts checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from egov.contracts import published
from egov.eventstore.domain import DomainEvent

CONTEXT = "bus"


@published(CONTEXT)
@dataclass(frozen=True)
class KematianDicatat(DomainEvent):
    """The civil registry (Kemendagri/Dukcapil) recorded a death. e-KTP deactivates the NIK
    (MENINGGAL); bansos, izin and pajak react to that. ``nomor_akta`` (the death certificate
    number) identifies the person: sealed, never sent to other contexts."""

    personal_fields = ("nomor_akta",)
    subject_field = "nik_hash"

    nik_hash: str
    tanggal_kematian: str  # ISO date, as the registry recorded it
    nomor_akta: str
    instansi: str  # the sending agency's code
    message_id: str  # the envelope it came in: its proof is GET /api/v1/bus/bukti/<id>/


@published(CONTEXT)
@dataclass(frozen=True)
class KKDiupdate(DomainEvent):
    """A family card (KK) was issued or changed (moving, death of the head, divorce, split):
    the KK is a versioned fact, ``nomor_kk_lama_hash`` the card it replaces ("" for none)."""

    subject_field = "nomor_kk_hash"

    nomor_kk_hash: str
    nomor_kk_lama_hash: str
    anggota: tuple[str, ...]  # the members' NIK hashes
    alasan: str
    instansi: str
    message_id: str


@published(CONTEXT)
@dataclass(frozen=True)
class NISNDiverifikasi(DomainEvent):
    """Kemdikbud verified a student id (NISN) for a NIK (PKH school conditionality). The NISN
    is a child's identifier (UU PDP: children's data): sealed, never sent to other contexts;
    they learn that the NIK has a verified NISN."""

    personal_fields = ("nisn",)
    subject_field = "nik_hash"

    nik_hash: str
    nisn: str
    instansi: str
    message_id: str
