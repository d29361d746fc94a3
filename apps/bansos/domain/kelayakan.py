"""Eligibility: pure functions over facts the caller supplies from bansos's own replicas.

The command reads bansos's replicas (identity status per NIK hash from ktp's published events,
KK membership, recipients of every programme, the exclusion lists, the DTSEN decile, bank
accounts) into a ``FaktaKelayakan`` and asks ``periksa_kelayakan``. Every rule is checked and
every failure is returned, not only the first: the village operator fixes a proposal in one go,
and an auditor sees why a household was refused. A finding names the member (by NIK hash) when
it is about one person. NIKs and KK numbers are keyed hashes here, never numbers in clear.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from apps.bansos.domain.konfigurasi import Program
from apps.bansos.domain.rules import (
    KELUARGA,
    MENINGGAL,
    MSG_BUKAN_ANGGOTA_KK,
    MSG_DESIL_BELUM_DIPADANKAN,
    MSG_DESIL_DI_ATAS_BATAS,
    MSG_DIKECUALIKAN,
    MSG_GANDA_KK,
    MSG_GANDA_NIK,
    MSG_MENINGGAL,
    MSG_NIK_BELUM_TERVERIFIKASI,
    MSG_NIK_DI_BANYAK_KK,
    MSG_NIK_NONAKTIF,
    MSG_REKENING_BERSAMA,
    MSG_TUMPANG_TINDIH,
    Periode,
)
from egov.contracts.ktp import NONAKTIF, VERIFIED

# --- rule codes (stable: the API, the admin and the events carry them) ------------------------
NIK_BELUM_TERVERIFIKASI = "nik_belum_terverifikasi"
NIK_NONAKTIF = "nik_nonaktif"
MENINGGAL_DUNIA = "meninggal"
NIK_DI_BANYAK_KK = "nik_di_banyak_kk"
BUKAN_ANGGOTA_KK = "bukan_anggota_kk"
GANDA_NIK = "ganda_nik"
GANDA_KK = "ganda_kk"
DIKECUALIKAN = "dikecualikan"
DESIL_DI_ATAS_BATAS = "desil_di_atas_batas"
TUMPANG_TINDIH_PROGRAM = "tumpang_tindih_program"
# Flags: they do not fail the household but an officer must look before payment.
REKENING_BERSAMA = "rekening_bersama"
DESIL_BELUM_DIPADANKAN = "desil_belum_dipadankan"
# The identity rules are one check per member: a NIK fails at most one of them.
ATURAN_IDENTITAS = (NIK_BELUM_TERVERIFIKASI, NIK_NONAKTIF, MENINGGAL_DUNIA)
ATURAN_KK = (NIK_DI_BANYAK_KK, BUKAN_ANGGOTA_KK)


@dataclass(frozen=True)
class Anggota:
    """A household member as proposed: ``komponen`` is the PKH component they count for
    ("" for none, and always "" in a flat-rate programme)."""

    nik_hash: str
    komponen: str = ""


@dataclass(frozen=True)
class DataUsulan:
    """The household being judged (``Usulan.data`` and ``Penerima.data`` give it). ``id`` is
    its own stream: its own recipient record is not a duplicate of itself."""

    id: uuid.UUID
    program: str
    nomor_kk_hash: str
    pengurus_nik_hash: str
    anggota: tuple[Anggota, ...]
    desil: int
    rekening_hash: str = ""  # keyed hash of the bank account paid into; "" none


@dataclass(frozen=True)
class StatusIdentitas:
    """bansos's Dukcapil replica for one NIK hash: ``VERIFIED`` or ``NONAKTIF`` (with the
    published ``alasan``: MENINGGAL, GANDA, LAINNYA). A NIK absent from the replica is unknown."""

    status: str
    alasan: str = ""


@dataclass(frozen=True)
class PenerimaTercatat:
    """A household (or person) already receiving ``program`` in ``periode``."""

    penerima_id: uuid.UUID
    program: str
    periode: str
    nomor_kk_hash: str
    anggota: frozenset[str]


@dataclass(frozen=True)
class FaktaKelayakan:
    """What the replicas say at the moment of the check.

    ``kk``: NIK hash -> the KK hashes it is listed in (one person, one KK); ``penerima``: the
    recipients of every programme in periods around the one checked (the domain compares
    programmes and periods itself); ``pengecualian``: NIK hash -> exclusion categories;
    ``desil``: the household's DTSEN decile (None: not matched yet); ``rekening_bersama``: how
    many other households (other KKs, proposed or receiving) name the same bank account."""

    identitas: Mapping[str, StatusIdentitas] = field(default_factory=dict)
    kk: Mapping[str, frozenset[str]] = field(default_factory=dict)
    penerima: tuple[PenerimaTercatat, ...] = ()
    pengecualian: Mapping[str, frozenset[str]] = field(default_factory=dict)
    desil: int | None = None
    rekening_bersama: int = 0


@dataclass(frozen=True)
class Temuan:
    """One finding: a stable ``kode``, the Indonesian ``alasan`` (a msgid the front door
    translates) and the member it is about ("" for the household)."""

    kode: str
    alasan: str
    nik_hash: str = ""


@dataclass(frozen=True)
class HasilKelayakan:
    """Every rule checked (``diperiksa``), every failure (``gagal``) and every flag
    (``tinjau``), in rule order then member order; ``desil`` is the decile the rule used."""

    program: str
    periode: str
    diperiksa: tuple[str, ...]
    gagal: tuple[Temuan, ...] = ()
    tinjau: tuple[Temuan, ...] = ()
    desil: int = 0

    @property
    def layak(self) -> bool:
        return not self.gagal

    @property
    def kode_gagal(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.kode for t in self.gagal))

    @property
    def kode_tinjau(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.kode for t in self.tinjau))

    @property
    def lolos(self) -> tuple[str, ...]:
        gagal = set(self.kode_gagal)
        return tuple(k for k in self.diperiksa if k not in gagal)


def periksa_kelayakan(
    usulan: DataUsulan,
    fakta: FaktaKelayakan,
    program: Program,
    periode: Periode,
    *,
    tidak_bersama: frozenset[str] | None = None,
) -> HasilKelayakan:
    """Judge ``usulan`` for ``program`` in ``periode``. ``tidak_bersama``: the programmes it
    may not be combined with (``KonfigurasiBansos.tidak_bersama``, which reads the rule from
    both sides); by default the programme's own row."""
    lain = frozenset(program.tidak_bersama if tidak_bersama is None else tidak_bersama)
    keluarga = program.jenis == KELUARGA
    desil, tinjau = _desil(usulan, fakta)
    gagal = [
        *_identitas(usulan, fakta),
        *_kartu_keluarga(usulan, fakta),
        *_ganda(usulan, fakta, program.kode, periode, keluarga=keluarga),
        *_dikecualikan(usulan, fakta, program),
        *(
            [Temuan(DESIL_DI_ATAS_BATAS, MSG_DESIL_DI_ATAS_BATAS)]
            if desil > program.desil_maks
            else []
        ),
        *_tumpang_tindih(usulan, fakta, lain, periode),
    ]
    if fakta.rekening_bersama > 0:
        tinjau.append(Temuan(REKENING_BERSAMA, MSG_REKENING_BERSAMA, usulan.pengurus_nik_hash))
    diperiksa = (
        *ATURAN_IDENTITAS,
        *ATURAN_KK,
        GANDA_NIK,
        *((GANDA_KK,) if keluarga else ()),
        DIKECUALIKAN,
        DESIL_DI_ATAS_BATAS,
        TUMPANG_TINDIH_PROGRAM,
    )
    return HasilKelayakan(
        program.kode, str(periode), diperiksa, tuple(gagal), tuple(tinjau), desil
    )


