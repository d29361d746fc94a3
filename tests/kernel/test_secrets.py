"""Secrets: four independent keys, never derived, required to start; generated, rotated."""

import base64
import hashlib
import hmac
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from apps.audit import chain
from apps.audit.models import SegelAudit
from egov import keys
from egov.eventstore import projections
from egov.eventstore.crypto import master_key_id
from egov.eventstore.domain import ERASED, EventMetadata
from egov.eventstore.pseudonym import keyed_hash
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import KernelEvent, KernelSubjectKey
from tests.kerneltest.store import store

ROOT = Path(__file__).resolve().parents[2]
NAMES = [secret.name for secret in keys.REQUIRED]
META = EventMetadata(actor="petugas", source="test", reason="uji rotasi")
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "egov.example.go.id",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
}


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This process's environment without any secret, with a keys file that does not exist."""
    secret_vars = {
        n for name in [*NAMES, "PERSONAL_DATA_MASTER_KEY_PREVIOUS"] for n in (name, f"{name}_FILE")
    }
    env = {k: v for k, v in os.environ.items() if k not in secret_vars}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "egov.settings",
            "EGOV_KEYS_FILE": str(tmp_path / "absent.env"),
            "EGOV_VAR_DIR": str(tmp_path),
            **extra,
        }
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _django_setup(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run(["-c", "import django; django.setup()"], env)


# --- refusing to start ------------------------------------------------------------------------
def test_settings_refuse_to_load_without_any_secret_and_name_each(tmp_path):
    result = _django_setup(_clean_env(tmp_path))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in NAMES:
        assert f"Missing secret {name}:" in result.stderr
    assert "manage.py generate_keys" in result.stderr


@pytest.mark.parametrize("missing", NAMES)
def test_settings_refuse_to_load_without_one_secret(tmp_path, missing):
    values = {name: value for name, value in keys.generate().items() if name != missing}

    result = _django_setup(_clean_env(tmp_path, **values))

    assert result.returncode != 0
    assert f"Missing secret {missing}:" in result.stderr
    assert [n for n in NAMES if f"Missing secret {n}:" in result.stderr] == [missing]


def test_settings_refuse_a_malformed_secret(tmp_path):
    values = {**keys.generate(), "PERSONAL_DATA_MASTER_KEY": "c2hvcnQ="}

    result = _django_setup(_clean_env(tmp_path, **values))

    assert result.returncode != 0
    assert "Malformed secret PERSONAL_DATA_MASTER_KEY (from env) decodes to 5 bytes" in (
        result.stderr
    )


def test_secrets_load_from_env_name_file_and_keys_file(tmp_path):
    generated = keys.generate()
    keys.write_keys_file(path=tmp_path / "keys.env", values={"PSEUDONYM_KEY": "x" * 40})
    (tmp_path / "audit.key").write_text(generated["AUDIT_SIGNING_KEY"] + "\n")
    environ = {
        "EGOV_KEYS_FILE": str(tmp_path / "keys.env"),
        "SECRET_KEY": generated["SECRET_KEY"],
        "PERSONAL_DATA_MASTER_KEY": generated["PERSONAL_DATA_MASTER_KEY"],
        "AUDIT_SIGNING_KEY_FILE": str(tmp_path / "audit.key"),
    }

    loaded = keys.load(environ=environ)

    assert loaded.values["AUDIT_SIGNING_KEY"] == generated["AUDIT_SIGNING_KEY"]
    assert loaded.values["PSEUDONYM_KEY"] == "x" * 40
    assert loaded.sources == {
        "SECRET_KEY": "env",
        "PERSONAL_DATA_MASTER_KEY": "env",
        "PSEUDONYM_KEY": f"keys-file:{tmp_path / 'keys.env'}",
        "AUDIT_SIGNING_KEY": f"file:{tmp_path / 'audit.key'}",
    }


# --- generating -------------------------------------------------------------------------------
def test_generate_keys_works_with_no_keys_and_writes_four_distinct_valid_keys_0600(tmp_path):
    output = tmp_path / "keys.env"

    result = _run(["manage.py", "generate_keys", "--output", str(output)], _clean_env(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(output)  # the path, never a secret
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    values = keys.read_keys_file(path=output)
    assert sorted(values) == sorted(NAMES)
    assert len(set(values.values())) == 4
    assert all(secret.problem(values[secret.name]) is None for secret in keys.REQUIRED)
    assert not any(value in result.stdout for value in values.values())
    # ... and egov starts with exactly that file.
    assert _django_setup(_clean_env(tmp_path, EGOV_KEYS_FILE=str(output))).returncode == 0


def test_generate_keys_never_overwrites_and_if_missing_keeps_the_file(tmp_path):
    output = tmp_path / "keys.env"
    _run(["manage.py", "generate_keys", "--output", str(output)], _clean_env(tmp_path))
    before = output.read_text()

    again = _run(["manage.py", "generate_keys", "--output", str(output)], _clean_env(tmp_path))
    kept = _run(
        ["manage.py", "generate_keys", "--output", str(output), "--if-missing"],
        _clean_env(tmp_path),
    )

    assert (again.returncode, kept.returncode) == (1, 0)
    assert "refusing to overwrite" in again.stderr
    assert output.read_text() == before


def test_generate_keys_prints_secrets_only_with_stdout(tmp_path):
    result = _run(["manage.py", "generate_keys", "--stdout"], _clean_env(tmp_path))

    lines = result.stdout.splitlines()
    assert [line.split("=", 1)[0] for line in lines] == NAMES
    assert not (tmp_path / "keys.env").exists()


# --- nothing derived from SECRET_KEY -----------------------------------------------------------
def test_the_pseudonym_of_a_nik_no_longer_derives_from_secret_key():
    nik = "3273015708850001"
    old_key = hashlib.sha256(f"pseudonym:{settings.SECRET_KEY}".encode()).digest()
    old = hmac.new(old_key, f"nik:{nik}".encode(), hashlib.sha256).hexdigest()
    configured_key = hashlib.sha256(settings.PSEUDONYM_KEY.encode()).digest()
    expected = hmac.new(configured_key, f"nik:{nik}".encode(), hashlib.sha256).hexdigest()

    assert keyed_hash(nik) == expected
    assert keyed_hash(nik) != old


def test_the_four_test_secrets_are_distinct():
    assert len({getattr(settings, name) for name in NAMES}) == 4


# --- master key rotation ----------------------------------------------------------------------
def _event_rows() -> list[tuple]:
    rows = KernelEvent.objects.using("kerneltest").order_by("position")
    return [(r.position, r.event_id, r.payload, r.metadata, r.recorded_at) for r in rows]


def _names_by_owner() -> dict[str, str]:
    loaded = {}
    for row in KernelEvent.objects.using("kerneltest").filter(event_type="PenghitungDibuat"):
        [event] = [e for e in store.load(row.stream_id) if e.event_type == "PenghitungDibuat"]
        loaded[event.payload["pemilik"]] = event.payload["nama_pemilik"]
    return loaded


@pytest.mark.django_db(databases="__all__")
def test_rotate_master_key_rewraps_every_subject_key_and_changes_no_event(settings, tmp_path):
    old_value = settings.PERSONAL_DATA_MASTER_KEY
    new_value = keys.PERSONAL_DATA_MASTER_KEY.generate()
    (tmp_path / "new.key").write_text(new_value)
    for owner, name in [("warga-1", "Siti Aminah"), ("warga-2", "Budi Santoso")]:
        store.save(Penghitung.buat(pemilik=owner, nama=name), META)
    store.forget_subject("warga-2", META)
    events_before = _event_rows()
    new_id = master_key_id(base64.b64decode(new_value))
    out = io.StringIO()

    call_command("rotate_master_key", new_key_file=tmp_path / "new.key", stdout=out)

    assert f"kerneltest: 1 subject keys re-wrapped under {new_id}" in out.getvalue()
    assert _event_rows() == events_before
    key_rows = {k.subject_id: k for k in KernelSubjectKey.objects.using("kerneltest")}
    assert key_rows["warga-1"].master_key_id == new_id
    assert (key_rows["warga-2"].wrapped_key, key_rows["warga-2"].master_key_id) == (None, None)
    # Only the new key configured: old events still decrypt; the forgotten one stays erased.
    settings.PERSONAL_DATA_MASTER_KEY = new_value
    settings.PERSONAL_DATA_MASTER_KEY_PREVIOUS = ""
    assert _names_by_owner() == {"warga-1": "Siti Aminah", "warga-2": ERASED}
    assert old_value != new_value


@pytest.mark.django_db(databases="__all__")
def test_rotate_master_key_resumes_with_the_previous_key_configured(settings):
    old_value = settings.PERSONAL_DATA_MASTER_KEY
    store.save(Penghitung.buat(pemilik="warga-1", nama="Siti Aminah"), META)
    # The new key is configured first (processes restarted); the old one is still readable.
    settings.PERSONAL_DATA_MASTER_KEY = keys.PERSONAL_DATA_MASTER_KEY.generate()
    settings.PERSONAL_DATA_MASTER_KEY_PREVIOUS = old_value
    store.save(Penghitung.buat(pemilik="warga-3", nama="Dewi Lestari"), META)
    out = io.StringIO()

    call_command("rotate_master_key", stdout=out)  # finish: everything under the active key
    call_command("rotate_master_key", stdout=out)  # again: nothing left to do

    assert "kerneltest: 1 subject keys re-wrapped" in out.getvalue()
    assert "kerneltest: 0 subject keys re-wrapped" in out.getvalue()
    settings.PERSONAL_DATA_MASTER_KEY_PREVIOUS = ""
    assert _names_by_owner() == {"warga-1": "Siti Aminah", "warga-3": "Dewi Lestari"}


# --- audit key rotation -----------------------------------------------------------------------
def _make_events_and_seal(count: int) -> None:
    for i in range(count):
        store.save(Penghitung.buat(pemilik=f"warga-{i}", nama="Nama"), META)
    projections.run_projector(projections.get_projector("audit.jejak"))


@pytest.mark.django_db(databases="__all__")
def test_rotate_audit_key_old_and_new_seals_verify_with_the_published_keys(settings, tmp_path):
    settings.AUDIT_SEAL_EVERY = 1
    old_id = chain.active_key_id()
    _make_events_and_seal(1)
    out = io.StringIO()

    call_command("rotate_audit_key", output=tmp_path / "audit.env", stdout=out)

    new_value = keys.read_keys_file(path=tmp_path / "audit.env")["AUDIT_SIGNING_KEY"]
    assert stat.S_IMODE((tmp_path / "audit.env").stat().st_mode) == 0o600
    settings.AUDIT_SIGNING_KEY = new_value  # the operator configures it and restarts
    new_id = chain.active_key_id()
    _make_events_and_seal(1)

    seals = list(SegelAudit.objects.using("audit_read").order_by("nomor"))
    assert [(s.nomor, s.key_id) for s in seals] == [(1, old_id), (2, new_id)]
    assert old_id != new_id
    assert f"audit key {new_id} published" in out.getvalue()
    verified = io.StringIO()
    call_command("verify_audit", stdout=verified)
    assert "Jejak audit utuh: 2 catatan." in verified.getvalue()
    published = APIClient().get("/api/v1/audit/kunci-publik/").json()
    assert published["key_id"] == new_id
    assert published["kunci_publik"] == chain.public_key_b64()
    by_id = {k["key_id"]: k["public_key"] for k in published["kunci"]}
    assert list(by_id) == [old_id, new_id]
    for seal in seals:  # a third party checks each seal with the key it names
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(by_id[seal.key_id]))
        public.verify(
            base64.b64decode(seal.tanda_tangan), chain.seal_message(seal.nomor, seal.hash)
        )


@pytest.mark.django_db(databases="__all__")
def test_verify_audit_fails_on_a_seal_whose_key_was_never_published(settings):
    settings.AUDIT_SEAL_EVERY = 1
    _make_events_and_seal(1)
    [record_hash] = SegelAudit.objects.using("audit_read").values_list("hash", flat=True)
    SegelAudit.objects.using("audit_read").create(  # a seal naming a key nobody published
        nomor=99,
        hash=record_hash,
        tanda_tangan="AAAA",
        ditandatangani_pada=timezone.now(),
        key_id="ffffffffffffffff",
    )

    with pytest.raises(CommandError, match="#99: kunci segel ffffffffffffffff tidak diterbitkan"):
        call_command("verify_audit")


# --- deployment -------------------------------------------------------------------------------
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _clean_env(tmp_path, **keys.generate(), **PRODUCTION)

    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_with_the_development_defaults(tmp_path):
    env = _clean_env(tmp_path, **keys.generate(), DEBUG="0")

    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize(("is_staff", "expected_age"), [(True, 8 * 3600), (False, 14 * 24 * 3600)])
def test_officer_sessions_end_after_a_working_day_citizens_keep_the_default(is_staff, expected_age):
    user = get_user_model().objects.create_user("pengguna", password="x", is_staff=is_staff)
    client = Client()
    client.force_login(user)

    client.get("/")
    client.get("/")  # a later request does not push the officer's end further

    age = client.session.get_expiry_age()
    assert expected_age - 5 <= age <= expected_age
