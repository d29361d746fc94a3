"""The Kemendagri region table (egov.wilayah): the full snapshot, lookups, search, the pre-2022
province codes, the NIK's region warnings, and the import (deterministic; refuses a bad source).
No database."""

import gzip
import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

from egov import wilayah
from egov.identity import WARN_KECAMATAN, RegionWarning, parse_nik
from egov.wilayah import KABUPATEN, KECAMATAN, KELURAHAN, PROVINSI, Wilayah

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "node_modules" / "idn-area-data"
TODAY = date(2026, 11, 25)


def _import_script():
    spec = importlib.util.spec_from_file_location(
        "import_wilayah", ROOT / "scripts/import_wilayah.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _codes(regions: list[Wilayah]) -> list[str]:
    return [region.kode for region in regions]


# --- the snapshot ---------------------------------------------------------------------------


def test_the_snapshot_is_the_full_table_of_idn_area_data_4_0_1():
    # the row counts of provinces.csv, regencies.csv, districts.csv and villages.csv
    counts = {level: len(wilayah._snapshot()[1][level]) for level in wilayah.TINGKAT}

    assert counts == {PROVINSI: 38, KABUPATEN: 514, KECAMATAN: 7285, KELURAHAN: 83762}
    assert wilayah.snapshot_file() == ROOT / "egov/data/wilayah-4.0.1.json.gz"


def test_the_snapshot_carries_its_source_and_the_odbl_attribution():
    sumber = wilayah.sumber()

    assert (sumber.paket, sumber.versi, sumber.lisensi) == ("idn-area-data", "4.0.1", "ODbL-1.0")
    assert sumber.dasar_hukum == "Keputusan Menteri Dalam Negeri Nomor 300.2.2-2138 Tahun 2025"
    assert "Open Database License 1.0" in sumber.atribusi
    licence = (ROOT / "egov/data/wilayah-LICENSE.md").read_text(encoding="utf-8")
    assert licence.startswith("# Open Database License (ODbL)")


# --- lookups and hierarchy ------------------------------------------------------------------


def test_a_code_is_looked_up_at_every_level():
    assert wilayah.ambil("32") == Wilayah("32", "Jawa Barat", PROVINSI)
    assert wilayah.ambil("3273") == Wilayah("3273", "Kota Bandung", KABUPATEN)
    assert wilayah.ambil("327301") == Wilayah("327301", "Sukasari", KECAMATAN)
    assert wilayah.ambil("3273011001") == Wilayah("3273011001", "Sukarasa", KELURAHAN)
    assert wilayah.nama("3204") == "Kabupaten Bandung"
    assert wilayah.nama_lengkap("3273011001") == "Sukarasa, Sukasari, Kota Bandung, Jawa Barat"


@pytest.mark.parametrize("kode", ["99", "3299", "320401", "3273019999", "32.73", "", "327"])
def test_an_unknown_code_is_none(kode):
    assert wilayah.ambil(kode) is None
    assert wilayah.nama(kode) is None
    assert wilayah.nama_lengkap(kode) == ""


def test_parents_and_children_follow_the_code():
    assert [wilayah.ambil(k).induk for k in ("32", "3273", "327301", "3273011001")] == [
        "",
        "32",
        "3273",
        "327301",
    ]
    assert len(wilayah.anak()) == 38
    districts = wilayah.anak("3273")
    assert (len(districts), districts[0], districts[-1].kode) == (
        30,
        Wilayah("327301", "Sukasari", KECAMATAN),
        "327330",
    )
    assert _codes(wilayah.anak("327301")) == [
        "3273011001",
        "3273011002",
        "3273011003",
        "3273011004",
    ]
    assert wilayah.anak("3273011001") == []
    assert wilayah.anak("99") == []


# --- search ---------------------------------------------------------------------------------


def test_bandung_finds_the_regency_and_the_city_first():
    assert _codes(wilayah.cari("bandung", tingkat=KABUPATEN)) == ["3204", "3273", "3217"]
    assert _codes(wilayah.cari("bandung"))[:2] == ["3204", "3273"]


@pytest.mark.parametrize("teks", ["kota bandung", "KOTA  BANDUNG", " Kota Bandung ", "kotabandung"])
def test_search_ignores_case_and_spaces(teks):
    assert _codes(wilayah.cari(teks, tingkat=KABUPATEN)) == ["3273"]


def test_the_name_itself_ranks_before_names_that_start_with_or_contain_it():
    found = _codes(wilayah.cari("bandung", tingkat=KECAMATAN, batas=8))

    # named Bandung, then Bandung Wetan/Kulon/Kidul, then containing it (code order)
    assert found == [
        "350417",
        "360434",
        "327309",
        "327315",
        "327321",
        "332220",
        "320219",
        "327319",
    ]


def test_every_word_may_match_the_name_or_an_ancestor():
    found = wilayah.cari("sukasari bandung", tingkat=KECAMATAN)

    assert found == [Wilayah("327301", "Sukasari", KECAMATAN)]


def test_a_province_is_found_by_its_usual_abbreviation_and_accents_are_ignored():
    assert _codes(wilayah.cari("dki jakarta", tingkat=PROVINSI)) == ["31"]
    assert _codes(wilayah.cari("jakarta selatan", tingkat=KABUPATEN)) == ["3174"]
    assert _codes(wilayah.cari("regapu'u")) == ["5307012021"]  # typographic apostrophe


def test_digits_search_by_code_prefix_dotted_or_not():
    assert _codes(wilayah.cari("32.73", batas=3)) == ["3273", "327301", "327302"]
    assert _codes(wilayah.cari("327301", tingkat=KELURAHAN)) == [
        "3273011001",
        "3273011002",
        "3273011003",
        "3273011004",
    ]


def test_induk_limits_the_search_to_one_region():
    assert _codes(wilayah.cari("bandung", tingkat=[KECAMATAN, KELURAHAN], induk="3273")) == [
        "327309",
        "327315",
        "327321",
        "327319",
    ]
    assert _codes(wilayah.cari("", tingkat=KECAMATAN, induk="3273", batas=2)) == [
        "327301",
        "327302",
    ]
    assert wilayah.cari("3204", induk="3273") == []  # a code outside the parent


def test_nothing_typed_lists_the_children():
    assert wilayah.cari("", batas=100) == wilayah.anak()  # the 38 provinces
    assert wilayah.cari("", induk="327301") == wilayah.anak("327301")
    assert wilayah.cari(" ", induk="3273011001") == []  # a village has no children


@pytest.mark.parametrize("typed", ["32.73.01", " 327301 ", "3273 01", "32.73.01."])
def test_a_typed_code_is_cleaned_to_its_digits(typed):
    assert wilayah.kode_bersih(typed) == "327301"


def test_batas_bounds_the_answer_and_nothing_matches_nonsense():
    assert len(wilayah.cari("a", batas=5)) == 5
    assert wilayah.cari("qqqxqqq") == []
    assert wilayah.cari("!!!") == []


def test_an_unknown_level_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown tingkat"):
        wilayah.cari("bandung", tingkat="desa")


# --- pre-2022 codes and the NIK's region warnings -------------------------------------------


def test_papua_codes_before_2022_are_kept_beside_the_current_table():
    assert wilayah.provinsi_sebelum_2022("91") == "Papua Barat"
    assert wilayah.provinsi_sebelum_2022("94") == "Papua"
    assert wilayah.provinsi_sebelum_2022("32") is None
    assert (wilayah.nama("91"), wilayah.nama("94")) == ("Papua", "Papua Tengah")


def test_a_nik_with_an_unknown_district_gets_a_warning_not_an_error():
    nik = parse_nik("3204011203900002", today=TODAY)  # Kabupaten Bandung has no district 01

    assert nik.value == "3204011203900002"
    assert nik.warnings == (RegionWarning(WARN_KECAMATAN, "320401"),)
    assert parse_nik("3273015708850001", today=TODAY).warnings == ()  # Sukasari, Kota Bandung


def test_below_a_reassigned_province_nothing_is_checked():
    # 9471 is no regency of today's Papua Tengah, but may be one of the pre-2022 table
    nik = parse_nik("9471010101900001", today=TODAY)

    assert (nik.province, nik.regency, nik.warnings) == (
        "Papua Tengah (sebelum 2022: Papua)",
        "",
        (),
    )


# --- the import -----------------------------------------------------------------------------


@pytest.mark.skipif(not SOURCE.is_dir(), reason="npm ci has not installed idn-area-data")
def test_the_import_reproduces_the_committed_snapshot_byte_for_byte(tmp_path):
    target = _import_script().write(SOURCE, tmp_path)

    assert target.name == "wilayah-4.0.1.json.gz"
    assert target.read_bytes() == wilayah.snapshot_file().read_bytes()
    licence = (ROOT / "egov/data/wilayah-LICENSE.md").read_bytes()
    assert (tmp_path / "wilayah-LICENSE.md").read_bytes() == licence


def _fake_source(tmp_path: Path, villages: str, version: str = "4.0.1") -> Path:
    source = tmp_path / "idn-area-data"
    (source / "data").mkdir(parents=True)
    (source / "package.json").write_text(json.dumps({"version": version}))
    (source / "data/LICENSE.md").write_text("ODbL")
    files = {
        "provinces.csv": "code,name\n32,Jawa Barat\n",
        "regencies.csv": "code,province_code,name\n32.73,32,Kota Bandung\n",
        "districts.csv": "code,regency_code,name\n32.73.01,32.73,Sukasari\n",
        "villages.csv": "code,district_code,name\n" + villages,
    }
    for name, text in files.items():
        (source / "data" / name).write_text(text, encoding="utf-8")
    return source


def test_the_import_writes_codes_without_dots_and_replaces_an_older_snapshot(tmp_path):
    script = _import_script()
    source = _fake_source(tmp_path, '32.73.01.1001,32.73.01,"Sukarasa  "\n')
    out = tmp_path / "out"
    out.mkdir()
    (out / "wilayah-4.0.0.json.gz").write_bytes(b"old")

    target = script.write(source, out)

    snapshot = json.loads(gzip.decompress(target.read_bytes()))
    assert {level: snapshot[level] for level in wilayah.TINGKAT} == {
        PROVINSI: {"32": "Jawa Barat"},
        KABUPATEN: {"3273": "Kota Bandung"},
        KECAMATAN: {"327301": "Sukasari"},
        KELURAHAN: {"3273011001": "Sukarasa"},
    }
    assert sorted(p.name for p in out.iterdir()) == ["wilayah-4.0.1.json.gz", "wilayah-LICENSE.md"]


@pytest.mark.parametrize(
    ("villages", "version", "error"),
    [
        ("32.73.01.1001,32.73.02,Sukarasa\n", "4.0.1", "is not under"),
        ("32.73.02.1001,32.73.02,Sukarasa\n", "4.0.1", "without a known kecamatan"),
        ("32.73.01.1001,32.73.01,Sukarasa\n" * 2, "4.0.1", "duplicate"),
        ("32.73.01.101,32.73.01,Sukarasa\n", "4.0.1", "unexpected row"),
        ("32.73.01.1001,32.73.01,Sukarasa\n", "9.9.9", "add its regulation"),
    ],
)
def test_a_source_that_does_not_look_right_writes_nothing(tmp_path, villages, version, error):
    script = _import_script()
    source = _fake_source(tmp_path, villages, version)
    out = tmp_path / "out"

    with pytest.raises(script.SourceError, match=error):
        script.write(source, out)

    assert not out.exists()
