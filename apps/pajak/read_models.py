"""Read tables of the pajak context (alias ``pajak_read``), written by ``pajak.statistik``
(``projections.py``) and read by ``queries.py``: the DJP dashboard and the monthly report.

Aggregates are kept up to date per event (a counter moves by one event's amount), so the
dashboard answers from a few pre-aggregated rows, never from a scan of events or payments.
Nothing here is personal data (tax secrecy, UU KUP Pasal 34): a taxpayer appears only as its
pseudonymous ``wajib_pajak_id`` (the stream id derived from the keyed hash of the NIK or
NPWP16) with its regency code; no name, NIK or NPWP.

Lookup tables first (what a later event needs of an earlier one), then the aggregates.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.eventstore.models import ReadModel

JENIS = {"max_length": 12}  # PPH21, PPN, PPH_BADAN, PPH_OP
PROVINSI = {"max_length": 2, "blank": True}  # "" when the taxpayer's region is unknown
BULAN = {"max_length": 7}  # "2026-11"


# --- lookups ---------------------------------------------------------------------------------
class WajibPajakWilayah(ReadModel):
    """Taxpayer -> where its receipts are counted (the regency of ``WajibPajakTerdaftar``)."""

    wajib_pajak_id = models.UUIDField(primary_key=True)
    jenis_wp = models.CharField(max_length=5)  # OP | BADAN
    kode_wilayah = models.CharField(max_length=4)
    kode_provinsi = models.CharField(**PROVINSI)

    def __str__(self) -> str:
        return f"{self.wajib_pajak_id} {self.kode_wilayah}"


class KodeBillingRingkas(ReadModel):
    """Billing code -> taxpayer, tax, amount, province and status (what a payment or an expiry
    is counted under). ``last_version``: the code's stream version applied (idempotency)."""

    kode = models.CharField(max_length=15, primary_key=True)
    wajib_pajak_id = models.UUIDField()
    jenis_pajak = models.CharField(**JENIS)
    masa = models.CharField(**BULAN)
    kode_provinsi = models.CharField(**PROVINSI)
    nominal = models.BigIntegerField()
    status = models.CharField(max_length=12)  # AKTIF | DIBAYAR | KEDALUWARSA
    dibuat_pada = models.DateTimeField()
    last_version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.kode} {self.status}"


class StatusKewajiban(ReadModel):
    """One obligation (taxpayer, tax, period) with its return's state: the source of "SPT on
    time / late" and of the overdue list. ``tenggat`` is the deadline still open (payment when
    the drafted return shows tax to pay, else filing), null once the return is filed: the
    obligation is overdue from the day after it. ``tunggakan``: tax the draft leaves unpaid
    plus any late-filing fine."""

    kewajiban_id = models.UUIDField(primary_key=True)
    wajib_pajak_id = models.UUIDField(db_index=True)
    jenis_pajak = models.CharField(**JENIS)
    masa = models.CharField(**BULAN)
    kode_wilayah = models.CharField(max_length=4, blank=True)
    kode_provinsi = models.CharField(**PROVINSI)
    jatuh_tempo_bayar = models.DateField()
    jatuh_tempo_lapor = models.DateField()
    status_spt = models.CharField(max_length=20, blank=True)  # "" | DRAF | MENUNGGU_... | ...
    kurang_bayar = models.BigIntegerField(default=0)
    denda = models.BigIntegerField(default=0)
    dilaporkan_pada = models.DateTimeField(null=True)
    tepat_waktu = models.BooleanField(null=True)  # the first filing was by the deadline
    tenggat = models.DateField(null=True, db_index=True)
    tunggakan = models.BigIntegerField(default=0)
    last_version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["tenggat", "-tunggakan"], name="pajak_kewajiban_tunggak")]

    def __str__(self) -> str:
        return f"{self.wajib_pajak_id} {self.jenis_pajak} {self.masa}"


