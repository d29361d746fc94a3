"""Citizen accounts (on ``default``, with Django's auth): a user linked to one NIK.

Only the NIK's keyed hash (the citizen's pseudonymous subject id in every context) and a
masked form are kept here: the NIK itself lives encrypted in the contexts' events."""

from django.conf import settings
from django.db import models


class CitizenProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen"
    )
    subject_id = models.CharField(max_length=64, unique=True)  # keyed_hash(nik)
    nik_masked = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.nik_masked
