"""Demo data for `make run`: a Dukcapil officer, citizens, blank stock, requests at each stage.
Idempotent: it does nothing when the demo officer already exists."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group, User

from apps.ktp import commands
from apps.ktp.domain import BARU
from apps.ktp.roles import GRUP_PETUGAS
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.portal.accounts import principal_for_user
from egov.portal.models import TERVERIFIKASI, CitizenProfile
from egov.principals import Principal

PASSWORD = "demo-ktp-2026"  # noqa: S105 - demo accounts, documented in the README
# (username, NIK, name, birth date, stage to reach)
WARGA = [
    ("warga_ktp", "3273016502920006", "Sri Wahyuni", date(1992, 2, 25), "DISERAHKAN"),
    ("warga_ktp2", "3204011203900002", "Budi Santoso", date(1990, 3, 12), "DIAJUKAN"),
    ("warga_ktp3", "3171024506950003", "Dewi Lestari", date(1995, 6, 5), "DICETAK"),
]
EXTRA = [  # requests without an account here, to fill the queues
    # izin's demo citizen (warga_izin): verified here, so izin's held application resumes
    ("3273015708850001", "Siti Aminah", date(1985, 8, 17), "VERIFIED_NO_BLANK"),
    ("3273010101000004", "Agus Salim", date(2000, 1, 1), "VERIFIED_NO_BLANK"),
    ("3275014404010005", "Rina Wati", date(2001, 4, 4), "DUPLIKASI"),
    # bansos's demo citizen (warga_bansos): e-KTP knows her NIK, so a death certificate sent
    # over the bus reaches her household (README, "A death certificate ...")
    ("3578015203880001", "Siti Aminah", date(1988, 3, 12), "VERIFIED_NO_BLANK"),
]
TEMPLATE = "{:064x}"


def _citizen(username: str, nik: str) -> Principal:
    """A citizen account whose NIK claim a Dukcapil officer verified at the counter."""
    user = User.objects.create_user(username, f"{username}@warga.local", PASSWORD)
    CitizenProfile.objects.create(
        user=user,
        subject_id=keyed_hash(nik),
        nik_masked=mask_nik(nik),
        status=TERVERIFIKASI,
        diputuskan_oleh=GRUP_PETUGAS,
    )
    return principal_for_user(user)


def _advance(pemohon, nik, nama, lahir: date, stage: str, template: int, officer) -> None:
    """``pemohon``: the citizen themself, or the officer at the counter for people without
    an account."""
    pid = commands.ktp_ajukan(
        principal=pemohon,
        nik=nik,
        nama=nama,
        tanggal_lahir=lahir,
        pernah_kawin=False,
        jenis=BARU,
        metadata=pemohon.metadata(source="demo"),
    )
    if stage == "DIAJUKAN":
        return
    meta = officer.metadata(source="demo")
    commands.ktp_rekam_biometrik(
        principal=officer,
        permohonan_id=pid,
        template_hash=TEMPLATE.format(template),
        lokasi="Disdukcapil Kota Bandung",
        metadata=meta,
    )
    if stage == "DUPLIKASI":
        return
    commands.ktp_periksa_pusat(permohonan_id=pid, metadata=meta)
    if stage == "VERIFIED_NO_BLANK":
        return
    commands.ktp_cetak(permohonan_id=pid, metadata=meta)  # as the print worker: a no-op if done
    if stage == "DISERAHKAN":
        commands.ktp_serahkan(principal=officer, permohonan_id=pid, metadata=meta)


def load_demo(stdout) -> None:
    if User.objects.filter(username=GRUP_PETUGAS).exists():
        return
    group, _ = Group.objects.get_or_create(name=GRUP_PETUGAS)
    petugas = User.objects.create_user(
        GRUP_PETUGAS, "petugas@dukcapil.local", PASSWORD, is_staff=True
    )
    petugas.groups.add(group)
    petugas.user_permissions.set(_ktp_permissions())
    officer = principal_for_user(petugas)
    commands.ktp_tambah_blangko(
        principal=officer, jumlah=2, metadata=officer.metadata(source="demo")
    )
    for i, (username, nik, nama, lahir, stage) in enumerate(WARGA, start=1):
        _advance(_citizen(username, nik), nik, nama, lahir, stage, i, officer)
    _advance(officer, *EXTRA[0], 10, officer)  # verified, waits: the two blanks are used up
    _advance(officer, *EXTRA[1], 11, officer)
    _advance(officer, *EXTRA[2], 1, officer)  # same template as Sri's: duplicate, adjudicate
    _advance(officer, *EXTRA[3], 12, officer)
    commands.ktp_periksa_pusat(
        permohonan_id=_open_request(EXTRA[2][0]), metadata=officer.metadata(source="demo")
    )
    stdout.write(f"ktp: officer {GRUP_PETUGAS}, citizens warga_ktp*, password {PASSWORD}")


def _open_request(nik: str):
    from apps.ktp.models import PermohonanTerbuka

    return PermohonanTerbuka.objects.using("ktp").get(nik_hash=keyed_hash(nik)).permohonan_id


def _ktp_permissions():
    """The e-KTP queues, and the citizens' NIK claims the Dukcapil officer decides."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    return Permission.objects.filter(
        Q(content_type__app_label="ktp")
        | Q(content_type__app_label="portal", codename="view_citizenprofile")
    )
