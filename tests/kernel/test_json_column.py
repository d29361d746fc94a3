"""Event rows' JSON columns: the C scanner's answer where it reads the whole value, Django's
converter's everywhere else (``egov.eventstore.store._json_column``)."""

import pytest

from egov.eventstore.store import _json_column


def _django(value):
    return ("django", value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"nik": {"_enc": "aesgcm-v1", "n": "AA", "c": "BB"}, "jumlah": 2}',
         {"nik": {"_enc": "aesgcm-v1", "n": "AA", "c": "BB"}, "jumlah": 2}),
        ('{"teks": "Siti \\u00e9 \\"kutip\\""}', {"teks": 'Siti \u00e9 "kutip"'}),
        ("[1, 2.5, null, true]", [1, 2.5, None, True]),
        ("{}", {}),
    ],
)  # fmt: skip
def test_json_is_decoded_by_the_scanner(text, expected):
    assert _json_column(_django)(text) == expected


@pytest.mark.parametrize("text", [' {"a": 1}', '{"a": 1} ', '{"a": 1} x', "bukan json", ""])
def test_anything_the_scanner_does_not_read_whole_goes_to_django(text):
    assert _json_column(_django)(text) == ("django", text)


def test_null_stays_none():
    assert _json_column(_django)(None) is None
