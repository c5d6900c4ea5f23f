"""schema.json as data: a load/save round trip is lossless and every edit returns a new tuple."""

from __future__ import annotations

import pytest

from core.format import jsonio
from core.format.naming import schema_path
from core.format.value_types import ValueType
from core.schema.entries import (
    FieldSpec,
    SchemaEntry,
    add_entry,
    compile_schema,
    move_entry,
    read_schema,
    remove_entry,
    replace_entry,
    schema_text,
    unique_name,
    write_schema,
)

RAW = [
    {
        "name": "Weather description",
        "path": "weather.description",
        "defaultValue": "nothing",
        "valueDataType": "CATEGORICAL_STRING",
    },
    # Keys in an unusual order plus keys Lightly does not define: both must survive a save.
    {
        "valueDataType": "NUMERIC_FLOAT",
        "x-unit": "°C",
        "name": "Temperature",
        "defaultValue": 0.0,
        "path": "weather.temperature",
        "comment": {"why": "kept"},
    },
    {"name": "Camera id", "path": "cams[0].id", "defaultValue": None, "valueDataType": "CATEGORICAL_INT"},
]


def _write_raw(root, raw) -> None:
    p = schema_path(root)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(jsonio.dumps(raw), encoding="utf-8")


def test_missing_schema_is_empty_not_an_error(tmp_path):
    sf = read_schema(tmp_path)
    assert sf.entries == () and not sf.exists and sf.error is None


def test_read_schema(tmp_path):
    _write_raw(tmp_path, RAW)
    sf = read_schema(tmp_path)
    assert sf.exists and sf.error is None and sf.raw == RAW
    assert [e.name for e in sf.entries] == ["Weather description", "Temperature", "Camera id"]
    temp = sf.entries[1]
    assert temp.type is ValueType.NUMERIC_FLOAT and temp.default == 0.0
    assert temp.extra == (("x-unit", "°C"), ("comment", {"why": "kept"}))


def test_round_trip_keeps_extra_keys_and_canonical_order(tmp_path):
    _write_raw(tmp_path, RAW)
    entries = read_schema(tmp_path).entries
    write_schema(tmp_path, entries)
    written = jsonio.read_json(schema_path(tmp_path))
    assert written == RAW  # same content...
    # ...the four known keys in canonical order, then the unknown ones in file order.
    assert list(written[1]) == ["name", "path", "defaultValue", "valueDataType", "x-unit", "comment"]
    assert read_schema(tmp_path).entries == entries
    # Writing again changes no byte.
    before = schema_path(tmp_path).read_bytes()
    write_schema(tmp_path, read_schema(tmp_path).entries)
    assert schema_path(tmp_path).read_bytes() == before
    assert before.decode() == schema_text(entries)


def test_an_entry_without_default_stays_without_one(tmp_path):
    raw = [{"name": "a", "path": "a", "valueDataType": "NUMERIC_INT"}]
    _write_raw(tmp_path, raw)
    (entry,) = read_schema(tmp_path).entries
    assert not entry.has_default
    assert entry.to_json() == raw[0]
    assert entry.with_(default=3).to_json()["defaultValue"] == 3


def test_broken_and_odd_schema_files(tmp_path):
    p = schema_path(tmp_path)
    p.parent.mkdir(parents=True)
    p.write_text('[\n  {"name": "a",}\n]\n', encoding="utf-8")
    sf = read_schema(tmp_path)
    assert sf.exists and sf.entries == () and sf.error.line == 2
    p.write_text('{"name": "not an array"}', encoding="utf-8")
    sf = read_schema(tmp_path)
    assert sf.exists and sf.error is None and sf.entries == () and sf.raw == {"name": "not an array"}
    p.write_text('[1, {"name": "kept"}]', encoding="utf-8")
    assert [e.name for e in read_schema(tmp_path).entries] == ["kept"]


A = SchemaEntry("a", "a", 0, "NUMERIC_INT")
B = SchemaEntry("b", "b", "", "CATEGORICAL_STRING")
C = SchemaEntry("c", "c", False, "CATEGORICAL_BOOLEAN")


def test_edit_operations_return_new_tuples():
    entries = (A, B)
    assert add_entry(entries, C) == (A, B, C)
    assert add_entry(entries, C, 0) == (C, A, B)
    assert remove_entry((A, B, C), 1) == (A, C)
    assert move_entry((A, B, C), 0, 2) == (B, C, A)
    assert move_entry((A, B, C), 2, 0) == (C, A, B)
    assert replace_entry((A, B), 1, C) == (A, C)
    assert entries == (A, B)  # the original is untouched: undo puts it back


def test_with_changes_one_field_and_keeps_extras():
    e = SchemaEntry("t", "t", 1, "NUMERIC_INT", extra=(("x", 1),))
    e2 = e.with_(name="T", value_type="NUMERIC_FLOAT")
    assert (e2.name, e2.value_type, e2.extra, e2.default) == ("T", "NUMERIC_FLOAT", (("x", 1),), 1)
    with pytest.raises(AttributeError):
        e.name = "frozen"  # type: ignore[misc]


def test_unique_name():
    assert unique_name((A, B), "c") == "c"
    assert unique_name((A, B), "a") == "a 2"
    assert unique_name((A, A.with_(name="a 2")), "a") == "a 3"


def test_compile_schema_keeps_only_usable_entries():
    entries = (
        SchemaEntry("Temperature", "weather.temperature", 0.0, "NUMERIC_FLOAT"),
        SchemaEntry("Cam", "cams[0].id", None, "CATEGORICAL_INT"),
        SchemaEntry("", "unnamed", "", "OTHER_STRING"),
        SchemaEntry("bad type", "x", 0, "NUMERICAL_INT"),
        SchemaEntry("bad path", "a..b", 0, "NUMERIC_INT"),
        SchemaEntry("not a string", 5, 0, "NUMERIC_INT"),
        SchemaEntry(7, "seven", 0, "NUMERIC_INT"),
    )
    specs = compile_schema(entries)
    assert [s.path for s in specs] == ["weather.temperature", "cams[0].id", "unnamed", "seven"]
    t = specs[0]
    assert t == FieldSpec(
        "Temperature", "weather.temperature", ("weather", "temperature"), ValueType.NUMERIC_FLOAT, 0.0
    )
    assert t.group == ("weather",) and t.label == "Temperature"
    assert specs[1].group == ("cams",) and specs[1].tokens == ("cams", 0, "id")
    assert specs[2].label == "unnamed"  # no name: the path is shown
    assert specs[3].name == "7"
