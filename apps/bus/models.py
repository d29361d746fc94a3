"""Tables of the bus context (write alias ``bus``).

- The event store: the **message log** (``PesanDiterima``, one stream per message id) and the
  routed events other contexts react to; subject keys; idempotency records (the kernel's).
- ``Instansi``: the agencies that may send, edited in the admin: their Ed25519 public key,
  whether they are active and the event types each may publish.
- ``CheckpointRelay``: how far the outbound relay has published each context's feed.
- ``PesanTerparkir``: poison messages parked by the NATS door, replayed from the admin.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.bus.domain.kunci import KunciTidakSah, mentah_base64, muat_kunci_publik, sidik
from apps.bus.domain.rute import JENIS
from egov.eventstore.models import event_store_models

BusEvent, BusSubjectKey, BusIdempotencyRecord = event_store_models(__name__, "bus", prefix="Bus")

JENIS_CHOICES = [(jenis, jenis) for jenis in sorted(JENIS)]


class Instansi(models.Model):
    """An agency registered to send events over the bus (X-Road: a member's client)."""

    kode = models.SlugField(
        _("kode"), max_length=40, primary_key=True, help_text=_("Kode pada amplop (agency).")
    )
    nama = models.CharField(_("nama"), max_length=200)
    jenis_peristiwa = models.JSONField(
        _("jenis peristiwa yang boleh dikirim"), default=list, blank=True
    )
    kunci_publik = models.TextField(
        _("kunci publik Ed25519"), help_text=_("PEM atau 32 bita mentah dalam base64.")
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    diperbarui_pada = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode} ({self.nama})"

    def clean(self) -> None:
        try:
            key = muat_kunci_publik(self.kunci_publik)
        except KunciTidakSah as error:
            raise ValidationError({"kunci_publik": _(str(error))}) from None
        self.kunci_publik = mentah_base64(key)  # stored one way: raw base64
        unknown = sorted(set(self.jenis_peristiwa or []) - JENIS)
        if unknown:
            raise ValidationError({"jenis_peristiwa": _("Jenis tidak dikenal: %s") % unknown})

    @property
    def sidik_kunci(self) -> str:
        return sidik(muat_kunci_publik(self.kunci_publik))

    def boleh_mengirim(self, jenis: str) -> bool:
        return jenis in (self.jenis_peristiwa or [])


class CheckpointRelay(models.Model):
    """How far the outbound relay (``relay.py``) has published one context's feed to one
    stream. Moved only after the broker acknowledged the batch: a crash between the ack and
    this commit republishes the tail, which the broker drops (message id = event id)."""

    stream = models.CharField(_("stream"), max_length=100, primary_key=True)
    konteks = models.CharField(_("konteks"), max_length=50)
    tx = models.BigIntegerField(default=0)
    position = models.BigIntegerField(default=0)
    diterbitkan = models.BigIntegerField(_("diterbitkan"), default=0)
    diperbarui_pada = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    class Meta:
        verbose_name = _("checkpoint relay")
        verbose_name_plural = _("checkpoint relay")

    def __str__(self) -> str:
        return f"{self.stream}@{self.konteks}:{self.tx}/{self.position}"


class PesanTerparkir(models.Model):
    """A message the bus door could not process after its maximum deliveries (a poison
    message: the pipeline kept failing, not a refusal), or one the broker stopped
    redelivering. Kept with the error for an operator, who replays it after the fix (admin
    action). ``data`` is the envelope as delivered **sealed** with the row's own key
    (``kunci``, a subject key of ``BusSubjectKey``): no NIK in clear at rest. Settling the
    message or its expiry destroys the key and empties both (``parkir.py``)."""

    stream = models.CharField(_("stream"), max_length=100)
    urutan = models.BigIntegerField(_("urutan di stream"))
    subjek = models.CharField(_("subjek"), max_length=255)
    message_id = models.CharField(_("message id"), max_length=64, blank=True)
    data = models.BinaryField(_("data"), blank=True)  # sealed (crypto.BLOB_MAGIC...)
    kunci = models.CharField(_("kunci"), max_length=64, blank=True, default="")
    galat = models.TextField(_("galat"))
    percobaan = models.PositiveIntegerField(_("percobaan"))
    diparkir_pada = models.DateTimeField(_("diparkir pada"), auto_now_add=True)
    diputar_ulang_pada = models.DateTimeField(_("diputar ulang pada"), null=True, blank=True)
    hasil = models.CharField(_("hasil putar ulang"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("pesan terparkir")
        verbose_name_plural = _("pesan terparkir")
        ordering = ["-diparkir_pada"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "urutan"], name="bus_parkir_stream_urutan"),
        ]

    def __str__(self) -> str:
        return f"{self.subjek} #{self.urutan}"


# Read models live in read_models.py; imported here so Django always registers them.
from apps.bus.read_models import BuktiPesan  # noqa: E402, F401
