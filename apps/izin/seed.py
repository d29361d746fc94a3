"""Seed configuration: a realistic set of common KBLI 2020 activities and the SLA per stage.

Risk levels follow the OSS-RBA pattern (the same activity may be riskier at a larger scale);
the table is configuration, editable in the admin, and dated: PP 28/2025 applies from
5 June 2025. ``muat_konfigurasi`` is idempotent (the data migration and ``load_demo`` call it,
and tests call it after a flush)."""

from datetime import date

BERLAKU = date(2025, 6, 5)
PEMDA = "Pemerintah Kabupaten/Kota (DPMPTSP)"

# (kode, judul, sektor, skala or "" for every scale, tingkat, otoritas)
RISIKO_KBLI: list[tuple[str, str, str, str, str, str]] = [
    ("01111", "Pertanian jagung", "Pertanian", "", "R", "Kementerian Pertanian"),
    (
        "10710",
        "Industri produk roti dan kue",
        "Perindustrian",
        "",
        "MR",
        "Kementerian Perindustrian",
    ),
    (
        "10710",
        "Industri produk roti dan kue",
        "Perindustrian",
        "BESAR",
        "MT",
        "Kementerian Perindustrian",
    ),
    (
        "16101",
        "Industri penggergajian kayu",
        "Perindustrian",
        "",
        "MT",
        "Kementerian Perindustrian",
    ),
    (
        "21012",
        "Industri produk farmasi untuk manusia",
        "Kesehatan",
        "",
        "T",
        "Kementerian Kesehatan",
    ),
    (
        "35101",
        "Pembangkitan tenaga listrik",
        "Energi dan Sumber Daya Mineral",
        "",
        "T",
        "Kementerian Energi dan Sumber Daya Mineral",
    ),
    ("41011", "Konstruksi gedung hunian", "Pekerjaan Umum", "", "MT", "Kementerian Pekerjaan Umum"),
    (
        "46100",
        "Perdagangan besar atas dasar balas jasa (fee) atau kontrak",
        "Perdagangan",
        "",
        "R",
        "Kementerian Perdagangan",
    ),
    (
        "47111",
        "Perdagangan eceran berbagai macam barang utamanya makanan di minimarket",
        "Perdagangan",
        "",
        "R",
        PEMDA,
    ),
    (
        "47722",
        "Perdagangan eceran barang farmasi di apotek",
        "Kesehatan",
        "",
        "MT",
        "Dinas Kesehatan Kabupaten/Kota",
    ),
    ("55110", "Hotel bintang", "Pariwisata", "", "MT", "Kementerian Pariwisata"),
    ("55130", "Hotel melati", "Pariwisata", "", "MR", PEMDA),
    ("56101", "Restoran", "Pariwisata", "", "MR", PEMDA),
    ("56102", "Rumah/warung makan", "Pariwisata", "", "R", PEMDA),
    (
        "62019",
        "Aktivitas pemrograman komputer lainnya",
        "Komunikasi dan Informatika",
        "",
        "R",
        "Kementerian Komunikasi dan Digital",
    ),
    ("86105", "Aktivitas klinik pratama", "Kesehatan", "", "T", "Dinas Kesehatan Kabupaten/Kota"),
    ("96011", "Aktivitas binatu", "Jasa lainnya", "", "R", PEMDA),
]

# Working days per stage (PP 28/2025 sets a deadline per stage; values are configuration).
TENGGAT_TAHAP = {"VERIFIKASI": 5, "PERSETUJUAN": 10, "PERBAIKAN": 10}


# Fixed-date national holidays; the lunar ones and collective leave change every year (SKB
# 3 Menteri) and are entered by the operator in the admin.
HARI_LIBUR_TETAP = [
    ("01-01", "Tahun Baru Masehi"),
    ("05-01", "Hari Buruh Internasional"),
    ("06-01", "Hari Lahir Pancasila"),
    ("08-17", "Hari Kemerdekaan Republik Indonesia"),
    ("12-25", "Hari Raya Natal"),
]
TAHUN_LIBUR = (2025, 2026, 2027)


def muat_hari_libur(libur_model, *, alias: str = "izin") -> int:
    created = 0
    for tahun in TAHUN_LIBUR:
        for bulan_hari, keterangan in HARI_LIBUR_TETAP:
            _, new = libur_model.objects.using(alias).get_or_create(
                tanggal=date.fromisoformat(f"{tahun}-{bulan_hari}"),
                defaults={"keterangan": keterangan},
            )
            created += new
    return created


def muat_konfigurasi(risiko_model, tenggat_model, libur_model=None, *, alias: str = "izin") -> int:
    """Insert missing seed rows (models passed in so the data migration can use its own)."""
    created = 0
    for kode, judul, sektor, skala, tingkat, otoritas in RISIKO_KBLI:
        _, new = risiko_model.objects.using(alias).get_or_create(
            kode=kode,
            versi="2020",
            skala=skala,
            berlaku_mulai=BERLAKU,
            defaults={"judul": judul, "sektor": sektor, "tingkat": tingkat, "otoritas": otoritas},
        )
        created += new
    for tahap, hari in TENGGAT_TAHAP.items():
        _, new = tenggat_model.objects.using(alias).get_or_create(
            tahap=tahap, defaults={"hari_kerja": hari}
        )
        created += new
    if libur_model is not None:
        created += muat_hari_libur(libur_model, alias=alias)
    return created
