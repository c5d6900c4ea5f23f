"""The limits of core.format.limits: each is a finding with line and column, never a crash; what is
inside them still parses exactly as before."""

from __future__ import annotations

import copy
import json

import pytest

from core.format import jsonio, limits
from core.format.keypath import PathLimitError, parse_path, set_value
from core.format.metadata_file import read_disk_state
from core.schema.entries import SchemaEntry, compile_schema


def code_of(text: str) -> str | None:
    try:
        jsonio.loads(text)
    except jsonio.JsonSyntaxError as e:
        return e.code
    return None


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(("text", "code"), [
    (nested(limits.MAX_DEPTH + 1), "too-deep"),
    (nested(100_000), "too-deep"),
    ('{"a": ' * 3000 + "1" + "}" * 3000, "too-deep"),
    ("1" * (limits.MAX_NUMBER_CHARS + 1), "number-too-long"),
    ("[" + "9" * 5000 + "]", "number-too-long"),
    ("1e400", "non-finite-number"),
    ("-1e400", "non-finite-number"),
    ("[NaN]", "non-finite-number"),
    ('{"a": -Infinity}', "non-finite-number"),
    ("1e-400", "number-underflow"),
    ("-2.5e-999", "number-underflow"),
    ('"\\ud800"', "invalid-unicode"),
    ('["ok", "\\udc00x"]', "invalid-unicode"),
    ('"' + "x" * (limits.MAX_STRING_CHARS + 1) + '"', "string-too-long"),
    ('{"' + "k" * (limits.MAX_STRING_CHARS + 1) + '": 1}', "string-too-long"),
    ('{"a": 1,}', "invalid-json"),
])
def test_each_limit_has_its_code(text, code):
    assert code_of(text) == code


@pytest.mark.parametrize("text", [
    nested(limits.MAX_DEPTH),
    "[" + ",".join(["[]"] * 500) + "]",  # many brackets, shallow
    "9" * limits.MAX_NUMBER_CHARS,
    "1e308", "-1.7976931348623157e308", "5e-324", "0e-999", "0.0000e-500", "1E+099",
    '"\\ud83d\\ude00"',  # a valid surrogate pair: one emoji
    '"NaN Infinity 1e400 \\\\ud800"',  # only text
    '"' + "x" * limits.MAX_STRING_CHARS + '"',
])
def test_values_inside_the_limits_parse_as_json_does(text):
    assert code_of(text) is None
    assert jsonio.loads(text) == json.loads(text)


def test_the_position_is_the_offending_token():
    with pytest.raises(jsonio.JsonSyntaxError) as info:
        jsonio.loads('{\n  "a": [1,\n    1e999]}')
    assert (info.value.line, info.value.column, info.value.code) == (3, 5, "non-finite-number")


def test_a_file_past_the_size_limit_is_not_read(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "w") as f:  # one 3M-element array, past 4 MiB
        f.write("[" + "0," * 3_000_000 + "0]")
    state = read_disk_state(big)
    assert state.error.code == "file-too-large" and state.data is None and state.text is None
    assert state.exists
    with pytest.raises(jsonio.JsonSyntaxError):
        jsonio.read_text(big)


def test_undecodable_bytes_have_line_and_column(tmp_path):
    p = tmp_path / "x.json"
    p.write_bytes(b'{\n  "a": "gr\xfcn"}')
    state = read_disk_state(p)
    assert (state.error.code, state.error.line, state.error.column) == ("invalid-unicode", 2, 11)


def test_schema_path_indexes_are_bounded():
    assert parse_path(f"a[{limits.MAX_PATH_INDEX}]") == ("a", limits.MAX_PATH_INDEX)
    for path in (f"a[{limits.MAX_PATH_INDEX + 1}]", "arr[999999999]", "a[" + "9" * 5000 + "]",
                 ".".join(["k"] * (limits.MAX_PATH_TOKENS + 1))):
        with pytest.raises(PathLimitError):
            parse_path(path)
    with pytest.raises(PathLimitError):
        set_value({}, ("arr", 999_999_999), 1)  # never builds the list
    entries = (SchemaEntry("x", "arr[999999999]", 0, "NUMERIC_INT"),
               SchemaEntry("y", "a[2]", 0, "NUMERIC_INT"))
    assert [s.path for s in compile_schema(entries)] == ["a[2]"]


def test_the_deepest_allowed_document_survives_every_recursive_walk():
    from core.format.keypath import leaf_paths

    data = jsonio.loads('{"metadata": ' + '{"k": ' * (limits.MAX_DEPTH - 1) + "1" + "}" * limits.MAX_DEPTH)
    assert copy.deepcopy(data) == data
    assert len(list(leaf_paths(data))) == 1
    assert jsonio.loads(jsonio.dumps(data)) == data


@pytest.mark.parametrize(("vt", "text", "why"), [
    ("NUMERIC_FLOAT", "1e-400", "stored as 0"),
    ("NUMERIC_FLOAT", "1e400", "finite"),
    ("NUMERIC_FLOAT", "9" * 5000, "limit"),
    ("NUMERIC_INT", "9" * 5000, "limit"),
    ("NUMERIC_INT", "9" * 30, "64-bit"),
    ("CATEGORICAL_STRING", "x" * (limits.MAX_STRING_CHARS + 1), "limit"),
])
def test_typed_text_beyond_the_limits_is_refused_with_a_reason(vt, text, why):
    from core.format.value_types import ValueType, parse_text, type_error

    try:
        value = parse_text(ValueType(vt), text)
    except ValueError as e:
        assert why in str(e)
        return
    assert why in (type_error(ValueType(vt), value) or "")
