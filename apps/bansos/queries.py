"""Read side of the bansos context: plain data from ``bansos_read`` only (the tables of
``bansos.ringkasan``, ``read_models.py``), never the write database, never an event.

- Officers (group ``petugas_kemensos``), within the region their office covers: the queue
  of households (``antrean_usulan``), one household's eligibility result
  (``hasil_kelayakan``), the rounds (``daftar_siklus``, ``siklus``) and a round's
  reconciliation with its instructions (``rekonsiliasi``).
- Payment channels (scope ``bansos:penyaluran``): the instructions waiting for their report
  (``instruksi_kanal``), without personal data.
- Officers and integrators with scope ``bansos:baca``: the dashboard (``dasbor``), aggregate
  figures only.
- The citizen: "Bantuan saya" (``bantuan_warga``, ``bagian_portal``), by their subject id,
  which is the keyed hash of their verified NIK, the same hash the household's events carry.

A household outside an officer's region is refused (``luar_wilayah``); anyone who is not an
officer learns nothing about households, not even that one exists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy, gettext_noop

from apps.bansos.domain.penyaluran import Rekonsiliasi
from apps.bansos.domain.rules import (
    AKTIF,
    BLT,
    BPNT,
    DIAJUKAN,
    DIALIHKAN_KE_POS,
    DIBATALKAN,
    DIBUAT,
    DIGRADUASI,
    DIKELUARKAN,
    DIKEMBALIKAN,
    DISALURKAN,
    DISETUJUI,
    DITANGGUHKAN,
    DITOLAK,
    DITUTUP,
    DIVERIFIKASI,
    DRAF,
    GAGAL,
    LAINNYA,
    MENINGGAL,
    NIK_NONAKTIF,
    PKH,
    POS,
    TERSALUR,
    TIDAK_DIAMBIL,
    TIDAK_LAYAK,
)
from apps.bansos.read_models import (
    BantuanWarga,
    InstruksiRingkas,
    SiklusRingkas,
    StatistikPenerima,
    StatistikPenyaluran,
    UsulanRingkas,
)
from apps.bansos.roles import (
    SCOPE_BACA,
    is_petugas,
    kanal_penyalur,
    require_penyalur,
    require_petugas,
)
from egov import wilayah
from egov.principals import NotVisible, Principal, require

MSG_BUKAN_PEMBACA = gettext_noop(
    "Hanya petugas Kemensos atau sistem dengan cakupan bansos:baca yang dapat membaca "
    "statistik bansos."
)
# The commands' own words for an unknown record (same msgids; the read side may not import the
# commands, which sit above it in the layers contract).
MSG_USULAN_TIDAK_DITEMUKAN = gettext_noop("Usulan atau penerima bansos tidak ditemukan.")
MSG_SIKLUS_TIDAK_DITEMUKAN = gettext_noop("Siklus penyaluran tidak ditemukan.")
BATAS_ANTREAN = 200  # one page of the officers' queue

# What a person reads instead of a code (local: "AKTIF" or "DITOLAK" mean other things in
# other contexts, so they are not put in the portal's shared label registry).
LABEL = {
    PKH: gettext_lazy("Program Keluarga Harapan (PKH)"),
    BPNT: gettext_lazy("Bantuan Pangan Non-Tunai (BPNT)"),
    BLT: gettext_lazy("Bantuan Langsung Tunai (BLT)"),
    DIAJUKAN: gettext_lazy("Diusulkan, menunggu verifikasi"),
    DIVERIFIKASI: gettext_lazy("Diverifikasi, menunggu penetapan"),
    DITOLAK: gettext_lazy("Tidak ditetapkan"),
    AKTIF: gettext_lazy("Penerima aktif"),
    DITANGGUHKAN: gettext_lazy("Ditangguhkan"),
    DIGRADUASI: gettext_lazy("Graduasi: tidak lagi menerima"),
    DIKELUARKAN: gettext_lazy("Dikeluarkan dari program"),
    MENINGGAL: gettext_lazy("Anggota keluarga tercatat meninggal dunia di Dukcapil"),
    NIK_NONAKTIF: gettext_lazy("NIK anggota keluarga dinonaktifkan oleh Dukcapil"),
    TIDAK_LAYAK: gettext_lazy("Tidak lagi memenuhi syarat"),
    LAINNYA: gettext_lazy("Alasan lain; hubungi dinas sosial setempat"),
}
# A status's GOV.UK tag colour on the citizen's page (what it asks of them).
WARNA_STATUS = {
    AKTIF: "govuk-tag--green",
    DITANGGUHKAN: "govuk-tag--orange",
    DITOLAK: "govuk-tag--red",
    DIKELUARKAN: "govuk-tag--red",
    DIGRADUASI: "govuk-tag--grey",
}
STATUS_USULAN = (DIAJUKAN, DIVERIFIKASI, DITOLAK, AKTIF, DITANGGUHKAN, DIGRADUASI, DIKELUARKAN)
STATUS_SIKLUS = (DRAF, DIAJUKAN, DISETUJUI, DISALURKAN, DITUTUP)
STATUS_INSTRUKSI = (DIBUAT, TERSALUR, GAGAL, TIDAK_DIAMBIL, DIALIHKAN_KE_POS)
STATUS_INSTRUKSI += (DIKEMBALIKAN, DIBATALKAN)


def label(kode: str) -> str:
    return str(LABEL.get(kode, kode))


# --- plain data ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kepatuhan:
    """One PKH condition as last recorded: ``komponen`` (SD, SMP, IBU_HAMIL...) met or not
    in ``periode``, reported by ``sumber``."""

    periode: str
    komponen: str
    patuh: bool
    sumber: str


def _kepatuhan(rows: list[dict]) -> tuple[Kepatuhan, ...]:
    return tuple(Kepatuhan(k["periode"], k["komponen"], k["patuh"], k["sumber"]) for k in rows)


@dataclass(frozen=True)
class Temuan:
    """One rule a verification names: ``alasan`` is the Indonesian msgid (the page translates
    it); ``anggota``: the NIK hashes of the members it is about (none for the household)."""

    kode: str
    alasan: str
    anggota: tuple[str, ...]


@dataclass(frozen=True)
class Usulan:
    """One household in one programme, as officers see it."""

    penerima_id: uuid.UUID
    program: str
    periode: str
    kode_wilayah: str
    kode_provinsi: str
    status: str
    jumlah_anggota: int
    layak: bool | None
    kode_gagal: tuple[str, ...]
    kode_tinjau: tuple[str, ...]
    alasan_penangguhan: str
    keterangan: str
    keberatan_terbuka: bool
    nominal_per_tahap: int
    tahap_diterima: int
    rupiah_diterima: int
    diajukan_oleh: str
    diajukan_pada: datetime
    diputuskan_oleh: str
    diputuskan_pada: datetime | None
    diperbarui_pada: datetime

    @property
    def nama_status(self) -> str:
        return label(self.status)

    @property
    def perlu_tinjau(self) -> bool:
        return bool(self.kode_tinjau)


@dataclass(frozen=True)
class HasilKelayakanUsulan:
    """A household's last verification: every failed rule and review flag with its reason
    and members, the decile it used, who verified and decided."""

    usulan: Usulan
    pengurus_nik_hash: str  # the subject whose key seals the household's data (record_view)
    desil: int | None
    gagal: tuple[Temuan, ...]
    tinjau: tuple[Temuan, ...]
    komponen: tuple[str, ...]
    dasar_hukum: str
    diverifikasi_oleh: str
    diverifikasi_pada: datetime | None
    kepatuhan: tuple[Kepatuhan, ...] = ()  # PKH conditions, by period then component


@dataclass(frozen=True)
class Siklus:
    """A round with its instructions counted and summed by status now (``rekonsiliasi``:
    the domain's figures, so ``selisih`` and ``seimbang`` mean what closing checks)."""

    siklus_id: uuid.UUID
    program: str
    periode: str
    tahap: int
    status: str
    dibuat_oleh: str
    dibuat_pada: datetime
    diajukan_oleh: str
    disetujui_oleh: str
    disetujui_pada: datetime | None
    ditutup_oleh: str
    ditutup_pada: datetime | None
    jumlah: dict[str, int]  # per instruction status (all of them, zeros included)
    rupiah: dict[str, int]
    rekonsiliasi: Rekonsiliasi


@dataclass(frozen=True)
class Instruksi:
    instruksi_id: uuid.UUID
    penerima_id: uuid.UUID
    kode_provinsi: str
    nominal: int
    kanal: str
    status: str
    ntx: str
    nominal_disalurkan: int
    nominal_dikembalikan: int
    referensi: str
    alasan: str
    diperbarui_pada: datetime


@dataclass(frozen=True)
class RekonsiliasiSiklus:
    siklus: Siklus
    instruksi: tuple[Instruksi, ...]


@dataclass(frozen=True)
class BarisDasbor:
    """One programme in one province (``kode_provinsi`` "" on the total row): households
    now, and the money of the periods asked for."""

    program: str
    kode_provinsi: str
    nama_provinsi: str
    aktif: int
    ditangguhkan: int
    digraduasi: int
    dikeluarkan: int
    jumlah_instruksi: int
    rupiah_instruksi: int
    jumlah_disalurkan: int
    rupiah_disalurkan: int
    jumlah_dikembalikan: int
    rupiah_dikembalikan: int


@dataclass(frozen=True)
class BantuanSaya:
    """One household the citizen belongs to, as they see it."""

    penerima_id: uuid.UUID
    program: str
    periode: str
    status: str
    alasan_penangguhan: str
    tahap_diterima: int
    rupiah_diterima: int
    diperbarui_pada: datetime
    kepatuhan: tuple[Kepatuhan, ...] = ()  # PKH conditions, by period then component

    @property
    def nama_program(self) -> str:
        return label(self.program)

    @property
    def nama_status(self) -> str:
        return label(self.status)

    @property
    def warna_status(self) -> str:
        return WARNA_STATUS.get(self.status, "")

    @property
    def nama_alasan_penangguhan(self) -> str:
        return label(self.alasan_penangguhan) if self.status == DITANGGUHKAN else ""


# --- households (officers) -----------------------------------------------------------------------
def _usulan(r: UsulanRingkas) -> Usulan:
    return Usulan(
        penerima_id=r.penerima_id,
        program=r.program,
        periode=r.periode,
        kode_wilayah=r.kode_wilayah,
        kode_provinsi=r.kode_provinsi,
        status=r.status,
        jumlah_anggota=r.jumlah_anggota,
        layak=r.layak,
        kode_gagal=tuple(t["kode"] for t in r.gagal),
        kode_tinjau=tuple(t["kode"] for t in r.tinjau),
        alasan_penangguhan=r.alasan_penangguhan,
        keterangan=r.keterangan,
        keberatan_terbuka=r.keberatan_terbuka,
        nominal_per_tahap=r.nominal_per_tahap,
        tahap_diterima=r.tahap_diterima,
        rupiah_diterima=r.rupiah_diterima,
        diajukan_oleh=r.diajukan_oleh,
        diajukan_pada=r.diajukan_pada,
        diputuskan_oleh=r.diputuskan_oleh,
        diputuskan_pada=r.diputuskan_pada,
        diperbarui_pada=r.diperbarui_pada,
    )


def antrean_usulan(
    principal: Principal,
    *,
    status: str = "",
    program: str = "",
    periode: str = "",
    kode_wilayah: str = "",
    perlu_tinjau: bool | None = None,
    keberatan_terbuka: bool | None = None,
    batas: int = BATAS_ANTREAN,
) -> list[Usulan]:
    """The officers' queue within the officer's office region, oldest proposal first.
    ``kode_wilayah``: a region code prefix (a province "32", a regency "3273", a village)."""
    require_petugas(principal)
    rows = UsulanRingkas.objects.filter(kode_wilayah__startswith=principal.office)
    filters = {"status": status, "program": program, "periode": periode}
    rows = rows.filter(**{k: v for k, v in filters.items() if v})
    if kode_wilayah:
        rows = rows.filter(kode_wilayah__startswith=kode_wilayah)
    if perlu_tinjau is not None:
        rows = rows.exclude(tinjau=[]) if perlu_tinjau else rows.filter(tinjau=[])
    if keberatan_terbuka is not None:
        rows = rows.filter(keberatan_terbuka=keberatan_terbuka)
    return [_usulan(r) for r in rows.order_by("diajukan_pada", "penerima_id")[:batas]]


def jumlah_per_status(principal: Principal, *, program: str = "", periode: str = "") -> dict:
    """How many households of the officer's region are in each status (zeros included)."""
    require_petugas(principal)
    rows = UsulanRingkas.objects.filter(kode_wilayah__startswith=principal.office)
    rows = rows.filter(**{k: v for k, v in {"program": program, "periode": periode}.items() if v})
    counted = dict(_count_by(rows, "status"))
    return {status: counted.get(status, 0) for status in STATUS_USULAN}


def _count_by(rows: QuerySet, field: str):
    return rows.values_list(field).annotate(n=Count("pk")).order_by()


def _satu_usulan(principal: Principal, penerima_id: uuid.UUID) -> UsulanRingkas:
    require_petugas(principal)  # before the look-up: others learn nothing
    row = UsulanRingkas.objects.filter(penerima_id=penerima_id).first()
    if row is None:
        raise NotVisible(MSG_USULAN_TIDAK_DITEMUKAN)
    require_petugas(principal, kode_wilayah=row.kode_wilayah)
    return row


def _temuan(rows: list[dict]) -> tuple[Temuan, ...]:
    return tuple(Temuan(t["kode"], t["alasan"], tuple(t["anggota"])) for t in rows)


def hasil_kelayakan(principal: Principal, penerima_id: uuid.UUID) -> HasilKelayakanUsulan:
    """One household's eligibility page (the doors record the view: ``record_view``)."""
    r = _satu_usulan(principal, penerima_id)
    return HasilKelayakanUsulan(
        usulan=_usulan(r),
        pengurus_nik_hash=r.pengurus_nik_hash,
        desil=r.desil,
        gagal=_temuan(r.gagal),
        tinjau=_temuan(r.tinjau),
        komponen=tuple(r.komponen),
        dasar_hukum=r.dasar_hukum,
        diverifikasi_oleh=r.diverifikasi_oleh,
        diverifikasi_pada=r.diverifikasi_pada,
        kepatuhan=_kepatuhan(r.kepatuhan),
    )


# --- disbursement rounds (officers) --------------------------------------------------------------
_KOLOM = {
    DIBUAT: "menunggu",
    TERSALUR: "disalurkan",
    GAGAL: "gagal",
    TIDAK_DIAMBIL: "tidak_diambil",
    DIALIHKAN_KE_POS: "dialihkan",
    DIKEMBALIKAN: "dikembalikan",
    DIBATALKAN: "dibatalkan",
}


def _siklus(r: SiklusRingkas) -> Siklus:
    jumlah = {s: getattr(r, f"jumlah_{k}") for s, k in _KOLOM.items()}
    rupiah = {s: getattr(r, f"rupiah_{k}") for s, k in _KOLOM.items()}
    belum_final = jumlah[DIBUAT] + jumlah[TIDAK_DIAMBIL] + jumlah[DIALIHKAN_KE_POS]
    return Siklus(
        siklus_id=r.siklus_id,
        program=r.program,
        periode=r.periode,
        tahap=r.tahap,
        status=r.status,
        dibuat_oleh=r.dibuat_oleh,
        dibuat_pada=r.dibuat_pada,
        diajukan_oleh=r.diajukan_oleh,
        disetujui_oleh=r.disetujui_oleh,
        disetujui_pada=r.disetujui_pada,
        ditutup_oleh=r.ditutup_oleh,
        ditutup_pada=r.ditutup_pada,
        jumlah=jumlah,
        rupiah=rupiah,
        rekonsiliasi=Rekonsiliasi(
            jumlah_instruksi=r.jumlah_instruksi,
            diinstruksikan=r.rupiah_instruksi,
            disalurkan=r.rupiah_disalurkan,
            dikembalikan=r.rupiah_dikembalikan,
            gagal=r.rupiah_gagal,
            dibatalkan=r.rupiah_dibatalkan,
            belum_final=belum_final,
        ),
    )


def daftar_siklus(
    principal: Principal, *, program: str = "", periode: str = "", status: str = ""
) -> list[Siklus]:
    """Rounds, the latest period and round first."""
    require_petugas(principal)
    filters = {"program": program, "periode": periode, "status": status}
    rows = SiklusRingkas.objects.filter(**{k: v for k, v in filters.items() if v})
    return [_siklus(r) for r in rows.order_by("-periode", "program", "-tahap")]


def _satu_siklus(principal: Principal, siklus_id: uuid.UUID) -> SiklusRingkas:
    require_petugas(principal)
    row = SiklusRingkas.objects.filter(siklus_id=siklus_id).first()
    if row is None:
        raise NotVisible(MSG_SIKLUS_TIDAK_DITEMUKAN)
    return row


def siklus(principal: Principal, siklus_id: uuid.UUID) -> Siklus:
    """One round with its totals (the approval page)."""
    return _siklus(_satu_siklus(principal, siklus_id))


def rekonsiliasi(
    principal: Principal, siklus_id: uuid.UUID, *, status: str = ""
) -> RekonsiliasiSiklus:
    """A round's totals and its instructions (``status``: only those in it), of the
    officer's region (a round is national; its instructions are counted where the
    household lives)."""
    row = _satu_siklus(principal, siklus_id)
    rows = InstruksiRingkas.objects.filter(siklus_id=siklus_id)
    if principal.office:
        rows = rows.filter(kode_wilayah__startswith=principal.office)
    if status:
        rows = rows.filter(status=status)
    instruksi = tuple(
        Instruksi(
            instruksi_id=r.instruksi_id,
            penerima_id=r.penerima_id,
            kode_provinsi=r.kode_provinsi,
            nominal=r.nominal,
            kanal=r.kanal,
            status=r.status,
            ntx=r.ntx,
            nominal_disalurkan=r.nominal_disalurkan,
            nominal_dikembalikan=r.nominal_dikembalikan,
            referensi=r.referensi,
            alasan=r.alasan,
            diperbarui_pada=r.diperbarui_pada,
        )
        for r in rows.order_by("status", "penerima_id")
    )
    return RekonsiliasiSiklus(_siklus(row), instruksi)


# --- the payment channels (bansos:penyaluran) ---------------------------------------------------
MENUNGGU = "MENUNGGU"  # a channel's filter: every instruction still waiting for an outcome
BELUM_FINAL = (DIBUAT, TIDAK_DIAMBIL, DIALIHKAN_KE_POS)
BATAS_KANAL = 500  # one page of a channel's poll


@dataclass(frozen=True)
class InstruksiKanal:
    """A payment instruction as the channel sees it: no personal data (the recipient by its
    pseudonymous id), the amount to pay and where the household lives."""

    instruksi_id: uuid.UUID
    siklus_id: uuid.UUID
    penerima_id: uuid.UUID
    kode_wilayah: str
    nominal: int
    kanal: str
    status: str
    dibuat_pada: datetime
    diperbarui_pada: datetime


def instruksi_kanal(
    principal: Principal,
    *,
    siklus_id: uuid.UUID | None = None,
    kanal: str = "",
    status: str = MENUNGGU,
    batas: int = BATAS_KANAL,
) -> list[InstruksiKanal]:
    """A channel's poll (scope ``bansos:penyaluran``): its own instructions in ``status``
    (``MENUNGGU``: made, not collected or redirected to PT Pos, i.e. not final), of one round
    and one channel when given, the oldest first."""
    require_penyalur(principal)
    milik = kanal_penyalur(principal)
    terlihat = Q(kanal__in=milik)
    if POS in milik:  # PT Pos also sees what a bank reported not collected
        terlihat |= Q(status__in=(TIDAK_DIAMBIL, DIALIHKAN_KE_POS))
    rows = InstruksiRingkas.objects.filter(terlihat)
    if status == MENUNGGU:
        rows = rows.filter(status__in=BELUM_FINAL)
    elif status:
        rows = rows.filter(status=status)
    if siklus_id is not None:
        rows = rows.filter(siklus_id=siklus_id)
    if kanal:
        rows = rows.filter(kanal=kanal)
    return [
        InstruksiKanal(
            instruksi_id=r.instruksi_id,
            siklus_id=r.siklus_id,
            penerima_id=r.penerima_id,
            kode_wilayah=r.kode_wilayah,
            nominal=r.nominal,
            kanal=r.kanal,
            status=r.status,
            dibuat_pada=r.dibuat_pada,
            diperbarui_pada=r.diperbarui_pada,
        )
        for r in rows.order_by("dibuat_pada", "instruksi_id")[:batas]
    ]


# --- the dashboard (officers, bansos:baca) -------------------------------------------------------
def require_pembaca_statistik(principal: Principal) -> None:
    allowed = is_petugas(principal) or principal.has_scope(SCOPE_BACA)
    require(allowed, MSG_BUKAN_PEMBACA, code="bukan_pembaca")


KOLOM_PENERIMA = ("aktif", "ditangguhkan", "digraduasi", "dikeluarkan")
KOLOM_DANA = (
    "jumlah_instruksi",
    "rupiah_instruksi",
    "jumlah_disalurkan",
    "rupiah_disalurkan",
    "jumlah_dikembalikan",
    "rupiah_dikembalikan",
)


def dasbor(
    principal: Principal, *, program: str = "", periode: str = "", kode_provinsi: str = ""
) -> list[BarisDasbor]:
    """Per programme and province: households now, money of ``periode`` (every period when
    empty); then one total row per programme (``kode_provinsi`` "")."""
    require_pembaca_statistik(principal)
    kunci = Q(program=program) if program else Q()
    if kode_provinsi:
        kunci &= Q(kode_provinsi=kode_provinsi)
    penerima = {
        (r["program"], r["kode_provinsi"]): r
        for r in StatistikPenerima.objects.filter(kunci).values(
            "program", "kode_provinsi", *KOLOM_PENERIMA
        )
    }
    dana_rows = StatistikPenyaluran.objects.filter(kunci)
    if periode:
        dana_rows = dana_rows.filter(periode=periode)
    dana = {
        (r["program"], r["kode_provinsi"]): r
        for r in dana_rows.values("program", "kode_provinsi")
        .annotate(**{k: Sum(k) for k in KOLOM_DANA})
        .order_by()
    }
    baris = [_baris(k, penerima.get(k, {}), dana.get(k, {})) for k in sorted({*penerima, *dana})]
    return baris + _total(baris)


def _baris(kunci: tuple[str, str], penerima: dict, dana: dict) -> BarisDasbor:
    program, provinsi = kunci
    angka = {k: penerima.get(k) or 0 for k in KOLOM_PENERIMA}
    angka |= {k: dana.get(k) or 0 for k in KOLOM_DANA}
    nama = (wilayah.nama(provinsi) or "") if provinsi else ""
    return BarisDasbor(program=program, kode_provinsi=provinsi, nama_provinsi=nama, **angka)


def _total(baris: list[BarisDasbor]) -> list[BarisDasbor]:
    totals = []
    for program in sorted({b.program for b in baris}):
        sendiri = [b for b in baris if b.program == program]
        angka = {k: sum(getattr(b, k) for b in sendiri) for k in (*KOLOM_PENERIMA, *KOLOM_DANA)}
        totals.append(BarisDasbor(program=program, kode_provinsi="", nama_provinsi="", **angka))
    return totals


# --- the citizen: "Bantuan saya" -----------------------------------------------------------------
def bantuan_warga(subject_id: str) -> list[BantuanSaya]:
    """Every household the citizen is a member of, in any programme, the latest first.
    ``subject_id``: the keyed hash of their *verified* NIK ("" before it is: nothing)."""
    if not subject_id:
        return []
    rows = BantuanWarga.objects.filter(nik_hash=subject_id)
    return [
        BantuanSaya(
            penerima_id=r.penerima_id,
            program=r.program,
            periode=r.periode,
            status=r.status,
            alasan_penangguhan=r.alasan_penangguhan,
            tahap_diterima=r.tahap_diterima,
            rupiah_diterima=r.rupiah_diterima,
            diperbarui_pada=r.diperbarui_pada,
            kepatuhan=_kepatuhan(r.kepatuhan),
        )
        for r in rows.order_by("-periode", "program", "penerima_id")
    ]


def bagian_portal(subject_id: str) -> list[dict]:
    """The portal home's "Bantuan sosial" section: one item per household the citizen is
    in (programme, status, tranches received, why it is suspended); [] when none."""
    return [{"bantuan": b} for b in bantuan_warga(subject_id)]
