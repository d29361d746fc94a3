"""Tables of the pajak context (write alias ``pajak``).

- The event store, subject keys and idempotency records (the kernel's).
- **Configuration** the rules read: every rate, amount, validity period and deadline is a row
  in force from ``berlaku_mulai`` (a Jakarta calendar day) until a later row of the same key
  replaces it, with the ``dasar_hukum`` it comes from (shapes: ``domain/konfigurasi.py``;
  seed: ``domain/tarif_bawaan.py``; loaded by ``konfigurasi.py``). A bracket table is a parent
  row with one child row per bracket, edited inline in the admin: the database types check
  each bound and rate, a bracket is one row as in the regulation's own table, and no JSON has
  to be validated by hand. Rates are stored in percent, as regulations write them.
- ``HariLibur``: holidays and collective leave (pajak's own copy; the calendar *logic* is the
  kernel's ``egov.harikerja``).
- ``IdentitasDukcapil``: pajak's replica of the NIKs the e-KTP context verified or
  deactivated, fed by its published events (see ``policies.py`` for why it lives here).
- Command-side indexes, written in the same transaction as the events they follow from:
  taxpayers, billing codes (the unique NTPN), obligations, and the BPE register.

Read models (``ReadModel``, alias ``pajak_read``) are declared in a module of their own, the
read side's, and imported here.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.pajak.domain.rules import (
    AKTIF,
    DIBAYAR,
    JENIS_PAJAK,
    JENIS_SPT,
    KEDALUWARSA,
    NONAKTIF,
    TERVERIFIKASI,
)
from egov.eventstore.models import event_store_models

PajakEvent, PajakSubjectKey, PajakIdempotencyRecord = event_store_models(
    __name__, "pajak", prefix="Pajak"
)

KATEGORI_TER_CHOICES = [("A", "A"), ("B", "B"), ("C", "C")]
STATUS_PTKP_CHOICES = [(s, s) for s in ("TK/0", "TK/1", "TK/2", "TK/3", "K/0", "K/1", "K/2", "K/3")]
JENIS_SPT_CHOICES = [(kode, kode) for kode in JENIS_SPT]
JENIS_PAJAK_CHOICES = [(kode, kode) for kode in JENIS_PAJAK]
TANGGAL_BULAN = [MinValueValidator(1), MaxValueValidator(31)]


def _persen(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Dalam persen, seperti tertulis dalam peraturan (mis. 0,25 atau 12)."),
    )


def _rupiah(verbose_name, **kwargs):
    return models.PositiveBigIntegerField(verbose_name, **kwargs)


# --- configuration ----------------------------------------------------------------------
class Berlaku(models.Model):
    """A configuration row in force from ``berlaku_mulai``. A row already in force is never
    edited (a return of an old period is still computed with the rules of its time): a
    change is a new row with a later ``berlaku_mulai``."""

    berlaku_mulai = models.DateField(_("berlaku mulai"))
    dasar_hukum = models.CharField(_("dasar hukum"), max_length=200, blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["-berlaku_mulai"]


class TabelTER(Berlaku):
    """PPh 21 monthly effective rates (TER) of one category (PP 58/2023)."""

    kategori = models.CharField(_("kategori"), max_length=1, choices=KATEGORI_TER_CHOICES)

    class Meta(Berlaku.Meta):
        verbose_name = _("tabel TER PPh 21")
        verbose_name_plural = _("tabel TER PPh 21")
        ordering = ["kategori", "-berlaku_mulai"]
        constraints = [
            models.UniqueConstraint(fields=["kategori", "berlaku_mulai"], name="pajak_ter_unik")
        ]

    def __str__(self) -> str:
        return f"TER {self.kategori} ({self.berlaku_mulai})"


class Lapisan(models.Model):
    """One bracket: up to ``batas_atas`` rupiah inclusive (empty: no upper bound)."""

    batas_atas = _rupiah(
        _("batas atas (Rp)"), null=True, blank=True, help_text=_("Kosong = tanpa batas atas.")
    )
    tarif_persen = _persen(_("tarif (%)"))

    class Meta:
        abstract = True
        ordering = [models.F("batas_atas").asc(nulls_last=True)]

    def __str__(self) -> str:
        atas = f"{self.batas_atas:,}" if self.batas_atas is not None else "~"
        return f"≤ {atas}: {self.tarif_persen}%"


class LapisanTER(Lapisan):
    tabel = models.ForeignKey(TabelTER, on_delete=models.CASCADE, related_name="lapisan")

    class Meta(Lapisan.Meta):
        verbose_name = _("lapisan TER")
        verbose_name_plural = _("lapisan TER")
        constraints = [
            models.UniqueConstraint(fields=["tabel", "batas_atas"], name="pajak_lapisan_ter_unik")
        ]


class PemetaanTER(Berlaku):
    """PTKP status -> TER category (PP 58/2023)."""

    class Meta(Berlaku.Meta):
        verbose_name = _("pemetaan kategori TER")
        verbose_name_plural = _("pemetaan kategori TER")
        constraints = [
            models.UniqueConstraint(fields=["berlaku_mulai"], name="pajak_pemetaan_ter_unik")
        ]

    def __str__(self) -> str:
        return f"{_('Kategori TER')} ({self.berlaku_mulai})"


class PemetaanTERBaris(models.Model):
    pemetaan = models.ForeignKey(PemetaanTER, on_delete=models.CASCADE, related_name="baris")
    status_ptkp = models.CharField(_("status PTKP"), max_length=4, choices=STATUS_PTKP_CHOICES)
    kategori = models.CharField(_("kategori"), max_length=1, choices=KATEGORI_TER_CHOICES)

    class Meta:
        verbose_name = _("status PTKP")
        verbose_name_plural = _("status PTKP")
        ordering = ["status_ptkp"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemetaan", "status_ptkp"], name="pajak_pemetaan_ter_baris_unik"
            )
        ]

    def __str__(self) -> str:
        return f"{self.status_ptkp} → {self.kategori}"


class TarifPTKP(Berlaku):
    """Yearly non-taxable income (PTKP)."""

    wajib_pajak = _rupiah(_("wajib pajak (Rp)"))
    kawin = _rupiah(_("tambahan kawin (Rp)"))
    per_tanggungan = _rupiah(_("per tanggungan (Rp)"))
    tanggungan_maks = models.PositiveSmallIntegerField(_("tanggungan paling banyak"))

    class Meta(Berlaku.Meta):
        verbose_name = _("PTKP")
        verbose_name_plural = _("PTKP")
        constraints = [models.UniqueConstraint(fields=["berlaku_mulai"], name="pajak_ptkp_unik")]

    def __str__(self) -> str:
        return f"PTKP ({self.berlaku_mulai})"


class TarifPasal17(Berlaku):
    """Progressive rates on an individual's yearly taxable income (UU PPh Pasal 17)."""

    class Meta(Berlaku.Meta):
        verbose_name = _("tarif Pasal 17")
        verbose_name_plural = _("tarif Pasal 17 (orang pribadi)")
        constraints = [models.UniqueConstraint(fields=["berlaku_mulai"], name="pajak_pasal17_unik")]

    def __str__(self) -> str:
        return f"Pasal 17 ({self.berlaku_mulai})"


