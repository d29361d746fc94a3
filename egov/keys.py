"""The secrets of egov: where each comes from, how it is generated, what a valid one looks like.

Four independent secrets, none ever derived from another (so leaking one, e.g. the Django
``SECRET_KEY`` through a debug page, gives nothing of the others):

- ``SECRET_KEY``: Django's signing key (sessions, CSRF, password reset tokens).
- ``PERSONAL_DATA_MASTER_KEY``: wraps every data subject's own key (base64, 32 bytes).
- ``PSEUDONYM_KEY``: HMAC key of the NIK keyed hash, i.e. every citizen's subject id.
- ``AUDIT_SIGNING_KEY``: Ed25519 private key sealing the audit chain (base64, 32 raw bytes).

Each is read, first match wins, from the environment variable ``NAME``, from the file named by
``NAME_FILE`` (docker/Kubernetes secrets), or from a ``NAME=value`` line of the keys file
(``EGOV_KEYS_FILE``, default ``var/keys.env``, used only if it exists). A missing or malformed
secret is an error: egov refuses to start rather than run with a guessable key.

Plain Python (no Django): ``manage.py generate_keys`` runs through :func:`main` before Django
is set up, precisely because settings cannot load until the keys exist.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import os
import secrets
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
KEYS_FILE_VARIABLE = "EGOV_KEYS_FILE"
GENERATE_COMMAND = "python manage.py generate_keys"


class SecretsError(Exception):
    """One or more secrets are missing or malformed; the message names each and the fix."""


def _random_base64_32() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _random_django_key() -> str:
    return secrets.token_urlsafe(64)  # 86 characters, well past Django's 50 (check W009)


def _base64_32_problem(value: str) -> str | None:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return "is not valid base64"
    return None if len(raw) == 32 else f"decodes to {len(raw)} bytes, 32 expected"


def _long_string_problem(value: str) -> str | None:
    # Django's own deploy check asks for 50+ characters with 5+ distinct ones.
    if len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure-"):
        return "must be a random string of at least 50 characters"
    return None


def _pseudonym_problem(value: str) -> str | None:
    # Any long random string: existing deployments configured free-form strings, and changing
    # this key would change every citizen's subject id.
    return None if len(value) >= 32 else "must be a random string of at least 32 characters"


@dataclass(frozen=True)
class Secret:
    name: str
    protects: str
    generate: Callable[[], str] = field(repr=False)
    problem: Callable[[str], str | None] = field(repr=False)


SECRET_KEY = Secret(
    "SECRET_KEY",
    "Django signing: sessions, CSRF, password reset tokens",
    _random_django_key,
    _long_string_problem,
)
PERSONAL_DATA_MASTER_KEY = Secret(
    "PERSONAL_DATA_MASTER_KEY",
    "wraps every data subject's key (base64, 32 bytes)",
    _random_base64_32,
    _base64_32_problem,
)
PSEUDONYM_KEY = Secret(
    "PSEUDONYM_KEY",
    "HMAC key of NIK keyed hashes (subject ids); never change it after go-live",
    _random_base64_32,
    _pseudonym_problem,
)
AUDIT_SIGNING_KEY = Secret(
    "AUDIT_SIGNING_KEY",
    "Ed25519 private key sealing the audit chain (base64, 32 raw bytes)",
    _random_base64_32,
    _base64_32_problem,
)
REQUIRED = (SECRET_KEY, PERSONAL_DATA_MASTER_KEY, PSEUDONYM_KEY, AUDIT_SIGNING_KEY)
# Optional: the master key being retired, readable during a rotation window only.
PERSONAL_DATA_MASTER_KEY_PREVIOUS = Secret(
    "PERSONAL_DATA_MASTER_KEY_PREVIOUS",
    "the retired master key, only while rotate_master_key runs",
    _random_base64_32,
    _base64_32_problem,
)
OPTIONAL = (PERSONAL_DATA_MASTER_KEY_PREVIOUS,)


@dataclass(frozen=True)
class LoadedSecrets:
    values: dict[str, str]
    sources: dict[str, str]  # name -> "env", "file:<path>" or "keys-file:<path>"
    keys_file: Path


def default_keys_file(*, environ: Mapping[str, str]) -> Path:
    configured = environ.get(KEYS_FILE_VARIABLE)
    if configured:
        return Path(configured)
    var_dir = Path(environ.get("EGOV_VAR_DIR") or BASE_DIR / "var")
    return var_dir / "keys.env"


def read_keys_file(*, path: Path) -> dict[str, str]:
    """``NAME=value`` lines; blank lines and ``#`` comments ignored; quotes around a value
    removed. Split at the first ``=`` only: base64 values end in ``=``."""
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        values[name.strip()] = value.strip().strip("'\"")
    return values


def _lookup(
    *, name: str, environ: Mapping[str, str], file_values: Mapping[str, str], keys_file: Path
) -> tuple[str, str] | None:
    if environ.get(name):
        return environ[name], "env"
    secret_file = environ.get(f"{name}_FILE")
    if secret_file:
        # A named file that cannot be read is a configuration error, not a missing secret.
        try:
            return Path(secret_file).read_text(encoding="utf-8").strip(), f"file:{secret_file}"
        except OSError as error:
            raise SecretsError(f"{name}_FILE={secret_file} cannot be read: {error}") from None
    if file_values.get(name):
        return file_values[name], f"keys-file:{keys_file}"
    return None


def _how_to_fix(*, keys_file: Path) -> str:
    return (
        "Set each as an environment variable NAME, or NAME_FILE naming a file holding it, "
        f"or as a NAME=value line in the keys file ({KEYS_FILE_VARIABLE}, now {keys_file}). "
        f"Generate a fresh set with `{GENERATE_COMMAND}` (writes {keys_file}, mode 0600) and "
        "keep PERSONAL_DATA_MASTER_KEY and PSEUDONYM_KEY backed up: without them personal "
        "data and subject ids are lost."
    )


def load(*, environ: Mapping[str, str] | None = None) -> LoadedSecrets:
    """Every required secret, valid, or :class:`SecretsError` naming each one that is not."""
    environ = os.environ if environ is None else environ
    keys_file = default_keys_file(environ=environ)
    file_values = read_keys_file(path=keys_file)
    values, sources, missing, malformed = {}, {}, [], []
    for secret in (*REQUIRED, *OPTIONAL):
        found = _lookup(
            name=secret.name, environ=environ, file_values=file_values, keys_file=keys_file
        )
        if found is None:
            if secret in REQUIRED:
                missing.append(secret)
            continue
        value, source = found
        problem = secret.problem(value)
        if problem:
            malformed.append(f"{secret.name} (from {source}) {problem}")
            continue
        values[secret.name], sources[secret.name] = value, source
    if missing or malformed:
        lines = ["egov refuses to start without its secrets."]
        lines += [f"Missing secret {s.name}: {s.protects}." for s in missing]
        lines += [f"Malformed secret {text}." for text in malformed]
        lines.append(_how_to_fix(keys_file=keys_file))
        raise SecretsError("\n".join(lines))
    return LoadedSecrets(values=values, sources=sources, keys_file=keys_file)


def generate() -> dict[str, str]:
    """A fresh, independent value for every required secret."""
    return {secret.name: secret.generate() for secret in REQUIRED}


def write_keys_file(*, path: Path, values: Mapping[str, str]) -> None:
    """Write ``NAME=value`` lines readable by the owner only (0600 from creation on: the file
    is never world-readable, not even for an instant)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "# egov secrets: keep private, back up PERSONAL_DATA_MASTER_KEY and PSEUDONYM_KEY.\n"
    body += "".join(f"{name}={value}\n" for name, value in values.items())
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(body)
    os.chmod(temporary, 0o600)  # O_CREAT's mode is masked by umask and ignored if it existed
    os.replace(temporary, path)  # atomic: a crash never leaves a half-written keys file


