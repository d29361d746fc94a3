"""Disbursement cycles: an officer builds a round for a programme and period, submits it, a
second officer approves it (four eyes), payment instructions are made for every recipient
active and eligible at that moment (a batch at a time: ``commands.instruksi``), the channels
report outcomes on each instruction's own stream (idempotent), and the round closes once
reconciled to the rupiah."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial

from django.db.models import Count, Sum
from django.utils.translation import gettext_noop

from apps.bansos.commands._unit import (
    ALIAS,
    MSG_SIKLUS_TIDAK_DITEMUKAN,
    changing,
    kunci_instruksi,
    kunci_siklus,
)
from apps.bansos.commands.instruksi import UKURAN_BATCH, instruksikan_batch
from apps.bansos.domain.instruksi import InstruksiPembayaran
from apps.bansos.domain.penyaluran import (
    JumlahStatus,
    Rekonsiliasi,
    SiklusPenyaluran,
    siklus_stream_id,
)
from apps.bansos.domain.rules import (
    DIALIHKAN_KE_POS,
    DIKEMBALIKAN,
    DITUTUP,
    GAGAL,
    KANAL,
    MSG_INSTRUKSI_TIDAK_DIKENAL,
    MSG_KANAL,
    TERSALUR,
    TIDAK_DIAMBIL,
)
from apps.bansos.konfigurasi import muat_konfigurasi
from apps.bansos.models import IndeksInstruksi, IndeksSiklus
from apps.bansos.roles import require_penyalur, require_penyalur_instruksi, require_petugas
from egov import clock
from egov.eventstore.domain import EventMetadata, InvalidInput
from egov.principals import NotVisible, Principal

MSG_HASIL_LAPORAN = gettext_noop(
    "Hasil penyaluran harus TERSALUR, GAGAL, TIDAK_DIAMBIL, DIALIHKAN_KE_POS atau DIKEMBALIKAN."
)
HASIL_LAPORAN = (TERSALUR, GAGAL, TIDAK_DIAMBIL, DIALIHKAN_KE_POS, DIKEMBALIKAN)


@dataclass(frozen=True)
class HasilInstruksi:
    """A batch's outcome: the instructions made now, and the recipients left without one with
    the refusal's code (``penerima_tidak_aktif``, ``tidak_layak``, ``ganda_dalam_siklus``…)."""

    dibuat: tuple[uuid.UUID, ...]
    dilewati: tuple[tuple[uuid.UUID, str], ...]


def bansos_buat_siklus(
    *, principal: Principal, program: str, periode: str, metadata: EventMetadata, tahap: int = 1
) -> uuid.UUID:
    """A draft round of ``program`` for ``periode`` (``tahap`` 2 and up: catch-up rounds).
    The same round twice is refused (``tahap``)."""
    require_petugas(principal)
    konfigurasi = muat_konfigurasi()
    siklus_id = siklus_stream_id(program, str(periode).strip(), tahap)
    with changing(SiklusPenyaluran, siklus_id, metadata, baru=True) as siklus:
        siklus.buat(
            program=program,
            periode=periode,
            tahap=tahap,
            dibuat_oleh=principal.name,
            dibuat_oleh_id=principal.id,
            sekarang=clock.now(),
            konfigurasi=konfigurasi,
        )
    return siklus_id


def _mengubah_siklus(siklus_id: uuid.UUID, metadata: EventMetadata):
    return changing(SiklusPenyaluran, siklus_id, metadata, kunci=lambda: kunci_siklus(siklus_id))


def bansos_ajukan_siklus(
    *, principal: Principal, siklus_id: uuid.UUID, metadata: EventMetadata
) -> None:
    require_petugas(principal)
    with _mengubah_siklus(siklus_id, metadata) as siklus:
        siklus.ajukan(oleh=principal.name, sekarang=clock.now())


def bansos_setujui_siklus(
    *, principal: Principal, siklus_id: uuid.UUID, metadata: EventMetadata
) -> None:
    """Approve a submitted round: an officer other than its creator (``empat_mata``), told
    apart by principal id, not by display name."""
    require_petugas(principal)
    with _mengubah_siklus(siklus_id, metadata) as siklus:
        siklus.setujui(oleh=principal.name, oleh_id=principal.id, sekarang=clock.now())


