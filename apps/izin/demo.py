"""Demo data of the izin context (idempotent): officers, the KBLI risk table, a citizen and
a few applications at different stages. Identities are fed to izin's own replica as the
e-KTP policy would (izin never writes to or reads from the e-KTP context)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import Group, Permission, User

from apps.izin import commands
from apps.izin.models import HariLibur, IndeksPermohonan, RisikoKBLI, TenggatTahap
from apps.izin.roles import GRUP_APPROVER, GRUP_VERIFIKATOR
from apps.izin.seed import muat_konfigurasi
from egov.eventstore.domain import EventMetadata
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.portal.accounts import principal_for_user
from egov.portal.models import TERVERIFIKASI, CitizenProfile
from egov.principals import INTEGRATOR, Principal

DEMO_PASSWORD = "demo-izin-2026"  # noqa: S105 - demo logins, listed in README
NIK_WARGA = "3273015708850001"  # verified; has the demo citizen account
NIK_BELUM = "3273016009900003"  # not verified by Dukcapil: the application is held
IZIN_PERMS = [
    "view_izinstatus",
    "view_izinevent",
    "view_lampiranperbaikan",
    "view_risikokbli",
    "change_risikokbli",
    "add_risikokbli",
    "view_tenggattahap",
    "change_tenggattahap",
    "view_harilibur",
    "add_harilibur",
    "change_harilibur",
]
DEMO = EventMetadata(actor="demo", source="demo")
# A demo OSS front office system submitting for a citizen without an account here.
LOKET_OSS = Principal(
    kind=INTEGRATOR, id="client:demo-loket-oss", name="loket-oss", scopes=frozenset({"izin:ajukan"})
)


def _officer(username: str, group_name: str) -> Principal:
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="izin", codename__in=IZIN_PERMS)
    )
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(group)
    return principal_for_user(user)


def _citizen() -> Principal:
    user, created = User.objects.get_or_create(username="warga_izin")
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    CitizenProfile.objects.get_or_create(
        user=user,
        defaults={
            "subject_id": keyed_hash(NIK_WARGA),
            "nik_masked": mask_nik(NIK_WARGA),
            "status": TERVERIFIKASI,  # as if confirmed at a Dukcapil counter
            "diputuskan_oleh": "demo",
        },
    )
    return principal_for_user(user)


def _ajukan(oleh: Principal, nik: str, nama_usaha: str, kbli: str, skala="KECIL", **extra):
    return commands.izin_ajukan(
        principal=oleh,
        nik=nik,
        nama_pemohon="Sri Wahyuni",
        jenis_pelaku=extra.pop("jenis", "PERORANGAN"),
        nama_usaha=nama_usaha,
        kbli_kode=kbli,
        kbli_versi="2020",
        kode_wilayah="3273",
        skala=skala,
        nilai_investasi=Decimal("250000000"),
        metadata=oleh.metadata(source="demo"),
        **extra,
    )


def _applications(stdout, warga: Principal, verifikator: Principal, approver: Principal):
    nik_hashes = [keyed_hash(NIK_WARGA), keyed_hash(NIK_BELUM)]
    if IndeksPermohonan.objects.using("izin").filter(nik_hash__in=nik_hashes).exists():
        stdout.write("izin: demo applications already there")
        return
    commands.izin_catat_identitas(
        nik_hash=keyed_hash(NIK_WARGA), status=commands.VERIFIED, sumber="demo", metadata=DEMO
    )
    _ajukan(warga, NIK_WARGA, "Warung Bu Sri", "56102")  # R: approved and delivered at once
    _ajukan(warga, NIK_WARGA, "Apotek Sehat Sentosa", "47722")  # MT: waits for the verifier
    _ajukan(warga, NIK_WARGA, "Klinik Pratama Harapan", "86105")  # T: waits for the approver
    perbaikan = _ajukan(warga, NIK_WARGA, "Penggergajian Kayu Jaya", "16101")
    commands.izin_minta_perbaikan(
        principal=verifikator,
        permohonan_id=perbaikan,
        catatan="Lampirkan dokumen SPPL.",
        metadata=verifikator.metadata(source="demo"),
    )
    ditolak = _ajukan(warga, NIK_WARGA, "PLTS Atap Mandiri", "35101", skala="MENENGAH")
    commands.izin_tolak(
        principal=approver,
        permohonan_id=ditolak,
        alasan="Lokasi tidak sesuai KKPR.",
        dasar_hukum="PP 21/2021 tentang Penyelenggaraan Penataan Ruang",
        metadata=approver.metadata(source="demo"),
    )
    _ajukan(LOKET_OSS, NIK_BELUM, "Binatu Bersih", "96011")  # held: identity not verified
    stdout.write("izin: 6 demo applications at different stages")


def load_demo(stdout) -> None:
    created = muat_konfigurasi(RisikoKBLI, TenggatTahap, HariLibur)
    published = commands.terbitkan_referensi()
    stdout.write(f"izin: KBLI risk table and SLA ({created} rows added, {published} published)")
    verifikator = _officer("verifikator_oss", GRUP_VERIFIKATOR)
    approver = _officer("approver_oss", GRUP_APPROVER)
    _applications(stdout, _citizen(), verifikator, approver)
