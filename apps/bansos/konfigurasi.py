"""bansos's configuration as the domain reads it: ``KonfigurasiBansos`` built from the
programme tables on the write alias (one query per table), read by every command."""

from __future__ import annotations

from collections import defaultdict

from apps.bansos.domain import konfigurasi as k
from apps.bansos.models import (
    KomponenProgram,
    PengecualianProgram,
    ProgramBansos,
    TidakBersamaProgram,
)

ALIAS = "bansos"


def _anak(model, kolom: tuple[str, ...], alias: str) -> dict[int, list[tuple]]:
    """Child rows of every programme row in one query, in the order they were entered."""
    per_program: dict[int, list[tuple]] = defaultdict(list)
    for program_id, *nilai in (
        model.objects.using(alias).order_by("pk").values_list("program_id", *kolom)
    ):
        per_program[program_id].append(tuple(nilai))
    return per_program


def muat_konfigurasi(alias: str = ALIAS) -> k.KonfigurasiBansos:
    komponen = _anak(KomponenProgram, ("kode", "nominal_per_tahap"), alias)
    pengecualian = _anak(PengecualianProgram, ("kategori",), alias)
    tidak_bersama = _anak(TidakBersamaProgram, ("kode_program",), alias)
    return k.KonfigurasiBansos(
        program=tuple(
            k.Program(
                kode=r.kode,
                nama=r.nama,
                jenis=r.jenis,
                desil_maks=r.desil_maks,
                jadwal=r.jadwal,
                berlaku_mulai=r.berlaku_mulai,
                komponen=tuple(k.Komponen(kode, n) for kode, n in komponen[r.pk]),
                komponen_maks=r.komponen_maks,
                nominal_tetap=r.nominal_tetap,
                pengecualian=tuple(kategori for (kategori,) in pengecualian[r.pk]),
                tidak_bersama=tuple(kode for (kode,) in tidak_bersama[r.pk]),
                bersyarat=r.bersyarat,
                dasar_hukum=r.dasar_hukum,
            )
            for r in ProgramBansos.objects.using(alias).order_by("kode", "berlaku_mulai")
        )
    )
