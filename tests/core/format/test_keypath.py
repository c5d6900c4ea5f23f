"""Schema paths: the parser and get/set/remove are what every edit and every check goes through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.format.keypath import (
    MISSING,
    PathSyntaxError,
    format_path,
    get_value,
    is_valid_path,
    leaf_paths,
    parse_path,
    remove_value,
    set_value,
)


@pytest.mark.parametrize(
    "path, tokens",
    [
        ("a", ("a",)),
        ("weather.temperature", ("weather", "temperature")),
        ("cams[0].id", ("cams", 0, "id")),
        ("grid[1][2]", ("grid", 1, 2)),
        ("a b.c-d", ("a b", "c-d")),
        ("x[10]", ("x", 10)),
    ],
)
def test_parse_and_format_round_trip(path, tokens):
    assert parse_path(path) == tokens
    assert format_path(tokens) == path
    assert is_valid_path(path)


@pytest.mark.parametrize("bad", ["", ".a", "a.", "a..b", "[0]", "a[x]", "a[0", "a]", " .a", None, 3])
def test_malformed_paths_are_refused(bad):
    assert not is_valid_path(bad)
    with pytest.raises(PathSyntaxError):
        parse_path(bad)


def test_get_value_distinguishes_missing_from_null():
    doc = {"a": {"b": None, "c": [1, {"d": 2}]}}
    assert get_value(doc, "a.b") is None
    assert get_value(doc, "a.x") is MISSING
    assert get_value(doc, "a.c[1].d") == 2
    assert get_value(doc, "a.c[5]") is MISSING
    assert get_value(doc, "a.b.deeper") is MISSING
    assert get_value(doc, "a.c.d") is MISSING  # a list is not an object
    assert get_value(doc, ("a", "c", 0)) == 1
    assert not MISSING and repr(MISSING) == "MISSING"


def test_set_value_creates_objects_and_pads_arrays():
    doc: dict = {"keep": 1}
    set_value(doc, "weather.temperature", 21.5)
    set_value(doc, "cams[2].id", "c")
    assert doc == {"keep": 1, "weather": {"temperature": 21.5}, "cams": [None, None, {"id": "c"}]}


def test_set_value_replaces_a_scalar_in_the_way_and_keeps_siblings():
    doc = {"weather": "sunny", "other": {"x": 1, "y": 2}}
    set_value(doc, "weather.description", "rain")
    set_value(doc, "other.x", 5)
    assert doc == {"weather": {"description": "rain"}, "other": {"x": 5, "y": 2}}
    assert list(doc["other"]) == ["x", "y"]  # key order kept on overwrite


def test_remove_value_prunes_empty_objects_but_not_the_root():
    doc = {"a": {"b": {"c": 1}}, "z": 0}
    assert remove_value(doc, "a.b.c")
    assert doc == {"z": 0}
    doc = {"a": {"b": 1, "c": 2}}
    assert remove_value(doc, "a.b")
    assert doc == {"a": {"c": 2}}
    root = {"only": 1}
    assert remove_value(root, "only")
    assert root == {}


def test_remove_value_keeps_other_array_indexes_meaningful():
    doc = {"l": [1, 2, 3]}
    assert remove_value(doc, "l[0]")
    assert doc == {"l": [None, 2, 3]}
    assert remove_value(doc, "l[2]")
    assert doc == {"l": [None, 2]}


def test_remove_missing_path_changes_nothing():
    doc = {"a": {"b": 1}, "s": "text"}
    assert not remove_value(doc, "a.x")
    assert not remove_value(doc, "s.x")
    assert not remove_value(doc, "q.r.s")
    assert doc == {"a": {"b": 1}, "s": "text"}


def test_leaf_paths_lists_every_leaf_including_empty_containers():
    doc = {"a": {"b": 1, "c": [True, {"d": None}]}, "e": {}, "f": []}
    assert list(leaf_paths(doc)) == [
        ("a.b", 1),
        ("a.c[0]", True),
        ("a.c[1].d", None),
        ("e", {}),
        ("f", []),
    ]


_key = st.text(st.characters(blacklist_characters=".[]", blacklist_categories=("Cs",)), min_size=1).filter(
    lambda s: s.strip()
)
_tokens = st.lists(st.one_of(_key, st.integers(0, 5)), min_size=1, max_size=5).filter(
    lambda t: isinstance(t[0], str)
)


@given(_tokens, st.integers())
def test_set_then_get_returns_the_value(tokens, value):
    tokens = tuple(tokens)
    assert parse_path(format_path(tokens)) == tokens
    doc: dict = {}
    set_value(doc, tokens, value)
    assert get_value(doc, tokens) == value
    assert get_value(doc, format_path(tokens)) == value
