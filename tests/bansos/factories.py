"""Builders shared by the bansos domain tests (plain Python, no database)."""

import hashlib
import uuid
from datetime import datetime

from apps.bansos.domain.kelayakan import (
    Anggota,
    DataUsulan,
    FaktaKelayakan,
    PenerimaTercatat,
    StatusIdentitas,
)
from apps.bansos.domain.konfigurasi import KONFIGURASI_BAWAAN
from apps.bansos.domain.rules import PKH, SD, SMP, WIB
from egov.contracts.ktp import VERIFIED

KONFIGURASI = KONFIGURASI_BAWAAN


def h(teks: str) -> str:
    """A stand-in for the keyed hash of a NIK or KK number."""
    return hashlib.sha256(teks.encode()).hexdigest()


KK = h("kk-siti")
IBU, AYAH, ANAK_SD, ANAK_SMP = h("ibu"), h("ayah"), h("anak-sd"), h("anak-smp")
KELUARGA = (Anggota(IBU), Anggota(AYAH), Anggota(ANAK_SD, SD), Anggota(ANAK_SMP, SMP))
USULAN_ID = uuid.UUID("00000000-0000-0000-0000-0000000000a1")
KODE_DESA = "3273011001"  # Kelurahan Braga, Sumur Bandung, Kota Bandung


def wib(*args: int) -> datetime:
    """An instant given as Jakarta wall-clock time."""
    return datetime(*args, tzinfo=WIB)


def data_usulan(*, program: str = PKH, anggota=KELUARGA, desil: int = 2) -> DataUsulan:
    return DataUsulan(USULAN_ID, program, KK, IBU, tuple(anggota), desil)


def fakta(anggota=KELUARGA, *, kk: str = KK, **changes) -> FaktaKelayakan:
    """Facts of a clean household: every NIK verified, in this one KK, DTSEN decile 2."""
    values = {
        "identitas": {a.nik_hash: StatusIdentitas(VERIFIED) for a in anggota},
        "kk": {a.nik_hash: frozenset({kk}) for a in anggota},
        "desil": 2,
    } | changes
    return FaktaKelayakan(**values)


def penerima_lain(program: str, periode: str, *, kk: str = "", anggota=()) -> PenerimaTercatat:
    return PenerimaTercatat(uuid.uuid4(), program, periode, kk or h("kk-lain"), frozenset(anggota))


DESA, DINSOS = "operator-desa-braga", "dinsos-bandung-1"


def usulan_diajukan(
    *, program=PKH, periode="2025-TW1", anggota=KELUARGA, usulan_id=USULAN_ID, kk=KK
):
    from apps.bansos.domain.penerima import Penerima

    usulan = Penerima(usulan_id)
    usulan.ajukan(
        program=program,
        periode=periode,
        nomor_kk_hash=kk,
        pengurus_nik_hash=anggota[0].nik_hash,
        anggota=anggota,
        desil=2,
        kode_wilayah=KODE_DESA,
        diajukan_oleh=DESA,
        sekarang=wib(2025, 1, 6, 9, 0),
        konfigurasi=KONFIGURASI,
    )
    return usulan


def penerima_aktif(
    *, program=PKH, periode="2025-TW1", anggota=KELUARGA, usulan_id=USULAN_ID, kk=KK
):
    """A household proposed, verified on clean facts and decided; its events collected.
    The pengurus is the first member."""
    penerima = usulan_diajukan(
        program=program, periode=periode, anggota=anggota, usulan_id=usulan_id, kk=kk
    )
    penerima.verifikasi(
        fakta=fakta(anggota, kk=kk), konfigurasi=KONFIGURASI, oleh=DINSOS, sekarang=wib(2025, 1, 7)
    )
    penerima.tetapkan(dasar_hukum="SK Dinsos 1/2025", oleh=DINSOS, sekarang=wib(2025, 1, 8))
    penerima.collect()
    return penerima
