"""The disbursement cycle (SiklusPenyaluran) aggregate: one round of a programme's payments.

OpenG2P's cycle: draft (DRAF) -> to_approve (DIAJUKAN) -> approved (DISETUJUI) -> distributed
(DISALURKAN: the round's index and read model, from the first instruction) -> ended (DITUTUP).
Approval is four-eyes: the officer who built the round may not approve it (``empat_mata``,
by principal id).

The round's stream holds the round's own steps only. Each payment instruction is an aggregate
of its own (``instruksi.InstruksiPembayaran``, stream ``instruksi_id(siklus, penerima)``), so a
channel's report loads one instruction, not a round of 100,000. The round closes only when
reconciled to the rupiah, on the instructions' figures summed by the command
(``Rekonsiliasi.dari_status``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from apps.bansos.domain.events import (
    SiklusDiajukan,
    SiklusDisetujui,
    SiklusDitutup,
    SiklusPenyaluranDibuat,
)
from apps.bansos.domain.konfigurasi import KonfigurasiBansos
from apps.bansos.domain.rules import (
    DIAJUKAN,
    DIBATALKAN,
    DIKEMBALIKAN,
    DISALURKAN,
    DISETUJUI,
    DITUTUP,
    DRAF,
    GAGAL,
    INSTRUKSI_FINAL,
    MSG_REKONSILIASI,
    MSG_TAHAP_SIKLUS,
    TERSALUR,
    Periode,
    tolak_tahap,
    wajib_isi,
)
from apps.bansos.domain.usulan import empat_mata, petugas_sama, program_untuk
from egov.eventstore.domain import Aggregate, InvalidInput, InvalidState


def siklus_stream_id(program: str, periode: str, tahap: int) -> uuid.UUID:
    """One stream per programme, period and round: creating the same round twice collides."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:bansos:siklus:{program}:{periode}:{tahap}")


