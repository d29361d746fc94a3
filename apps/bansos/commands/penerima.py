"""A recipient's life after the decision: an officer of its region reactivates a suspended
household, graduates it or exits it (its payment instructions whose money has not left are
cancelled in the same transaction), records PKH conditionality (as do integrators and
policies feeding it) and answers appeals; a member of the household appeals.

Every use case takes the recipient's lock (``kunci_penerima``) before loading, the same lock
a suspension takes, so a death arriving meanwhile and an officer's decision take turns.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from apps.bansos.commands._unit import (
    ALIAS,
    MSG_USULAN_TIDAK_DITEMUKAN,
    batalkan_instruksi_penerima,
    changing,
    indeks_penerima,
    kunci_penerima,
    simpan,
)
from apps.bansos.domain.penerima import BERJALAN, Penerima
from apps.bansos.domain.rules import (
    DIGRADUASI,
    DIKELUARKAN,
    SD,
    SMA,
    SMP,
    tanggal_wib,
)
from apps.bansos.konfigurasi import muat_konfigurasi
from apps.bansos.models import IndeksAnggota
from apps.bansos.roles import (
    is_petugas,
    require_anggota,
    require_pencatat_kepatuhan,
    require_petugas,
    require_sistem,
    require_warga,
)
from egov import clock
from egov.eventstore.domain import EventMetadata, InvalidState
from egov.principals import Principal


def _petugas_wilayah(principal: Principal, penerima_id: uuid.UUID) -> None:
    require_petugas(principal)  # before the look-up: others learn nothing
    require_petugas(principal, kode_wilayah=indeks_penerima(penerima_id).kode_wilayah)


def _satu(penerima_id: uuid.UUID, metadata: EventMetadata):
    """The recipient's unit of work, under its lock."""
    return changing(Penerima, penerima_id, metadata, kunci=lambda: kunci_penerima([penerima_id]))


def bansos_aktifkan_kembali_penerima(
    *, principal: Principal, penerima_id: uuid.UUID, keterangan: str, metadata: EventMetadata
) -> None:
    """Resume a suspended recipient's payments (``PenerimaDiaktifkanKembali``), e.g. a death
    recorded in error, once checked by a person. Its eligibility is checked again before
    every payment instruction, so a member still deceased on the replicas is not paid."""
    _petugas_wilayah(principal, penerima_id)
    with _satu(penerima_id, metadata) as penerima:
        penerima.aktifkan_kembali(keterangan=keterangan, oleh=principal.name, sekarang=clock.now())


def bansos_graduasi_penerima(
    *, principal: Principal, penerima_id: uuid.UUID, keterangan: str, metadata: EventMetadata
) -> None:
    """The household leaves the programme out of poverty (``PenerimaDigraduasi``); payments
    not yet made are cancelled."""
    _petugas_wilayah(principal, penerima_id)
    with _satu(penerima_id, metadata) as penerima:
        sekarang = clock.now()
        penerima.graduasi(keterangan=keterangan, oleh=principal.name, sekarang=sekarang)
        _batalkan_instruksi(penerima, DIGRADUASI, metadata, sekarang)


def bansos_keluarkan_penerima(
    *, principal: Principal, penerima_id: uuid.UUID, alasan: str, metadata: EventMetadata
) -> None:
    """The household is removed from the programme (``PenerimaDikeluarkan``: fraud, moved
    away, no longer eligible); payments not yet made are cancelled."""
    _petugas_wilayah(principal, penerima_id)
    with _satu(penerima_id, metadata) as penerima:
        sekarang = clock.now()
        penerima.keluarkan(alasan=alasan, oleh=principal.name, sekarang=sekarang)
        _batalkan_instruksi(penerima, DIKELUARKAN, metadata, sekarang)


def _batalkan_instruksi(
    penerima: Penerima, alasan: str, metadata: EventMetadata, sekarang: datetime
) -> None:
    """Inside the unit of work: append the exit first (``simpan``: its index row leaves the
    running statuses), then cancel every instruction of the household whose money has not
    left (``batalkan_instruksi_penerima``: under the open cycles' locks, as a suspension)."""
    simpan(penerima, metadata)
    batalkan_instruksi_penerima(penerima, alasan, metadata, sekarang)