def _desil(usulan: DataUsulan, fakta: FaktaKelayakan) -> tuple[int, list[Temuan]]:
    """DTSEN's decile wins; the village's figure is used only while the household is not
    matched yet, and then flagged for review."""
    if fakta.desil is not None:
        return fakta.desil, []
    return usulan.desil, [Temuan(DESIL_BELUM_DIPADANKAN, MSG_DESIL_BELUM_DIPADANKAN)]


def _identitas(usulan: DataUsulan, fakta: FaktaKelayakan) -> list[Temuan]:
    temuan = []
    for anggota in usulan.anggota:
        status = fakta.identitas.get(anggota.nik_hash)
        if status is not None and status.status == NONAKTIF:
            meninggal = status.alasan == MENINGGAL
            kode, alasan = (
                (MENINGGAL_DUNIA, MSG_MENINGGAL) if meninggal else (NIK_NONAKTIF, MSG_NIK_NONAKTIF)
            )
            temuan.append(Temuan(kode, alasan, anggota.nik_hash))
        elif status is None or status.status != VERIFIED:
            temuan.append(
                Temuan(NIK_BELUM_TERVERIFIKASI, MSG_NIK_BELUM_TERVERIFIKASI, anggota.nik_hash)
            )
    return temuan


def _kartu_keluarga(usulan: DataUsulan, fakta: FaktaKelayakan) -> list[Temuan]:
    """One person, one KK: a NIK listed in two KKs fails until Dukcapil resolves it; a NIK
    not listed in the proposed KK fails (a household is the KK, not whoever the list names)."""
    temuan = []
    for anggota in usulan.anggota:
        kk = fakta.kk.get(anggota.nik_hash, frozenset())
        if len(kk) > 1:
            temuan.append(Temuan(NIK_DI_BANYAK_KK, MSG_NIK_DI_BANYAK_KK, anggota.nik_hash))
        elif usulan.nomor_kk_hash not in kk:
            temuan.append(Temuan(BUKAN_ANGGOTA_KK, MSG_BUKAN_ANGGOTA_KK, anggota.nik_hash))
    return temuan


