"""What every pajak use case shares: the unit of work, the command-side indexes it keeps in
step with the events, look-ups with the access check, and generated numbers.

Indexes live on the write alias and change in the same transaction as the events they follow
from, so a rule spanning streams holds with concurrent writers: the unique NTPN, a billing
code's row lock (two banks reporting one code take turns), one obligation per period.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.db import IntegrityError, connections
from django.utils.translation import gettext_noop

from apps.pajak.domain.kewajiban import Kewajiban
from apps.pajak.domain.kode_billing import KodeBilling, kode_billing_stream_id
from apps.pajak.domain.konfigurasi import KonfigurasiPajak
from apps.pajak.domain.rules import MSG_BELUM_TERDAFTAR, tanggal_wib
from apps.pajak.domain.wajib_pajak import WajibPajak
from apps.pajak.models import IndeksKewajiban, IndeksKodeBilling, IndeksWajibPajak, NomorBPE
from apps.pajak.roles import MSG_WP_TIDAK_DITEMUKAN, require_may_act_for
from apps.pajak.store import store
from egov import clock
from egov import unit_of_work as unit
from egov.db import atomic, insert_if_absent
from egov.eventstore.domain import Aggregate, EventMetadata, InvalidState
from egov.principals import CITIZEN, NotVisible, Principal, require_verified_citizen

ALIAS = "pajak"
A = TypeVar("A", bound=Aggregate)

MSG_KEWAJIBAN_TIDAK_DITEMUKAN = gettext_noop("Kewajiban pajak tidak ditemukan.")
MSG_NTPN_SUDAH_DIPAKAI = gettext_noop("NTPN ini sudah dipakai untuk kode billing lain.")
_TIDAK_DITEMUKAN = {WajibPajak: MSG_WP_TIDAK_DITEMUKAN, Kewajiban: MSG_KEWAJIBAN_TIDAK_DITEMUKAN}


# --- results (plain data for the front doors) -------------------------------------------------
@dataclass(frozen=True)
class KodeBillingTerbit:
    kode: str
    jenis_pajak: str
    masa: str
    nominal: int
    kedaluwarsa: datetime


@dataclass(frozen=True)
class PembayaranTercatat:
    """The payment as recorded: a bank retrying with the same NTPN gets this same answer.
    ``baru`` tells the first report (recorded now) from a replay; it is no part of the
    answer, so a replay compares equal to the first."""

    kode: str
    ntpn: str
    ntb: str
    nominal: int
    tanggal_bayar: datetime
    bank: str
    baru: bool = field(default=False, compare=False)


def terbit(billing: KodeBilling) -> KodeBillingTerbit:
    return KodeBillingTerbit(
        billing.kode, billing.jenis_pajak, billing.masa, billing.nominal, billing.kedaluwarsa
    )


# --- the unit of work -------------------------------------------------------------------------
def changing(
    kelas: type[A],
    stream_id: uuid.UUID,
    metadata: EventMetadata,
    *,
    baru: bool = False,
    kunci: Callable[[], None] | None = None,
) -> AbstractContextManager[A]:
    """One decision on one aggregate in one transaction (``egov.unit_of_work``), its index
    row kept in step. ``baru``: the stream may be empty (a registration, an obligation)."""
    not_found = _TIDAK_DITEMUKAN.get(kelas, MSG_WP_TIDAK_DITEMUKAN)
    return unit.changing(
        store, kelas, stream_id, metadata, not_found=not_found, save=simpan, new=baru, lock=kunci
    )


def simpan(aggregate: Aggregate, metadata: EventMetadata) -> None:
    """Append what ``aggregate`` decided (if anything) and keep its index row in step."""
    if not aggregate.pending:
        return
    store.save(aggregate, metadata)
    if isinstance(aggregate, WajibPajak):
        _indeks_wajib_pajak(aggregate)
    elif isinstance(aggregate, KodeBilling):
        _indeks_kode_billing(aggregate)
    elif isinstance(aggregate, Kewajiban):
        _indeks_kewajiban(aggregate)


def _indeks_wajib_pajak(wp: WajibPajak) -> None:
    IndeksWajibPajak.objects.using(ALIAS).update_or_create(
        wajib_pajak_id=wp.id,
        defaults={
            "subjek_id": wp.subjek_id,
            "jenis": wp.jenis,
            "kode_wilayah": wp.kode_wilayah,
            "terdaftar_pada": tanggal_wib(wp.terdaftar_pada),
            "pkp": wp.pkp,
            "tanggal_pkp": wp.tanggal_pkp,
            "peninjauan": wp.peninjauan_terbuka,
        },
    )


def _indeks_kode_billing(billing: KodeBilling) -> None:
    """The NTPN's unique constraint decides a race between two codes reporting one NTPN:
    the loser's whole transaction is refused (``ntpn_sudah_dipakai``)."""
    try:
        with atomic(ALIAS):
            IndeksKodeBilling.objects.using(ALIAS).update_or_create(
                kode=billing.kode,
                defaults={
                    "wajib_pajak_id": billing.wajib_pajak_id,
                    "kewajiban_id": billing.kewajiban_id,
                    "jenis_pajak": billing.jenis_pajak,
                    "masa": billing.masa,
                    "nominal": billing.nominal,
                    "status": billing.status,
                    "dibuat_pada": billing.dibuat_pada,
                    "kedaluwarsa": billing.kedaluwarsa,
                    "ntpn": billing.ntpn,
                },
            )
    except IntegrityError:
        raise InvalidState(MSG_NTPN_SUDAH_DIPAKAI, code="ntpn_sudah_dipakai") from None


