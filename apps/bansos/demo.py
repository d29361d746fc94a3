"""Demo data of the bansos context for `make run` (idempotent: nothing when the Kemensos officer
already exists): two programmes with a few hundred households in several provinces, so every
eligibility rule, the disbursement rounds, the reconciliation and the dashboard show something
at first sight.

- Accounts: the Kemensos officers ``petugas_kemensos`` (verifies, decides, builds and
  instructs rounds) and ``penyetuju_kemensos`` (approves them: four eyes), both of the
  national office; the payment channel's API client ``demo-kanal-bansos`` (scope
  ``bansos:penyaluran`` only); the citizen ``warga_bansos``, whose verified NIK is the
  pengurus of a household receiving PKH and BPNT ("Bantuan saya" on the portal).
- PKH (this quarter) and BPNT (since last month) households in eight provinces: most
  eligible and decided (``PenerimaDitetapkan``); some failing one rule each, with the
  reason on the eligibility page: a NIK also in another recipient household (``ganda_nik``
  and ``nik_di_banyak_kk``), a KK already receiving (``ganda_kk``), a member Dukcapil reports
  dead (``meninggal``) or deactivated as a duplicate (``nik_nonaktif``), a civil servant,
  soldier or police officer (``dikecualikan``), a decile above the threshold
  (``desil_di_atas_batas``), a NIK not verified yet (``nik_belum_terverifikasi``); the first
  of each kind rejected, the others waiting in the queue; and fresh proposals not verified
  yet.
- Rounds: BPNT of last month closed (reconciled to the rupiah); PKH of this quarter and BPNT
  of this month approved by the second officer, instructed, most paid, some failed, not
  collected (redirected to PT Pos, paid there or returned to the treasury) or still waiting;
  deaths reported before the round (no instruction) and after it (instruction cancelled); a
  suspension by an officer; BPNT of next month still a draft.

Households are written through the domain's aggregates and bansos's event store with the
command side's indexes kept in step (``commands._unit.simpan``, as every command does), their
eligibility checked on the replicas by the same ``fakta_untuk`` the commands use, in one
transaction per batch: a transaction per proposal would make `make run` slower. The identity
replica and the payroll exclusion list are written as the identity policy and the admin would.
The rounds go through the commands (create, submit, approve, instruct, close; a death through
the identity policy's command), the channel's reports through the round's aggregate in one
transaction. The projectors each append asks for are held back while the demo writes and run
once at the end.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Group, User
from oauth2_provider.models import Application

from apps.bansos import commands
from apps.bansos.commands._unit import ALIAS, fakta_untuk, indeks_instruksi, simpan
from apps.bansos.domain.instruksi import InstruksiPembayaran
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.penerima import Penerima
from apps.bansos.domain.rules import (
    ANAK_USIA_DINI,
    ASN,
    BPNT,
    DIBUAT,
    GANDA,
    LAINNYA,
    LANJUT_USIA,
    MENINGGAL,
    PKH,
    POLRI,
    POS,
    SD,
    SMA,
    SMP,
    TNI,
    WIB,
    Periode,
)
from apps.bansos.konfigurasi import muat_konfigurasi
from apps.bansos.models import DaftarPengecualian, IdentitasDukcapil, IndeksInstruksi
from apps.bansos.roles import GRUP_PETUGAS, SCOPE_KANAL, SCOPE_PENYALURAN
from apps.bansos.store import store
from egov import clock, wilayah
from egov.contracts.ktp import NONAKTIF, VERIFIED
from egov.db import atomic
from egov.eventstore import projections
from egov.eventstore.domain import EventMetadata
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.portal.accounts import principal_for_user
from egov.portal.integrators import register_integrator
from egov.portal.models import TERVERIFIKASI as KLAIM_TERVERIFIKASI
from egov.portal.models import CitizenProfile, OfficerProfile
from egov.principals import system

PASSWORD = "demo-bansos-2026"  # noqa: S105 - demo accounts, documented in the README
PETUGAS, PENYETUJU = "petugas_kemensos", "penyetuju_kemensos"
KANAL_CLIENT_ID = "demo-kanal-bansos"
KANAL_CLIENT_SECRET = "demo-kanal-bansos-2026"  # noqa: S105 - demo credentials, in the README
WARGA = ("warga_bansos", "3578015203880001", "Siti Aminah")  # Surabaya, born 12 March 1988
DESA_WARGA = "3578011001"  # Karang Pilang, Kota Surabaya
PROVINSI = ("11", "31", "32", "33", "35", "52", "53", "73")  # Aceh ... Sulawesi Selatan
SK = "Keputusan Menteri Sosial Nomor {nomor}/HUK/{tahun} (demo)"
PER_TRANSAKSI = 100  # households written per transaction

# How many households of each kind, per programme.
LAYAK_PKH = 160  # eligible and decided; the first BERSAMA also receive BPNT (same family)
BERSAMA = 60
LAYAK_BPNT_SAJA = 40
GAGAL = {  # one failing rule each: (PKH, BPNT) households
    "ganda_nik": (5, 3),
    "ganda_kk": (5, 3),
    "meninggal": (5, 3),
    "nik_nonaktif": (2, 1),
    "dikecualikan": (5, 3),
    "desil_di_atas_batas": (5, 3),
    "nik_belum_terverifikasi": (5, 3),
}
DIAJUKAN_SAJA = (8, 5)  # proposed, not verified yet
# Recipients whose household a later event reaches (indexes in the programme's recipients).
MENINGGAL_SEBELUM = (30, 31)  # BPNT-only: a member dies before this month's round
MENINGGAL_SESUDAH = (120, 121, 122)  # PKH-only: a member dies after the instructions
DITANGGUHKAN_PETUGAS = 130  # PKH-only: suspended by an officer
# The first recipient a ganda_nik, a ganda_kk household copies (PKH: of all, BPNT: BPNT-only).
TARGET_GANDA = {PKH: (100, 110), BPNT: (10, 20)}
PENGECUALIAN = (ASN, TNI, POLRI)
KANAL = {PKH: "BNI", BPNT: "BRI"}
# PKH-only recipients whose proposals name one bank account (an agent's): each verified after
# the first is flagged ``rekening_bersama`` for review, and still paid.
REKENING_BERSAMA = (140, 141, 142)
NOMOR_REKENING_BERSAMA = "0021234567890"


@dataclass
class _Keluarga:
    """A household as the village knows it (clear numbers: hashed before the domain)."""

    kode_wilayah: str
    nomor_kk: str
    anggota: list[tuple[str, str]]  # (NIK, PKH component or "")
    desil: int
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    rekening: str = ""  # bank account paid into ("" the KK's own, made up from its number)

    @property
    def nomor_rekening(self) -> str:
        return self.rekening or f"002{self.nomor_kk}"

    def untuk(self, program: str) -> tuple[Anggota, ...]:
        return tuple(
            Anggota(keyed_hash(nik), komponen if program == PKH else "")
            for nik, komponen in self.anggota
        )


@dataclass
class _Hasil:
    keluarga: int = 0
    ditetapkan: int = 0
    instruksi: int = 0
    tersalur: int = 0


def _meta(actor: str) -> EventMetadata:
    return EventMetadata(actor=actor, source="demo")


class _Pembuat:
    """Generates households, NIKs and KK numbers reproducibly (the proposal ids too, so two
    fresh loads write the same streams)."""

    def __init__(self, rng: random.Random, sekarang: datetime) -> None:
        self.rng = rng
        self.tahun = sekarang.astimezone(WIB).year
        self.nomor = 1  # NIK serials; 0001 is the demo citizen's
        self.desa = [DESA_WARGA, *self._desa()]

    def _desa(self) -> list[str]:
        """Two villages of two regencies in every demo province."""
        found = []
        for provinsi in PROVINSI:
            for kabupaten in self.rng.sample(wilayah.anak(provinsi), 2):
                kecamatan = self.rng.choice(wilayah.anak(kabupaten.kode))
                found.append(self.rng.choice(wilayah.anak(kecamatan.kode)).kode)
        return found

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def nik(self, kode_wilayah: str, umur: int, *, perempuan: bool) -> str:
        self.nomor += 1
        lahir = date(self.tahun - umur, self.rng.randrange(1, 13), self.rng.randrange(1, 29))
        hari = lahir.day + (40 if perempuan else 0)
        return f"{kode_wilayah[:6]}{hari:02d}{lahir:%m%y}{self.nomor % 10000:04d}"

    def nomor_kk(self, kode_wilayah: str) -> str:
        self.nomor += 1
        return f"{kode_wilayah[:6]}{self.rng.randrange(1, 29):02d}{self.rng.randrange(1, 13):02d}{self.tahun % 100 - self.rng.randrange(1, 15):02d}{self.nomor % 10000:04d}"  # noqa: E501

    def anak(self, kode_wilayah: str) -> tuple[str, str]:
        komponen, umur = self.rng.choice(
            ((ANAK_USIA_DINI, 3), (SD, 9), (SD, 11), (SMP, 14), (SMA, 17))
        )
        return self.nik(kode_wilayah, umur, perempuan=self.rng.random() < 0.5), komponen

    def keluarga(self, i: int, *, pengurus: str = "", desil: int = 0) -> _Keluarga:
        """A mother (the pengurus), most often her husband, one to three children at an age
        PKH counts, sometimes a grandparent over 70."""
        desa = self.desa[i % len(self.desa)]
        ibu = pengurus or self.nik(desa, self.rng.randrange(28, 48), perempuan=True)
        anggota = [(ibu, "")]
        if self.rng.random() < 0.8:
            anggota.append((self.nik(desa, self.rng.randrange(30, 55), perempuan=False), ""))
        anggota += [self.anak(desa) for _ in range(self.rng.randrange(1, 4))]
        if self.rng.random() < 0.15:
            anggota.append(
                (self.nik(desa, self.rng.randrange(70, 85), perempuan=True), LANJUT_USIA)
            )
        return _Keluarga(
            desa, self.nomor_kk(desa), anggota, desil or self.rng.randrange(1, 5), self.uuid()
        )


def _akun() -> dict[str, User]:
    group, _ = Group.objects.get_or_create(name=GRUP_PETUGAS)
    petugas = {}
    for username in (PETUGAS, PENYETUJU):
        user = User.objects.create_user(username, f"{username}@kemensos.local", PASSWORD)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)
        OfficerProfile.objects.update_or_create(user=user, defaults={"kantor": ""})
        petugas[username] = user
    username, nik, _nama = WARGA
    if not User.objects.filter(username=username).exists():
        warga = User.objects.create_user(username, f"{username}@warga.local", PASSWORD)
        CitizenProfile.objects.create(
            user=warga,
            subject_id=keyed_hash(nik),
            nik_masked=mask_nik(nik),
            status=KLAIM_TERVERIFIKASI,  # as if confirmed at a Dukcapil counter
            diputuskan_oleh="demo",
        )
    if not Application.objects.filter(client_id=KANAL_CLIENT_ID).exists():
        register_integrator(
            instansi="Bank Himbara Demo (penyalur bansos)",
            # one demo client for the channels the demo instructs, and PT Pos after them
            scopes=[SCOPE_PENYALURAN, *(f"{SCOPE_KANAL}{k}" for k in KANAL_DEMO)],
            client_id=KANAL_CLIENT_ID,
            client_secret=KANAL_CLIENT_SECRET,
        )
    return petugas


KANAL_DEMO = ("BRI", "BNI", "POS")


def load_demo(stdout) -> None:
    if User.objects.filter(username=PETUGAS).exists():
        return
    petugas = _akun()
    with projections.run_at_end("bansos"):
        hasil = _Demo(petugas).tulis()
    stdout.write(
        f"bansos: {hasil.keluarga} households ({hasil.ditetapkan} decided), "
        f"{hasil.instruksi} payment instructions ({hasil.tersalur} paid); officers {PETUGAS} "
        f"and {PENYETUJU}, citizen {WARGA[0]} / {PASSWORD}; channel client {KANAL_CLIENT_ID} / "
        f"{KANAL_CLIENT_SECRET}"
    )


# --- periods -----------------------------------------------------------------------------------
def _bulan(hari: date, geser: int) -> str:
    indeks = hari.year * 12 + hari.month - 1 + geser
    return f"{indeks // 12:04d}-{indeks % 12 + 1:02d}"


def _triwulan(hari: date) -> str:
    return f"{hari.year:04d}-TW{(hari.month - 1) // 3 + 1}"


class _Demo:
    def __init__(self, petugas: dict[str, User]) -> None:
        self.rng = random.Random(2026)  # noqa: S311 - reproducible demo data
        self.sekarang = clock.now()
        hari_ini = self.sekarang.astimezone(WIB).date()
        self.pkh, self.bpnt_lalu = _triwulan(hari_ini), _bulan(hari_ini, -1)
        self.bpnt, self.bpnt_depan = _bulan(hari_ini, 0), _bulan(hari_ini, 1)
        self.pembuat = _Pembuat(self.rng, self.sekarang)
        self.konfigurasi = muat_konfigurasi()
        self.petugas = principal_for_user(petugas[PETUGAS])
        self.penyetuju = principal_for_user(petugas[PENYETUJU])
        self.identitas: dict[str, tuple[str, str]] = {}  # NIK hash -> (status, alasan)
        self.pengecualian: dict[str, str] = {}  # NIK hash -> category
        self.hasil = _Hasil()
        self.warga: set[uuid.UUID] = set()
        self.ntx = 0

    def lalu(self, hari: float, jam: int = 9) -> datetime:
        """``hari`` days ago at ``jam`` o'clock WIB (never later than now)."""
        pada = (self.sekarang - timedelta(days=hari)).astimezone(WIB)
        return min(pada.replace(hour=jam, minute=self.rng.randrange(60)), self.sekarang)

    # --- the whole story, in order ---------------------------------------------------------
    def tulis(self) -> _Hasil:
        pkh, bpnt = self._penerima()
        gagal = self._gagal(pkh, bpnt)
        baru = [(PKH, self.pkh, self.pembuat.keluarga(i)) for i in range(DIAJUKAN_SAJA[0])] + [
            (BPNT, self.bpnt, self.pembuat.keluarga(i + 3)) for i in range(DIAJUKAN_SAJA[1])
        ]
        self._replika([k for _p, _per, k in baru])
        self._tulis_keluarga(pkh, bpnt, gagal, baru)
        self._siklus_lalu()
        for i in MENINGGAL_SEBELUM:
            self._meninggal(bpnt[BERSAMA + i], self.lalu(12))
        with clock.frozen(self.lalu(11)):
            commands.bansos_tangguhkan_penerima(
                principal=self.petugas,
                penerima_id=pkh[DITANGGUHKAN_PETUGAS].id,
                alasan=LAINNYA,
                keterangan="Pindah domisili, menunggu verifikasi desa tujuan.",
                metadata=_meta(PETUGAS),
            )
        siklus = {
            program: self._siklus(program, periode)
            for program, periode in ((PKH, self.pkh), (BPNT, self.bpnt))
        }
        for i in MENINGGAL_SESUDAH:
            self._meninggal(pkh[i], self.lalu(7))
        for siklus_id in siklus.values():
            self._laporan(siklus_id, mulai=6.5, sampai=0.2)
        with clock.frozen(self.lalu(1)):
            commands.bansos_buat_siklus(
                principal=self.petugas,
                program=BPNT,
                periode=self.bpnt_depan,
                metadata=_meta(PETUGAS),
            )
        return self.hasil

    # --- households ----------------------------------------------------------------------------
    def _penerima(self) -> tuple[list[_Keluarga], list[_Keluarga]]:
        pkh = [self.pembuat.keluarga(0, pengurus=WARGA[1])]
        self.warga = {pkh[0].id, uuid.uuid5(pkh[0].id, BPNT)}  # her household's two streams
        pkh += [self.pembuat.keluarga(i) for i in range(1, LAYAK_PKH)]
        for i in REKENING_BERSAMA:
            pkh[i].rekening = NOMOR_REKENING_BERSAMA
        bpnt = pkh[:BERSAMA] + [self.pembuat.keluarga(i + 7) for i in range(LAYAK_BPNT_SAJA)]
        for k in {id(k): k for k in pkh + bpnt}.values():
            for nik, _komponen in k.anggota:
                self.identitas[keyed_hash(nik)] = (VERIFIED, "")
        return pkh, bpnt

    def _gagal(self, pkh, bpnt) -> list[tuple[str, str, _Keluarga, str]]:
        """(programme, period, household, the rule it fails) for every failing household."""
        hasil = []
        for aturan, jumlah in GAGAL.items():
            for program, periode, n, penerima in (
                (PKH, self.pkh, jumlah[0], pkh),
                (BPNT, self.bpnt, jumlah[1], bpnt[BERSAMA:]),
            ):
                for j in range(n):
                    k = self._satu_gagal(aturan, program, penerima, j)
                    hasil.append((program, periode, k, aturan))
        return hasil

    def _satu_gagal(self, aturan: str, program: str, penerima: list[_Keluarga], j: int):
        i = len(self.pembuat.desa) * (j + 1) + 5
        desil = self.rng.randrange(5, 9) if aturan == "desil_di_atas_batas" else 0
        k = self.pembuat.keluarga(i, desil=desil)
        for nik, _komponen in k.anggota:
            self.identitas[keyed_hash(nik)] = (VERIFIED, "")
        anggota_terakhir = keyed_hash(k.anggota[-1][0])
        if aturan == "ganda_nik":  # one of a recipient household's children listed here too
            sasaran = penerima[TARGET_GANDA[program][0] + j]
            k.anggota.append(sasaran.anggota[-1])
        elif aturan == "ganda_kk":  # the KK of a recipient household, proposed again
            sasaran = penerima[TARGET_GANDA[program][1] + j]
            k.nomor_kk = sasaran.nomor_kk
        elif aturan == "meninggal":
            self.identitas[anggota_terakhir] = (NONAKTIF, MENINGGAL)
        elif aturan == "nik_nonaktif":
            self.identitas[anggota_terakhir] = (NONAKTIF, GANDA)
        elif aturan == "dikecualikan":  # the husband (or the mother) on a payroll list
            self.pengecualian[keyed_hash(k.anggota[min(1, len(k.anggota) - 1)][0])] = PENGECUALIAN[
                j % len(PENGECUALIAN)
            ]
        elif aturan == "nik_belum_terverifikasi":
            del self.identitas[anggota_terakhir]
        return k

    def _replika(self, baru: list[_Keluarga]) -> None:
        """bansos's identity replica as the identity policy writes it from ktp's feed, and the
        payroll exclusion list as the admin keeps it."""
        for k in baru:
            for nik, _komponen in k.anggota:
                self.identitas[keyed_hash(nik)] = (VERIFIED, "")
        with atomic(ALIAS):
            IdentitasDukcapil.objects.using(ALIAS).bulk_create(
                (
                    IdentitasDukcapil(nik_hash=n, status=s, alasan=a, sumber_event_id="demo")
                    for n, (s, a) in self.identitas.items()
                ),
                ignore_conflicts=True,  # a NIK e-KTP's demo verified: the policy's row stands
            )
            DaftarPengecualian.objects.using(ALIAS).bulk_create(
                DaftarPengecualian(nik_hash=n, kategori=k, sumber=f"daftar gaji {k} (demo)")
                for n, k in self.pengecualian.items()
            )

    def _tulis_keluarga(self, pkh, bpnt, gagal, baru) -> None:
        """Recipients first (the failing households are judged against them), then the
        failing ones (the first of each kind rejected), then the fresh proposals."""
        antre = [(PKH, self.pkh, k, "layak", 60) for k in pkh]
        antre += [(BPNT, self.bpnt_lalu, k, "layak", 58) for k in bpnt]
        sudah = set()
        for program, periode, k, aturan in gagal:
            pertama = (program, aturan) not in sudah
            sudah.add((program, aturan))
            antre.append((program, periode, k, "tolak" if pertama else "gagal", 25))
        antre += [(program, periode, k, "baru", 3) for program, periode, k in baru]
        for awal in range(0, len(antre), PER_TRANSAKSI):
            with atomic(ALIAS):
                for program, periode, k, nasib, hari in antre[awal : awal + PER_TRANSAKSI]:
                    self._usulan(program, periode, k, nasib, hari)

    def _usulan(self, program: str, periode: str, k: _Keluarga, nasib: str, hari: int) -> None:
        """Propose (a village operator), verify and decide or reject (the Kemensos officer)."""
        # One stream per household per programme: a family in PKH and BPNT has two.
        usulan_id = k.id if program == PKH else uuid.uuid5(k.id, BPNT)
        usulan = Penerima(usulan_id)
        anggota = k.untuk(program)
        desa = f"operator-desa-{k.kode_wilayah}"
        diajukan = self.lalu(hari + self.rng.random() * 5)
        usulan.ajukan(
            program=program,
            periode=periode,
            nomor_kk_hash=keyed_hash(k.nomor_kk, purpose="kk"),
            pengurus_nik_hash=anggota[0].nik_hash,
            anggota=anggota,
            desil=k.desil,
            kode_wilayah=k.kode_wilayah,
            diajukan_oleh=desa,
            sekarang=diajukan,
            konfigurasi=self.konfigurasi,
            rekening_hash=keyed_hash(k.nomor_rekening, purpose="rekening"),
        )
        simpan(usulan, _meta(desa))  # its index rows: its own KK membership is read next
        self.hasil.keluarga += 1
        if nasib == "baru":
            return
        fakta = fakta_untuk(usulan.data, Periode.parse(periode), self.konfigurasi)
        diverifikasi = min(diajukan + timedelta(days=1, hours=2), self.sekarang)
        hasil = usulan.verifikasi(
            fakta=fakta, konfigurasi=self.konfigurasi, oleh=PETUGAS, sekarang=diverifikasi
        )
        diputuskan = min(diverifikasi + timedelta(days=2), self.sekarang)
        if nasib == "layak":
            usulan.tetapkan(
                dasar_hukum=SK.format(nomor=12 if program == PKH else 13, tahun=diajukan.year),
                oleh=PETUGAS,
                sekarang=diputuskan,
            )
            self.hasil.ditetapkan += 1
        elif nasib == "tolak":
            usulan.tolak(
                alasan=f"Tidak memenuhi syarat: {', '.join(hasil.kode_gagal)}.",
                oleh=PETUGAS,
                sekarang=diputuskan,
            )
        simpan(usulan, _meta(PETUGAS))

    def _meninggal(self, k: _Keluarga, pada: datetime) -> None:
        """Dukcapil deactivates a member's NIK (MENINGGAL): the identity policy's command."""
        with clock.frozen(pada):
            commands.bansos_catat_identitas(
                principal=system("bansos.identitas"),
                nik_hash=keyed_hash(k.anggota[-1][0]),
                status=NONAKTIF,
                alasan=MENINGGAL,
                sumber="demo",
                metadata=_meta("bansos.identitas"),
            )

    # --- rounds ----------------------------------------------------------------------------------
    def _siklus(self, program: str, periode: str, hari: int = 10) -> uuid.UUID:
        """Built by one officer, approved by the other, instructed on the replicas."""
        with clock.frozen(self.lalu(hari)):
            siklus_id = commands.bansos_buat_siklus(
                principal=self.petugas, program=program, periode=periode, metadata=_meta(PETUGAS)
            )
            commands.bansos_ajukan_siklus(
                principal=self.petugas, siklus_id=siklus_id, metadata=_meta(PETUGAS)
            )
        with clock.frozen(self.lalu(hari - 1, jam=10)):
            commands.bansos_setujui_siklus(
                principal=self.penyetuju, siklus_id=siklus_id, metadata=_meta(PENYETUJU)
            )
        with clock.frozen(self.lalu(hari - 2, jam=8)):
            hasil = commands.bansos_buat_instruksi(
                principal=self.petugas,
                siklus_id=siklus_id,
                kanal=KANAL[program],
                metadata=_meta(PETUGAS),
            )
        self.hasil.instruksi += len(hasil.dibuat)
        return siklus_id

    def _siklus_lalu(self) -> None:
        """Last month's BPNT: every instruction has its outcome, and the round is closed."""
        siklus_id = self._siklus(BPNT, self.bpnt_lalu, hari=25)
        self._laporan(siklus_id, mulai=22, sampai=16, final=True)
        with clock.frozen(self.lalu(15)):
            commands.bansos_tutup_siklus(
                principal=self.petugas, siklus_id=siklus_id, metadata=_meta(PETUGAS)
            )

    def _laporan(
        self, siklus_id: uuid.UUID, *, mulai: float, sampai: float, final: bool = False
    ) -> None:
        """The channel's reports, on each instruction's own stream, one transaction: of every
        20 instructions (in the order they were made), one failed, three not collected
        (redirected to PT Pos and paid there, returned to the treasury, or waiting at the
        Pos), one still waiting, the rest paid (the demo citizen's always); a closed round's
        all final."""
        ids = (
            IndeksInstruksi.objects.using(ALIAS)
            .filter(siklus_id=siklus_id)
            .order_by("penerima_id")
            .values_list("instruksi_id", flat=True)
        )
        semua = [store.get(InstruksiPembayaran, i) for i in ids]
        for n, i in enumerate(semua):
            if i.status != DIBUAT:
                continue  # cancelled on a death
            pada = self.lalu(mulai - (n % 10) * (mulai - sampai) / 10, jam=8 + n % 10)
            nasib = 99 if i.penerima_id in self.warga else n % 20
            self._lapor(i, nasib, pada, final)
        with atomic(ALIAS):
            store.save_many(semua, _meta(KANAL_CLIENT_ID))
            for i in semua:
                indeks_instruksi(i)

    def _lapor(self, i: InstruksiPembayaran, nasib: int, pada: datetime, final: bool):
        if nasib == 0:
            i.catat_gagal(alasan="Rekening tidak aktif (dormant).", sekarang=pada)
            return
        if nasib in (1, 2, 3):
            i.catat_tidak_diambil(sekarang=pada)
            pada = min(pada + timedelta(hours=2), self.sekarang)
            if nasib == 2 or (final and nasib == 3):
                i.catat_dikembalikan(
                    nominal=i.nominal, referensi=f"RETUR-{i.id.hex[:12].upper()}", sekarang=pada
                )
                return
            i.alihkan_ke_pos(sekarang=pada)
            if nasib == 3:
                return  # waiting at the Pos
            self._tersalur(i, POS, pada + timedelta(days=1))
            return
        if nasib == 4 and not final:
            return  # no report yet
        self._tersalur(i, i.kanal, pada)

    def _tersalur(self, i: InstruksiPembayaran, kanal: str, pada) -> None:
        self.ntx += 1
        i.catat_disalurkan(
            kanal=kanal,
            ntx=f"{kanal}{pada:%y%m%d}{self.ntx:08d}",
            nominal=i.nominal,
            sekarang=min(pada, self.sekarang),
        )
        self.hasil.tersalur += 1
