"""From an authenticated envelope's payload to the domain event the bus routes: the NIK (and
KK number) are validated and replaced by their keyed hashes here, so the clear numbers never
reach an event, the log or a published feed. Hashing is injected (``Hasher``): the keyed
hash needs the deployment's secret, which the domain does not read.

Payloads (every value a string unless said otherwise):

- ``KematianDicatat``: ``nik``, ``tanggal_kematian`` (``YYYY-MM-DD``), ``nomor_akta``;
- ``KKDiupdate``: ``nomor_kk``, ``nomor_kk_lama`` (optional), ``anggota`` (a list of NIKs,
  at least one), ``alasan``;
- ``NISNDiverifikasi``: ``nik``, ``nisn`` (10 digits).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from apps.bus.domain.amplop import Amplop
from apps.bus.domain.galat import AmplopTidakSah
from egov.contracts.bus import KematianDicatat, KKDiupdate, NISNDiverifikasi
from egov.eventstore.domain import DomainEvent
from egov.identity import InvalidNIK, parse_nik
from egov.principals import gettext_noop

Hasher = Callable[[str, str], str]  # (value, purpose "nik" | "kk") -> keyed hash

MSG_TEKS = gettext_noop("Harus berupa teks tidak kosong, paling banyak 200 karakter.")
MSG_TANGGAL = gettext_noop("Harus berupa tanggal YYYY-MM-DD yang tidak di masa depan.")
MSG_NIK = gettext_noop("NIK harus 16 digit.")
MSG_KK = gettext_noop("Nomor KK harus 16 digit.")
MSG_NISN = gettext_noop("NISN harus 10 digit.")
MSG_ANGGOTA = gettext_noop("Harus berupa daftar NIK (paling sedikit satu, paling banyak 30).")
MSG_KOLOM_ASING = gettext_noop("Kolom tidak dikenal untuk jenis peristiwa ini.")
DIGITS16 = re.compile(r"^[0-9]{16}$")
DIGITS10 = re.compile(r"^[0-9]{10}$")

KOLOM = {
    "KematianDicatat": {"nik", "tanggal_kematian", "nomor_akta"},
    "KKDiupdate": {"nomor_kk", "nomor_kk_lama", "anggota", "alasan"},
    "NISNDiverifikasi": {"nik", "nisn"},
}
JENIS = frozenset(KOLOM)


def rutekan(amplop: Amplop, *, hash_: Hasher, hari_ini: date) -> DomainEvent:
    """The routed event, or ``AmplopTidakSah`` naming the payload field that is wrong."""
    payload = amplop.payload
    for name in sorted(set(payload) - KOLOM[amplop.event_type]):
        raise AmplopTidakSah(f"payload.{name}", MSG_KOLOM_ASING)
    asal = {"instansi": amplop.agency, "message_id": str(amplop.message_id)}
    if amplop.event_type == "KematianDicatat":
        return KematianDicatat(
            nik_hash=hash_(_nik(payload, "nik", hari_ini), "nik"),
            tanggal_kematian=_tanggal(payload, "tanggal_kematian", hari_ini),
            nomor_akta=_teks(payload, "nomor_akta"),
            **asal,
        )
    if amplop.event_type == "KKDiupdate":
        lama = payload.get("nomor_kk_lama") or ""
        return KKDiupdate(
            nomor_kk_hash=hash_(_kk(payload, "nomor_kk"), "kk"),
            nomor_kk_lama_hash=hash_(_kk(payload, "nomor_kk_lama"), "kk") if lama else "",
            anggota=tuple(hash_(nik, "nik") for nik in _anggota(payload, hari_ini)),
            alasan=_teks(payload, "alasan"),
            **asal,
        )
    nisn = payload.get("nisn")
    if not isinstance(nisn, str) or not DIGITS10.match(nisn):
        raise AmplopTidakSah("payload.nisn", MSG_NISN)
    return NISNDiverifikasi(
        nik_hash=hash_(_nik(payload, "nik", hari_ini), "nik"), nisn=nisn, **asal
    )


def _nik(payload: dict[str, Any], name: str, hari_ini: date) -> str:
    value = payload.get(name)
    if not isinstance(value, str):
        raise AmplopTidakSah(f"payload.{name}", MSG_NIK)
    try:
        return parse_nik(value, today=hari_ini).value
    except InvalidNIK as error:
        raise AmplopTidakSah(f"payload.{name}", str(error)) from None


def _kk(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not DIGITS16.match(value):
        raise AmplopTidakSah(f"payload.{name}", MSG_KK)
    return value


def _anggota(payload: dict[str, Any], hari_ini: date) -> list[str]:
    members = payload.get("anggota")
    if not isinstance(members, list) or not 1 <= len(members) <= 30:
        raise AmplopTidakSah("payload.anggota", MSG_ANGGOTA)
    return [
        _nik({f"anggota[{i}]": nik}, f"anggota[{i}]", hari_ini) for i, nik in enumerate(members)
    ]


def _teks(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise AmplopTidakSah(f"payload.{name}", MSG_TEKS)
    return value.strip()


def _tanggal(payload: dict[str, Any], name: str, hari_ini: date) -> str:
    value = payload.get(name)
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or day > hari_ini:
        raise AmplopTidakSah(f"payload.{name}", MSG_TANGGAL)
    return day.isoformat()
