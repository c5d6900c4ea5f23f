"""Each schema rule of FORMAT.md yields its finding code at the exact entry and key."""

from __future__ import annotations

import pytest

from core.format import jsonio
from core.format.findings import ERROR, Finding
from core.format.naming import schema_path
from core.format.value_types import ALL_TYPE_NAMES
from core.schema.entries import SchemaEntry, read_schema
from core.schema.lint import entry_location, lint, lint_entries, lint_schema_file, lint_structure


def E(name, path, default, vtype):  # noqa: N802 - reads like a schema row
    return SchemaEntry(name, path, default, vtype)


CLEAN = (
    E("Weather description", "weather.description", "nothing", "CATEGORICAL_STRING"),
    E("Temperature", "weather.temperature", 0.0, "NUMERIC_FLOAT"),
    E("Vehicles", "vehicles.count", 0, "NUMERIC_INT"),
    E("Camera", "cams[0].id", 1, "CATEGORICAL_INT"),
    E("Daytime", "daytime", False, "CATEGORICAL_BOOLEAN"),
    E("Captured", "captured", "2024-01-01T00:00:00Z", "CATEGORICAL_DATETIME"),
    E("Epoch", "epoch", None, "CATEGORICAL_TIMESTAMP"),
    E("Notes", "notes", "", "OTHER_STRING"),
)


def _codes(findings):
    return [(f.code, f.path) for f in findings]


def test_a_clean_schema_has_no_findings():
    assert lint(CLEAN) == []


@pytest.mark.parametrize(
    "wrong, fix",
    [
        ("NUMERICAL_INT", "NUMERIC_INT"),
        ("NUMERICAL_FLOAT", "NUMERIC_FLOAT"),
        ("CATEGROICAL_DATETIME", "CATEGORICAL_DATETIME"),
    ],
)
def test_each_known_misspelling_comes_with_its_fix(wrong, fix):
    (f,) = lint_entries([E("x", "x", None, wrong)])
    assert (f.code, f.path, f.fix, f.severity) == ("unknown-type", "[0].valueDataType", fix, ERROR)
    assert fix in f.message
    # Applying the fix clears the finding.
    assert lint_entries([E("x", "x", None, f.fix)]) == []


def test_an_unknown_type_without_a_known_fix_lists_the_types():
    (f,) = lint_entries([E("x", "x", None, "FLOAT")])
    assert f.code == "unknown-type" and f.fix is None and "NUMERIC_FLOAT" in f.message


def test_duplicate_names_and_paths_point_at_the_second_entry():
    found = lint_entries(
        [E("a", "p", 0, "NUMERIC_INT"), E("a", "q", 0, "NUMERIC_INT"), E("b", "p", 0, "NUMERIC_INT")]
    )
    assert _codes(found) == [("duplicate-name", "[1].name"), ("duplicate-path", "[2].path")]


def test_a_prefix_path_conflicts_with_the_longer_one_both_marked():
    found = lint_entries(
        [E("w", "weather", "", "CATEGORICAL_STRING"), E("d", "weather.description", "", "CATEGORICAL_STRING")]
    )
    assert sorted(_codes(found)) == [("path-conflict", "[0].path"), ("path-conflict", "[1].path")]
    assert "'weather' is a prefix of 'weather.description'" in found[0].message
    # A shared prefix of keys is not a conflict, and neither is a string prefix.
    assert lint_entries([E("a", "weather.a", 0, "NUMERIC_INT"), E("b", "weather.b", 0, "NUMERIC_INT")]) == []
    assert lint_entries([E("a", "weather", 0, "NUMERIC_INT"), E("b", "weathers.b", 0, "NUMERIC_INT")]) == []


def test_indexes_count_as_path_steps_for_conflicts():
    found = lint_entries([E("a", "cams[0]", 0, "NUMERIC_INT"), E("b", "cams[0].id", 0, "NUMERIC_INT")])
    assert {f.code for f in found} == {"path-conflict"}


def test_the_lightly_key_is_reserved_only_as_first_key():
    assert _codes(lint_entries([E("l", "lightly.score", 0, "NUMERIC_INT")])) == [
        ("reserved-path", "[0].path")
    ]
    assert lint_entries([E("l", "my.lightly", 0, "NUMERIC_INT")]) == []


@pytest.mark.parametrize(
    "default, vtype",
    [
        ("0", "NUMERIC_INT"),
        (1.5, "CATEGORICAL_INT"),
        ("x", "NUMERIC_FLOAT"),
        (1, "CATEGORICAL_BOOLEAN"),
        (True, "CATEGORICAL_STRING"),
        ("soon", "CATEGORICAL_DATETIME"),
    ],
)
def test_a_default_of_the_wrong_type(default, vtype):
    (f,) = lint_entries([E("x", "x", default, vtype)])
    assert (f.code, f.path) == ("default-type", "[0].defaultValue")


def test_a_null_default_always_fits():
    assert lint_entries([E(t, t.lower(), None, t) for t in ALL_TYPE_NAMES]) == []


def test_a_malformed_path_is_a_structure_error():
    (f,) = lint_entries([E("x", "a..b", 0, "NUMERIC_INT")])
    assert (f.code, f.path) == ("schema-structure", "[0].path")


def test_structure_not_an_array():
    (f,) = lint_structure({"name": "x"})
    assert f.code == "schema-structure" and f.path is None and "array" in f.message


def test_structure_missing_and_extra_keys_and_wrong_kinds():
    raw = [
        {"name": "a", "path": "a", "valueDataType": "NUMERIC_INT"},  # no defaultValue
        {"name": "b", "path": "b", "defaultValue": 0, "valueDataType": "NUMERIC_INT", "unit": "m"},
        {"name": "", "path": 3, "defaultValue": 0, "valueDataType": 1},
        "not an object",
    ]
    found = lint_structure(raw)
    assert all(f.code == "schema-structure" for f in found)
    locs = {f.path for f in found}
    assert {"[0].defaultValue", "[1].unit", "[2].name", "[2].path", "[2].valueDataType", "[3]"} <= locs
    assert any("kept on save" in f.message for f in found if f.path == "[1].unit")


def test_entry_location():
    assert entry_location(Finding(ERROR, "duplicate-name", "schema.json", "m", path="[3].name")) == (
        3,
        "name",
    )
    assert entry_location(Finding(ERROR, "schema-structure", "schema.json", "m", path="[3]")) == (3, None)
    assert entry_location(Finding(ERROR, "schema-structure", "schema.json", "m")) is None


def test_lint_schema_file_from_disk(tmp_path):
    p = schema_path(tmp_path)
    assert lint_schema_file(read_schema(tmp_path)) == []  # no schema: nothing to say
    p.parent.mkdir(parents=True)
    p.write_text('[\n  {"name": "a", "path": "a", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},\n]\n')
    (f,) = lint_schema_file(read_schema(tmp_path))
    assert (f.code, f.file, f.line) == ("invalid-json", "schema.json", 3)
    assert f.location() == "schema.json:3:1"
    p.write_text(jsonio.dumps([e.to_json() for e in CLEAN]))
    assert lint_schema_file(read_schema(tmp_path)) == []
    p.write_text(
        jsonio.dumps([{"name": "a", "path": "a", "defaultValue": 0, "valueDataType": "NUMERICAL_INT"}])
    )
    (f,) = lint_schema_file(read_schema(tmp_path))
    assert f.fix == "NUMERIC_INT"