# --- aggregates ------------------------------------------------------------------------------
class PenerimaanHarian(ReadModel):
    """Receipts of one Jakarta day, per tax and province (payment date, ``tanggal_bayar``)."""

    tanggal = models.DateField()
    jenis_pajak = models.CharField(**JENIS)
    kode_provinsi = models.CharField(**PROVINSI)
    jumlah_rupiah = models.BigIntegerField(default=0)
    jumlah_transaksi = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tanggal", "jenis_pajak", "kode_provinsi"], name="pajak_penerimaan_hari"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tanggal} {self.jenis_pajak} {self.kode_provinsi}: {self.jumlah_rupiah}"


class PenerimaanBulanan(ReadModel):
    """Receipts of one month (Jakarta dates), per tax and province, with the number of
    distinct taxpayers who paid that tax there that month (counted once, on their first
    payment: ``PembayarBulanan``)."""

    bulan = models.CharField(_("bulan"), **BULAN)
    jenis_pajak = models.CharField(_("jenis pajak"), **JENIS)
    kode_provinsi = models.CharField(_("kode provinsi"), **PROVINSI)
    jumlah_rupiah = models.BigIntegerField(_("penerimaan (rupiah)"), default=0)
    jumlah_transaksi = models.PositiveIntegerField(_("transaksi"), default=0)
    jumlah_pembayar = models.PositiveIntegerField(_("wajib pajak membayar"), default=0)

    class Meta:
        verbose_name = _("penerimaan bulanan")
        verbose_name_plural = _("penerimaan pajak bulanan")
        ordering = ["-bulan", "jenis_pajak", "kode_provinsi"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulan", "jenis_pajak", "kode_provinsi"], name="pajak_penerimaan_bulan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bulan} {self.jenis_pajak} {self.kode_provinsi}"


class PembayarBulanan(ReadModel):
    """One row per taxpayer who paid a tax in a month (pseudonymous id only): counts payers
    once however many payments they made."""

    bulan = models.CharField(**BULAN)
    jenis_pajak = models.CharField(**JENIS)
    wajib_pajak_id = models.UUIDField()
    kode_provinsi = models.CharField(**PROVINSI)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bulan", "jenis_pajak", "wajib_pajak_id"], name="pajak_pembayar_bulan"
            )
        ]
        indexes = [models.Index(fields=["bulan", "wajib_pajak_id"], name="pajak_pembayar_wp")]

    def __str__(self) -> str:
        return f"{self.bulan} {self.jenis_pajak} {self.wajib_pajak_id}"


class KodeBillingHarian(ReadModel):
    """Billing codes per Jakarta day, tax and province: issued (on ``dibuat_pada``), paid (on
    ``tanggal_bayar``) and expired unpaid (on ``kedaluwarsa``)."""

    tanggal = models.DateField()
    jenis_pajak = models.CharField(**JENIS)
    kode_provinsi = models.CharField(**PROVINSI)
    diterbitkan = models.PositiveIntegerField(default=0)
    dibayar = models.PositiveIntegerField(default=0)
    kedaluwarsa = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tanggal", "jenis_pajak", "kode_provinsi"], name="pajak_billing_hari"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tanggal} {self.jenis_pajak} {self.kode_provinsi}"


class KepatuhanSPT(ReadModel):
    """Returns due per period, tax, province and month of the filing deadline: how many
    obligations arose, how many were filed by the deadline and how many after it (the rest
    are not filed yet). ``bulan_tenggat`` is what the monthly report's compliance rate
    counts by: the returns whose deadline fell in that month."""

    masa = models.CharField(**BULAN)
    jenis_pajak = models.CharField(**JENIS)
    kode_provinsi = models.CharField(**PROVINSI)
    bulan_tenggat = models.CharField(**BULAN)
    wajib_lapor = models.PositiveIntegerField(default=0)
    tepat_waktu = models.PositiveIntegerField(default=0)
    terlambat = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["masa", "jenis_pajak", "kode_provinsi", "bulan_tenggat"],
                name="pajak_kepatuhan_spt",
            )
        ]
        indexes = [models.Index(fields=["bulan_tenggat"], name="pajak_kepatuhan_tenggat")]

    def __str__(self) -> str:
        return f"{self.masa} {self.jenis_pajak} {self.kode_provinsi}"


