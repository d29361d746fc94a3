"""Read tables of the bansos context (alias ``bansos_read``), written by ``bansos.ringkasan``
(``projections.py``) from bansos's own feed and read by ``queries.py`` only.

- ``UsulanRingkas``: one household in one programme (its ``Penerima`` stream), from proposal
  to membership: the officers' queue and the eligibility page.
- ``BantuanWarga``: the same household as each member sees it ("Bantuan saya"), found by the
  member's NIK hash, which is the citizen's subject id (``keyed_hash(NIK)``).
- ``SiklusRingkas`` and ``InstruksiRingkas``: a disbursement round with its totals per
  instruction status, and its instructions (approval and reconciliation pages).
- ``StatistikPenerima`` and ``StatistikPenyaluran``: the dashboard's counters per programme
  and province (and period for money), moved per event, never recomputed from a scan.

Personal data (UU PDP 27/2022): NIKs and KK numbers only as keyed hashes. What the events
seal with the pengurus's key (components, decile, free-text reasons, which member a finding is
about) is blanked here when that subject is erased (``DataPribadiDihapus``), so a rebuild
after an erasure gives the same rows as the live projection. Each stream's row remembers the
last version applied (``last_version``): an event delivered again changes nothing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.eventstore.models import ReadModel

HASH = {"max_length": 64}
PROGRAM = {"max_length": 20}
PERIODE = {"max_length": 8}  # 2025-03 | 2025-TW1
PROVINSI = {"max_length": 2}
STATUS = {"max_length": 16}
OFFICER = {"max_length": 150, "blank": True, "default": ""}


class UsulanRingkas(ReadModel):
    """One household's proposal, then membership. ``status``: the domain's (DIAJUKAN,
    DIVERIFIKASI, DITOLAK, AKTIF, DITANGGUHKAN, DIGRADUASI, DIKELUARKAN). ``gagal`` and
    ``tinjau``: the last verification's failed rules and review flags, in the rule order,
    each ``{"kode", "alasan" (msgid), "anggota": [NIK hashes it is about]}``.
    ``keterangan``: the last decision's own words (rejection, suspension, graduation, exit,
    reactivation). ``nominal_per_tahap``: the last instruction's amount (it is decided per
    payment period from the programme row in force, so only an instruction knows it)."""

    penerima_id = models.UUIDField(primary_key=True)
    program = models.CharField(**PROGRAM)
    periode = models.CharField(**PERIODE)
    kode_wilayah = models.CharField(max_length=10)
    kode_provinsi = models.CharField(**PROVINSI)
    nomor_kk_hash = models.CharField(db_index=True, **HASH)
    pengurus_nik_hash = models.CharField(db_index=True, **HASH)
    jumlah_anggota = models.PositiveSmallIntegerField(default=0)
    desil = models.PositiveSmallIntegerField(null=True)  # sealed: None once erased
    status = models.CharField(**STATUS)
    layak = models.BooleanField(null=True)  # None until verified
    gagal = models.JSONField(default=list)
    tinjau = models.JSONField(default=list)
    alasan_penangguhan = models.CharField(max_length=20, blank=True, default="")
    keterangan = models.TextField(blank=True, default="")
    keberatan_terbuka = models.BooleanField(default=False)
    komponen = models.JSONField(default=list)
    dasar_hukum = models.CharField(max_length=200, blank=True, default="")
    nominal_per_tahap = models.BigIntegerField(default=0)
    tahap_diterima = models.PositiveIntegerField(default=0)
    rupiah_diterima = models.BigIntegerField(default=0)
    # PKH conditions as recorded (KepatuhanDicatat), the latest per period and component:
    # [{"periode", "komponen", "patuh", "sumber"}] by period then component; sealed data, so
    # emptied once the pengurus's data is erased.
    kepatuhan = models.JSONField(default=list)
    diajukan_oleh = models.CharField(**OFFICER)
    diajukan_pada = models.DateTimeField()
    diverifikasi_oleh = models.CharField(**OFFICER)
    diverifikasi_pada = models.DateTimeField(null=True)
    diputuskan_oleh = models.CharField(**OFFICER)  # who decided or rejected
    diputuskan_pada = models.DateTimeField(null=True)
    diperbarui_pada = models.DateTimeField()
    last_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("usulan/penerima bansos")
        verbose_name_plural = _("usulan/penerima bansos")
        indexes = [
            models.Index(fields=["status", "program", "periode"], name="bansos_usulan_antrean"),
            models.Index(fields=["kode_wilayah"], name="bansos_usulan_wilayah"),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.periode} {self.penerima_id} {self.status}"


class BantuanWarga(ReadModel):
    """One household as one of its members sees it. ``id``: derived from the household and
    the member (``projections.bantuan_warga_id``), so a replay finds the row it made."""

    id = models.UUIDField(primary_key=True)
    nik_hash = models.CharField(db_index=True, **HASH)
    penerima_id = models.UUIDField(db_index=True)
    program = models.CharField(**PROGRAM)
    periode = models.CharField(**PERIODE)
    status = models.CharField(**STATUS)
    alasan_penangguhan = models.CharField(max_length=20, blank=True, default="")
    tahap_diterima = models.PositiveIntegerField(default=0)
    rupiah_diterima = models.BigIntegerField(default=0)
    kepatuhan = models.JSONField(default=list)  # the household's, as in UsulanRingkas
    diperbarui_pada = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.nik_hash[:12]}… {self.program} {self.status}"


class SiklusRingkas(ReadModel):
    """One disbursement round with its instructions counted (``jumlah_*``) and summed
    (``rupiah_*``) by their status now: ``menunggu`` (DIBUAT), ``disalurkan`` (TERSALUR, the
    amount the channel reported), ``gagal``, ``tidak_diambil``, ``dialihkan`` (to PT Pos),
    ``dikembalikan`` (the amount returned), ``dibatalkan``; ``instruksi``: all of them, at
    the amount instructed."""

    siklus_id = models.UUIDField(primary_key=True)
    program = models.CharField(**PROGRAM)
    periode = models.CharField(**PERIODE)
    tahap = models.PositiveSmallIntegerField()
    status = models.CharField(**STATUS)
    dibuat_oleh = models.CharField(**OFFICER)
    dibuat_pada = models.DateTimeField()
    diajukan_oleh = models.CharField(**OFFICER)
    diajukan_pada = models.DateTimeField(null=True)
    disetujui_oleh = models.CharField(**OFFICER)
    disetujui_pada = models.DateTimeField(null=True)
    ditutup_oleh = models.CharField(**OFFICER)
    ditutup_pada = models.DateTimeField(null=True)
    jumlah_instruksi = models.PositiveIntegerField(default=0)
    rupiah_instruksi = models.BigIntegerField(default=0)
    jumlah_menunggu = models.PositiveIntegerField(default=0)
    rupiah_menunggu = models.BigIntegerField(default=0)
    jumlah_disalurkan = models.PositiveIntegerField(default=0)
    rupiah_disalurkan = models.BigIntegerField(default=0)
    jumlah_gagal = models.PositiveIntegerField(default=0)
    rupiah_gagal = models.BigIntegerField(default=0)
    jumlah_tidak_diambil = models.PositiveIntegerField(default=0)
    rupiah_tidak_diambil = models.BigIntegerField(default=0)
    jumlah_dialihkan = models.PositiveIntegerField(default=0)
    rupiah_dialihkan = models.BigIntegerField(default=0)
    jumlah_dikembalikan = models.PositiveIntegerField(default=0)
    rupiah_dikembalikan = models.BigIntegerField(default=0)
    jumlah_dibatalkan = models.PositiveIntegerField(default=0)
    rupiah_dibatalkan = models.BigIntegerField(default=0)
    last_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("siklus penyaluran")
        verbose_name_plural = _("siklus penyaluran")
        indexes = [models.Index(fields=["program", "periode"], name="bansos_siklus_program")]

    def __str__(self) -> str:
        return f"{self.program} {self.periode} #{self.tahap} {self.status}"


class InstruksiRingkas(ReadModel):
    """One payment instruction with its outcome. ``kanal``: the channel that paid once one
    did (PT Pos after a redirect), else the one instructed; ``alasan``: why it failed or was
    cancelled; ``referensi``: the return's receipt."""

    instruksi_id = models.UUIDField(primary_key=True)
    siklus_id = models.UUIDField(db_index=True)
    penerima_id = models.UUIDField(db_index=True)
    kode_wilayah = models.CharField(max_length=10, blank=True, default="")  # the household's
    kode_provinsi = models.CharField(**PROVINSI)
    nominal = models.BigIntegerField()
    kanal = models.CharField(max_length=10)
    status = models.CharField(max_length=20)
    ntx = models.CharField(max_length=64, blank=True, default="")
    nominal_disalurkan = models.BigIntegerField(default=0)
    nominal_dikembalikan = models.BigIntegerField(default=0)
    referensi = models.CharField(max_length=64, blank=True, default="")
    alasan = models.TextField(blank=True, default="")
    dibuat_pada = models.DateTimeField()
    diperbarui_pada = models.DateTimeField()
    last_version = models.PositiveIntegerField(default=0)  # of the instruction's own stream

    def __str__(self) -> str:
        return f"{self.instruksi_id} {self.status}"


