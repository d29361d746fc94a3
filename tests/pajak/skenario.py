"""A month of taxes (November 2026) appended through the domain's aggregates and pajak's
event store, for the read side's tests (dashboard, report, rebuild, real worker).

Taxpayers: PT A (Bandung, 3273, province 32, PKP), PT B (Surabaya, 3578, province 35) and an
individual C (Jakarta Pusat, NIK 3171..., province 31). "Today" is 25 November 2026.

- A, PPh 21 October: return drafted, code K1 (Rp2.200.000) paid 12 Nov, filed on time.
- B, PPh 21 October: code K2 issued 1 Nov, expired 15 Nov unpaid; fined 21 Nov (deadline
  20 Nov passed); code K3 (Rp1.000.000) paid at 00:30 WIB on 24 Nov (23 Nov in UTC), the
  return filed late that day.
- C, PPh 21 October: nothing drafted, fined 21 Nov: overdue since the 20th. C also paid a
  September code K6 (Rp750.000) in October (outside the month).
- A, PPN October: code K4 (Rp5.500.000) paid today, filed on time; A also paid a PPh 21
  November code K5 (Rp2.000.000) today (A paid PPh 21 twice in the month: one payer).
- B: a code K7 issued today, not paid.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest

from apps.pajak.domain.kewajiban import Kewajiban, kewajiban_stream_id
from apps.pajak.domain.kode_billing import KodeBilling, kode_billing_stream_id
from apps.pajak.domain.rules import TERVERIFIKASI, WIB
from apps.pajak.domain.tarif_bawaan import KONFIGURASI_BAWAAN
from apps.pajak.domain.wajib_pajak import IdentitasDukcapil, WajibPajak, wajib_pajak_stream_id
from apps.pajak.store import store
from egov import clock
from egov.eventstore import projections
from egov.eventstore.domain import EventMetadata
from egov.eventstore.pseudonym import keyed_hash

META = EventMetadata(actor="uji", source="test")
HARI_INI = date(2026, 11, 25)
NPWP_A, NPWP_B = "0013121660091000", "0023456783012000"
NIK_C = "3171024409900002"


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def _simpan(aggregate) -> None:
    store.save(aggregate, META)


def daftar_badan(npwp: str, nama: str, kode_wilayah: str, *, pkp: bool = False) -> WajibPajak:
    subjek = keyed_hash(npwp)
    wp = WajibPajak(wajib_pajak_stream_id(subjek))
    sekarang = wib(2026, 10, 1, 9, 0)
    wp.daftar_badan(
        npwp=npwp, subjek_id=subjek, nama=nama, kode_wilayah=kode_wilayah, sekarang=sekarang
    )
    if pkp:
        wp.kukuhkan_pkp(tanggal_pengukuhan=sekarang.date(), petugas="p1", sekarang=sekarang)
    _simpan(wp)
    return wp


def daftar_orang_pribadi(nik: str, nama: str) -> WajibPajak:
    subjek = keyed_hash(nik)
    wp = WajibPajak(wajib_pajak_stream_id(subjek))
    wp.daftar_orang_pribadi(
        nik=nik,
        nik_hash=subjek,
        nama=nama,
        identitas=IdentitasDukcapil(subjek, TERVERIFIKASI, "ktp-1"),
        sekarang=wib(2026, 10, 1, 9, 0),
    )
    _simpan(wp)
    return wp


def kewajiban(wp: WajibPajak, jenis: str, masa: str) -> Kewajiban:
    obligation = Kewajiban(kewajiban_stream_id(wp.id, jenis, masa))
    obligation.timbul(
        wajib_pajak=wp, jenis=jenis, masa=masa, konfigurasi=KONFIGURASI_BAWAAN, libur=frozenset()
    )
    _simpan(obligation)
    return obligation


def kode_billing(
    nomor: int,
    wp: WajibPajak,
    jenis: str,
    masa: str,
    nominal: int,
    pada: datetime,
    *,
    untuk: Kewajiban | None = None,
) -> KodeBilling:
    kode = f"{nomor:015d}"  # a DJP code: 15 digits, the first 0
    code = KodeBilling(kode_billing_stream_id(kode))
    code.buat(
        kode=kode,
        wajib_pajak=wp,
        jenis=jenis,
        masa=masa,
        nominal=nominal,
        sekarang=pada,
        konfigurasi=KONFIGURASI_BAWAAN,
        kewajiban_id=untuk.id if untuk else None,
    )
    _simpan(code)
    return code


def bayar(code: KodeBilling, pada: datetime, ntpn: str) -> None:
    code.terima_pembayaran(
        ntpn=ntpn, ntb=f"NTB-{ntpn[:6]}", tanggal_bayar=pada, nominal=code.nominal, bank="BNI"
    )
    _simpan(code)


def kedaluwarsakan(code: KodeBilling, sekarang: datetime) -> None:
    assert code.kedaluwarsakan(sekarang=sekarang)
    _simpan(code)


def susun(obligation: Kewajiban, terutang: int, pada: datetime) -> None:
    obligation.susun_spt(pajak_terutang=terutang, kredit_pajak=0, sekarang=pada)
    _simpan(obligation)


def lapor_dengan_kode(obligation: Kewajiban, code: KodeBilling, pada: datetime, ntpn: str):
    """Pay the code the return waits for and file the return (as the payment command does)."""
    obligation.minta_pembayaran(kode_billing=code.kode)
    _simpan(obligation)
    bayar(code, pada, ntpn)
    obligation.catat_pembayaran(
        kode_billing=code.kode, ntpn=ntpn, nominal=code.nominal, bpe=f"BPE-{ntpn}", sekarang=pada
    )
    _simpan(obligation)


def denda(obligation: Kewajiban, hari_ini: date) -> None:
    assert obligation.periksa_tenggat_lapor(hari_ini=hari_ini, konfigurasi=KONFIGURASI_BAWAAN)
    _simpan(obligation)


@dataclass
class Skenario:
    a: WajibPajak
    b: WajibPajak
    c: WajibPajak
    kewajiban: dict[str, Kewajiban] = field(default_factory=dict)
    kode: dict[str, KodeBilling] = field(default_factory=dict)

    @property
    def wajib_pajak_id(self) -> dict[str, uuid.UUID]:
        return {"A": self.a.id, "B": self.b.id, "C": self.c.id}


def isi_november() -> Skenario:
    s = Skenario(
        a=daftar_badan(NPWP_A, "PT A", "3273", pkp=True),
        b=daftar_badan(NPWP_B, "PT B", "3578"),
        c=daftar_orang_pribadi(NIK_C, "Citra"),
    )
    k = s.kode
    k["K6"] = kode_billing(6, s.c, "PPH21", "2026-09", 750_000, wib(2026, 10, 10))
    bayar(k["K6"], wib(2026, 10, 15, 10, 0), "NTPN0000000000K6")
    for nama, wp in (("A21", s.a), ("B21", s.b), ("C21", s.c)):
        s.kewajiban[nama] = kewajiban(wp, "PPH21", "2026-10")
    s.kewajiban["APPN"] = kewajiban(s.a, "PPN", "2026-10")
    ka = s.kewajiban
    # B's first code, 1 November, expires unpaid on the 15th.
    k["K2"] = kode_billing(2, s.b, "PPH21", "2026-10", 1_000_000, wib(2026, 11, 1, 9))
    # A files PPh 21 on time.
    susun(ka["A21"], 2_200_000, wib(2026, 11, 10, 8))
    k["K1"] = kode_billing(
        1, s.a, "PPH21", "2026-10", 2_200_000, wib(2026, 11, 10, 9), untuk=ka["A21"]
    )
    lapor_dengan_kode(ka["A21"], k["K1"], wib(2026, 11, 12, 10), "NTPN0000000000K1")
    kedaluwarsakan(k["K2"], wib(2026, 11, 16, 0, 5))
    # The filing deadline (20 Nov) passed: B and C are fined on the 21st.
    denda(ka["B21"], date(2026, 11, 21))
    denda(ka["C21"], date(2026, 11, 21))
    # B files late: pays at 00:30 WIB on the 24th (still the 23rd in UTC).
    susun(ka["B21"], 1_000_000, wib(2026, 11, 23, 9))
    k["K3"] = kode_billing(
        3, s.b, "PPH21", "2026-10", 1_000_000, wib(2026, 11, 23, 10), untuk=ka["B21"]
    )
    lapor_dengan_kode(ka["B21"], k["K3"], wib(2026, 11, 24, 0, 30), "NTPN0000000000K3")
    # Today: A's PPN return paid and filed, a PPh 21 code of November paid, B's code issued.
    susun(ka["APPN"], 5_500_000, wib(2026, 11, 25, 7))
    k["K4"] = kode_billing(
        4, s.a, "PPN", "2026-10", 5_500_000, wib(2026, 11, 25, 8), untuk=ka["APPN"]
    )
    lapor_dengan_kode(ka["APPN"], k["K4"], wib(2026, 11, 25, 9), "NTPN0000000000K4")
    k["K5"] = kode_billing(5, s.a, "PPH21", "2026-11", 2_000_000, wib(2026, 11, 25, 8))
    bayar(k["K5"], wib(2026, 11, 25, 11), "NTPN0000000000K5")
    k["K7"] = kode_billing(7, s.b, "PPH21", "2026-11", 300_000, wib(2026, 11, 25, 12))
    return s


@pytest.fixture
def november():
    """The scenario, projected, with the platform's clock at noon on 25 November 2026 (WIB).
    Use from a test module marked ``django_db(databases="__all__")``."""
    s = isi_november()
    projections.run_projector(projections.get_projector("pajak.statistik"))
    with clock.frozen(wib(2026, 11, 25, 12, 0)):
        yield s


# --- recomputation from the events (independent of the projector) ----------------------------
def peristiwa() -> list:
    """Every pajak event, decrypted, in feed order."""
    from egov.eventstore import feed

    return feed.read_feed("pajak", decrypt=True, limit=100_000)


def pembayaran_dari_peristiwa() -> list[dict]:
    """Each PembayaranDiterima as (WIB date, month, tax, province, taxpayer, rupiah), joined
    by hand from the billing code's and the taxpayer's own events."""
    provinsi, kode = {}, {}
    hasil = []
    for e in peristiwa():
        p = e.payload
        if e.event_type == "WajibPajakTerdaftar":
            provinsi[str(e.stream_id)] = p["kode_wilayah"][:2]
        elif e.event_type == "KodeBillingDibuat":
            kode[p["kode"]] = (p["jenis_pajak"], p["wajib_pajak_id"])
        elif e.event_type == "PembayaranDiterima":
            jenis, wp = kode[p["kode"]]
            hari = datetime.fromisoformat(p["tanggal_bayar"]).astimezone(WIB).date()
            hasil.append(
                {
                    "tanggal": hari,
                    "bulan": f"{hari:%Y-%m}",
                    "jenis_pajak": jenis,
                    "kode_provinsi": provinsi[wp],
                    "wajib_pajak_id": wp,
                    "nominal": p["nominal"],
                }
            )
    return hasil


def jumlahkan(pembayaran: list[dict], *kunci: str) -> dict[tuple, tuple[int, int]]:
    """(sum of rupiah, number of payments) per key."""
    totals: dict[tuple, tuple[int, int]] = {}
    for p in pembayaran:
        key = tuple(p[k] for k in kunci)
        rupiah, n = totals.get(key, (0, 0))
        totals[key] = (rupiah + p["nominal"], n + 1)
    return totals


def isi_tabel() -> dict[str, list[tuple]]:
    """Every read table's rows (without surrogate ids), sorted: for exact comparisons."""
    from apps.pajak.read_models import READ_MODELS

    tables = {}
    for model in READ_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        rows = model.objects.using("pajak_read").values_list(*fields)
        tables[model.__name__] = sorted(rows, key=repr)
    return tables
