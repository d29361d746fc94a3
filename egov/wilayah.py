"""The Kemendagri region table (shared kernel, plain Python): provinces, regencies and cities,
districts, villages. Read once from the versioned snapshot ``egov/data/wilayah-<version>.json.gz``
(written by ``scripts/import_wilayah.py``, ``make wilayah``; data under the ODbL, see
``sumber()``) and from ``egov/data/wilayah-historis.json`` (province codes that meant something
else before 2022).

Codes are written as in a NIK, without dots: a code's length is its level (2 province,
4 regency/city, 6 district, 10 village) and its prefix is its parent.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
HISTORIC_FILE = DATA_DIR / "wilayah-historis.json"

PROVINSI, KABUPATEN, KECAMATAN, KELURAHAN = "provinsi", "kabupaten", "kecamatan", "kelurahan"
TINGKAT = (PROVINSI, KABUPATEN, KECAMATAN, KELURAHAN)  # from the top down
PANJANG_KODE = {PROVINSI: 2, KABUPATEN: 4, KECAMATAN: 6, KELURAHAN: 10}
_TINGKAT_MENURUT_PANJANG = {length: tingkat for tingkat, length in PANJANG_KODE.items()}

# What people type for a name the table spells out in full: without the kind of region
# ("bandung" finds "Kabupaten Bandung" and "Kota Bandung"), or abbreviated ("DKI Jakarta" finds
# "Daerah Khusus Ibukota Jakarta").
_AWALAN_DILEWATI = (
    "kabupaten administrasi ",
    "kota administrasi ",
    "kabupaten ",
    "kota ",
)
_SINGKATAN = {"daerah khusus ibukota ": "dki ", "daerah istimewa ": "di "}
_NOT_KEY = re.compile("[^a-z0-9]")
_NOT_KEY_OR_NEWLINE = re.compile("[^a-z0-9\n]")


@dataclass(frozen=True)
class Wilayah:
    kode: str
    nama: str
    tingkat: str

    @property
    def induk(self) -> str:
        """The parent's code ("" for a province)."""
        index = TINGKAT.index(self.tingkat)
        return self.kode[: PANJANG_KODE[TINGKAT[index - 1]]] if index else ""


@dataclass(frozen=True)
class Sumber:
    paket: str
    versi: str
    dasar_hukum: str
    lisensi: str
    atribusi: str


def snapshot_file() -> Path:
    """The one snapshot in egov/data (the import removes older ones)."""
    found = sorted(DATA_DIR.glob("wilayah-*.json.gz"))
    if len(found) != 1:
        raise RuntimeError(f"expected one wilayah-*.json.gz in {DATA_DIR}, found {found}")
    return found[0]


@cache
def _snapshot() -> tuple[Sumber, dict[str, dict[str, str]]]:
    """(source, level -> code -> name), read once per process."""
    data = json.loads(gzip.decompress(snapshot_file().read_bytes()).decode("utf-8"))
    return Sumber(**data["sumber"]), {tingkat: data[tingkat] for tingkat in TINGKAT}


@cache
def _names() -> dict[str, str]:
    """Every code -> its name; codes of different levels never collide (their lengths differ)."""
    return {kode: nama for level in _snapshot()[1].values() for kode, nama in level.items()}


@cache
def _historic() -> dict[str, str]:
    return json.loads(HISTORIC_FILE.read_text(encoding="utf-8"))["provinsi_sebelum_2022"]


def sumber() -> Sumber:
    return _snapshot()[0]


def kode_bersih(raw: str) -> str:
    """A code as a person types it ("32.73.01", " 3273 01 ") in its one form, "327301"."""
    return "".join(raw.replace(".", " ").split())


def ambil(kode: str) -> Wilayah | None:
    """The region with this code, None if the table does not know it."""
    name = _names().get(kode)
    return None if name is None else Wilayah(kode, name, _TINGKAT_MENURUT_PANJANG[len(kode)])


def nama(kode: str) -> str | None:
    return _names().get(kode)


def provinsi_sebelum_2022(kode: str) -> str | None:
    """What a province code meant before the 2022 Papua reorganisation, if it differed."""
    return _historic().get(kode)