class LapisanPasal17(Lapisan):
    tarif = models.ForeignKey(TarifPasal17, on_delete=models.CASCADE, related_name="lapisan")

    class Meta(Lapisan.Meta):
        verbose_name = _("lapisan Pasal 17")
        verbose_name_plural = _("lapisan Pasal 17")
        constraints = [
            models.UniqueConstraint(
                fields=["tarif", "batas_atas"], name="pajak_lapisan_pasal17_unik"
            )
        ]


class BiayaJabatan(Berlaku):
    persen = _persen(_("persentase (%)"))
    maks_setahun = _rupiah(_("paling banyak setahun (Rp)"))

    class Meta(Berlaku.Meta):
        verbose_name = _("biaya jabatan")
        verbose_name_plural = _("biaya jabatan")
        constraints = [
            models.UniqueConstraint(fields=["berlaku_mulai"], name="pajak_biaya_jabatan_unik")
        ]

    def __str__(self) -> str:
        return f"{self.persen}% ({self.berlaku_mulai})"


class TarifPPN(Berlaku):
    """VAT rate and its base (DPP) as a fraction of the price: 11/12 keeps non-luxury goods
    at 11% effective under the 12% rate (PMK 131/2024)."""

    tarif_persen = _persen(_("tarif (%)"))
    dpp_non_mewah_pembilang = models.PositiveIntegerField(_("DPP non-mewah: pembilang"), default=1)
    dpp_non_mewah_penyebut = models.PositiveIntegerField(
        _("DPP non-mewah: penyebut"), default=1, validators=[MinValueValidator(1)]
    )
    dpp_mewah_pembilang = models.PositiveIntegerField(_("DPP mewah: pembilang"), default=1)
    dpp_mewah_penyebut = models.PositiveIntegerField(
        _("DPP mewah: penyebut"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta(Berlaku.Meta):
        verbose_name = _("tarif PPN")
        verbose_name_plural = _("tarif PPN")
        constraints = [models.UniqueConstraint(fields=["berlaku_mulai"], name="pajak_ppn_unik")]

    def __str__(self) -> str:
        return f"PPN {self.tarif_persen}% ({self.berlaku_mulai})"


class TarifPPhBadan(Berlaku):
    tarif_persen = _persen(_("tarif (%)"))

    class Meta(Berlaku.Meta):
        verbose_name = _("tarif PPh badan")
        verbose_name_plural = _("tarif PPh badan")
        constraints = [
            models.UniqueConstraint(fields=["berlaku_mulai"], name="pajak_pph_badan_unik")
        ]

    def __str__(self) -> str:
        return f"PPh badan {self.tarif_persen}% ({self.berlaku_mulai})"


class MasaBerlakuBilling(Berlaku):
    """How long a billing code issued from ``berlaku_mulai`` (Jakarta date of issue) stays
    payable, in hours from the instant of issue (MPN: 7 x 24, 14 x 24 jam)."""

    jam = models.PositiveIntegerField(_("masa berlaku (jam)"), validators=[MinValueValidator(1)])

    class Meta(Berlaku.Meta):
        verbose_name = _("masa berlaku kode billing")
        verbose_name_plural = _("masa berlaku kode billing")
        constraints = [
            models.UniqueConstraint(fields=["berlaku_mulai"], name="pajak_masa_billing_unik")
        ]

    def __str__(self) -> str:
        return f"{self.jam} jam ({self.berlaku_mulai})"


class DendaTelatLapor(Berlaku):
    """The fine for a return not filed by its deadline (UU KUP Pasal 7 ayat 1)."""

    jenis_spt = models.CharField(_("jenis SPT"), max_length=20, choices=JENIS_SPT_CHOICES)
    nominal = _rupiah(_("denda (Rp)"))

    class Meta(Berlaku.Meta):
        verbose_name = _("denda telat lapor")
        verbose_name_plural = _("denda telat lapor")
        ordering = ["jenis_spt", "-berlaku_mulai"]
        constraints = [
            models.UniqueConstraint(fields=["jenis_spt", "berlaku_mulai"], name="pajak_denda_unik")
        ]

    def __str__(self) -> str:
        return f"{self.jenis_spt}: Rp{self.nominal:,} ({self.berlaku_mulai})"


class AturanTenggat(Berlaku):
    """When a period's tax is paid and its return filed: day ``tanggal`` (empty: the last
    day) of the month ``bulan_setelah_masa`` months after the period's last month, moved past
    weekends and holidays. Looked up on the period's first day."""

    jenis_pajak = models.CharField(_("jenis pajak"), max_length=20, choices=JENIS_PAJAK_CHOICES)
    bayar_bulan_setelah_masa = models.PositiveSmallIntegerField(_("bayar: bulan setelah masa"))
    bayar_tanggal = models.PositiveSmallIntegerField(
        _("bayar: tanggal"),
        null=True,
        blank=True,
        validators=TANGGAL_BULAN,
        help_text=_("Kosong = hari terakhir bulan itu."),
    )
    lapor_bulan_setelah_masa = models.PositiveSmallIntegerField(_("lapor: bulan setelah masa"))
    lapor_tanggal = models.PositiveSmallIntegerField(
        _("lapor: tanggal"),
        null=True,
        blank=True,
        validators=TANGGAL_BULAN,
        help_text=_("Kosong = hari terakhir bulan itu."),
    )

    class Meta(Berlaku.Meta):
        verbose_name = _("aturan tenggat")
        verbose_name_plural = _("aturan tenggat bayar dan lapor")
        ordering = ["jenis_pajak", "-berlaku_mulai"]
        constraints = [
            models.UniqueConstraint(
                fields=["jenis_pajak", "berlaku_mulai"], name="pajak_tenggat_unik"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jenis_pajak} ({self.berlaku_mulai})"


class HariLibur(models.Model):
    """A national holiday or collective leave day (SKB 3 Menteri, yearly): a deadline on it
    moves to the next working day."""

    tanggal = models.DateField(_("tanggal"), unique=True)
    keterangan = models.CharField(_("keterangan"), max_length=150)
    dasar_hukum = models.CharField(_("dasar hukum"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur nasional dan cuti bersama")
        ordering = ["tanggal"]

    def __str__(self) -> str:
        return f"{self.tanggal} {self.keterangan}"


# --- the identity replica ------------------------------------------------------------------
class IdentitasDukcapil(models.Model):
    """One NIK as the e-KTP context last published it: verified, or deactivated since."""

    nik_hash = models.CharField(max_length=64, primary_key=True)
    status = models.CharField(
        _("status"), max_length=20, choices=[(TERVERIFIKASI, TERVERIFIKASI), (NONAKTIF, NONAKTIF)]
    )
    sumber_event_id = models.CharField(_("event sumber"), max_length=36, blank=True, default="")
    diperbarui_pada = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    class Meta:
        verbose_name = _("identitas Dukcapil (replika)")
        verbose_name_plural = _("identitas Dukcapil (replika)")

    def __str__(self) -> str:
        return f"{self.nik_hash[:12]}… {self.status}"


# --- command-side indexes ------------------------------------------------------------------
class IndeksWajibPajak(models.Model):
    """A registered taxpayer: who it is (pseudonymous), where (office), whether PKP."""

    wajib_pajak_id = models.UUIDField(primary_key=True)
    subjek_id = models.CharField(max_length=64, unique=True)
    jenis = models.CharField(_("jenis"), max_length=5)
    kode_wilayah = models.CharField(_("kode wilayah"), max_length=4, db_index=True)
    terdaftar_pada = models.DateField(_("terdaftar pada"))
    pkp = models.BooleanField(_("PKP"), default=False)
    tanggal_pkp = models.DateField(_("tanggal pengukuhan PKP"), null=True, blank=True)
    peninjauan = models.BooleanField(_("dalam peninjauan"), default=False)

    class Meta:
        verbose_name = _("wajib pajak")
        verbose_name_plural = _("wajib pajak (indeks)")
        ordering = ["kode_wilayah", "terdaftar_pada"]

    def __str__(self) -> str:
        return f"{self.jenis} {self.wajib_pajak_id} ({self.kode_wilayah})"


STATUS_BILLING_CHOICES = [(s, s) for s in (AKTIF, DIBAYAR, KEDALUWARSA)]


class IndeksKodeBilling(models.Model):
    """A billing code: the primary key makes it unique, ``status``/``kedaluwarsa`` feed the
    expiry sweep, and an NTPN is used by one code only (a second code reporting it is
    refused by the constraint even when two banks report at once)."""

    kode = models.CharField(max_length=15, primary_key=True)
    wajib_pajak_id = models.UUIDField(db_index=True)
    kewajiban_id = models.UUIDField(null=True, blank=True)
    jenis_pajak = models.CharField(max_length=20)
    masa = models.CharField(max_length=7)
    nominal = models.PositiveBigIntegerField()
    status = models.CharField(max_length=12, choices=STATUS_BILLING_CHOICES)
    dibuat_pada = models.DateTimeField()
    kedaluwarsa = models.DateTimeField()
    ntpn = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["status", "kedaluwarsa"], name="pajak_billing_sapuan")]
        constraints = [
            models.UniqueConstraint(fields=["ntpn"], condition=~Q(ntpn=""), name="pajak_ntpn_unik")
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.status}"


class IndeksKewajiban(models.Model):
    """An obligation (taxpayer, tax, period): its deadlines and whether its return was filed
    in time or fined, for the fines sweep, the obligations sweep and "my obligations"."""

    kewajiban_id = models.UUIDField(primary_key=True)
    wajib_pajak_id = models.UUIDField(db_index=True)
    jenis_pajak = models.CharField(max_length=20)
    masa = models.CharField(max_length=7)
    jatuh_tempo_bayar = models.DateField()
    jatuh_tempo_lapor = models.DateField(db_index=True)
    status_spt = models.CharField(max_length=24, blank=True, default="")
    kode_billing = models.CharField(max_length=15, blank=True, default="")
    dilaporkan_pada = models.DateTimeField(null=True, blank=True)
    tepat_waktu = models.BooleanField(default=False)  # first filed by the filing deadline
    denda_ditetapkan = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["wajib_pajak_id", "jenis_pajak", "masa"], name="pajak_kewajiban_unik"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jenis_pajak} {self.masa} {self.wajib_pajak_id}"


class NomorBPE(models.Model):
    """The register of electronic filing receipts (BPE): the primary key keeps them unique."""

    bpe = models.CharField(max_length=32, primary_key=True)
    kewajiban_id = models.UUIDField()
    pembetulan_ke = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.bpe


from apps.pajak.read_models import (  # noqa: E402, F401 - registers the read tables (read_models.py)
    KepatuhanSPT,
    KodeBillingHarian,
    KodeBillingRingkas,
    PembayarBulanan,
    PenerimaanBulanan,
    PenerimaanHarian,
    StatusKewajiban,
    WajibPajakWilayah,
)
