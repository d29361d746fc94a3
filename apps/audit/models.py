"""Tables of the audit context.

Write alias ``audit``: its event store, subject keys and idempotency records. Read alias
``audit_read``: the hash-chained audit trail (append-only, also in the database), its signed
seals, the chain head (one row, locked by every batch so two feeds never extend the chain from
the same head) and the who-viewed-my-data log. (Notifications moved to the notifikasi context;
their old events stay in this event table, which is append-only.)
"""

from django.db import models
from django.utils import timezone

from apps.audit import chain
from egov.eventstore.models import AppendOnlyQuerySet, ReadModel, event_store_models

AuditEvent, AuditSubjectKey, AuditIdempotencyRecord = event_store_models(
    __name__, "audit", prefix="Audit"
)


class CatatanAudit(ReadModel):
    """One record per event of every context. ``hash`` covers the content and
    ``hash_sebelumnya`` (the previous record's hash): changing, removing or inserting a
    record breaks the chain from that record on."""

    nomor = models.PositiveBigIntegerField(primary_key=True)
    konteks = models.CharField(max_length=30, db_index=True)
    event_id = models.UUIDField(unique=True)
    event_type = models.CharField(max_length=100, db_index=True)
    stream_id = models.UUIDField()
    subject_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    aktor = models.CharField(max_length=150, blank=True, default="", db_index=True)
    officer_id = models.CharField(max_length=150, blank=True, default="")
    correlation_id = models.CharField(max_length=100, blank=True, default="")
    recorded_at = models.DateTimeField(db_index=True)
    hash_sebelumnya = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["nomor"]
        verbose_name = verbose_name_plural = "jejak audit"

    def __str__(self) -> str:
        return f"#{self.nomor} {self.konteks}.{self.event_type}"


class KepalaRantai(ReadModel):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    nomor = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.nomor}"


class KunciAudit(ReadModel):
    """The public half of every key that signs or signed seals, by id. Append-only (also in
    the database): a retired key stays here, so its seals verify after every rotation."""

    key_id = models.CharField(max_length=16, primary_key=True)
    kunci_publik = models.CharField(max_length=64)  # base64, raw 32 bytes
    aktif_sejak = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["aktif_sejak", "key_id"]
        verbose_name = verbose_name_plural = "kunci audit"

    def __str__(self) -> str:
        return self.key_id

    @classmethod
    def publish(cls, *, using: str, public_key: str) -> "KunciAudit":
        """Record a public key (idempotent: a key already published keeps its date)."""
        return cls.objects.using(using).get_or_create(
            key_id=chain.key_id_of(public_key),
            defaults={"kunci_publik": public_key, "aktif_sejak": timezone.now()},
        )[0]


class SegelAudit(ReadModel):
    """A signed checkpoint: Ed25519 over ``nomor:hash`` of the chain head at that moment."""

    nomor = models.PositiveBigIntegerField(primary_key=True)
    hash = models.CharField(max_length=64)
    tanda_tangan = models.CharField(max_length=128)
    ditandatangani_pada = models.DateTimeField()
    # The signing key's id (KunciAudit). Null only for seals made before keys had ids: those
    # were signed by the first published key.
    key_id = models.CharField(max_length=16, null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["nomor"]
        verbose_name = verbose_name_plural = "segel audit"

    def __str__(self) -> str:
        return f"segel #{self.nomor}"

    def save(self, *args, **kwargs):
        # A seal is signed with the active key (chain.sign) right before it is saved: record
        # that key's id, and publish its public half in the same transaction, so no seal can
        # ever exist whose key is not kept.
        if self._state.adding and not self.key_id:
            using = kwargs.get("using") or self._state.db or "audit_read"
            self.key_id = KunciAudit.publish(using=using, public_key=chain.public_key_b64()).key_id
        super().save(*args, **kwargs)


class AksesData(ReadModel):
    """Who viewed a citizen's personal data: officer (admin) or integrator (API)."""

    event_id = models.UUIDField(primary_key=True)
    subject_id = models.CharField(max_length=64, db_index=True)
    konteks = models.CharField(max_length=30)
    pintu = models.CharField(max_length=10)
    tujuan = models.CharField(max_length=200)
    pengakses = models.CharField(max_length=150)
    pada = models.DateTimeField()

    class Meta:
        ordering = ["-pada"]
        verbose_name = verbose_name_plural = "akses data pribadi"

    def __str__(self) -> str:
        return f"{self.pengakses} {self.pada}"
