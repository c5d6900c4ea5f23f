"""The `valueDataType`s of schema.json: which JSON values fit each, and text conversion."""

from __future__ import annotations

import math
from datetime import datetime
from enum import Enum
from typing import Any

from core.format.limits import INT64_MAX, INT64_MIN, MAX_NUMBER_CHARS, MAX_STRING_CHARS


class ValueType(str, Enum):
    NUMERIC_INT = "NUMERIC_INT"
    NUMERIC_FLOAT = "NUMERIC_FLOAT"
    CATEGORICAL_INT = "CATEGORICAL_INT"
    CATEGORICAL_STRING = "CATEGORICAL_STRING"
    CATEGORICAL_BOOLEAN = "CATEGORICAL_BOOLEAN"
    CATEGORICAL_DATETIME = "CATEGORICAL_DATETIME"
    CATEGORICAL_TIMESTAMP = "CATEGORICAL_TIMESTAMP"
    OTHER_STRING = "OTHER_STRING"

    @property
    def is_numeric(self) -> bool:
        return self in (ValueType.NUMERIC_INT, ValueType.NUMERIC_FLOAT)

    @property
    def is_categorical(self) -> bool:
        return self.value.startswith("CATEGORICAL_")

    @property
    def is_integer(self) -> bool:
        return self in _INTEGER_TYPES

    @property
    def is_string(self) -> bool:
        return self in _STRING_TYPES

    @property
    def advanced(self) -> bool:
        return self in ADVANCED_TYPES


DOCUMENTED_TYPES = (
    ValueType.NUMERIC_INT,
    ValueType.NUMERIC_FLOAT,
    ValueType.CATEGORICAL_INT,
    ValueType.CATEGORICAL_STRING,
    ValueType.CATEGORICAL_BOOLEAN,
)
ADVANCED_TYPES = (
    ValueType.CATEGORICAL_DATETIME,
    ValueType.CATEGORICAL_TIMESTAMP,
    ValueType.OTHER_STRING,
)
ALL_TYPE_NAMES = tuple(t.value for t in ValueType)
_INTEGER_TYPES = (ValueType.NUMERIC_INT, ValueType.CATEGORICAL_INT, ValueType.CATEGORICAL_TIMESTAMP)
_STRING_TYPES = (ValueType.CATEGORICAL_STRING, ValueType.CATEGORICAL_DATETIME, ValueType.OTHER_STRING)

#: Misspellings seen in the wild, each with its one-step fix.
MISSPELLINGS: dict[str, ValueType] = {
    "NUMERICAL_INT": ValueType.NUMERIC_INT,
    "NUMERICAL_FLOAT": ValueType.NUMERIC_FLOAT,
    "CATEGROICAL_DATETIME": ValueType.CATEGORICAL_DATETIME,
}


def parse_type(name: object) -> ValueType | None:
    try:
        return ValueType(name)
    except ValueError:
        return None


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def parse_datetime(text: str) -> datetime | None:
    """An ISO 8601 date or date-time (a trailing `Z` accepted), else None."""
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return None


def type_error(vt: ValueType, value: Any) -> str | None:
    """Why `value` does not fit `vt` (None when it fits). `null` is not checked here."""
    if vt.is_integer:
        if _is_int(value):
            if INT64_MIN <= value <= INT64_MAX:
                return None
            return f"expected a 64-bit integer, got {_short_number(value)} (outside the range Lightly stores)"
        if isinstance(value, float) and value.is_integer():
            return f"expected an integer, got {value!r} (a float)"
        return f"expected an integer, got {describe(value)}"
    if vt is ValueType.NUMERIC_FLOAT:
        if _is_int(value) or (isinstance(value, float) and math.isfinite(value)):
            return None
        return f"expected a number, got {describe(value)}"
    if vt is ValueType.CATEGORICAL_BOOLEAN:
        return None if isinstance(value, bool) else f"expected true or false, got {describe(value)}"
    if not isinstance(value, str):
        return f"expected a string, got {describe(value)}"
    if vt is ValueType.CATEGORICAL_DATETIME and parse_datetime(value) is None:
        return f"expected an ISO 8601 date-time, got {value!r}"
    return None


