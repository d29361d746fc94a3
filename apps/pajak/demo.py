"""Demo data of the pajak context for `make run` (idempotent: nothing when the DJP officer
already exists): a month of taxes, so the DJP dashboard and the monthly report mean something
at first sight.

- Accounts: the DJP officer ``petugas_djp`` (national office), the citizen taxpayer
  ``warga_pajak`` (obligations, returns, billing codes paid, payable and expired), and the
  perception bank's API client ``demo-bank-pajak`` (scope ``pajak:pembayaran`` only).
- About 300 taxpayers: companies in every province (a third of them PKP) and individuals whose
  NIK pajak's replica knows as verified (recorded as the identity policy would).
- Last month's PPh 21 and PPN obligations with their returns (most filed on time, some late,
  some not filed and fined), and some 2,000 payments spread over the last 30 days.

Written through the domain's aggregates and pajak's event store, with the command side's
indexes kept in step (``commands._unit.simpan``, as every command does): the rules, deadlines,
validity and amounts are the real ones. Not through the commands themselves: a transaction
per payment would make `make run` minutes slower. Likewise the projector runs each append
asks for after its commit are held back while the demo writes (each would find nothing new
but the first): the projectors run once at the end and build the read tables from the events.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Group, User
from oauth2_provider.models import Application

from apps.pajak import commands
from apps.pajak.commands._unit import bpe_baru, simpan
from apps.pajak.domain.kewajiban import Kewajiban, kewajiban_stream_id
from apps.pajak.domain.kode_billing import KodeBilling, kode_billing_stream_id
from apps.pajak.domain.konfigurasi import KonfigurasiPajak
from apps.pajak.domain.rules import BADAN, PPH21, PPH_BADAN, PPH_OP, PPN, TERVERIFIKASI, WIB
from apps.pajak.domain.wajib_pajak import IdentitasDukcapil, WajibPajak, wajib_pajak_stream_id
from apps.pajak.konfigurasi import muat_konfigurasi, muat_libur
from apps.pajak.roles import GRUP_PETUGAS
from egov import clock, wilayah
from egov.db import atomic
from egov.eventstore import projections
from egov.eventstore.domain import EventMetadata
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.portal.integrators import register_integrator
from egov.portal.models import TERVERIFIKASI as KLAIM_TERVERIFIKASI
from egov.portal.models import CitizenProfile, OfficerProfile

PASSWORD = "demo-pajak-2026"  # noqa: S105 - demo accounts, documented in the README
BANK_CLIENT_ID = "demo-bank-pajak"
BANK_CLIENT_SECRET = "demo-bank-pajak-2026"  # noqa: S105 - demo credentials, in the README
WARGA = ("warga_pajak", "3273014107900007", "Dewi Kartika")  # Bandung, born 1 July 1990
JUMLAH_BADAN, JUMLAH_OP, JUMLAH_PEMBAYARAN = 240, 60, 2000  # + the returns' own payments
BANK = ("Bank Demo Persepsi", "Bank Nusantara", "Bank Rakyat Demo", "Pos Indonesia")
META = EventMetadata(actor="demo", source="demo")
PER_TRANSAKSI = 250  # aggregates written per transaction


class _Penulis:
    """Keeps the aggregates it is given and writes them in batches (one transaction each)."""

    def __init__(self) -> None:
        self.antre: list = []
        self.nomor = 0

    def simpan(self, *aggregates) -> None:
        self.antre.extend(aggregates)
        if len(self.antre) >= PER_TRANSAKSI:
            self.tulis()

    def tulis(self) -> None:
        with atomic("pajak"):
            for aggregate in self.antre:
                simpan(aggregate, META)
        self.antre = []

    def kode(self) -> str:
        """Billing codes of the demo: 15 digits starting with 1 (DJP's range), unique."""
        self.nomor += 1
        return f"1{self.nomor:014d}"


def _akun() -> None:
    group, _ = Group.objects.get_or_create(name=GRUP_PETUGAS)
    petugas = User.objects.create_user(GRUP_PETUGAS, "petugas@djp.local", PASSWORD, is_staff=True)
    petugas.groups.add(group)
    OfficerProfile.objects.update_or_create(user=petugas, defaults={"kantor": ""})
    username, nik, _nama = WARGA
    warga = User.objects.create_user(username, f"{username}@warga.local", PASSWORD)
    CitizenProfile.objects.create(
        user=warga,
        subject_id=keyed_hash(nik),
        nik_masked=mask_nik(nik),
        status=KLAIM_TERVERIFIKASI,  # as if confirmed at a Dukcapil counter
        diputuskan_oleh="demo",
    )
    if not Application.objects.filter(client_id=BANK_CLIENT_ID).exists():
        register_integrator(
            instansi="Bank Persepsi Demo",
            scopes=["pajak:pembayaran"],
            client_id=BANK_CLIENT_ID,
            client_secret=BANK_CLIENT_SECRET,
        )


def _kabupaten(rng: random.Random) -> list[str]:
    """Two regencies of every province (the demo's seats and residences)."""
    found = []
    for provinsi in wilayah.anak():
        regencies = [r.kode for r in wilayah.anak(provinsi.kode)]
        found += rng.sample(regencies, min(2, len(regencies)))
    return found


def _npwp(rng: random.Random) -> str:
    """A valid company NPWP16: 0 + 8 digits + their Luhn check digit + branch 000 + 000."""
    from stdnum import luhn

    base = f"{rng.randrange(10**7, 10**8)}"
    return f"0{base}{luhn.calc_check_digit(base)}{rng.randrange(1, 999):03d}000"


def _terdaftar(rng, kabupaten, konfigurasi, awal: datetime) -> list[WajibPajak]:
    taxpayers, npwp_dipakai = [], set()
    for i in range(JUMLAH_BADAN):
        npwp = _npwp(rng)
        if npwp in npwp_dipakai:
            continue
        npwp_dipakai.add(npwp)
        subjek = commands.subjek_badan(npwp)
        wp = WajibPajak(wajib_pajak_stream_id(subjek))
        sekarang = awal - timedelta(days=rng.randrange(60, 900))
        wp.daftar_badan(
            npwp=npwp,
            subjek_id=subjek,
            nama=f"PT Demo Sejahtera {i + 1:03d}",
            kode_wilayah=kabupaten[i % len(kabupaten)],
            sekarang=sekarang,
        )
        if i % 3 == 0:
            wp.kukuhkan_pkp(
                tanggal_pengukuhan=sekarang.date(), petugas=GRUP_PETUGAS, sekarang=sekarang
            )
        taxpayers.append(wp)
    orang = [(WARGA[1], WARGA[2])] + [
        (_nik(rng, kabupaten[i % len(kabupaten)], i), f"Wajib Pajak Demo {i + 1:03d}")
        for i in range(JUMLAH_OP)
    ]
    for nik, nama in orang:
        taxpayers.append(_orang_pribadi(nik, nama, awal - timedelta(days=rng.randrange(400, 900))))
    return taxpayers


def _nik(rng: random.Random, kabupaten: str, i: int) -> str:
    lahir = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
    hari = lahir.day + (40 if i % 2 else 0)  # women: day + 40
    return f"{kabupaten}01{hari:02d}{lahir:%m%y}{i + 1:04d}"


def _orang_pribadi(nik: str, nama: str, sekarang: datetime) -> WajibPajak:
    """As the identity policy would: pajak's replica learns the NIK is verified, then the
    citizen activates it as NPWP."""
    nik_hash = keyed_hash(nik)
    commands.pajak_catat_identitas(
        nik_hash=nik_hash, status=TERVERIFIKASI, sumber="demo", metadata=META
    )
    wp = WajibPajak(wajib_pajak_stream_id(nik_hash))
    wp.daftar_orang_pribadi(
        nik=nik,
        nik_hash=nik_hash,
        nama=nama,
        identitas=IdentitasDukcapil(nik_hash, TERVERIFIKASI, "demo"),
        sekarang=sekarang,
    )
    return wp


def _bulan_lalu(hari: date, n: int) -> str:
    indeks = hari.year * 12 + hari.month - 1 - n
    return f"{indeks // 12:04d}-{indeks % 12 + 1:02d}"


def _pada(rng: random.Random, hari: date) -> datetime:
    """A time during banking hours (08.00-19.59 WIB) of ``hari``."""
    return datetime(
        hari.year, hari.month, hari.day, rng.randrange(8, 20), rng.randrange(60), tzinfo=WIB
    )


def _bayar(rng, penulis, billing: KodeBilling, pada: datetime) -> None:
    penulis.nomor += 1
    billing.terima_pembayaran(
        ntpn=f"DEMO{penulis.nomor:012d}",
        ntb=f"NTB{rng.randrange(10**9):09d}",
        tanggal_bayar=pada,
        nominal=billing.nominal,
        bank=rng.choice(BANK),
    )


def _kode_billing(penulis, wp, jenis, masa, nominal, pada, konfigurasi, kewajiban_id=None):
    kode = penulis.kode()
    billing = KodeBilling(kode_billing_stream_id(kode))
    billing.buat(
        kode=kode,
        wajib_pajak=wp,
        jenis=jenis,
        masa=masa,
        nominal=nominal,
        sekarang=pada,
        konfigurasi=konfigurasi,
        kewajiban_id=kewajiban_id,
    )
    return billing


def _kewajiban(rng, penulis, wp, jenis, masa, konfigurasi, libur, sekarang: datetime) -> None:
    """One obligation and its return: 70% filed on time (paid through its billing code),
    15% filed late, 15% not filed (fined once the filing deadline has passed)."""
    k = Kewajiban(kewajiban_stream_id(wp.id, jenis, masa))
    k.timbul(wajib_pajak=wp, jenis=jenis, masa=masa, konfigurasi=konfigurasi, libur=libur)
    nasib, hari_ini = rng.random(), sekarang.astimezone(WIB).date()
    if nasib < 0.85:
        terlambat = nasib >= 0.70
        hari = (
            k.jatuh_tempo_lapor + timedelta(days=rng.randrange(1, 6))
            if terlambat
            else (k.jatuh_tempo_bayar - timedelta(days=rng.randrange(0, 10)))
        )
        if hari <= hari_ini:
            pada = min(_pada(rng, hari), sekarang)
            _lapor(rng, penulis, k, wp, konfigurasi, pada)
    if k.jatuh_tempo_lapor < hari_ini:
        k.periksa_tenggat_lapor(hari_ini=hari_ini, konfigurasi=konfigurasi)
    penulis.simpan(k)


def _lapor(rng, penulis, k: Kewajiban, wp, konfigurasi, pada: datetime) -> None:
    terutang = rng.randrange(5, 400) * 100_000
    k.susun_spt(pajak_terutang=terutang, kredit_pajak=0, sekarang=pada - timedelta(hours=1))
    billing = _kode_billing(
        penulis, wp, k.jenis_pajak, k.masa, terutang, pada - timedelta(hours=1), konfigurasi, k.id
    )
    k.minta_pembayaran(kode_billing=billing.kode)
    _bayar(rng, penulis, billing, pada)
    with clock.frozen(pada):
        bpe = bpe_baru(k)
    k.catat_pembayaran(
        kode_billing=billing.kode, ntpn=billing.ntpn, nominal=terutang, bpe=bpe, sekarang=pada
    )
    penulis.simpan(billing)


def _pembayaran(rng, penulis, taxpayers, konfigurasi, sekarang: datetime) -> int:
    """Codes issued over the last 30 days for periods gone by: most paid within three days
    (never after now), some left unpaid (expired once their validity passed)."""
    dibayar = 0
    for _ in range(JUMLAH_PEMBAYARAN):
        wp = rng.choice(taxpayers)
        jenis = rng.choice(
            [PPH21, PPH_BADAN] + ([PPN] if wp.pkp else []) if wp.jenis == BADAN else [PPH_OP]
        )
        masa = "2025" if jenis in (PPH_BADAN, PPH_OP) else _bulan_lalu(sekarang.date(), 1)
        dibuat = sekarang - timedelta(minutes=rng.randrange(10, 30 * 24 * 60))
        nominal = rng.randrange(1, 200) * 50_000
        billing = _kode_billing(penulis, wp, jenis, masa, nominal, dibuat, konfigurasi)
        pada = dibuat + timedelta(minutes=rng.randrange(5, 3 * 24 * 60))
        if rng.random() < 0.9 and pada < sekarang:
            _bayar(rng, penulis, billing, pada)
            dibayar += 1
        else:
            billing.kedaluwarsakan(sekarang=sekarang)
        penulis.simpan(billing)
    return dibayar


def _warga_pajak(rng, penulis, wp, konfigurasi, libur, sekarang: datetime) -> None:
    """The demo citizen: last year's annual return filed on time, this month's PPh 21 (she
    employs people) still to file, a code paid, one payable, one expired."""
    tahunan = Kewajiban(kewajiban_stream_id(wp.id, PPH_OP, "2025"))
    tahunan.timbul(wajib_pajak=wp, jenis=PPH_OP, masa="2025", konfigurasi=konfigurasi, libur=libur)
    _lapor(rng, penulis, tahunan, wp, konfigurasi, datetime(2026, 3, 20, 10, 0, tzinfo=WIB))
    bulan_ini = _bulan_lalu(sekarang.date(), 0)
    baru = Kewajiban(kewajiban_stream_id(wp.id, PPH21, bulan_ini))
    baru.timbul(wajib_pajak=wp, jenis=PPH21, masa=bulan_ini, konfigurasi=konfigurasi, libur=libur)
    penulis.simpan(tahunan, baru)
    for hari_lalu, bayar in ((9, True), (2, False), (20, False)):
        dibuat = sekarang - timedelta(days=hari_lalu, hours=3)
        billing = _kode_billing(
            penulis, wp, PPH21, _bulan_lalu(sekarang.date(), 1), 750_000, dibuat, konfigurasi
        )
        if bayar:
            _bayar(rng, penulis, billing, dibuat + timedelta(hours=2))
        billing.kedaluwarsakan(sekarang=sekarang)
        penulis.simpan(billing)


def load_demo(stdout) -> None:
    if User.objects.filter(username=GRUP_PETUGAS).exists():
        return
    _akun()
    with projections.run_at_end("pajak"):
        taxpayers, dibayar = _tulis_sebulan()
    stdout.write(
        f"pajak: {len(taxpayers)} taxpayers, {dibayar} payments over 30 days plus the returns'; "
        f"officer {GRUP_PETUGAS} and citizen {WARGA[0]} / {PASSWORD}; bank client "
        f"{BANK_CLIENT_ID} / {BANK_CLIENT_SECRET}"
    )


def _tulis_sebulan() -> tuple[list[WajibPajak], int]:
    rng, penulis = random.Random(2026), _Penulis()  # noqa: S311 - reproducible demo data
    konfigurasi: KonfigurasiPajak = muat_konfigurasi()
    libur, sekarang = muat_libur(), clock.now()
    taxpayers = _terdaftar(rng, _kabupaten(rng), konfigurasi, sekarang)
    penulis.simpan(*taxpayers)
    warga = next(wp for wp in taxpayers if wp.subjek_id == keyed_hash(WARGA[1]))
    _warga_pajak(rng, penulis, warga, konfigurasi, libur, sekarang)
    masa = _bulan_lalu(sekarang.date(), 1)
    for wp in taxpayers:
        if wp.jenis != BADAN:
            continue
        _kewajiban(rng, penulis, wp, PPH21, masa, konfigurasi, libur, sekarang)
        if wp.pkp:
            _kewajiban(rng, penulis, wp, PPN, masa, konfigurasi, libur, sekarang)
    lainnya = [wp for wp in taxpayers if wp is not warga]  # hers are set by hand above
    dibayar = _pembayaran(rng, penulis, lainnya, konfigurasi, sekarang)
    penulis.tulis()
    return taxpayers, dibayar
