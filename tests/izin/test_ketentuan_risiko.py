"""The risk rule an application gets (``izin.commands._ketentuan``): the row in force on the
day, a row for the application's scale before one for every scale, a later start date
before an earlier one; an unknown activity is refused."""

from datetime import date

import pytest

from apps.izin.commands import _ketentuan
from apps.izin.models import RisikoKBLI
from egov.eventstore.domain import InvalidInput

pytestmark = pytest.mark.django_db(databases="__all__")

KODE = "99991"


@pytest.fixture
def tabel():
    rows = [  # (scale, level, from, until)
        ("", "R", date(2021, 1, 1), None),
        ("MIKRO", "MR", date(2021, 1, 1), date(2024, 12, 31)),
        ("MIKRO", "MT", date(2025, 1, 1), None),
        ("BESAR", "T", date(2027, 1, 1), None),  # not in force yet
    ]
    for skala, tingkat, mulai, sampai in rows:
        RisikoKBLI.objects.using("izin").create(
            kode=KODE, versi="2020", judul="Uji", sektor="Uji", skala=skala, tingkat=tingkat,
            otoritas="Uji", berlaku_mulai=mulai, berlaku_sampai=sampai,
        )  # fmt: skip


@pytest.mark.usefixtures("tabel")
@pytest.mark.parametrize(
    ("skala", "pada", "tingkat"),
    [
        ("MIKRO", date(2026, 11, 30), "MT"),  # the scale's row in force today
        ("MIKRO", date(2024, 6, 1), "MR"),  # the scale's row in force then
        ("MIKRO", date(2024, 12, 31), "MR"),  # its last day
        ("KECIL", date(2026, 11, 30), "R"),  # no row for the scale: the general one
        ("BESAR", date(2026, 11, 30), "R"),  # the scale's row starts later
        ("BESAR", date(2027, 1, 1), "T"),
    ],
)
def test_the_rule_in_force_for_the_scale_wins(skala, pada, tingkat):
    ketentuan = _ketentuan(KODE, "2020", skala, pada)

    assert (ketentuan.kbli_kode, ketentuan.kbli_versi, ketentuan.tingkat) == (
        KODE,
        "2020",
        tingkat,
    )


@pytest.mark.usefixtures("tabel")
@pytest.mark.parametrize(
    ("kode", "versi", "pada"),
    [
        ("99992", "2020", date(2026, 1, 1)),  # unknown activity
        (KODE, "2025", date(2026, 1, 1)),  # another KBLI version
        (KODE, "2020", date(2020, 1, 1)),  # before any row was in force
    ],
)
def test_an_activity_without_a_rule_in_force_is_refused(kode, versi, pada):
    with pytest.raises(InvalidInput) as refused:
        _ketentuan(kode, versi, "MIKRO", pada)

    assert refused.value.code == "kbli_tidak_dikenal"
