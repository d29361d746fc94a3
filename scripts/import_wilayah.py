#!/usr/bin/env python3
"""Import the Kemendagri region table from the npm package idn-area-data (``npm ci``) into the
versioned snapshot egov reads: ``egov/data/wilayah-<version>.json.gz``.

Codes are written without dots, as Kemendagri writes them inside a NIK: province ``32``,
regency ``3273``, district ``327301``, village ``3273011001``. The output is deterministic
(sorted keys, no timestamp, gzip mtime 0): re-running on the same package gives the same bytes,
so a diff of the committed file shows only real changes of the table.

The data is under the Open Database License 1.0: the snapshot carries the attribution, and
the licence text is copied beside it (``wilayah-LICENSE.md``). Plain Python, no Django.

    python scripts/import_wilayah.py [--source node_modules/idn-area-data] [--out egov/data]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "node_modules" / "idn-area-data"
DEFAULT_OUT = ROOT / "egov" / "data"
LICENSE_COPY = "wilayah-LICENSE.md"

# (level, CSV file, parent column, code length without dots)
LEVELS = (
    ("provinsi", "provinces.csv", None, 2),
    ("kabupaten", "regencies.csv", "province_code", 4),
    ("kecamatan", "districts.csv", "regency_code", 6),
    ("kelurahan", "villages.csv", "district_code", 10),
)

# The regulation each release follows, from idn-area-data's docs/references.md (that file is not
# in the npm package). An upgrade is a deliberate act: check the new release's reference and add
# it here, or the import stops.
REGULATION = {
    "4.0.1": "Keputusan Menteri Dalam Negeri Nomor 300.2.2-2138 Tahun 2025",
}
HOMEPAGE = "https://github.com/fityannugroho/idn-area-data"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"


class SourceError(Exception):
    """The source does not look like the table we expect: nothing is written."""


def _read_level(path: Path, parent_column: str | None, length: int) -> dict[str, str]:
    """code -> name of one level; every code must have the expected length, a unique value and
    (below provinces) the parent its dots say."""
    rows: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            dotted, name = row["code"].strip(), " ".join(row["name"].split())
            code = dotted.replace(".", "")
            if len(code) != length or not code.isascii() or not code.isdigit() or not name:
                raise SourceError(f"{path.name}: unexpected row {row}")
            if parent_column and row[parent_column].strip() != dotted.rsplit(".", 1)[0]:
                raise SourceError(f"{path.name}: {dotted} is not under {row[parent_column]}")
            if code in rows:
                raise SourceError(f"{path.name}: duplicate code {dotted}")
            rows[code] = name
    return rows


def _check_parents(table: dict[str, dict[str, str]]) -> None:
    for (upper, _, _, upper_length), (lower, _, _, _) in pairwise(LEVELS):
        orphans = [code for code in table[lower] if code[:upper_length] not in table[upper]]
        if orphans:
            raise SourceError(f"{lower} without a known {upper}: {orphans[:5]}")


def build(source: Path) -> tuple[str, bytes]:
    """(version, gzip bytes of the snapshot) from the package at ``source``."""
    version = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
    if version not in REGULATION:
        raise SourceError(
            f"idn-area-data {version}: add its regulation to REGULATION in {Path(__file__).name} "
            f"(see {HOMEPAGE}/blob/main/docs/references.md)"
        )
    table = {
        level: _read_level(source / "data" / filename, parent, length)
        for level, filename, parent, length in LEVELS
    }
    _check_parents(table)
    snapshot = {
        "sumber": {
            "paket": "idn-area-data",
            "versi": version,
            "dasar_hukum": REGULATION[version],
            "lisensi": "ODbL-1.0",
            "atribusi": (
                f"Data wilayah dari idn-area-data {version} ({HOMEPAGE}), bersumber dari "
                f"{REGULATION[version]}; tersedia di bawah Open Database License 1.0 "
                f"({ODBL_URL}). Teks lisensi: egov/data/{LICENSE_COPY}."
            ),
        },
        **table,
    }
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return version, gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write(source: Path, out: Path) -> Path:
    """Write the snapshot and the licence into ``out``; older snapshots there are removed (the
    loader reads the only one)."""
    version, data = build(source)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"wilayah-{version}.json.gz"
    target.write_bytes(data)
    licence = (source / "data" / "LICENSE.md").read_bytes()
    (out / LICENSE_COPY).write_bytes(licence)
    for old in out.glob("wilayah-*.json.gz"):
        if old != target:
            old.unlink()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.source / "package.json").is_file():
        print(f"{args.source}: not found; run `npm ci` first", file=sys.stderr)
        return 2
    try:
        target = write(args.source, args.out)
    except SourceError as error:
        print(f"import_wilayah: {error}", file=sys.stderr)
        return 1
    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