READ_MODELS = (
    WajibPajakWilayah,
    KodeBillingRingkas,
    StatusKewajiban,
    PenerimaanHarian,
    PenerimaanBulanan,
    PembayarBulanan,
    KodeBillingHarian,
    KepatuhanSPT,
)


# --- the taxpayer's own records (``pajak.wajib_pajak``) ----------------------------------------
# What a taxpayer (or an officer of their office) reads of ONE taxpayer: registration, billing
# codes with their expiry and payment, obligations with their return. Kept apart from the
# statistics above (another projector, rebuilt on its own). Personal data is limited to the
# masked NPWP (an individual's is their NIK), blanked when the subject is erased; names stay
# in the encrypted events. Each row remembers its stream's last version applied (idempotency).
class ProfilWajibPajak(ReadModel):
    """One registered taxpayer, found by its pseudonymous subject (the citizen's own)."""

    wajib_pajak_id = models.UUIDField(primary_key=True)
    subjek_id = models.CharField(max_length=64, db_index=True)
    jenis_wp = models.CharField(max_length=5)  # OP | BADAN
    npwp_tersamar = models.CharField(max_length=16, blank=True, default="")
    kode_wilayah = models.CharField(max_length=4)
    terdaftar_pada = models.DateTimeField()
    pkp = models.BooleanField(default=False)
    tanggal_pkp = models.DateField(null=True)
    peninjauan = models.BooleanField(default=False)
    last_version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.jenis_wp} {self.wajib_pajak_id}"


class KodeBillingWajibPajak(ReadModel):
    """One billing code of a taxpayer, with its payment once a bank reported it."""

    kode = models.CharField(max_length=15, primary_key=True)
    wajib_pajak_id = models.UUIDField()
    kewajiban_id = models.UUIDField(null=True)
    jenis_pajak = models.CharField(**JENIS)
    masa = models.CharField(**BULAN)
    nominal = models.BigIntegerField()
    status = models.CharField(max_length=12)  # AKTIF | DIBAYAR | KEDALUWARSA
    dibuat_pada = models.DateTimeField()
    kedaluwarsa = models.DateTimeField()
    ntpn = models.CharField(max_length=16, blank=True, default="")
    ntb = models.CharField(max_length=64, blank=True, default="")
    bank = models.CharField(max_length=200, blank=True, default="")
    tanggal_bayar = models.DateTimeField(null=True)
    last_version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["wajib_pajak_id", "-dibuat_pada"], name="pajak_billing_wp"),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.status}"


class KewajibanWajibPajak(ReadModel):
    """One obligation of a taxpayer with its return as last drafted or filed."""

    kewajiban_id = models.UUIDField(primary_key=True)
    wajib_pajak_id = models.UUIDField(db_index=True)
    jenis_pajak = models.CharField(**JENIS)
    masa = models.CharField(**BULAN)
    jatuh_tempo_bayar = models.DateField()
    jatuh_tempo_lapor = models.DateField()
    status_spt = models.CharField(max_length=20, blank=True, default="")
    pembetulan_ke = models.PositiveSmallIntegerField(default=0)
    pajak_terutang = models.BigIntegerField(default=0)
    kredit_pajak = models.BigIntegerField(default=0)
    kurang_bayar = models.BigIntegerField(default=0)
    kode_billing = models.CharField(max_length=15, blank=True, default="")
    bpe = models.CharField(max_length=32, blank=True, default="")
    dilaporkan_pada = models.DateTimeField(null=True)
    denda = models.BigIntegerField(default=0)
    last_version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.wajib_pajak_id} {self.jenis_pajak} {self.masa}"


READ_MODELS_WAJIB_PAJAK = (ProfilWajibPajak, KodeBillingWajibPajak, KewajibanWajibPajak)
