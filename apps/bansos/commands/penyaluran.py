"""Disbursement cycles: an officer builds a round for a programme and period, submits it, a
second officer approves it (four eyes), payment instructions are made for every recipient
active and eligible at that moment, the channels report outcomes (idempotent), and the round
closes once reconciled to the rupiah."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from apps.bansos.commands._unit import (
    ALIAS,
    MSG_SIKLUS_TIDAK_DITEMUKAN,
    changing,
    fakta_untuk,
    kunci_siklus,
    simpan,
)
from apps.bansos.domain.penerima import BERJALAN, Penerima
from apps.bansos.domain.penyaluran import Rekonsiliasi, SiklusPenyaluran, siklus_stream_id
from apps.bansos.domain.rules import (
    DIALIHKAN_KE_POS,
    DIKEMBALIKAN,
    DISALURKAN,
    DISETUJUI,
    GAGAL,
    KANAL,
    MSG_INSTRUKSI_TIDAK_DIKENAL,
    MSG_KANAL,
    TERSALUR,
    TIDAK_DIAMBIL,
    Periode,
    tolak_tahap,
)
from apps.bansos.konfigurasi import muat_konfigurasi
from apps.bansos.models import IndeksInstruksi, IndeksPenerima, IndeksSiklus
from apps.bansos.roles import require_penyalur, require_penyalur_instruksi, require_petugas
from apps.bansos.store import store
from egov import clock
from egov.db import atomic
from egov.eventstore.domain import EventMetadata, InvalidInput, InvalidState
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
    *, principal: Principal, siklus_id: uuid.UUID, kanal: str, metadata: EventMetadata
) -> HasilInstruksi:
    """Instruct ``kanal`` to pay every recipient of the round's programme decided from its
    period on, each checked again on the replicas as they are now (the NIK re-verified before
    payment): a recipient suspended (``penerima_tidak_aktif``) or no longer eligible
    (``tidak_layak``: a death, an exclusion list) gets no instruction and is listed with the
    code. Run again, it instructs only those not
    instructed yet (new recipients, catch-ups)."""
    require_petugas(principal)
    if kanal not in KANAL:
        raise InvalidInput(MSG_KANAL, code="kanal_tidak_valid")
    konfigurasi = muat_konfigurasi()
    indeks = IndeksSiklus.objects.using(ALIAS).filter(siklus_id=siklus_id).first()
    if indeks is None:
        raise NotVisible(MSG_SIKLUS_TIDAK_DITEMUKAN)
    periode = Periode.parse(indeks.periode)
    with atomic(ALIAS):
        calon = sorted(
            r.penerima_id
            for r in IndeksPenerima.objects.using(ALIAS).filter(
                program=indeks.program, status__in=BERJALAN
            )
            if Periode.parse(r.periode).awal <= periode.awal
        )
        # The cycle's row only, held to the end: a suspension locks every open cycle of the
        # programme before it looks for instructions to cancel, so it either sees this
        # batch's instructions or this batch sees the recipient suspended (and recipients
        # are not locked here: a national round would exhaust PostgreSQL's lock table).
        kunci_siklus(siklus_id)
        siklus = store.get(SiklusPenyaluran, siklus_id)
        if siklus.status not in (DISETUJUI, DISALURKAN):  # refuse the batch, not each one
            raise tolak_tahap("Siklus penyaluran", siklus.status, "membuat instruksi")
        dibuat, dilewati = [], []
        for penerima_id in calon:
            penerima = store.get(Penerima, penerima_id)
            try:
                if siklus.buat_instruksi(
                    penerima=penerima,
                    fakta=fakta_untuk(penerima.data, periode, konfigurasi),
                    kanal=kanal,
                    sekarang=clock.now(),
                    konfigurasi=konfigurasi,
                ):
                    dibuat.append(siklus.per_penerima[penerima_id])
            except InvalidState as refusal:
                dilewati.append((penerima_id, refusal.code))
        simpan(siklus, metadata)
    return HasilInstruksi(tuple(dibuat), tuple(dilewati))


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
    is refused with the domain's code."""
    require_penyalur(principal)
    if hasil not in HASIL_LAPORAN:
        raise InvalidInput(MSG_HASIL_LAPORAN, code="hasil_tidak_valid")
    row = IndeksInstruksi.objects.using(ALIAS).filter(instruksi_id=instruksi_id).first()
    if row is None:  # the same answer as another channel's instruction
        raise NotVisible(MSG_INSTRUKSI_TIDAK_DIKENAL)
    require_penyalur_instruksi(
        principal, kanal=row.kanal, di_pos=row.status in (TIDAK_DIAMBIL, DIALIHKAN_KE_POS)
    )
    with _mengubah_siklus(row.siklus_id, metadata) as siklus:
        sekarang = clock.now()
        if hasil == TERSALUR:
            return siklus.catat_disalurkan(
                instruksi_id=instruksi_id,
                kanal=kanal or row.kanal,
                ntx=ntx,
                nominal=nominal,
                sekarang=sekarang,
            )
        if hasil == GAGAL:
            return siklus.catat_gagal(instruksi_id=instruksi_id, alasan=alasan, sekarang=sekarang)
        if hasil == TIDAK_DIAMBIL:
            return siklus.catat_tidak_diambil(instruksi_id=instruksi_id, sekarang=sekarang)
        if hasil == DIALIHKAN_KE_POS:
            return siklus.alihkan_ke_pos(instruksi_id=instruksi_id, sekarang=sekarang)
        return siklus.catat_dikembalikan(
            instruksi_id=instruksi_id, nominal=nominal, referensi=referensi, sekarang=sekarang
        )


def bansos_tutup_siklus(
    *, principal: Principal, siklus_id: uuid.UUID, metadata: EventMetadata
) -> Rekonsiliasi:
    """Close the round once every instruction has a final outcome and the rupiah balance
    (``SiklusDitutup`` with the figures); else refused (``rekonsiliasi_tidak_seimbang``)."""
    require_petugas(principal)
    with _mengubah_siklus(siklus_id, metadata) as siklus:
        return siklus.tutup(oleh=principal.name, sekarang=clock.now())