def nama_lengkap(kode: str) -> str:
    """The region and its ancestors, "Sukasari, Kota Bandung, Jawa Barat" ("" if unknown)."""
    parts = [
        _names()[kode[:length]]
        for length in sorted(PANJANG_KODE.values(), reverse=True)
        if length <= len(kode) and kode[:length] in _names()
    ]
    return ", ".join(parts) if kode in _names() else ""


@cache
def _children() -> dict[str, tuple[str, ...]]:
    children: dict[str, list[str]] = {"": []}
    for kode in sorted(_names()):
        region = ambil(kode)
        children.setdefault(region.induk, []).append(kode)
    return {parent: tuple(codes) for parent, codes in children.items()}


def anak(kode: str = "") -> list[Wilayah]:
    """The regions directly under ``kode`` in code order ("" = the provinces)."""
    return [ambil(child) for child in _children().get(kode, ())]


def _kunci(teks: str) -> str:
    """Case-, space-, punctuation- and accent-insensitive form: "Kota  Bandung" -> "kotabandung",
    "Regapu'u" (typographic apostrophe in the table) -> "regapuu"."""
    return _NOT_KEY.sub("", unicodedata.normalize("NFKD", teks).casefold())


def _kunci_nama(nama_wilayah: str) -> tuple[str, ...]:
    """The keys a name answers to: itself, without its kind of region, and abbreviated."""
    lowered = " ".join(nama_wilayah.casefold().split())
    forms = {lowered}
    for prefix in _AWALAN_DILEWATI:
        if lowered.startswith(prefix):
            forms.add(lowered.removeprefix(prefix))
            break
    for long, short in _SINGKATAN.items():
        if lowered.startswith(long):
            forms.add(short + lowered.removeprefix(long))
    return tuple(sorted({_kunci(form) for form in forms}))


@dataclass(frozen=True)
class _Entri:
    kode: str
    kunci: str  # the name's own keys, each between newlines: "\nkabupatenbandung\nbandung\n"
    jalur: str  # the keys of the name and of its ancestors: "sukasari\nkotabandung\n..."


@cache
def _level_keys(tingkat: str) -> dict[str, tuple[str, ...]]:
    """code -> the keys its name answers to, for one level. Only provinces and regencies have
    a kind or an abbreviation to drop (a village named "Kota Baru" is not a city); the 90,000
    other names are normalised in one pass over one string (a few times faster than one call
    per name, for the first search of a worker)."""
    names = _snapshot()[1][tingkat]
    if tingkat in (PROVINSI, KABUPATEN):
        return {kode: _kunci_nama(nama) for kode, nama in names.items()}
    text = unicodedata.normalize("NFKD", "\n".join(names.values())).casefold()
    keys = _NOT_KEY_OR_NEWLINE.sub("", text).split("\n")
    return {kode: (key,) for kode, key in zip(names, keys, strict=True)}


@cache
def _jalur(tingkat: str) -> dict[str, str]:
    """code -> the keys of its name and of its ancestors' names, newline-separated."""
    keys, index = _level_keys(tingkat), TINGKAT.index(tingkat)
    if index == 0:
        return {kode: "\n".join(own) for kode, own in keys.items()}
    above, length = _jalur(TINGKAT[index - 1]), PANJANG_KODE[TINGKAT[index - 1]]
    return {kode: "\n".join((*own, above[kode[:length]])) for kode, own in keys.items()}


@cache
def _indeks(tingkat: str) -> tuple[tuple[_Entri, ...], tuple[str, ...]]:
    """(entries, their codes) of one level, in code order: built on the first search only."""
    keys, jalur = _level_keys(tingkat), _jalur(tingkat)
    codes = tuple(sorted(keys))
    entries = tuple(
        _Entri(kode, "\n" + "\n".join(keys[kode]) + "\n", jalur[kode]) for kode in codes
    )
    return entries, codes


def _under(tingkat: str, induk: str) -> tuple[_Entri, ...]:
    """The level's entries whose code starts with ``induk`` (a slice: codes are sorted)."""
    entries, codes = _indeks(tingkat)
    return entries[bisect_left(codes, induk) : bisect_right(codes, induk + "~")]


