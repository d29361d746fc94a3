"""Tables of the ktp context.

Write alias ``ktp``: the event store, subject keys, idempotency records, and the command
side's own indexes, each updated in the same transaction as the event it follows from.
Read alias ``ktp_read``: projections for the portal, the API and the back office.
"""

from django.db import models

from egov.eventstore.models import ReadModel, event_store_models

KtpEvent, KtpSubjectKey, KtpIdempotencyRecord = event_store_models(__name__, "ktp", prefix="Ktp")


# --- command side (ktp) -------------------------------------------------------------------
class PermohonanTerbuka(models.Model):
    """At most one open request per NIK (the primary key makes a second one impossible, even
    from two writers at once). Removed when the request ends."""

    nik_hash = models.CharField(max_length=64, primary_key=True)
    permohonan_id = models.UUIDField(unique=True)

    def __str__(self) -> str:
        return str(self.permohonan_id)


class IndeksBiometrik(models.Model):
    """Every recorded template, for central deduplication (unique: two recordings of the
    same template cannot both pass, whatever the timing)."""

    template_hash = models.CharField(max_length=64, primary_key=True)
    nik_hash = models.CharField(max_length=64, db_index=True)
    permohonan_id = models.UUIDField()

    def __str__(self) -> str:
        return self.template_hash


class KartuTerbit(models.Model):
    """The card currently valid for a NIK (a replacement overwrites it)."""

    nik_hash = models.CharField(max_length=64, primary_key=True)
    nomor_blangko = models.CharField(max_length=20)
    permohonan_id = models.UUIDField()

    def __str__(self) -> str:
        return self.nomor_blangko


class StokBlangko(models.Model):
    """Blank card stock (one row), topped up by officers, consumed by printing."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    jumlah = models.PositiveIntegerField(default=0)
    nomor_terakhir = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.jumlah)


# --- read side (ktp_read) ------------------------------------------------------------------
class StatusPermohonanKTP(ReadModel):
    """One row per request: its status for the citizen, the API and officers' queues."""

    permohonan_id = models.UUIDField(primary_key=True)
    subject_id = models.CharField(max_length=64, db_index=True)
    nik_masked = models.CharField(max_length=16, blank=True, default="")
    nama = models.CharField(max_length=200, blank=True, default="")
    jenis = models.CharField(max_length=20)
    alasan = models.CharField(max_length=20, blank=True, default="")
    kode_provinsi = models.CharField(max_length=2, db_index=True)
    status = models.CharField(max_length=20, db_index=True)
    nomor_blangko = models.CharField(max_length=20, blank=True, default="")
    duplikat_dari = models.CharField(max_length=36, blank=True, default="")
    # the NIK's own status (NIKDinonaktifkan / NIKDiaktifkanKembali), on every request of it
    status_nik = models.CharField(max_length=20, default="AKTIF", db_index=True)
    alasan_nonaktif = models.CharField(max_length=20, blank=True, default="")
    diajukan_oleh = models.CharField(max_length=150, blank=True, default="")
    diajukan_pada = models.DateTimeField()
    diperbarui_pada = models.DateTimeField()
    last_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "permohonan KTP"
        verbose_name_plural = "antrean permohonan KTP"
        ordering = ["diajukan_pada"]

    def __str__(self) -> str:
        return f"{self.nik_masked} {self.status}"


class RiwayatKTP(ReadModel):
    """The timeline of a request, in plain words, one row per event."""

    event_id = models.UUIDField(primary_key=True)
    permohonan_id = models.UUIDField(db_index=True)
    urutan = models.PositiveIntegerField()
    jenis = models.CharField(max_length=50)
    status = models.CharField(max_length=20)
    officer_id = models.CharField(max_length=150, blank=True, default="")
    pada = models.DateTimeField()

    class Meta:
        ordering = ["permohonan_id", "urutan"]

    def __str__(self) -> str:
        return self.jenis


class RingkasanBlangko(ReadModel):
    """Blank stock as officers see it (one row), projected from top-ups and prints."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    stok = models.IntegerField(default=0)
    dicetak = models.PositiveIntegerField(default=0)
    diperbarui_pada = models.DateTimeField(null=True)

    class Meta:
        verbose_name = verbose_name_plural = "stok blangko KTP-el"

    def __str__(self) -> str:
        return str(self.stok)


class KematianTertunda(ReadModel):
    """A death another agency reported over the bus (``KematianDicatat``) that e-KTP could
    not apply: the NIK is unknown here (no event of it), or the deactivation was refused.
    Never dropped: kept with the reason, listed in the admin and retried by an officer
    (``policies.coba_lagi_kematian``). Written by the ``ktp.kematian`` policy in the same
    transaction as its checkpoint, so a message is recorded once however often replayed."""

    bus_event_id = models.UUIDField(primary_key=True)
    message_id = models.CharField(max_length=36)
    nik_hash = models.CharField(max_length=64, db_index=True)
    instansi = models.CharField(max_length=40)
    tanggal_kematian = models.CharField(max_length=10)
    korelasi = models.CharField(max_length=64, blank=True, default="")
    galat = models.CharField(max_length=200)
    percobaan = models.PositiveIntegerField(default=1)
    diterapkan = models.BooleanField(default=False, db_index=True)
    dicatat_pada = models.DateTimeField(auto_now_add=True)
    diperbarui_pada = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kematian belum diterapkan"
        verbose_name_plural = "kematian dari bus belum diterapkan"
        ordering = ["dicatat_pada"]

    def __str__(self) -> str:
        return f"{self.nik_hash[:12]}… {self.galat}"