def bansos_catat_kepatuhan(
    *,
    principal: Principal,
    penerima_id: uuid.UUID,
    periode: str,
    komponen: str,
    patuh: bool,
    sumber: str,
    metadata: EventMetadata,
) -> bool:
    """PKH conditionality of one component in one period (``KepatuhanDicatat``): a school's
    attendance, a health post's visit. ``sumber`` names who reports it (an officer's survey,
    ``NISNDiverifikasi``...). The same report again records nothing (False). What
    non-compliance leads to is an officer's decision, never automatic."""
    require_pencatat_kepatuhan(principal)  # before the look-up
    if is_petugas(principal):
        _petugas_wilayah(principal, penerima_id)
    konfigurasi = muat_konfigurasi()
    with _satu(penerima_id, metadata) as penerima:
        return penerima.catat_kepatuhan(
            periode=periode,
            komponen=komponen,
            patuh=patuh,
            sumber=sumber,
            sekarang=clock.now(),
            konfigurasi=konfigurasi,
        )


def bansos_ajukan_keberatan(
    *, principal: Principal, penerima_id: uuid.UUID, alasan: str, metadata: EventMetadata
) -> None:
    """A member of the household appeals a decision on it (``KeberatanDiajukan``): a
    suspension, an exit, a graduation. One open appeal at a time. Not a member (or not a
    citizen with a verified NIK): the household does not exist for them."""
    require_warga(principal)  # before the look-up
    anggota = IndeksAnggota.objects.using(ALIAS).filter(penerima_id=penerima_id)
    nik = set(anggota.values_list("nik_hash", flat=True))
    require_anggota(principal, nik, not_found=MSG_USULAN_TIDAK_DITEMUKAN)
    with _satu(penerima_id, metadata) as penerima:
        penerima.ajukan_keberatan(alasan=alasan, oleh=principal.name, sekarang=clock.now())


def bansos_jawab_keberatan(
    *,
    principal: Principal,
    penerima_id: uuid.UUID,
    keputusan: str,
    jawaban: str,
    metadata: EventMetadata,
) -> None:
    """An officer of the region answers the open appeal (``KeberatanDijawab``: DITERIMA or
    DITOLAK, with the reasons). An accepted appeal changes nothing by itself: the officer then
    reactivates the household (or verifies it again), each its own recorded decision."""
    _petugas_wilayah(principal, penerima_id)
    with _satu(penerima_id, metadata) as penerima:
        penerima.jawab_keberatan(
            keputusan=keputusan, jawaban=jawaban, oleh=principal.name, sekarang=clock.now()
        )


def bansos_catat_kepatuhan_sekolah(
    *, principal: Principal, nik_hash: str, sumber: str, metadata: EventMetadata
) -> int:
    """Policy on the bus's ``NISNDiverifikasi`` (a school's verified enrolment of a child):
    compliance of the child's school component in this quarter, for every running
    conditional membership that lists the child with one (PKH's SD/SMP/SMA). Idempotent;
    returns how many were recorded now."""
    require_sistem(principal)
    dicatat = 0
    triwulan, konfigurasi = _triwulan_ini(), muat_konfigurasi()
    for penerima_id in _keanggotaan_berjalan(nik_hash):
        with _satu(penerima_id, metadata) as penerima:
            komponen = next((a.komponen for a in penerima.anggota if a.nik_hash == nik_hash), "")
            if komponen not in SEKOLAH or komponen not in penerima.komponen:
                continue
            try:
                dicatat += penerima.catat_kepatuhan(
                    periode=triwulan,
                    komponen=komponen,
                    patuh=True,
                    sumber=sumber,
                    sekarang=clock.now(),
                    konfigurasi=konfigurasi,
                )
            except InvalidState:  # not a conditional programme: nothing to record
                continue
    return dicatat


SEKOLAH = (SD, SMP, SMA)


def _keanggotaan_berjalan(nik_hash: str) -> list[uuid.UUID]:
    rows = IndeksAnggota.objects.using(ALIAS).filter(
        nik_hash=nik_hash, penerima__status__in=BERJALAN
    )
    return sorted(rows.values_list("penerima_id", flat=True))


def _triwulan_ini() -> str:
    hari = tanggal_wib(clock.now())
    return f"{hari.year}-TW{(hari.month - 1) // 3 + 1}"
