"""The one id parser (common/ids.py): what a path, form, query or JSON value may be as a row id."""

import pytest

from common.ids import MAX_ID, as_id, as_ids, as_version, path_id


@pytest.mark.parametrize(("raw", "expected"), [
    (1, 1), ("42", 42), (" 7 ", 7), (MAX_ID, MAX_ID), (str(MAX_ID), MAX_ID),
    (471.0, 471),  # JSON Schema counts 471.0 as an integer, and schemathesis sends it as one
])
def test_a_positive_int4_is_an_id(raw, expected):
    assert as_id(raw) == expected


@pytest.mark.parametrize("raw", [0, -1, "0", "-1", 1.5, float("nan"), float("inf"), MAX_ID + 1, 2**40, 1e10, "1.5",
                                 "²", "１", "0x10", "", None, True, False, [1], {"id": 1}])
def test_anything_else_is_no_id(raw):
    assert as_id(raw) is None


def test_a_path_id_is_exact_or_404():
    assert path_id("12") == 12
    for raw in (" 12", "12 ", "0", "abc", str(MAX_ID + 1)):
        with pytest.raises(Exception) as exc:
            path_id(raw)
        assert exc.value.status_code == 404


def test_ids_keep_their_order_without_repeats_or_junk():
    assert as_ids(["3", 1, "x", 3, 2.0, None, 0]) == [3, 1, 2]


def test_a_version_may_be_zero_but_not_negative_or_a_fraction():
    assert [as_version(v) for v in (0, "0", 5, 5.0, -1, 0.5, True, None)] == [0, 0, 5, 5, None, None, None, None]
