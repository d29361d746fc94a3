"""Every message catalog is complete: no msgid without an English translation, none fuzzy
(a fuzzy entry is ignored at run time, so the user would read Indonesian in English mode)."""

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    p for p in ROOT.glob("**/locale/en/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def _entries(path: Path):
    for block in path.read_text().split("\n\n"):
        lines = block.strip().splitlines()
        ids = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
        strs = [i for i, line in enumerate(lines) if line.startswith("msgstr ")]
        if not ids or not strs:
            continue
        msgid = _text(lines[ids[0] : strs[0]])
        if msgid:  # the header's msgid is empty
            fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
            yield msgid, _text(lines[strs[0] :]), fuzzy


def _text(lines: list[str]) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(lines)))


def test_there_are_catalogs():
    assert len(CATALOGS) >= 4


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_an_english_translation(catalog):
    missing = [msgid for msgid, msgstr, fuzzy in _entries(catalog) if not msgstr or fuzzy]
    assert missing == []


def test_a_message_reads_the_same_in_every_catalog():
    """Django merges the catalogs into one (the root ``locale/`` wins over the apps'), so one
    msgid translated two ways shows only one of them everywhere: izin's "Tahap" (stage) once
    read "Round" because bansos gave the same word that meaning. A context with another
    meaning needs another msgid."""
    translations: dict[str, dict[str, str]] = {}
    for catalog in CATALOGS:
        for msgid, msgstr, _fuzzy in _entries(catalog):
            translations.setdefault(msgid, {})[str(catalog.relative_to(ROOT))] = msgstr
    clashes = {m: t for m, t in translations.items() if len(set(t.values())) > 1}
    assert clashes == {}


def test_every_message_in_the_code_is_in_a_catalog(tmp_path, monkeypatch, settings):
    """Extract the messages again (``makemessages``, into a copy of the tree) and fail on any
    msgid the committed catalogs do not translate: a string added to the code without running
    makemessages and translating it would show Indonesian in English mode."""
    from django.core.management import call_command

    for part in ("apps", "egov", "locale"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], add_location="file", verbosity=0)
    untranslated = {
        str(path.relative_to(tmp_path)): sorted(
            msgid for msgid, msgstr, fuzzy in _entries(path) if not msgstr or fuzzy
        )
        for path in tmp_path.glob("**/locale/en/LC_MESSAGES/django.po")
    }
    assert {path: ids for path, ids in untranslated.items() if ids} == {}
