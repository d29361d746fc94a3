"""Seed rows of bansos's configuration tables: the programmes of ``domain/konfigurasi.py``
(``KONFIGURASI_BAWAAN``, figures to be confirmed by the operator before go-live).
``muat_konfigurasi`` is idempotent (the data migration calls it, and so do tests after a
transactional flush); it takes the model registry so the migration can pass its historical
models."""

from __future__ import annotations

from apps.bansos.domain.konfigurasi import KONFIGURASI_BAWAAN, KonfigurasiBansos

ALIAS = "bansos"


def muat_konfigurasi(
    apps, *, alias: str = ALIAS, konfigurasi: KonfigurasiBansos | None = None
) -> int:
    """Insert the programme rows of ``konfigurasi`` (default: the seed) that are missing, with
    their components, exclusions and overlap rules; returns how many programme rows were
    created."""
    model = apps.get_model("bansos", "ProgramBansos")
    komponen = apps.get_model("bansos", "KomponenProgram")
    pengecualian = apps.get_model("bansos", "PengecualianProgram")
    tidak_bersama = apps.get_model("bansos", "TidakBersamaProgram")
    created = 0
    for p in (konfigurasi or KONFIGURASI_BAWAAN).program:
        row, new = model.objects.using(alias).get_or_create(
            kode=p.kode,
            berlaku_mulai=p.berlaku_mulai,
            defaults={
                "nama": p.nama,
                "jenis": p.jenis,
                "desil_maks": p.desil_maks,
                "jadwal": p.jadwal,
                "komponen_maks": p.komponen_maks,
                "nominal_tetap": p.nominal_tetap,
                "bersyarat": p.bersyarat,
                "dasar_hukum": p.dasar_hukum,
            },
        )
        created += new
        for k in p.komponen:
            komponen.objects.using(alias).get_or_create(
                program=row, kode=k.kode, defaults={"nominal_per_tahap": k.nominal_per_tahap}
            )
        for kategori in p.pengecualian:
            pengecualian.objects.using(alias).get_or_create(program=row, kategori=kategori)
        for kode in p.tidak_bersama:
            tidak_bersama.objects.using(alias).get_or_create(program=row, kode_program=kode)
    return created
