"""Tables of the bansos context (write alias ``bansos``).

- The event store, subject keys and idempotency records (the kernel's).
- **Configuration**: programmes as effective-dated rows (``ProgramBansos``, in force from
  ``berlaku_mulai`` until a later row of the same ``kode`` replaces it), with one child row
  per PKH component, exclusion category and programme it may not be combined with, edited
  inline in the admin (shapes: ``domain/konfigurasi.py``; seed: its ``KONFIGURASI_BAWAAN``;
  loaded by ``konfigurasi.py``).
- **Replicas** the eligibility rules read inside the command's transaction (a command reads
  only its own write alias, so they cannot be read models): ``IdentitasDukcapil`` (fed by
  ktp's published events, ``policies.py``) and ``DaftarPengecualian`` (the civil-service,
  military and police payroll lists, by NIK hash; kept in the admin).
- **Command-side indexes**, written in the same transaction as the events they follow from,
  so eligibility is built without loading every aggregate: ``IndeksPenerima`` (one household
  in one programme: proposal then membership, by programme, period and KK hash),
  ``IndeksAnggota`` (its members by NIK hash: KK membership, recipients per NIK),
  ``IndeksRekening`` (the bank account it is paid into, by keyed hash: shared accounts),
  ``IndeksSiklus`` and ``IndeksInstruksi`` (pending instructions to cancel on suspension, the
  cycle a channel report belongs to).

NIKs and KK numbers appear only as keyed hashes (``egov.eventstore.pseudonym.keyed_hash``).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.bansos.domain.rules import (
    ASN,
    BULANAN,
    DESIL_TERENDAH,
    DESIL_TERTINGGI,
    INSIDENTAL,
    KATEGORI_PENGECUALIAN,
    KELUARGA,
    PEMILIK_USAHA,
    PERORANGAN,
    POLRI,
    TNI,
    TRIWULANAN,
)
from egov.contracts.ktp import NONAKTIF, VERIFIED
from egov.eventstore.models import event_store_models

BansosEvent, BansosSubjectKey, BansosIdempotencyRecord = event_store_models(
    __name__, "bansos", prefix="Bansos"
)

JENIS_CHOICES = [(KELUARGA, _("keluarga")), (PERORANGAN, _("perorangan"))]
JADWAL_CHOICES = [
    (TRIWULANAN, _("triwulanan")),
    (BULANAN, _("bulanan")),
    (INSIDENTAL, _("insidental")),
]
KATEGORI_CHOICES = [(kode, kode) for kode in KATEGORI_PENGECUALIAN]
# the payroll lists kept here, and business owners from izin's published NIBs
DAFTAR_CHOICES = [(ASN, ASN), (TNI, TNI), (POLRI, POLRI), (PEMILIK_USAHA, PEMILIK_USAHA)]
HASH = {"max_length": 64}


# --- configuration ----------------------------------------------------------------------
class ProgramBansos(models.Model):
    """A social-aid programme as in force from ``berlaku_mulai``. A row in force is never
    edited (a past period is still judged and paid by the rules of its time): a change is a
    new row with a later ``berlaku_mulai``."""

    kode = models.CharField(_("kode program"), max_length=20)
    nama = models.CharField(_("nama"), max_length=150)
    jenis = models.CharField(_("jenis"), max_length=12, choices=JENIS_CHOICES)
    desil_maks = models.PositiveSmallIntegerField(
        _("desil paling tinggi"),
        validators=[MinValueValidator(DESIL_TERENDAH), MaxValueValidator(DESIL_TERTINGGI)],
    )
    jadwal = models.CharField(_("jadwal"), max_length=12, choices=JADWAL_CHOICES)
    berlaku_mulai = models.DateField(_("berlaku mulai"))
    komponen_maks = models.PositiveSmallIntegerField(
        _("komponen paling banyak"), default=0, help_text=_("0 = semua komponen dihitung.")
    )
    nominal_tetap = models.PositiveBigIntegerField(
        _("nominal tetap per tahap (Rp)"),
        default=0,
        help_text=_("Untuk program tanpa komponen."),
    )
    bersyarat = models.BooleanField(_("bersyarat (kepatuhan dicatat)"), default=False)
    dasar_hukum = models.CharField(_("dasar hukum"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("program bansos")
        verbose_name_plural = _("program bansos")
        ordering = ["kode", "-berlaku_mulai"]
        constraints = [
            models.UniqueConstraint(fields=["kode", "berlaku_mulai"], name="bansos_program_unik")
        ]

    def __str__(self) -> str:
        return f"{self.kode} ({self.berlaku_mulai})"


class KomponenProgram(models.Model):
    """One PKH component and what it pays per tranche, per person counted."""

    program = models.ForeignKey(ProgramBansos, on_delete=models.CASCADE, related_name="komponen")
    kode = models.CharField(_("komponen"), max_length=30)
    nominal_per_tahap = models.PositiveBigIntegerField(_("nominal per tahap (Rp)"))

    class Meta:
        verbose_name = _("komponen")
        verbose_name_plural = _("komponen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "kode"], name="bansos_komponen_unik")
        ]

    def __str__(self) -> str:
        return f"{self.kode}: Rp{self.nominal_per_tahap:,}"


class PengecualianProgram(models.Model):
    """An exclusion category that bars a household when any member is in it."""

    program = models.ForeignKey(
        ProgramBansos, on_delete=models.CASCADE, related_name="pengecualian"
    )
    kategori = models.CharField(_("kategori"), max_length=20, choices=KATEGORI_CHOICES)

    class Meta:
        verbose_name = _("kategori dikecualikan")
        verbose_name_plural = _("kategori dikecualikan")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kategori"], name="bansos_pengecualian_program_unik"
            )
        ]

    def __str__(self) -> str:
        return self.kategori


class TidakBersamaProgram(models.Model):
    """A programme that may not be received in an overlapping period (binds both ways)."""

    program = models.ForeignKey(
        ProgramBansos, on_delete=models.CASCADE, related_name="tidak_bersama"
    )
    kode_program = models.CharField(_("program lain"), max_length=20)

    class Meta:
        verbose_name = _("tidak bersamaan dengan")
        verbose_name_plural = _("tidak bersamaan dengan")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kode_program"], name="bansos_tidak_bersama_unik"
            )
        ]

    def __str__(self) -> str:
        return self.kode_program


# --- replicas ----------------------------------------------------------------------------
class IdentitasDukcapil(models.Model):
    """One NIK as the e-KTP context last published it: verified, or deactivated (with the
    published reason: MENINGGAL, GANDA, LAINNYA)."""

    nik_hash = models.CharField(primary_key=True, **HASH)
    status = models.CharField(
        _("status"), max_length=20, choices=[(VERIFIED, VERIFIED), (NONAKTIF, NONAKTIF)]
    )
    alasan = models.CharField(_("alasan"), max_length=20, blank=True, default="")
    sumber_event_id = models.CharField(_("event sumber"), max_length=36, blank=True, default="")
    diperbarui_pada = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    class Meta:
        verbose_name = _("identitas Dukcapil (replika)")
        verbose_name_plural = _("identitas Dukcapil (replika)")

    def __str__(self) -> str:
        return f"{self.nik_hash[:12]}… {self.status}"


class KKDukcapil(models.Model):
    """Replica of the civil registry's family cards, from the bus's published ``KKDiupdate``
    (Kemendagri/Dukcapil): the KK a person is on now, by keyed hashes only. Where it knows a
    member, eligibility takes its word over the KKs proposals claimed."""

    nik_hash = models.CharField(primary_key=True, **HASH)
    nomor_kk_hash = models.CharField(_("hash nomor KK"), db_index=True, **HASH)
    sumber_event_id = models.CharField(_("event sumber"), max_length=36, blank=True, default="")
    diperbarui_pada = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    class Meta:
        verbose_name = _("KK menurut Dukcapil")
        verbose_name_plural = _("KK menurut Dukcapil")

    def __str__(self) -> str:
        return f"{self.nik_hash[:12]}… KK {self.nomor_kk_hash[:12]}…"


class DaftarPengecualian(models.Model):
    """A person whose household is excluded, by the keyed hash of their NIK: on a payroll
    list (ASN, TNI, POLRI, as received from BKN, TNI or POLRI) or owning a business with an
    NIB (``PEMILIK_USAHA``, from izin's published ``NIBDiterbitkan``)."""

    nik_hash = models.CharField(_("hash NIK"), db_index=True, **HASH)
    kategori = models.CharField(_("kategori"), max_length=20, choices=DAFTAR_CHOICES)
    sumber = models.CharField(_("sumber"), max_length=150, blank=True, default="")
    dicatat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("daftar pengecualian")
        verbose_name_plural = _("daftar pengecualian (ASN/TNI/POLRI)")
        constraints = [
            models.UniqueConstraint(
                fields=["nik_hash", "kategori"], name="bansos_dikecualikan_unik"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nik_hash[:12]}… {self.kategori}"


# --- command-side indexes ------------------------------------------------------------------
class IndeksPenerima(models.Model):
    """One household in one programme (its stream): the proposal, then the membership.
    ``periode``: the proposal's period, from which a decided membership runs."""

    penerima_id = models.UUIDField(primary_key=True)
    program = models.CharField(max_length=20)
    periode = models.CharField(max_length=8)
    nomor_kk_hash = models.CharField(db_index=True, **HASH)
    pengurus_nik_hash = models.CharField(**HASH)
    kode_wilayah = models.CharField(max_length=10)
    status = models.CharField(max_length=16)

    class Meta:
        indexes = [models.Index(fields=["program", "status"], name="bansos_penerima_program")]

    def __str__(self) -> str:
        return f"{self.program} {self.periode} {self.penerima_id} {self.status}"


class IndeksAnggota(models.Model):
    """A member (NIK hash) of a household's proposal or membership, with its KK hash."""

    penerima = models.ForeignKey(IndeksPenerima, on_delete=models.CASCADE, related_name="anggota")
    nik_hash = models.CharField(db_index=True, **HASH)
    nomor_kk_hash = models.CharField(**HASH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["penerima", "nik_hash"], name="bansos_anggota_unik")
        ]

    def __str__(self) -> str:
        return f"{self.nik_hash[:12]}… in {self.penerima_id}"


class IndeksRekening(models.Model):
    """The bank account (keyed hash, purpose ``rekening``) a household's proposal names: how
    many other households are paid into one account is read from here (flag
    ``rekening_bersama``). A household naming no account has no row."""

    penerima = models.OneToOneField(
        IndeksPenerima, on_delete=models.CASCADE, primary_key=True, related_name="rekening"
    )
    rekening_hash = models.CharField(db_index=True, **HASH)

    def __str__(self) -> str:
        return f"{self.rekening_hash[:12]}… for {self.penerima_id}"


class IndeksSiklus(models.Model):
    """A disbursement round; its row is locked by every command changing the round."""

    siklus_id = models.UUIDField(primary_key=True)
    program = models.CharField(max_length=20)
    periode = models.CharField(max_length=8)
    tahap = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16)

    def __str__(self) -> str:
        return f"{self.program} {self.periode} #{self.tahap} {self.status}"


class IndeksInstruksi(models.Model):
    """A payment instruction (its own stream): its round, its status (pending ones are
    cancelled when the recipient is suspended), its KK (one payment per KK in a round, checked
    a batch at a time) and its amounts (a round is reconciled by summing these rows, not by
    loading every instruction)."""

    instruksi_id = models.UUIDField(primary_key=True)
    siklus = models.ForeignKey(IndeksSiklus, on_delete=models.CASCADE, related_name="instruksi")
    penerima_id = models.UUIDField(db_index=True)
    nomor_kk_hash = models.CharField(default="", **HASH)
    nominal = models.PositiveBigIntegerField()
    nominal_disalurkan = models.PositiveBigIntegerField(default=0)
    nominal_dikembalikan = models.PositiveBigIntegerField(default=0)
    kanal = models.CharField(max_length=10)
    status = models.CharField(max_length=20)

    class Meta:
        indexes = [
            models.Index(fields=["siklus", "nomor_kk_hash"], name="bansos_instruksi_kk"),
            models.Index(fields=["siklus", "status"], name="bansos_instruksi_status"),
        ]

    def __str__(self) -> str:
        return f"{self.instruksi_id} {self.status}"
