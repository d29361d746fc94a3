"""Kernel models. ``StoredEvent`` and ``SubjectKey`` are abstract: each context subclasses them
so the tables live in that context's write database. ``Checkpoint`` lives on every read alias."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An event row may be inserted, never changed or removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Events are immutable: UPDATE is not allowed.")

    def delete(self):
        raise AppendOnlyError("Events are immutable: DELETE is not allowed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Events are immutable: UPDATE is not allowed.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("Events are immutable: UPDATE is not allowed.")


class StoredEvent(models.Model):
    """One immutable event. ``position`` is the context's global order of insertion.

    On PostgreSQL the migration adds ``tx_id xid8 DEFAULT pg_current_xact_id()`` (not a model
    field: only the feed reads it), so consumers can read strictly behind every transaction
    still in flight and never skip an event that commits out of position order."""

    position = models.BigAutoField(_("posisi"), primary_key=True)
    event_id = models.UUIDField(_("id peristiwa"), unique=True)
    stream_id = models.UUIDField(_("id aliran"))
    stream_type = models.CharField(_("jenis aliran"), max_length=64)
    version = models.PositiveIntegerField(_("versi"))
    event_type = models.CharField(_("jenis peristiwa"), max_length=100)
    schema_version = models.PositiveSmallIntegerField(_("versi skema"), default=1)
    payload = models.JSONField(_("isi"))
    metadata = models.JSONField(_("metadata"))
    subject_id = models.CharField(
        _("subjek (pseudonim)"), max_length=64, blank=True, default="", db_index=True
    )
    recorded_at = models.DateTimeField(_("dicatat pada"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["stream_id", "version"], name="%(app_label)s_%(class)s_stream_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.position}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Events are immutable: UPDATE is not allowed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Events are immutable: DELETE is not allowed.")


class SubjectKey(models.Model):
    """A data subject's own key, wrapped by the master key. Mutable by design: destroying
    ``wrapped_key`` erases the subject's personal data from every event (crypto-shredding)."""

    subject_id = models.CharField(max_length=64, primary_key=True)
    wrapped_key = models.BinaryField(null=True)
    # Which master key wrapped it (egov.eventstore.crypto.master_key_id): lets a master key
    # rotation resume and lets the retired key stay readable until it is finished. Null for
    # a destroyed key, and for keys wrapped before ids were recorded.
    master_key_id = models.CharField(max_length=16, null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.subject_id


class ReadModel(models.Model):
    """Base of every projection table: routed to the context's read alias."""

    is_read_model = True

    class Meta:
        abstract = True


class Checkpoint(models.Model):
    """How far a projector has read a feed. Lives in the projector's read database and is
    written in the same transaction as the projector's rows (exactly-once effect)."""

    projector = models.CharField(max_length=100)
    feed = models.CharField(max_length=50)
    tx = models.BigIntegerField(default=0)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["projector", "feed"], name="checkpoint_projector_feed"),
        ]

    def __str__(self) -> str:
        return f"{self.projector}@{self.feed}:{self.tx}/{self.position}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST carrying an ``Idempotency-Key``; a retry gets it again.
    Each context subclasses it so the record commits with the events it answers for."""

    key = models.CharField(max_length=200)
    user_id = models.CharField(max_length=64)
    scope = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "scope", "key"], name="%(app_label)s_%(class)s_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


def event_store_models(
    module: str, context: str, *, prefix: str, idempotency_table: str = ""
) -> tuple[type[StoredEvent], type[SubjectKey], type[IdempotencyRecord]]:
    """The three tables every context's write alias has, declared once here: in a context's
    ``models.py``, ``KtpEvent, KtpSubjectKey, KtpIdempotencyRecord =
    event_store_models(__name__, "ktp", prefix="Ktp")``. Tables ``<context>_event`` and
    ``<context>_subject_key``; the idempotency table keeps Django's default name unless given.
    """

    def model(name: str, base: type, table: str, label) -> type:
        meta = {"verbose_name": label, "verbose_name_plural": label}
        if table:
            meta["db_table"] = table
        attrs = {"__module__": module, "Meta": type("Meta", (base.Meta,), meta)}
        return type(f"{prefix}{name}", (base,), attrs)

    return (
        model("Event", StoredEvent, f"{context}_event", _("peristiwa")),
        model("SubjectKey", SubjectKey, f"{context}_subject_key", _("kunci subjek")),
        model("IdempotencyRecord", IdempotencyRecord, idempotency_table, _("jawaban idempoten")),
    )
