from django.db import models


class BarisCrud(models.Model):
    """One row per request, the same fields as an e-KTP request's body (on ``default``: the
    router puts an app that is no context there)."""

    nik = models.CharField(max_length=16)
    nama = models.CharField(max_length=200)
    tanggal_lahir = models.DateField()
    pernah_kawin = models.BooleanField(default=False)
    jenis = models.CharField(max_length=20)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.pk} {self.jenis}"
