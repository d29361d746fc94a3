"""The proposal (Usulan) aggregate: proposed -> verified -> decided (``PenerimaDitetapkan``)
or rejected.

Flow (Permensos 3/2021 on DTKS, now DTSEN under Inpres 4/2025): the village proposes a
household, eligibility is checked against bansos's replicas, and an official of the social
affairs office decides. The decision is four-eyes: whoever proposed may not decide (code
``empat_mata``), because the proposal is where a relative or a ghost household slips in. A
household is decided only on a verification that passed; a failed one can be verified again
after the village fixed the data, or rejected.

The stream is the household's in that programme: once decided, the same stream goes on as the
recipient's membership (``penerima.Penerima``, which knows these events too), so the decision is
one event in one place and the recipient's id is the proposal's id.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime

from apps.bansos.domain.events import (
    PenerimaDitetapkan,
    UsulanDitolak,
    UsulanDiverifikasi,
    UsulanPenerimaDiajukan,
)
from apps.bansos.domain.kelayakan import (
    Anggota,
    DataUsulan,
    FaktaKelayakan,
    HasilKelayakan,
    periksa_kelayakan,
)
from apps.bansos.domain.konfigurasi import KonfigurasiBansos, Program
from apps.bansos.domain.rules import (
    AKTIF,
    DESIL_TERENDAH,
    DESIL_TERTINGGI,
    DIAJUKAN,
    DITOLAK,
    DIVERIFIKASI,
    MSG_ANGGOTA_GANDA,
    MSG_ANGGOTA_KOSONG,
    MSG_DESIL,
    MSG_EMPAT_MATA,
    MSG_KODE_WILAYAH,
    MSG_KOMPONEN,
    MSG_PENGURUS,
    MSG_PERIODE_TIDAK_SESUAI,
    MSG_PERORANGAN_SATU,
    MSG_SUDAH_ADA,
    MSG_TIDAK_LAYAK,
    PERORANGAN,
    Periode,
    periksa_hash,
    tolak_tahap,
    wajib_isi,
)
from egov.eventstore.domain import Aggregate, InvalidInput, InvalidState, is_erased

_KODE_DESA = re.compile(r"^\d{10}$")


class TidakLayak(InvalidState):
    """Refused because eligibility failed; ``gagal`` holds the failed rule codes."""

    code = "tidak_layak"

    def __init__(self, gagal: Sequence[str]):
        super().__init__(MSG_TIDAK_LAYAK.format(kode=", ".join(gagal)))
        self.gagal = tuple(gagal)


def empat_mata(aksi: str, peran: str) -> InvalidState:
    return InvalidState(MSG_EMPAT_MATA.format(aksi=aksi, peran=peran), code="empat_mata")


def petugas_sama(pertama: tuple[str, str], kedua: tuple[str, str]) -> bool:
    """Whether two (principal id, display name) pairs are the same officer, for the
    four-eyes rules: by principal id, which is stable and unique (two officers may share a
    display name, and a name can be edited); by name only when one side was recorded before
    ids were (an event of schema 1)."""
    (id_pertama, nama_pertama), (id_kedua, nama_kedua) = pertama, kedua
    if id_pertama and id_kedua:
        return id_pertama == id_kedua
    return nama_pertama == nama_kedua


def program_untuk(konfigurasi: KonfigurasiBansos, kode: str, periode: str) -> Program:
    """The programme row in force on the first day of ``periode``, which must fit its
    schedule (a quarter for PKH, a month otherwise)."""
    awal = Periode.parse(periode)
    program = konfigurasi.program_pada(kode, awal.awal)
    if not awal.cocok_dengan(program.jadwal):
        raise InvalidInput(MSG_PERIODE_TIDAK_SESUAI, code="periode_tidak_sesuai")
    return program


class Usulan(Aggregate):
    """Build it with ``Usulan(uuid4())`` and ``ajukan(...)``; load a decided one as
    ``Penerima``, which continues the same stream."""

    stream_type = "Penerima"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.status = ""
        self.program = ""
        self.periode = ""
        self.nomor_kk_hash = ""
        self.pengurus_nik_hash = ""
        self.anggota: tuple[Anggota, ...] = ()
        self.desil = 0
        self.kode_wilayah = ""
        self.diajukan_oleh = ""
        self.diajukan_oleh_id = ""
        self.rekening_hash = ""
        self.verifikasi_terakhir: UsulanDiverifikasi | None = None
        self.komponen: tuple[str, ...] = ()  # once decided
        self.periode_mulai = ""

    @property
    def data(self) -> DataUsulan:
        """The household as eligibility judges it."""
        return DataUsulan(
            self.id,
            self.program,
            self.nomor_kk_hash,
            self.pengurus_nik_hash,
            self.anggota,
            self.desil,
            self.rekening_hash,
        )

    # --- commands -------------------------------------------------------------------------
    def ajukan(
        self,
        *,
        program: str,
        periode: str,
        nomor_kk_hash: str,
        pengurus_nik_hash: str,
        anggota: Sequence[Anggota],
        desil: int,
        kode_wilayah: str,
        diajukan_oleh: str,
        sekarang: datetime,
        konfigurasi: KonfigurasiBansos,
        diajukan_oleh_id: str = "",
        rekening_hash: str = "",
    ) -> None:
        """``diajukan_oleh_id``: the proposer's principal id (the four-eyes rule's key);
        ``rekening_hash``: the keyed hash of the bank account paid into ("" none yet)."""
        if self.exists:
            raise InvalidState(MSG_SUDAH_ADA, code="usulan_sudah_ada")
        aturan = program_untuk(konfigurasi, program, periode)
        anggota = _periksa_anggota(aturan, anggota, periksa_hash(pengurus_nik_hash))
        if type(desil) is not int or not DESIL_TERENDAH <= desil <= DESIL_TERTINGGI:
            raise InvalidInput(MSG_DESIL, code="desil_tidak_valid")
        if not isinstance(kode_wilayah, str) or not _KODE_DESA.match(kode_wilayah):
            raise InvalidInput(MSG_KODE_WILAYAH, code="kode_wilayah_tidak_valid")
        self._record(
            UsulanPenerimaDiajukan(
                usulan_id=self.id,
                program=aturan.kode,
                periode=str(Periode.parse(periode)),
                nomor_kk_hash=periksa_hash(nomor_kk_hash),
                pengurus_nik_hash=pengurus_nik_hash,
                anggota=tuple((a.nik_hash, a.komponen) for a in anggota),
                desil=desil,
                kode_wilayah=kode_wilayah,
                diajukan_oleh=wajib_isi(diajukan_oleh, "diajukan_oleh"),
                diajukan_pada=sekarang,
                diajukan_oleh_id=diajukan_oleh_id,
                rekening_hash=periksa_hash(rekening_hash) if rekening_hash else "",
            )
        )

    def verifikasi(
        self,
        *,
        fakta: FaktaKelayakan,
        konfigurasi: KonfigurasiBansos,
        oleh: str,
        sekarang: datetime,
    ) -> HasilKelayakan:
        """Check every rule on the replicas' facts and record the result, passed or not."""
        if self.status not in (DIAJUKAN, DIVERIFIKASI):
            raise tolak_tahap("Usulan", self.status, "diverifikasi")
        periode = Periode.parse(self.periode)
        program = konfigurasi.program_pada(self.program, periode.awal)
        lain = konfigurasi.tidak_bersama(self.program, periode.awal)
        hasil = periksa_kelayakan(self.data, fakta, program, periode, tidak_bersama=lain)
        self._record(
            UsulanDiverifikasi(
                usulan_id=self.id,
                pengurus_nik_hash=self.pengurus_nik_hash,
                layak=hasil.layak,
                lolos=hasil.lolos,
                gagal=hasil.kode_gagal,
                tinjau=hasil.kode_tinjau,
                temuan=tuple((t.kode, t.nik_hash) for t in (*hasil.gagal, *hasil.tinjau)),
                desil=hasil.desil,
                diverifikasi_oleh=wajib_isi(oleh, "diverifikasi_oleh"),
                diverifikasi_pada=sekarang,
            )
        )
        return hasil

    def tetapkan(
        self, *, dasar_hukum: str, oleh: str, sekarang: datetime, oleh_id: str = ""
    ) -> None:
        """Decide the household a recipient from the proposal's period, on the last
        verification (the command verifies again in the same transaction when it is stale).
        ``oleh_id``: the deciding officer's principal id, compared with the proposer's."""
        if self.status != DIVERIFIKASI or self.verifikasi_terakhir is None:
            raise tolak_tahap("Usulan", self.status, "ditetapkan")
        if not self.verifikasi_terakhir.layak:
            raise TidakLayak(self.verifikasi_terakhir.gagal)
        oleh = wajib_isi(oleh, "ditetapkan_oleh")
        if petugas_sama((oleh_id, oleh), (self.diajukan_oleh_id, self.diajukan_oleh)):
            raise empat_mata("penetapan", "mengajukan usulan")
        self._record(
            PenerimaDitetapkan(
                penerima_id=self.id,
                program=self.program,
                periode=self.periode,
                nomor_kk_hash=self.nomor_kk_hash,
                pengurus_nik_hash=self.pengurus_nik_hash,
                anggota=tuple(a.nik_hash for a in self.anggota),
                komponen=tuple(a.komponen for a in self.anggota if a.komponen),
                dasar_hukum=wajib_isi(dasar_hukum, "dasar_hukum"),
                ditetapkan_oleh=oleh,
                ditetapkan_pada=sekarang,
            )
        )

    def tolak(self, *, alasan: str, oleh: str, sekarang: datetime) -> None:
        if self.status not in (DIAJUKAN, DIVERIFIKASI):
            raise tolak_tahap("Usulan", self.status, "ditolak")
        self._record(
            UsulanDitolak(
                usulan_id=self.id,
                pengurus_nik_hash=self.pengurus_nik_hash,
                alasan=wajib_isi(alasan, "alasan"),
                ditolak_oleh=wajib_isi(oleh, "ditolak_oleh"),
                ditolak_pada=sekarang,
            )
        )

    # --- appliers: assignments only -------------------------------------------------------
    def apply_UsulanPenerimaDiajukan(self, e: UsulanPenerimaDiajukan) -> None:
        # After the pengurus's data was erased the sealed fields load as ERASED: the stream
        # must still load (an erased household is no longer judged or paid on them).
        anggota = () if is_erased(e.anggota) else e.anggota
        self.status, self.program, self.periode = DIAJUKAN, e.program, e.periode
        self.nomor_kk_hash, self.pengurus_nik_hash = e.nomor_kk_hash, e.pengurus_nik_hash
        self.anggota = tuple(Anggota(nik, komponen) for nik, komponen in anggota)
        self.desil = 0 if is_erased(e.desil) else e.desil
        self.kode_wilayah, self.diajukan_oleh = e.kode_wilayah, e.diajukan_oleh
        self.diajukan_oleh_id = e.diajukan_oleh_id
        self.rekening_hash = e.rekening_hash

    def apply_UsulanDiverifikasi(self, e: UsulanDiverifikasi) -> None:
        self.status, self.verifikasi_terakhir = DIVERIFIKASI, e

    def apply_UsulanDitolak(self, e: UsulanDitolak) -> None:
        self.status = DITOLAK

    def apply_PenerimaDitetapkan(self, e: PenerimaDitetapkan) -> None:
        self.status, self.periode_mulai = AKTIF, e.periode
        self.komponen = () if is_erased(e.komponen) else e.komponen


def _periksa_anggota(
    program: Program, anggota: Sequence[Anggota], pengurus: str
) -> tuple[Anggota, ...]:
    anggota = tuple(anggota)
    if not anggota:
        raise InvalidInput(MSG_ANGGOTA_KOSONG, code="anggota_kosong")
    nik = [periksa_hash(a.nik_hash) for a in anggota]
    if len(set(nik)) != len(nik):
        raise InvalidInput(MSG_ANGGOTA_GANDA, code="anggota_ganda")
    if program.jenis == PERORANGAN and len(anggota) != 1:
        raise InvalidInput(MSG_PERORANGAN_SATU, code="perorangan_satu_orang")
    if pengurus not in nik:
        raise InvalidInput(MSG_PENGURUS, code="pengurus_bukan_anggota")
    for a in anggota:
        if a.komponen and a.komponen not in program.kode_komponen:
            message = MSG_KOMPONEN.format(komponen=a.komponen)
            raise InvalidInput(message, code="komponen_tidak_dikenal")
    return anggota
