"""Seed rows of pajak's configuration tables: the tax tables of ``domain/tarif_bawaan.py`` and
the holidays below. ``muat_konfigurasi`` is idempotent (the data migration calls it, and so
do tests after a transactional flush); it takes the model registry so the migration can pass
its historical models.

Holidays (``HARI_LIBUR``): national holidays and collective leave as set by the joint decree
of the Ministers of Religious Affairs, Manpower and PAN-RB (SKB 3 Menteri):
- 2025: SKB No. 1017/2024, 2/2024, 2/2024, amended by No. 933/2025, 1/2025, 3/2025 (18 August
  2025 added as collective leave);
- 2026: SKB No. 1497/2025, 2/2025, 5/2025;
- 2027: no decree yet. Only dates that no decree decides are seeded (fixed-date holidays,
  Chinese New Year, and the Christian holidays counted from Easter); the Islamic holidays,
  Nyepi, Waisak and collective leave of 2027 are entered in the admin once the SKB is out.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from apps.pajak.domain.konfigurasi import KonfigurasiPajak, Lapisan
from apps.pajak.domain.tarif_bawaan import KONFIGURASI_BAWAAN

ALIAS = "pajak"
SKB_2025 = "SKB 3 Menteri No. 1017/2024, 2/2024, 2/2024"
SKB_2025_UBAH = "SKB 3 Menteri No. 933/2025, 1/2025, 3/2025"
SKB_2026 = "SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025"
TETAP_2027 = "Tanggal tetap (SKB 3 Menteri 2027 belum terbit)"
CUTI = "Cuti bersama"

HARI_LIBUR: tuple[tuple[str, str, str], ...] = (
    # 2025
    ("2025-01-01", "Tahun Baru 2025 Masehi", SKB_2025),
    ("2025-01-27", "Isra Mikraj Nabi Muhammad SAW", SKB_2025),
    ("2025-01-28", f"{CUTI} Tahun Baru Imlek", SKB_2025),
    ("2025-01-29", "Tahun Baru Imlek 2576 Kongzili", SKB_2025),
    ("2025-03-28", f"{CUTI} Hari Suci Nyepi", SKB_2025),
    ("2025-03-29", "Hari Suci Nyepi (Tahun Baru Saka 1947)", SKB_2025),
    ("2025-03-31", "Idulfitri 1446 Hijriah", SKB_2025),
    ("2025-04-01", "Idulfitri 1446 Hijriah", SKB_2025),
    ("2025-04-02", f"{CUTI} Idulfitri", SKB_2025),
    ("2025-04-03", f"{CUTI} Idulfitri", SKB_2025),
    ("2025-04-04", f"{CUTI} Idulfitri", SKB_2025),
    ("2025-04-07", f"{CUTI} Idulfitri", SKB_2025),
    ("2025-04-18", "Wafat Yesus Kristus", SKB_2025),
    ("2025-04-20", "Kebangkitan Yesus Kristus (Paskah)", SKB_2025),
    ("2025-05-01", "Hari Buruh Internasional", SKB_2025),
    ("2025-05-12", "Hari Raya Waisak 2569 BE", SKB_2025),
    ("2025-05-13", f"{CUTI} Hari Raya Waisak", SKB_2025),
    ("2025-05-29", "Kenaikan Yesus Kristus", SKB_2025),
    ("2025-05-30", f"{CUTI} Kenaikan Yesus Kristus", SKB_2025),
    ("2025-06-01", "Hari Lahir Pancasila", SKB_2025),
    ("2025-06-06", "Iduladha 1446 Hijriah", SKB_2025),
    ("2025-06-09", f"{CUTI} Iduladha", SKB_2025),
    ("2025-06-27", "1 Muharam Tahun Baru Islam 1447 Hijriah", SKB_2025),
    ("2025-08-17", "Proklamasi Kemerdekaan", SKB_2025),
    ("2025-08-18", f"{CUTI} Proklamasi Kemerdekaan", SKB_2025_UBAH),
    ("2025-09-05", "Maulid Nabi Muhammad SAW", SKB_2025),
    ("2025-12-25", "Kelahiran Yesus Kristus", SKB_2025),
    ("2025-12-26", f"{CUTI} Kelahiran Yesus Kristus", SKB_2025),
    # 2026
    ("2026-01-01", "Tahun Baru 2026 Masehi", SKB_2026),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW", SKB_2026),
    ("2026-02-16", f"{CUTI} Tahun Baru Imlek", SKB_2026),
    ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili", SKB_2026),
    ("2026-03-18", f"{CUTI} Hari Suci Nyepi", SKB_2026),
    ("2026-03-19", "Hari Suci Nyepi (Tahun Baru Saka 1948)", SKB_2026),
    ("2026-03-20", f"{CUTI} Idulfitri", SKB_2026),
    ("2026-03-21", "Idulfitri 1447 Hijriah", SKB_2026),
    ("2026-03-22", "Idulfitri 1447 Hijriah", SKB_2026),
    ("2026-03-23", f"{CUTI} Idulfitri", SKB_2026),
    ("2026-03-24", f"{CUTI} Idulfitri", SKB_2026),
    ("2026-04-03", "Wafat Yesus Kristus", SKB_2026),
    ("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)", SKB_2026),
    ("2026-05-01", "Hari Buruh Internasional", SKB_2026),
    ("2026-05-14", "Kenaikan Yesus Kristus", SKB_2026),
    ("2026-05-15", f"{CUTI} Kenaikan Yesus Kristus", SKB_2026),
    ("2026-05-27", "Iduladha 1447 Hijriah", SKB_2026),
    ("2026-05-28", f"{CUTI} Iduladha", SKB_2026),
    ("2026-05-31", "Hari Raya Waisak 2570 BE", SKB_2026),
    ("2026-06-01", "Hari Lahir Pancasila", SKB_2026),
    ("2026-06-16", "1 Muharam Tahun Baru Islam 1448 Hijriah", SKB_2026),
    ("2026-08-17", "Proklamasi Kemerdekaan", SKB_2026),
    ("2026-08-25", "Maulid Nabi Muhammad SAW", SKB_2026),
    ("2026-12-24", f"{CUTI} Kelahiran Yesus Kristus", SKB_2026),
    ("2026-12-25", "Kelahiran Yesus Kristus", SKB_2026),
    # 2027 (dates no decree decides; the rest awaits the SKB)
    ("2027-01-01", "Tahun Baru 2027 Masehi", TETAP_2027),
    ("2027-02-06", "Tahun Baru Imlek 2578 Kongzili", TETAP_2027),
    ("2027-03-26", "Wafat Yesus Kristus", TETAP_2027),
    ("2027-03-28", "Kebangkitan Yesus Kristus (Paskah)", TETAP_2027),
    ("2027-05-01", "Hari Buruh Internasional", TETAP_2027),
    ("2027-05-06", "Kenaikan Yesus Kristus", TETAP_2027),
    ("2027-06-01", "Hari Lahir Pancasila", TETAP_2027),
    ("2027-08-17", "Proklamasi Kemerdekaan", TETAP_2027),
    ("2027-12-25", "Kelahiran Yesus Kristus", TETAP_2027),
)


def _persen(tarif: Decimal) -> Decimal:
    return tarif * 100


def _pecahan(prefix: str, nilai: Fraction) -> dict[str, int]:
    return {f"{prefix}_pembilang": nilai.numerator, f"{prefix}_penyebut": nilai.denominator}


class _Penulis:
    """Inserts missing rows with the models of ``apps`` (the migration's historical ones)."""

    def __init__(self, apps, alias: str):
        self.apps, self.alias, self.created = apps, alias, 0

    def baris(self, name: str, defaults: dict, **key):
        model = self.apps.get_model("pajak", name)
        row, new = model.objects.using(self.alias).get_or_create(**key, defaults=defaults)
        self.created += new
        return row

    def lapisan(self, name: str, induk: dict, lapisan: tuple[Lapisan, ...]) -> None:
        model = self.apps.get_model("pajak", name)
        for b in lapisan:
            model.objects.using(self.alias).get_or_create(
                **induk, batas_atas=b.batas_atas, defaults={"tarif_persen": _persen(b.tarif)}
            )


def muat_konfigurasi(apps, *, alias: str = ALIAS, konfigurasi: KonfigurasiPajak | None = None):
    """Insert the rows of ``konfigurasi`` (default: the seed) that are missing; returns how
    many parent rows were created."""
    k, w = konfigurasi or KONFIGURASI_BAWAAN, _Penulis(apps, alias)
    for t in k.ter:
        d = {"dasar_hukum": t.dasar_hukum}
        row = w.baris("TabelTER", d, kategori=t.kategori, berlaku_mulai=t.berlaku_mulai)
        w.lapisan("LapisanTER", {"tabel": row}, t.lapisan)
    for m in k.kategori_ter:
        row = w.baris("PemetaanTER", {"dasar_hukum": m.dasar_hukum}, berlaku_mulai=m.berlaku_mulai)
        for status, kategori in m.kategori.items():
            w.apps.get_model("pajak", "PemetaanTERBaris").objects.using(alias).get_or_create(
                pemetaan=row, status_ptkp=status, defaults={"kategori": kategori}
            )
    for p in k.ptkp:
        d = {
            "dasar_hukum": p.dasar_hukum,
            "wajib_pajak": p.wajib_pajak,
            "kawin": p.kawin,
            "per_tanggungan": p.per_tanggungan,
            "tanggungan_maks": p.tanggungan_maks,
        }
        w.baris("TarifPTKP", d, berlaku_mulai=p.berlaku_mulai)
    for t in k.pasal17:
        row = w.baris("TarifPasal17", {"dasar_hukum": t.dasar_hukum}, berlaku_mulai=t.berlaku_mulai)
        w.lapisan("LapisanPasal17", {"tarif": row}, t.lapisan)
    for b in k.biaya_jabatan:
        d = {
            "dasar_hukum": b.dasar_hukum,
            "persen": _persen(b.persen),
            "maks_setahun": b.maks_setahun,
        }
        w.baris("BiayaJabatan", d, berlaku_mulai=b.berlaku_mulai)
    for t in k.ppn:
        d = {
            "dasar_hukum": t.dasar_hukum,
            "tarif_persen": _persen(t.tarif),
            **_pecahan("dpp_non_mewah", t.dpp_non_mewah),
            **_pecahan("dpp_mewah", t.dpp_mewah),
        }
        w.baris("TarifPPN", d, berlaku_mulai=t.berlaku_mulai)
    for t in k.pph_badan:
        d = {"dasar_hukum": t.dasar_hukum, "tarif_persen": _persen(t.tarif)}
        w.baris("TarifPPhBadan", d, berlaku_mulai=t.berlaku_mulai)
    for m in k.masa_berlaku_billing:
        d = {"dasar_hukum": m.dasar_hukum, "jam": int(m.durasi.total_seconds() // 3600)}
        w.baris("MasaBerlakuBilling", d, berlaku_mulai=m.berlaku_mulai)
    for f in k.denda:
        d = {"dasar_hukum": f.dasar_hukum, "nominal": f.nominal}
        w.baris("DendaTelatLapor", d, jenis_spt=f.jenis_spt, berlaku_mulai=f.berlaku_mulai)
    for a in k.tenggat:
        d = {
            "dasar_hukum": a.dasar_hukum,
            "bayar_bulan_setelah_masa": a.bayar.bulan_setelah_masa,
            "bayar_tanggal": a.bayar.tanggal,
            "lapor_bulan_setelah_masa": a.lapor.bulan_setelah_masa,
            "lapor_tanggal": a.lapor.tanggal,
        }
        w.baris("AturanTenggat", d, jenis_pajak=a.jenis_pajak, berlaku_mulai=a.berlaku_mulai)
    return w.created


def muat_hari_libur(apps, *, alias: str = ALIAS) -> int:
    libur = apps.get_model("pajak", "HariLibur")
    created = 0
    for tanggal, keterangan, dasar_hukum in HARI_LIBUR:
        _, new = libur.objects.using(alias).get_or_create(
            tanggal=date.fromisoformat(tanggal),
            defaults={"keterangan": keterangan, "dasar_hukum": dasar_hukum},
        )
        created += new
    return created