class StatistikPenerima(ReadModel):
    """Households per programme and province as they stand now: running (``aktif``,
    ``ditangguhkan``) and left (``digraduasi``, ``dikeluarkan``)."""

    program = models.CharField(**PROGRAM)
    kode_provinsi = models.CharField(**PROVINSI)
    aktif = models.IntegerField(default=0)
    ditangguhkan = models.IntegerField(default=0)
    digraduasi = models.IntegerField(default=0)
    dikeluarkan = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kode_provinsi"], name="bansos_statistik_penerima"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.kode_provinsi}"


class StatistikPenyaluran(ReadModel):
    """Money per programme, province and the round's period: instructed, disbursed (as the
    channels reported) and returned to the treasury."""

    program = models.CharField(**PROGRAM)
    kode_provinsi = models.CharField(**PROVINSI)
    periode = models.CharField(**PERIODE)
    jumlah_instruksi = models.PositiveIntegerField(default=0)
    rupiah_instruksi = models.BigIntegerField(default=0)
    jumlah_disalurkan = models.PositiveIntegerField(default=0)
    rupiah_disalurkan = models.BigIntegerField(default=0)
    jumlah_dikembalikan = models.PositiveIntegerField(default=0)
    rupiah_dikembalikan = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kode_provinsi", "periode"], name="bansos_statistik_dana"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.kode_provinsi} {self.periode}"


READ_MODELS = (
    UsulanRingkas,
    BantuanWarga,
    SiklusRingkas,
    InstruksiRingkas,
    StatistikPenerima,
    StatistikPenyaluran,
)