def _short_number(value: int) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:10]}…{text[-6:]} ({len(text.lstrip('-'))} digits)"


def fits(vt: ValueType, value: Any) -> bool:
    return type_error(vt, value) is None


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "an array"
    return "an object"


def format_value(value: Any) -> str:
    """How a value is shown in cells and CSV: JSON literals for bool/null, plain text otherwise."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def parse_text(vt: ValueType, text: str) -> Any:
    """Convert user/CSV text to a value of `vt`; raise ValueError with a reason when it can't."""
    s = text.strip()
    if s == "null":
        return None
    if (vt.is_integer or vt is ValueType.NUMERIC_FLOAT) and len(s) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(s)} characters is past the editor's limit of {MAX_NUMBER_CHARS}")
    if len(text) > MAX_STRING_CHARS:
        raise ValueError(f"a text of {len(text)} characters is past the editor's limit of {MAX_STRING_CHARS}")
    if vt.is_integer:
        try:
            return int(s)
        except ValueError:
            raise ValueError(f"{text!r} is not an integer") from None
    if vt is ValueType.NUMERIC_FLOAT:
        try:
            f = float(s)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(f):
            raise ValueError(f"{text!r} is not a finite number")
        if f == 0 and any(c in "123456789" for c in s.lower().partition("e")[0]):
            raise ValueError(f"{text!r} is too small for a 64-bit float: it would be stored as 0")
        return int(s) if s.lstrip("+-").isdigit() else f
    if vt is ValueType.CATEGORICAL_BOOLEAN:
        low = s.lower()
        if low in ("true", "1", "yes"):
            return True
        if low in ("false", "0", "no"):
            return False
        raise ValueError(f"{text!r} is not true or false")
    if vt is ValueType.CATEGORICAL_DATETIME and parse_datetime(s) is None:
        raise ValueError(f"{text!r} is not an ISO 8601 date-time")
    return text


def guess_type(values: list[Any]) -> ValueType:
    """A plausible type for observed values (used by "propose schema from data")."""
    vals = [v for v in values if v is not None]
    if vals and all(isinstance(v, bool) for v in vals):
        return ValueType.CATEGORICAL_BOOLEAN
    if vals and all(_is_int(v) for v in vals):
        distinct = len(set(vals))
        return ValueType.CATEGORICAL_INT if distinct <= 20 and distinct < len(vals) else ValueType.NUMERIC_INT
    if vals and all(_is_int(v) or isinstance(v, float) for v in vals):
        return ValueType.NUMERIC_FLOAT
    if vals and all(isinstance(v, str) and parse_datetime(v) for v in vals):
        return ValueType.CATEGORICAL_DATETIME
    return ValueType.CATEGORICAL_STRING


def example_default(vt: ValueType) -> Any:
    """A sensible default for a new entry of type `vt`."""
    return {
        ValueType.NUMERIC_INT: 0,
        ValueType.NUMERIC_FLOAT: 0.0,
        ValueType.CATEGORICAL_INT: 0,
        ValueType.CATEGORICAL_STRING: "",
        ValueType.CATEGORICAL_BOOLEAN: False,
        ValueType.CATEGORICAL_DATETIME: None,
        ValueType.CATEGORICAL_TIMESTAMP: 0,
        ValueType.OTHER_STRING: "",
    }[vt]


def convert_value(vt: ValueType, value: Any) -> Any:
    """`value` made to fit `vt` when its text allows ('3' -> 3, 3.0 -> 3, 3 -> '3'), else None.

    Used when a schema entry's type changes: its default follows, or becomes null.
    """
    if value is None or isinstance(value, (dict, list)):
        return None
    if fits(vt, value):
        return value
    if vt.is_integer and isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        converted = parse_text(vt, format_value(value))
    except ValueError:
        return None
    return converted if converted is not None and fits(vt, converted) else None


def same_value(a: Any, b: Any) -> bool:
    """Equal and of the same JSON kind (1, 1.0 and true are different values here)."""
    return a is b or (type(a) is type(b) and a == b)
