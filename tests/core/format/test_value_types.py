"""Value types decide what is an error in every view, so each type's accepted values are pinned."""

from __future__ import annotations

import math

import pytest

from core.format.value_types import (
    ADVANCED_TYPES,
    ALL_TYPE_NAMES,
    DOCUMENTED_TYPES,
    MISSPELLINGS,
    ValueType,
    example_default,
    fits,
    format_value,
    guess_type,
    parse_datetime,
    parse_text,
    parse_type,
    type_error,
)

VT = ValueType


def test_the_eight_types_and_their_groups():
    assert ALL_TYPE_NAMES == (
        "NUMERIC_INT",
        "NUMERIC_FLOAT",
        "CATEGORICAL_INT",
        "CATEGORICAL_STRING",
        "CATEGORICAL_BOOLEAN",
        "CATEGORICAL_DATETIME",
        "CATEGORICAL_TIMESTAMP",
        "OTHER_STRING",
    )
    assert set(DOCUMENTED_TYPES) | set(ADVANCED_TYPES) == set(VT)
    assert all(t.advanced for t in ADVANCED_TYPES) and not any(t.advanced for t in DOCUMENTED_TYPES)
    assert VT.NUMERIC_FLOAT.is_numeric and not VT.CATEGORICAL_INT.is_numeric
    assert VT.CATEGORICAL_BOOLEAN.is_categorical and not VT.OTHER_STRING.is_categorical


def test_parse_type_and_misspellings():
    assert parse_type("NUMERIC_INT") is VT.NUMERIC_INT
    assert parse_type("numeric_int") is None
    assert parse_type(None) is None
    assert MISSPELLINGS == {
        "NUMERICAL_INT": VT.NUMERIC_INT,
        "NUMERICAL_FLOAT": VT.NUMERIC_FLOAT,
        "CATEGROICAL_DATETIME": VT.CATEGORICAL_DATETIME,
    }


FITS = {
    VT.NUMERIC_INT: [0, -3, 2**63 - 1, -(2**63)],
    VT.NUMERIC_FLOAT: [0, 1.5, -2, 1e300],
    VT.CATEGORICAL_INT: [7],
    VT.CATEGORICAL_STRING: ["", "sunny", "ü"],
    VT.CATEGORICAL_BOOLEAN: [True, False],
    VT.CATEGORICAL_DATETIME: ["2024-03-01T12:30:00Z", "2024-03-01", "2024-03-01T12:30:00+02:00"],
    VT.CATEGORICAL_TIMESTAMP: [1700000000],
    VT.OTHER_STRING: ["free text"],
}
MISFITS = {
    VT.NUMERIC_INT: [True, 1.0, 1.5, "1", None, [], {}, 2**63, 10**20, -(2**63) - 1],
    VT.NUMERIC_FLOAT: [True, "1.5", math.nan, math.inf, None],
    VT.CATEGORICAL_INT: [False, 2.0, "2"],
    VT.CATEGORICAL_STRING: [1, True, None, ["a"]],
    VT.CATEGORICAL_BOOLEAN: [0, 1, "true", None],
    VT.CATEGORICAL_DATETIME: ["yesterday", "2024", 1700000000, "2024-13-01"],
    VT.CATEGORICAL_TIMESTAMP: [1.5, "1700000000", True],
    VT.OTHER_STRING: [1, False],
}


@pytest.mark.parametrize("vt, value", [(t, v) for t, vs in FITS.items() for v in vs])
def test_values_that_fit(vt, value):
    assert type_error(vt, value) is None
    assert fits(vt, value)


@pytest.mark.parametrize("vt, value", [(t, v) for t, vs in MISFITS.items() for v in vs])
def test_values_that_do_not_fit_are_never_coerced(vt, value):
    reason = type_error(vt, value)
    assert reason and reason.startswith("expected")
    assert not fits(vt, value)


def test_an_integral_float_for_an_int_type_says_it_is_a_float():
    assert "a float" in type_error(VT.NUMERIC_INT, 3.0)


def test_parse_datetime():
    assert parse_datetime("2024-03-01T12:30:00Z").utcoffset().total_seconds() == 0
    assert parse_datetime("short") is None
    assert parse_datetime(123) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "vt, text, value",
    [
        (VT.NUMERIC_INT, " 42 ", 42),
        (VT.NUMERIC_FLOAT, "2.5", 2.5),
        (VT.NUMERIC_FLOAT, "3", 3),
        (VT.CATEGORICAL_BOOLEAN, "Yes", True),
        (VT.CATEGORICAL_BOOLEAN, "0", False),
        (VT.CATEGORICAL_STRING, "null", None),
        (VT.CATEGORICAL_STRING, " kept as typed ", " kept as typed "),
        (VT.CATEGORICAL_DATETIME, "2024-01-01T00:00:00", "2024-01-01T00:00:00"),
        (VT.CATEGORICAL_TIMESTAMP, "1700000000", 1700000000),
    ],
)
def test_parse_text(vt, text, value):
    got = parse_text(vt, text)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    "vt, text",
    [
        (VT.NUMERIC_INT, "4.5"),
        (VT.NUMERIC_FLOAT, "abc"),
        (VT.NUMERIC_FLOAT, "nan"),
        (VT.NUMERIC_FLOAT, "inf"),
        (VT.CATEGORICAL_BOOLEAN, "maybe"),
        (VT.CATEGORICAL_DATETIME, "not a date"),
    ],
)
def test_parse_text_refuses_with_a_reason(vt, text):
    with pytest.raises(ValueError, match=r"\S"):
        parse_text(vt, text)


def test_format_value():
    assert format_value(None) == "null"
    assert format_value(True) == "true"
    assert format_value(False) == "false"
    assert format_value(1.5) == "1.5"
    assert format_value("ü") == "ü"
    assert format_value({"a": ["ü"]}) == '{"a": ["ü"]}'


@pytest.mark.parametrize(
    "values, vt",
    [
        ([True, False, None], VT.CATEGORICAL_BOOLEAN),
        ([1, 2, 1, 2], VT.CATEGORICAL_INT),
        ([1, 2, 3, 4], VT.NUMERIC_INT),
        ([1, 2.5], VT.NUMERIC_FLOAT),
        (["2024-01-01", "2024-02-01T10:00:00"], VT.CATEGORICAL_DATETIME),
        (["a", 1], VT.CATEGORICAL_STRING),
        ([], VT.CATEGORICAL_STRING),
    ],
)
def test_guess_type(values, vt):
    assert guess_type(values) is vt


@pytest.mark.parametrize("vt", list(VT))
def test_example_default_fits_its_type(vt):
    d = example_default(vt)
    assert d is None or fits(vt, d)
