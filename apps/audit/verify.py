"""Walk the chain and the seals; name the first broken record."""

from __future__ import annotations

from dataclasses import dataclass

from apps.audit import chain
from apps.audit.models import CatatanAudit, KunciAudit, SegelAudit
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
    problem = _check_seals(hashes)
    return expected - 1, problem


def published_keys() -> dict[str, str]:
    """key id -> public key, oldest first, of every key that signs or signed seals."""
    rows = KunciAudit.objects.using(ALIAS).order_by("aktif_sejak", "key_id")
    return {row.key_id: row.kunci_publik for row in rows}


def _check_seals(hashes: dict[int, str]) -> Temuan | None:
    keys = published_keys()
    for key_id, public_key in keys.items():
        if chain.key_id_of(public_key) != key_id:
            return Temuan(0, f"kunci publik {key_id} diganti")
    # Seals from before key ids were recorded: signed by the first key ever published.
    legacy_key_id = next(iter(keys), None)
    for seal in SegelAudit.objects.using(ALIAS).order_by("nomor"):
        public_key = keys.get(seal.key_id or legacy_key_id)
        if public_key is None:
            return Temuan(seal.nomor, f"kunci segel {seal.key_id} tidak diterbitkan")
        if not chain.signature_valid(
            seal.nomor, seal.hash, seal.tanda_tangan, public_key=public_key
        ):
            return Temuan(seal.nomor, "tanda tangan segel tidak sah")
        if hashes.get(seal.nomor) != seal.hash:
            return Temuan(seal.nomor, "segel tidak cocok dengan rantai")
    return None
