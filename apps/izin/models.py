"""Tables of the izin context.

Write alias ``izin`` (command side): the event store, subject keys, idempotency records, the
configuration the rules read (KBLI risk table, SLA per stage), the replica of verified
identities fed by the e-KTP feed, the NIB register, the work index the scheduler scans and
the issued documents. Read alias ``izin_read``: ``IzinStatus``, ``RiwayatIzin`` and
``DokumenIzinTerbit``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.eventstore.models import ReadModel, event_store_models

IzinEvent, IzinSubjectKey, IzinIdempotencyRecord = event_store_models(
    __name__, "izin", prefix="Izin", idempotency_table="izin_idempotency"
)

TINGKAT_CHOICES = [
    ("R", _("Rendah")),
    ("MR", _("Menengah Rendah")),
    ("MT", _("Menengah Tinggi")),
    ("T", _("Tinggi")),
]
SKALA_CHOICES = [
    ("", _("Semua skala")),
    ("MIKRO", _("Mikro")),
    ("KECIL", _("Kecil")),
    ("MENENGAH", _("Menengah")),
    ("BESAR", _("Besar")),
]
TAHAP_SLA_CHOICES = [
    ("VERIFIKASI", _("Verifikasi sertifikat standar (MT)")),
    ("PERSETUJUAN", _("Persetujuan izin (T)")),
    ("PERBAIKAN", _("Perbaikan oleh pemohon")),
]


class RisikoKBLI(models.Model):
    """Configuration: the risk level of a KBLI activity (per scale, blank = every scale),
    in force from ``berlaku_mulai`` to ``berlaku_sampai``. An application uses the row in
    force on the day it was submitted."""

    kode = models.CharField(_("kode KBLI"), max_length=5)
    versi = models.CharField(_("versi KBLI"), max_length=4, default="2020")
    judul = models.CharField(_("judul"), max_length=200)
    sektor = models.CharField(_("sektor"), max_length=100)
    skala = models.CharField(
        _("skala"), max_length=10, blank=True, default="", choices=SKALA_CHOICES
    )
    tingkat = models.CharField(_("tingkat risiko"), max_length=2, choices=TINGKAT_CHOICES)
    otoritas = models.CharField(_("otoritas"), max_length=150)
    berlaku_mulai = models.DateField(_("berlaku mulai"))
    berlaku_sampai = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("risiko KBLI")
        verbose_name_plural = _("tabel risiko KBLI")
        ordering = ["kode", "skala", "-berlaku_mulai"]
        constraints = [
            models.UniqueConstraint(
                fields=["kode", "versi", "skala", "berlaku_mulai"], name="izin_risiko_kbli_unik"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.judul} ({self.skala or '*'}: {self.tingkat})"


class TenggatTahap(models.Model):
    """Configuration: the SLA of a stage in working days (PP 28/2025)."""

    tahap = models.CharField(_("tahap"), max_length=20, unique=True, choices=TAHAP_SLA_CHOICES)
    hari_kerja = models.PositiveSmallIntegerField(_("hari kerja"))

    class Meta:
        verbose_name = _("tenggat tahap")
        verbose_name_plural = _("tenggat tahap (SLA)")

    def __str__(self) -> str:
        return f"{self.tahap}: {self.hari_kerja}"


class HariLibur(models.Model):
    """Configuration: public holidays and collective leave (SKB 3 Menteri, yearly), skipped
    when counting a deadline in working days."""

    tanggal = models.DateField(_("tanggal"), unique=True)
    keterangan = models.CharField(_("keterangan"), max_length=150)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur nasional")
        ordering = ["tanggal"]

    def __str__(self) -> str:
        return f"{self.tanggal} {self.keterangan}"


class IdentitasTerverifikasi(models.Model):
    """izin's own replica of identities the e-KTP context verified (fed by its published
    events, never by querying it). On the write alias so the command side may consult it."""

    nik_hash = models.CharField(max_length=64, primary_key=True)
    status = models.CharField(max_length=20)  # VERIFIED | NONAKTIF
    sumber_event_id = models.CharField(max_length=36, blank=True, default="")
    diperbarui_pada = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.nik_hash[:12]}… {self.status}"


class NomorNIB(models.Model):
    """The NIB register: the unique constraints make a NIB unique and one per business."""

    nib = models.CharField(max_length=13, unique=True)
    pelaku_id = models.UUIDField(unique=True)

    def __str__(self) -> str:
        return self.nib


class IndeksPermohonan(models.Model):
    """Work index of the command side (same transaction as the events): what the scheduler
    and the identity policy must find without scanning every stream."""

    permohonan_id = models.UUIDField(primary_key=True)
    nik_hash = models.CharField(max_length=64, db_index=True)
    tahap = models.CharField(max_length=40, db_index=True)
    tenggat = models.DateField(null=True, blank=True)
    perlu_dikirim = models.BooleanField(default=False, db_index=True)
    # keyed hash of (NIK hash, KBLI, location, normalised business name): the duplicate check
    kunci_ganda = models.CharField(max_length=64, db_index=True, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.permohonan_id} {self.tahap}"


class DokumenIzin(models.Model):
    """The issued permit document, written with its ``IzinDikirim`` event. It prints the
    applicant's name, so ``pdf`` holds the PDF sealed with the applicant's own key
    (``store.codec.seal_bytes``, bound to ``"izin:dokumen:<permohonan_id>"``): destroying the
    key erases it. Empty if the applicant was already erased when it was issued. This table
    is the context's document store: downloads open it by id (``dokumen.buka_pdf``) after the
    read side (``DokumenIzinTerbit``) said the document exists."""

    permohonan_id = models.UUIDField(primary_key=True)
    subject_id = models.CharField(max_length=64, default="")  # the applicant's NIK hash
    kode_verifikasi = models.CharField(max_length=20, unique=True)
    sha256 = models.CharField(max_length=64)  # of the clear PDF (the verification page's)
    pdf = models.BinaryField()
    dibuat_pada = models.DateTimeField()

    def __str__(self) -> str:
        return self.kode_verifikasi


def dokumen_associated(permohonan_id) -> str:
    """What a sealed permit PDF is bound to: its row (moved elsewhere, it does not open)."""
    return f"izin:dokumen:{permohonan_id}"


def lampiran_associated(lampiran_id) -> str:
    """What a sealed correction document is bound to: its row."""
    return f"izin:lampiran:{lampiran_id}"


class LampiranPerbaikan(models.Model):
    """A document the applicant uploaded with a correction (PDF, JPEG or PNG, checked by
    ``egov.uploads``): the document store, written with its ``PerbaikanDiajukan`` event, which
    carries the id and the SHA-256, never the bytes. ``isi`` is sealed with the applicant's own
    key (bound to ``"izin:lampiran:<id>"``), so erasing the applicant erases it. The client's
    file name is not kept (it often names a person). Officers find it on the application's
    timeline (read side) and download it by id; each download is recorded for the citizen
    (``DataPribadiDiakses``)."""

    id = models.UUIDField(primary_key=True)
    permohonan_id = models.UUIDField(_("permohonan"), db_index=True)
    subject_id = models.CharField(max_length=64, db_index=True)  # the applicant's NIK hash
    jenis_media = models.CharField(_("jenis berkas"), max_length=50)
    ukuran = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    isi = models.BinaryField()  # sealed (egov.eventstore.crypto.BLOB_MAGIC ...), never clear
    diunggah_oleh = models.CharField(_("diunggah oleh"), max_length=150)  # principal id
    diunggah_pada = models.DateTimeField(_("diunggah pada"))

    class Meta:
        verbose_name = _("lampiran perbaikan")
        verbose_name_plural = _("lampiran perbaikan")
        ordering = ["-diunggah_pada"]

    def __str__(self) -> str:
        return f"{self.id} ({self.jenis_media})"


class IzinStatus(ReadModel):
    """``izin_status``: one row per application, for real-time tracking and officer queues."""

    permohonan_id = models.UUIDField(primary_key=True)
    subject_id = models.CharField(max_length=64, db_index=True)
    nik_masked = models.CharField(max_length=16, blank=True, default="")
    nama_pemohon = models.CharField(max_length=200, blank=True, default="")
    jenis_pelaku = models.CharField(max_length=20)
    nama_usaha = models.CharField(max_length=200)
    pelaku_id = models.UUIDField()
    nib = models.CharField(max_length=13, blank=True, default="")
    kbli_kode = models.CharField(max_length=5)
    kbli_versi = models.CharField(max_length=4)
    kbli_judul = models.CharField(max_length=200, blank=True, default="")
    sektor = models.CharField(max_length=100, blank=True, default="")
    kode_wilayah = models.CharField(max_length=10)
    skala = models.CharField(max_length=10)
    nilai_investasi = models.DecimalField(max_digits=20, decimal_places=2)
    tingkat_risiko = models.CharField(max_length=2, blank=True, default="")
    otoritas = models.CharField(max_length=150, blank=True, default="")
    tahap = models.CharField(max_length=40, db_index=True)
    tenggat = models.DateField(null=True, blank=True)
    libur = models.JSONField(default=list, blank=True)  # holidays the deadline skipped
    keputusan = models.CharField(max_length=40, blank=True, default="")
    catatan = models.TextField(blank=True, default="")
    dasar_hukum = models.CharField(max_length=200, blank=True, default="")
    petugas = models.CharField(max_length=150, blank=True, default="")
    diajukan_oleh = models.CharField(max_length=150, blank=True, default="")
    diajukan_pada = models.DateTimeField()
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    kode_verifikasi = models.CharField(max_length=20, blank=True, default="", db_index=True)
    dokumen_sha256 = models.CharField(max_length=64, blank=True, default="")
    dikirim_pada = models.DateTimeField(null=True, blank=True)
    last_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("status izin")
        verbose_name_plural = _("antrean dan status izin")
        ordering = ["tenggat", "diajukan_pada"]
        indexes = [models.Index(fields=["otoritas", "tingkat_risiko", "tahap"])]

    def __str__(self) -> str:
        return f"{self.nama_usaha} ({self.kbli_kode}) {self.tahap}"


class RiwayatIzin(ReadModel):
    """Timeline of one application: one row per event, in order."""

    event_id = models.UUIDField(unique=True)
    permohonan_id = models.UUIDField(db_index=True)
    urutan = models.PositiveIntegerField()
    jenis = models.CharField(max_length=100)
    # the step's detail as typed; its label is worded from ``jenis`` when read
    keterangan = models.TextField(blank=True, default="")
    lampiran_sha256 = models.CharField(max_length=64, blank=True, default="")
    lampiran_id = models.UUIDField(null=True, blank=True)  # opened by id from the store
    aktor = models.CharField(max_length=150, blank=True, default="")
    pada = models.DateTimeField()

    class Meta:
        ordering = ["permohonan_id", "urutan"]

    def __str__(self) -> str:
        return f"{self.permohonan_id} #{self.urutan} {self.jenis}"


class DokumenIzinTerbit(ReadModel):
    """An issued document as the read side knows it, projected from ``IzinDikirim``: which
    application has one, its code, hash and date. No bytes: the PDF carries personal data
    and stays sealed in the document store (``DokumenIzin``), opened by id on download."""

    permohonan_id = models.UUIDField(primary_key=True)
    kode_verifikasi = models.CharField(max_length=20, unique=True)
    sha256 = models.CharField(max_length=64)
    dibuat_pada = models.DateTimeField()

    def __str__(self) -> str:
        return self.kode_verifikasi


class KBLIReferensi(ReadModel):
    """The KBLI risk table as the portal's picker and the API read it: a copy the
    ``izin.referensi`` projector keeps from ``RisikoKBLIDitetapkan`` / ``RisikoKBLIDicabut``
    (the table itself, ``RisikoKBLI``, is configuration on the write alias)."""

    kode = models.CharField(max_length=5)
    versi = models.CharField(max_length=4)
    judul = models.CharField(max_length=200)
    sektor = models.CharField(max_length=100)
    skala = models.CharField(max_length=10, blank=True, default="")
    tingkat = models.CharField(max_length=2)
    otoritas = models.CharField(max_length=150)
    berlaku_mulai = models.DateField()
    berlaku_sampai = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kode", "skala", "-berlaku_mulai"]
        constraints = [
            models.UniqueConstraint(
                fields=["kode", "versi", "skala", "berlaku_mulai"], name="izin_kbli_referensi_unik"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.judul} ({self.skala or '*'}: {self.tingkat})"