def _lain(fakta: FaktaKelayakan, usulan: DataUsulan, program: frozenset[str], periode: Periode):
    """Other recipients of these programmes in a period overlapping ``periode``."""
    for catatan in fakta.penerima:
        if (
            catatan.penerima_id != usulan.id
            and catatan.program in program
            and Periode.parse(catatan.periode).beririsan(periode)
        ):
            yield catatan


def _ganda(
    usulan: DataUsulan, fakta: FaktaKelayakan, kode: str, periode: Periode, *, keluarga: bool
) -> list[Temuan]:
    """Deduplication per programme and period: by NIK always, by KK for household aid."""
    lain = list(_lain(fakta, usulan, frozenset({kode}), periode))
    temuan = [
        Temuan(GANDA_NIK, MSG_GANDA_NIK, a.nik_hash)
        for a in usulan.anggota
        if any(a.nik_hash in c.anggota for c in lain)
    ]
    if keluarga and any(c.nomor_kk_hash == usulan.nomor_kk_hash for c in lain):
        temuan.append(Temuan(GANDA_KK, MSG_GANDA_KK))
    return temuan


def _dikecualikan(usulan: DataUsulan, fakta: FaktaKelayakan, program: Program) -> list[Temuan]:
    """A household with a civil servant, soldier, police officer or business owner among its
    members is excluded (the categories the programme's row names)."""
    return [
        Temuan(DIKECUALIKAN, MSG_DIKECUALIKAN, a.nik_hash)
        for a in usulan.anggota
        if fakta.pengecualian.get(a.nik_hash, frozenset()) & set(program.pengecualian)
    ]


def _tumpang_tindih(
    usulan: DataUsulan, fakta: FaktaKelayakan, lain: frozenset[str], periode: Periode
) -> list[Temuan]:
    nik = {a.nik_hash for a in usulan.anggota}
    for catatan in _lain(fakta, usulan, lain, periode):
        if catatan.nomor_kk_hash == usulan.nomor_kk_hash or nik & catatan.anggota:
            return [Temuan(TUMPANG_TINDIH_PROGRAM, MSG_TUMPANG_TINDIH)]
    return []