def instruksi_id(siklus_id: uuid.UUID, penerima_id: uuid.UUID) -> uuid.UUID:
    """Deterministic: a retried batch finds the instruction it already made, and the channel
    can use it as its idempotency key."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:bansos:instruksi:{siklus_id}:{penerima_id}")


@dataclass(frozen=True)
class Rekonsiliasi:
    """The round's money, to the rupiah: ``selisih`` = instructed - (disbursed + returned +
    failed + cancelled); ``belum_final``: instructions still waiting for an outcome."""

    jumlah_instruksi: int
    diinstruksikan: int
    disalurkan: int
    dikembalikan: int
    gagal: int
    dibatalkan: int
    belum_final: int

    @property
    def selisih(self) -> int:
        keluar = self.disalurkan + self.dikembalikan + self.gagal + self.dibatalkan
        return self.diinstruksikan - keluar

    @property
    def seimbang(self) -> bool:
        return self.belum_final == 0 and self.selisih == 0

    @classmethod
    def dari_status(cls, per_status: Mapping[str, JumlahStatus]) -> Rekonsiliasi:
        """The round's figures from its instructions summed per status (by the command, from
        its index; or from the instructions themselves: ``jumlah_per_status``)."""
        nol = JumlahStatus()

        def di(status: str) -> JumlahStatus:
            return per_status.get(status, nol)

        return cls(
            jumlah_instruksi=sum(j.jumlah for j in per_status.values()),
            diinstruksikan=sum(j.nominal for j in per_status.values()),
            disalurkan=di(TERSALUR).disalurkan,
            dikembalikan=di(DIKEMBALIKAN).dikembalikan,
            gagal=di(GAGAL).nominal,
            dibatalkan=di(DIBATALKAN).nominal,
            belum_final=sum(j.jumlah for s, j in per_status.items() if s not in INSTRUKSI_FINAL),
        )


@dataclass(frozen=True)
class JumlahStatus:
    """Instructions of one status: how many, the rupiah instructed, reported paid and
    returned."""

    jumlah: int = 0
    nominal: int = 0
    disalurkan: int = 0
    dikembalikan: int = 0


def jumlah_per_status(
    instruksi: Iterable[tuple[str, int, int, int]],
) -> dict[str, JumlahStatus]:
    """(status, nominal, disalurkan, dikembalikan) per instruction, summed per status."""
    per_status: dict[str, JumlahStatus] = {}
    for status, nominal, disalurkan, dikembalikan in instruksi:
        j = per_status.get(status, JumlahStatus())
        per_status[status] = JumlahStatus(
            j.jumlah + 1,
            j.nominal + nominal,
            j.disalurkan + disalurkan,
            j.dikembalikan + dikembalikan,
        )
    return per_status


class RekonsiliasiTidakSeimbang(InvalidState):
    code = "rekonsiliasi_tidak_seimbang"

    def __init__(self, rekonsiliasi: Rekonsiliasi):
        message = MSG_REKONSILIASI.format(
            belum=rekonsiliasi.belum_final, selisih=rekonsiliasi.selisih
        )
        super().__init__(message)
        self.rekonsiliasi = rekonsiliasi


class SiklusPenyaluran(Aggregate):
    """Build it with ``SiklusPenyaluran(siklus_stream_id(...))`` and ``buat(...)``."""

    stream_type = "SiklusPenyaluran"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.status = ""
        self.program = ""
        self.periode = ""
        self.tahap = 0
        self.dibuat_oleh = ""
        self.dibuat_oleh_id = ""
        self.penutupan: SiklusDitutup | None = None

    # --- the round ------------------------------------------------------------------------
    def buat(
        self,
        *,
        program: str,
        periode: str,
        tahap: int,
        dibuat_oleh: str,
        sekarang: datetime,
        konfigurasi: KonfigurasiBansos,
        dibuat_oleh_id: str = "",
    ) -> None:
        """``dibuat_oleh_id``: the creator's principal id (the four-eyes rule's key)."""
        if self.exists:
            raise tolak_tahap("Siklus penyaluran", self.status, "dibuat lagi")
        aturan = program_untuk(konfigurasi, program, periode)
        if type(tahap) is not int or tahap < 1:
            raise InvalidInput(MSG_TAHAP_SIKLUS, code="tahap_tidak_valid")
        self._record(
            SiklusPenyaluranDibuat(
                siklus_id=self.id,
                program=aturan.kode,
                periode=str(Periode.parse(periode)),
                tahap=tahap,
                dibuat_oleh=wajib_isi(dibuat_oleh, "dibuat_oleh"),
                dibuat_pada=sekarang,
                dibuat_oleh_id=dibuat_oleh_id,
            )
        )

    def ajukan(self, *, oleh: str, sekarang: datetime) -> None:
        if self.status != DRAF:
            raise tolak_tahap("Siklus penyaluran", self.status, "diajukan")
        oleh = wajib_isi(oleh, "diajukan_oleh")
        self._record(SiklusDiajukan(siklus_id=self.id, diajukan_oleh=oleh, diajukan_pada=sekarang))

    def setujui(self, *, oleh: str, sekarang: datetime, oleh_id: str = "") -> None:
        """``oleh_id``: the approver's principal id, compared with the creator's."""
        if self.status != DIAJUKAN:
            raise tolak_tahap("Siklus penyaluran", self.status, "disetujui")
        oleh = wajib_isi(oleh, "disetujui_oleh")
        if petugas_sama((oleh_id, oleh), (self.dibuat_oleh_id, self.dibuat_oleh)):
            raise empat_mata("persetujuan siklus", "membuat siklus")
        self._record(
            SiklusDisetujui(siklus_id=self.id, disetujui_oleh=oleh, disetujui_pada=sekarang)
        )

    def tutup(self, *, oleh: str, sekarang: datetime, rekonsiliasi: Rekonsiliasi) -> Rekonsiliasi:
        """Close the round on ``rekonsiliasi`` (every instruction of the round, summed):
        refused (``rekonsiliasi_tidak_seimbang``, with the figures) while an instruction
        waits for its outcome or a single rupiah is unaccounted for."""
        if self.status not in (DISETUJUI, DISALURKAN):
            raise tolak_tahap("Siklus penyaluran", self.status, "ditutup")
        r = rekonsiliasi
        if not r.seimbang:
            raise RekonsiliasiTidakSeimbang(r)
        self._record(
            SiklusDitutup(
                siklus_id=self.id,
                jumlah_instruksi=r.jumlah_instruksi,
                diinstruksikan=r.diinstruksikan,
                disalurkan=r.disalurkan,
                dikembalikan=r.dikembalikan,
                gagal=r.gagal,
                dibatalkan=r.dibatalkan,
                ditutup_oleh=wajib_isi(oleh, "ditutup_oleh"),
                ditutup_pada=sekarang,
            )
        )
        return r

    # --- appliers: assignments only -------------------------------------------------------
    def apply_SiklusPenyaluranDibuat(self, e: SiklusPenyaluranDibuat) -> None:
        self.status, self.program, self.periode, self.tahap = DRAF, e.program, e.periode, e.tahap
        self.dibuat_oleh, self.dibuat_oleh_id = e.dibuat_oleh, e.dibuat_oleh_id

    def apply_SiklusDiajukan(self, e: SiklusDiajukan) -> None:
        self.status = DIAJUKAN

    def apply_SiklusDisetujui(self, e: SiklusDisetujui) -> None:
        self.status = DISETUJUI

    def apply_SiklusDitutup(self, e: SiklusDitutup) -> None:
        self.status, self.penutupan = DITUTUP, e
