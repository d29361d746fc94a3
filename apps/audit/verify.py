"""Walk the chain and the seals; name the first broken record."""

from __future__ import annotations

from dataclasses import dataclass

from apps.audit import chain
from apps.audit.models import CatatanAudit, SegelAudit
from egov.eventstore.store import get_store, registered_contexts

ALIAS = "audit_read"


@dataclass(frozen=True)
class Temuan:
    nomor: int
    masalah: str


def _in_source(record: CatatanAudit) -> bool:
    """The event exists in its context's store, through the kernel (never its models)."""
    if record.konteks not in registered_contexts():
        return False
    store = get_store(record.konteks)
    rows = store.event_model.objects.using(store.alias)
    return rows.filter(
        event_id=record.event_id, event_type=record.event_type, stream_id=record.stream_id
    ).exists()


def verify() -> tuple[int, Temuan | None]:
    """(records checked, the first problem or None)."""
    previous, expected = chain.GENESIS, 1
    hashes = {}
    for record in CatatanAudit.objects.using(ALIAS).order_by("nomor").iterator(chunk_size=2000):
        values = {name: getattr(record, name) for name in chain.FIELDS}
        if record.nomor != expected:
            return expected - 1, Temuan(expected, "catatan hilang (nomor melompat)")
        if record.hash_sebelumnya != previous:
            return expected - 1, Temuan(record.nomor, "hash sebelumnya tidak cocok")
        if chain.record_hash(values, previous) != record.hash:
            return expected - 1, Temuan(record.nomor, "isi catatan diubah")
        if not _in_source(record):
            return expected - 1, Temuan(record.nomor, "tidak ada peristiwa sumbernya")
        hashes[record.nomor] = record.hash
        previous, expected = record.hash, expected + 1
    for seal in SegelAudit.objects.using(ALIAS).order_by("nomor"):
        if not chain.signature_valid(seal.nomor, seal.hash, seal.tanda_tangan):
            return expected - 1, Temuan(seal.nomor, "tanda tangan segel tidak sah")
        if hashes.get(seal.nomor) != seal.hash:
            return expected - 1, Temuan(seal.nomor, "segel tidak cocok dengan rantai")
    return expected - 1, None