def set_in_keys_file(*, path: Path, updates: Mapping[str, str | None]) -> None:
    """Replace (or, with ``None``, remove) some entries of the keys file, keeping the rest."""
    values = read_keys_file(path=path)
    for name, value in updates.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    write_keys_file(path=path, values=values)


def main(argv: list[str] | None = None) -> int:
    """``manage.py generate_keys [--output FILE] [--if-missing] [--stdout]``."""
    parser = argparse.ArgumentParser(
        prog="manage.py generate_keys",
        description="Generate egov's four independent secrets into a keys file (mode 0600).",
    )
    parser.add_argument("--output", type=Path, default=default_keys_file(environ=os.environ))
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing if the file exists already"
    )
    parser.add_argument(
        "--stdout", action="store_true", help="print NAME=value lines instead of writing a file"
    )
    options = parser.parse_args(argv)
    values = generate()
    if options.stdout:
        sys.stdout.write("".join(f"{name}={value}\n" for name, value in values.items()))
        return 0
    if options.output.exists():
        if options.if_missing:
            print(f"{options.output} exists: kept")
            return 0
        # Overwriting would orphan every wrapped subject key and every subject id.
        print(f"{options.output} exists: refusing to overwrite it", file=sys.stderr)
        return 1
    write_keys_file(path=options.output, values=values)
    print(options.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