def _tingkat_list(tingkat: str | Iterable[str] | None) -> tuple[str, ...]:
    if tingkat is None:
        return TINGKAT
    chosen = {tingkat} if isinstance(tingkat, str) else set(tingkat)
    unknown = chosen - set(TINGKAT)
    if unknown:
        raise ValueError(f"unknown tingkat: {sorted(unknown)}")
    return tuple(t for t in TINGKAT if t in chosen)


def cari(
    teks: str,
    *,
    tingkat: str | Iterable[str] | None = None,
    induk: str = "",
    batas: int = 20,
) -> list[Wilayah]:
    """Regions whose name matches ``teks``, or whose code starts with ``teks`` when it is digits
    ("32.73" or "3273"); an empty ``teks`` lists the regions under ``induk`` (by default its
    children). ``tingkat`` limits the levels, ``induk`` to the regions under that code.

    Names match ignoring case, spaces, punctuation and accents, and the kind of region
    ("bandung" finds Kabupaten and Kota Bandung). Order: the name itself, then names starting
    with the text, names containing it, and regions where every word is found in the name or in
    an ancestor's ("sukasari bandung"); within each, the higher level first, then the code."""
    typed = kode_bersih(teks)
    if not typed and tingkat is None:  # nothing typed: the children of induk
        below = [t for t in TINGKAT if PANJANG_KODE[t] > len(induk)]
        tingkat = below[:1]
    levels = [t for t in _tingkat_list(tingkat) if PANJANG_KODE[t] > len(induk)]
    if not typed or typed.isdigit():
        passes = _code_passes(typed, induk)
    else:
        passes = _name_passes([key for key in map(_kunci, teks.split()) if key])
    found: dict[str, None] = {}  # ordered, without repeats: a later pass finds earlier hits
    for matching in passes:
        for level in levels:
            for kode in matching(_under(level, induk)):
                found.setdefault(kode)
                if len(found) == batas:
                    return [ambil(kode) for kode in found]
    return [ambil(kode) for kode in found]


def _code_passes(typed: str, induk: str) -> list:
    """The exact code first, then the codes starting with it (within ``induk``)."""
    if typed.startswith(induk):
        prefix = typed
    elif induk.startswith(typed):
        prefix = induk
    else:
        return []  # a code outside induk
    return [
        lambda entries: [e.kode for e in entries if e.kode == prefix],
        lambda entries: [e.kode for e in entries if e.kode.startswith(prefix)],
    ]


def _name_passes(words: list[str]) -> list:
    """One list comprehension per rank (C-speed ``in`` tests), so a short text that matches
    thousands of villages stops as soon as the best ``batas`` are found."""
    if not words:
        return []
    kunci = "".join(words)
    exact, starting = f"\n{kunci}\n", f"\n{kunci}"
    passes = [
        lambda entries: [e.kode for e in entries if exact in e.kunci],
        lambda entries: [e.kode for e in entries if starting in e.kunci],
        lambda entries: [e.kode for e in entries if kunci in e.kunci],
    ]
    if len(words) > 1:
        passes.append(lambda entries: [e.kode for e in _with_every_word(entries, words)])
    return passes


def _with_every_word(entries: tuple[_Entri, ...], words: list[str]) -> list[_Entri]:
    """Entries whose name or ancestors contain every word: one narrowing pass per word, the
    longest (rarest) first."""
    found = list(entries)
    for word in sorted(set(words), key=len, reverse=True):
        found = [e for e in found if word in e.jalur]
    return found


# --- time zones (UU 2/1988 Keppres 41/1987: WIB, WITA, WIT) --------------------------------
ZONA_WITA = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
ZONA_WIT = frozenset({"81", "82", "91", "92", "93", "94", "95", "96", "97"})


def zona_waktu(kode: str) -> str:
    """The IANA time zone of a region code's province: Bali, Nusa Tenggara, South, East and
    North Kalimantan and Sulawesi keep WITA (Asia/Makassar); Maluku and Papua WIT
    (Asia/Jayapura); the rest, and an unknown code, WIB (Asia/Jakarta)."""
    provinsi = kode[:2]
    if provinsi in ZONA_WIT:
        return "Asia/Jayapura"
    if provinsi in ZONA_WITA:
        return "Asia/Makassar"
    return "Asia/Jakarta"