def bansos_buat_instruksi(
    *,
    principal: Principal,
    siklus_id: uuid.UUID,
    kanal: str,
    metadata: EventMetadata,
    ukuran_batch: int = UKURAN_BATCH,
) -> HasilInstruksi:
    """Instruct ``kanal`` to pay every recipient of the round's programme decided from its
    period on, each checked again on the replicas as they are now (the NIK re-verified before
    payment): a recipient suspended (``penerima_tidak_aktif``) or no longer eligible
    (``tidak_layak``: a death, an exclusion list) gets no instruction and is listed with the
    code. ``ukuran_batch`` recipients at a time, each batch its own transaction
    (``commands.instruksi``). Run again (new recipients, catch-ups, or after a crash half
    way), it instructs only those not instructed yet."""
    require_petugas(principal)
    if kanal not in KANAL:
        raise InvalidInput(MSG_KANAL, code="kanal_tidak_valid")
    konfigurasi = muat_konfigurasi()
    if not IndeksSiklus.objects.using(ALIAS).filter(siklus_id=siklus_id).exists():
        raise NotVisible(MSG_SIKLUS_TIDAK_DITEMUKAN)
    dibuat: list[uuid.UUID] = []
    dilewati: list[tuple[uuid.UUID, str]] = []
    setelah = None
    while True:
        batch = instruksikan_batch(
            siklus_id=siklus_id,
            kanal=kanal,
            setelah=setelah,
            ukuran=ukuran_batch,
            sekarang=clock.now(),
            konfigurasi=konfigurasi,
            metadata=metadata,
        )
        dibuat += batch.dibuat
        dilewati += batch.dilewati
        if batch.terakhir is None:
            return HasilInstruksi(tuple(dibuat), tuple(dilewati))
        setelah = batch.terakhir


def bansos_catat_penyaluran(
    *,
    principal: Principal,
    instruksi_id: uuid.UUID,
    hasil: str,
    metadata: EventMetadata,
    kanal: str = "",
    ntx: str = "",
    nominal: int = 0,
    alasan: str = "",
    referensi: str = "",
) -> bool:
    """A channel (scope ``bansos:penyaluran``) reports an instruction's outcome: ``TERSALUR``
    (``ntx``, ``nominal``; ``kanal`` defaults to the instruction's), ``GAGAL`` (``alasan``),
    ``TIDAK_DIAMBIL``, ``DIALIHKAN_KE_POS`` or ``DIKEMBALIKAN`` (``nominal``,
    ``referensi``). The same report again records nothing (False); one that no longer fits
    is refused with the domain's code. Loads the instruction's own stream only."""
    require_penyalur(principal)
    if hasil not in HASIL_LAPORAN:
        raise InvalidInput(MSG_HASIL_LAPORAN, code="hasil_tidak_valid")
    row = (
        IndeksInstruksi.objects.using(ALIAS)
        .select_related("siklus")
        .filter(instruksi_id=instruksi_id)
        .first()
    )
    if row is None:  # the same answer as another channel's instruction
        raise NotVisible(MSG_INSTRUKSI_TIDAK_DIKENAL)
    require_penyalur_instruksi(
        principal, kanal=row.kanal, di_pos=row.status in (TIDAK_DIAMBIL, DIALIHKAN_KE_POS)
    )
    kunci = partial(kunci_instruksi, [instruksi_id])
    with changing(InstruksiPembayaran, instruksi_id, metadata, kunci=kunci) as instruksi:
        # Closing needs every instruction final, and a final one takes no new report: the
        # round's status read without its lock cannot let a report change a closed round.
        instruksi.siklus_ditutup = row.siklus.status == DITUTUP
        return _lapor(instruksi, hasil, kanal or row.kanal, ntx, nominal, alasan, referensi)


def _lapor(
    instruksi: InstruksiPembayaran,
    hasil: str,
    kanal: str,
    ntx: str,
    nominal: int,
    alasan: str,
    referensi: str,
) -> bool:
    sekarang = clock.now()
    if hasil == TERSALUR:
        return instruksi.catat_disalurkan(kanal=kanal, ntx=ntx, nominal=nominal, sekarang=sekarang)
    if hasil == GAGAL:
        return instruksi.catat_gagal(alasan=alasan, sekarang=sekarang)
    if hasil == TIDAK_DIAMBIL:
        return instruksi.catat_tidak_diambil(sekarang=sekarang)
    if hasil == DIALIHKAN_KE_POS:
        return instruksi.alihkan_ke_pos(sekarang=sekarang)
    return instruksi.catat_dikembalikan(nominal=nominal, referensi=referensi, sekarang=sekarang)


def bansos_tutup_siklus(
    *, principal: Principal, siklus_id: uuid.UUID, metadata: EventMetadata
) -> Rekonsiliasi:
    """Close the round once every instruction has a final outcome and the rupiah balance
    (``SiklusDitutup`` with the figures); else refused (``rekonsiliasi_tidak_seimbang``).
    The figures are summed from the instructions' index rows (written with their events),
    under the round's lock: no instruction is loaded."""
    require_petugas(principal)
    with _mengubah_siklus(siklus_id, metadata) as siklus:
        return siklus.tutup(
            oleh=principal.name, sekarang=clock.now(), rekonsiliasi=rekonsiliasi_siklus(siklus_id)
        )


def rekonsiliasi_siklus(siklus_id: uuid.UUID) -> Rekonsiliasi:
    per_status = (
        IndeksInstruksi.objects.using(ALIAS)
        .filter(siklus_id=siklus_id)
        .values("status")
        .annotate(
            jumlah=Count("instruksi_id"),
            rupiah=Sum("nominal"),
            disalurkan=Sum("nominal_disalurkan"),
            dikembalikan=Sum("nominal_dikembalikan"),
        )
    )
    return Rekonsiliasi.dari_status(
        {
            r["status"]: JumlahStatus(r["jumlah"], r["rupiah"], r["disalurkan"], r["dikembalikan"])
            for r in per_status
        }
    )
