"""Accounts on ``default`` (with Django's auth): who a principal is.

- ``CitizenProfile``: a citizen account's *claim* to one NIK. Only the NIK's keyed hash (the
  citizen's pseudonymous subject id in every context) and a masked form are kept. A claim is
  unverified until Dukcapil confirms it; many accounts may claim one NIK (so a claim never
  locks the real owner out), but at most one claim per NIK is verified.
- ``OfficerProfile``: the office an officer works for (roles are Django groups).
- ``IntegratorGrant``: the agency behind an OAuth2 client and the scopes it may be given.
- ``TokenPribadi``: a citizen's personal API token (portal page "Akses API"), kept only as
  its SHA-256 hash; it acts exactly as the citizen's session would (egov/apiauth.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DIKLAIM = "DIKLAIM"
TERVERIFIKASI = "TERVERIFIKASI"
DITOLAK = "DITOLAK"
DICABUT = "DICABUT"
STATUS_KLAIM = [
    (DIKLAIM, _("Menunggu verifikasi")),
    (TERVERIFIKASI, _("Terverifikasi")),
    (DITOLAK, _("Ditolak")),
    (DICABUT, _("Dicabut")),
]


class CitizenProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen"
    )
    subject_id = models.CharField(max_length=64, db_index=True)  # keyed_hash(nik)
    nik_masked = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=STATUS_KLAIM, default=DIKLAIM)
    diputuskan_oleh = models.CharField(max_length=150, blank=True, default="")
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("klaim NIK akun warga")
        verbose_name_plural = _("klaim NIK akun warga")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_id"],
                condition=models.Q(status=TERVERIFIKASI),
                name="one_verified_account_per_nik",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nik_masked} ({self.user.get_username()})"

    @property
    def verified(self) -> bool:
        return self.status == TERVERIFIKASI


class OfficerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer"
    )
    kantor = models.CharField(
        _("kantor (kode wilayah)"),
        max_length=13,
        blank=True,
        default="",
        help_text=_("Awalan kode wilayah yang dilayani, mis. 32 atau 3273; kosong = nasional."),
    )

    class Meta:
        verbose_name = _("profil petugas")
        verbose_name_plural = _("profil petugas")

    def __str__(self) -> str:
        return f"{self.user.get_username()} @ {self.kantor or 'nasional'}"


class IntegratorGrant(models.Model):
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="integrator_grant",
    )
    instansi = models.CharField(_("instansi"), max_length=200)
    scopes = models.CharField(
        _("cakupan"), max_length=500, help_text=_("Dipisah spasi, mis. ktp:ajukan izin:baca")
    )

    class Meta:
        verbose_name = _("hak akses integrator")
        verbose_name_plural = _("hak akses integrator")

    def __str__(self) -> str:
        return self.instansi

    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class TokenPribadi(models.Model):
    """A personal API token a citizen made on the portal. The token itself is shown once at
    creation and never stored: only its SHA-256 hash (a 256-bit random secret needs no slow
    or keyed hash, and rotating ``SECRET_KEY`` must not revoke every token) and a short
    prefix the citizen recognises it by. Revoking keeps the row (who revoked it, when)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="token_pribadi"
    )
    nama = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(_("awalan"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the whole token
    created_at = models.DateTimeField(_("dibuat"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.CharField(_("dicabut oleh"), max_length=150, blank=True, default="")

    class Meta:
        verbose_name = _("token pribadi API")
        verbose_name_plural = _("token pribadi API")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["user", "revoked_at", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.nama} ({self.prefix}…)"

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and moment < self.expires_at
