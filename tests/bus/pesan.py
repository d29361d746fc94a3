"""Helpers of the bus tests: agencies with their keys, signed envelopes, the log's rows."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connections

from apps.bus.domain.kirim import bungkus
from apps.bus.domain.kunci import mentah_base64
from apps.bus.models import BusEvent, Instansi

WIB = timezone(timedelta(hours=7))
KEMENDAGRI = Ed25519PrivateKey.generate()
KEMDIKBUD = Ed25519PrivateKey.generate()
NIK = "3273015708850001"  # Siti, Bandung (the ktp tests' NIK)
KEMATIAN = {"nik": NIK, "tanggal_kematian": "2026-11-20", "nomor_akta": "3273-KM-20112026-0001"}


def daftar_instansi(
    kode: str = "kemendagri",
    *,
    kunci: Ed25519PrivateKey = KEMENDAGRI,
    jenis: tuple[str, ...] = ("KematianDicatat", "KKDiupdate"),
    aktif: bool = True,
) -> Instansi:
    instansi = Instansi(
        kode=kode,
        nama=kode.title(),
        jenis_peristiwa=list(jenis),
        kunci_publik=mentah_base64(kunci.public_key()),
        aktif=aktif,
    )
    instansi.full_clean()
    instansi.save(using="bus")
    return instansi


def amplop(
    payload: dict | None = None,
    *,
    event_type: str = "KematianDicatat",
    agency: str = "kemendagri",
    kunci: Ed25519PrivateKey = KEMENDAGRI,
    message_id: uuid.UUID | None = None,
) -> dict:
    return bungkus(
        private_key=kunci,
        agency=agency,
        event_type=event_type,
        payload=dict(KEMATIAN if payload is None else payload),
        user_id="petugas-capil-17",
        case_reference="KM/2026/11/0001",
        occurred_at=datetime(2026, 11, 21, 9, 30, tzinfo=WIB),
        message_id=message_id,
    )


def log() -> list[tuple[str, str]]:
    """Every row of the bus's event store: (stream, event type)."""
    rows = BusEvent.objects.using("bus").order_by("position")
    return [(str(r.stream_id), r.event_type) for r in rows]


def teks_mentah(*aliases: str) -> str:
    """Every value of every row of every table of these databases, as text (bytes decoded
    byte for byte): where a clear NIK at rest would show."""
    parts = []
    for alias in aliases:
        connection = connections[alias]
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
                for row in cursor.fetchall():
                    parts += [
                        bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v)
                        for v in row
                    ]
    return "\n".join(parts)
