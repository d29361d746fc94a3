"""Tables of the bus context (write alias ``bus``).

- The event store: the **message log** (``PesanDiterima``, one stream per message id) and the
  routed events other contexts react to; subject keys; idempotency records (the kernel's).
- ``Instansi``: the agencies that may send, edited in the admin: their Ed25519 public key,
  whether they are active and the event types each may publish.
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