def _indeks_kewajiban(k: Kewajiban) -> None:
    dilaporkan = k.dilaporkan_pada
    IndeksKewajiban.objects.using(ALIAS).update_or_create(
        kewajiban_id=k.id,
        defaults={
            "wajib_pajak_id": k.wajib_pajak_id,
            "jenis_pajak": k.jenis_pajak,
            "masa": k.masa,
            "jatuh_tempo_bayar": k.jatuh_tempo_bayar,
            "jatuh_tempo_lapor": k.jatuh_tempo_lapor,
            "status_spt": k.status_spt,
            "kode_billing": k.kode_billing,
            "dilaporkan_pada": dilaporkan,
            "tepat_waktu": dilaporkan is not None
            and tanggal_wib(dilaporkan) <= k.jatuh_tempo_lapor,
            "denda_ditetapkan": k.denda_ditetapkan,
        },
    )


# --- look-ups with the access check ------------------------------------------------------------
def indeks_wajib_pajak(wajib_pajak_id: uuid.UUID) -> IndeksWajibPajak:
    row = IndeksWajibPajak.objects.using(ALIAS).filter(wajib_pajak_id=wajib_pajak_id).first()
    if row is None:
        raise NotVisible(MSG_WP_TIDAK_DITEMUKAN)
    return row


def wajib_pajak_untuk(principal: Principal, wajib_pajak_id: uuid.UUID | None) -> IndeksWajibPajak:
    """The taxpayer a call is about, once the caller may act for it: the one named, or (none
    named) the signed-in citizen's own registration."""
    if wajib_pajak_id is None:
        subjek_id = require_verified_citizen(principal)
        row = IndeksWajibPajak.objects.using(ALIAS).filter(subjek_id=subjek_id).first()
        if row is None:
            raise InvalidState(MSG_BELUM_TERDAFTAR, code="belum_terdaftar")
        return row
    if principal.kind == CITIZEN:  # a citizen's own taxpayer id is derived, never trusted
        require_verified_citizen(principal)
    row = indeks_wajib_pajak(wajib_pajak_id)
    require_may_act_for(principal, subjek_id=row.subjek_id, kode_wilayah=row.kode_wilayah)
    return row


def kewajiban_untuk(principal: Principal, kewajiban_id: uuid.UUID) -> IndeksKewajiban:
    row = IndeksKewajiban.objects.using(ALIAS).filter(kewajiban_id=kewajiban_id).first()
    if row is None:
        raise NotVisible(MSG_KEWAJIBAN_TIDAK_DITEMUKAN)
    wajib_pajak_untuk(principal, row.wajib_pajak_id)
    return row


def kunci_subjek(nik_hash: str) -> None:
    """Serialise an individual's registration and the identity policy for one NIK (on
    PostgreSQL; SQLite has one writer at a time anyway), until the transaction ends: whichever
    commits second sees the other (a NIK deactivated while its owner registers)."""
    connection = connections[ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"pajak:{nik_hash}"])


# --- generated numbers ---------------------------------------------------------------------
def kode_acak() -> str:
    """A DJP billing code: 15 digits, the first 0-3 (4-9 belong to customs and others)."""
    return f"{secrets.randbelow(4)}{secrets.randbelow(10**14):014d}"


def terbitkan_kode(
    wajib_pajak: WajibPajak,
    *,
    jenis_pajak: str,
    masa: str,
    nominal: int,
    konfigurasi: KonfigurasiPajak,
    metadata: EventMetadata,
    kewajiban_id: uuid.UUID | None = None,
) -> KodeBilling:
    """Issue a fresh code inside the caller's transaction; its validity is the rule in force
    on today's Jakarta date. A code is never issued twice: one already indexed is skipped,
    and a concurrent twin would lose on the index's primary key and the stream's version."""
    for _attempt in range(10):
        kode = kode_acak()
        if not IndeksKodeBilling.objects.using(ALIAS).filter(kode=kode).exists():
            break
    else:
        raise RuntimeError("no free billing code after 10 attempts")
    billing = KodeBilling(kode_billing_stream_id(kode))
    billing.buat(
        kode=kode,
        wajib_pajak=wajib_pajak,
        jenis=jenis_pajak,
        masa=masa,
        nominal=nominal,
        sekarang=clock.now(),
        konfigurasi=konfigurasi,
        kewajiban_id=kewajiban_id,
    )
    simpan(billing, metadata)
    return billing


def bpe_baru(kewajiban: Kewajiban) -> str:
    """A fresh electronic filing receipt number, reserved in the BPE register (inside the
    caller's transaction: a refused filing leaves no number behind)."""
    for _attempt in range(10):
        bpe = f"BPE-{clock.today():%Y%m%d}-{secrets.token_hex(5).upper()}"
        if insert_if_absent(
            NomorBPE,
            ALIAS,
            bpe=bpe,
            kewajiban_id=kewajiban.id,
            pembetulan_ke=kewajiban.pembetulan_ke,
        ):
            return bpe
    raise RuntimeError("no free BPE number after 10 attempts")
