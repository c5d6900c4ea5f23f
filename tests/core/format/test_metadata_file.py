"""Editing a metadata file must never drop what the editor did not create (FORMAT.md, Decisions)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.format import jsonio
from core.format.keypath import MISSING, format_path
from core.format.metadata_file import (
    NotEditableError,
    get_meta,
    metadata_of,
    new_document,
    read_disk_state,
    remove_meta,
    set_meta,
)
from core.format.samples import SampleRef

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
_key = st.text(alphabet="abcdefgh_-xyzÜ", min_size=1, max_size=6)
_value = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
)


@st.composite
def _documents(draw):
    extra_top = draw(st.dictionaries(st.text(max_size=6), _json, max_size=3))
    doc = {"file_name": "subdir/image_1.png", "type": "image", "metadata": draw(st.dictionaries(_key, _json))}
    for k, v in extra_top.items():
        doc.setdefault(k, v)
    return doc


@st.composite
def _fresh_paths(draw, taken, indexes=False):
    """A schema path whose first key the document does not use yet (nested, optionally with indexes)."""
    first = draw(_key.filter(lambda k: k not in taken))
    rest = draw(st.lists(st.one_of(_key, st.integers(0, 2)) if indexes else _key, max_size=3))
    return format_path((first, *rest))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], max_examples=60)
@given(doc=_documents(), data=st.data(), value=_value)
def test_set_write_read_keeps_unknown_keys_and_remove_restores(tmp_path, doc, data, value):
    path = data.draw(_fresh_paths(set(doc["metadata"])))
    f = tmp_path / "image_1.json"
    f.write_text(jsonio.dumps(doc), encoding="utf-8")

    state = read_disk_state(f)
    assert state.error is None and state.data == doc
    edited = copy.deepcopy(state.data)
    set_meta(edited, path, value)
    jsonio.write_atomic(f, jsonio.dumps(edited))

    again = read_disk_state(f).data
    assert get_meta(again, path) == value
    assert list(again) == list(doc)  # every top-level key kept, in order
    for k, v in doc.items():
        if k != "metadata":
            assert again[k] == v
    for k, v in doc["metadata"].items():
        assert again["metadata"][k] == v
    assert remove_meta(again, path)
    assert again == doc
    jsonio.write_atomic(f, jsonio.dumps(again))
    assert f.read_text(encoding="utf-8") == jsonio.dumps(doc)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], max_examples=30)
@given(doc=_documents(), data=st.data(), value=_value)
def test_paths_with_array_indexes_keep_unknown_keys(tmp_path, doc, data, value):
    # remove_value is not an exact inverse here (arrays keep their null padding), so undo
    # must restore a snapshot; what matters is that nothing the user had is lost.
    path = data.draw(_fresh_paths(set(doc["metadata"]), indexes=True))
    edited = copy.deepcopy(doc)
    set_meta(edited, path, value)
    f = tmp_path / "image_1.json"
    jsonio.write_atomic(f, jsonio.dumps(edited))
    again = read_disk_state(f).data
    assert get_meta(again, path) == value
    remove_meta(again, path)
    assert get_meta(again, path) is MISSING
    assert {k: v for k, v in again.items() if k != "metadata"} == {
        k: v for k, v in doc.items() if k != "metadata"
    }
    for k, v in doc["metadata"].items():
        assert again["metadata"][k] == v


def test_setting_inside_an_existing_object_keeps_its_siblings():
    doc = {
        "file_name": "a.png",
        "type": "image",
        "metadata": {"weather": {"description": "sunny", "unknown": [1, {"x": 2}]}, "other": 1},
        "comment": "kept",
    }
    before = copy.deepcopy(doc)
    set_meta(doc, "weather.temperature", 21.5)
    assert doc["metadata"]["weather"] == {
        "description": "sunny",
        "unknown": [1, {"x": 2}],
        "temperature": 21.5,
    }
    assert remove_meta(doc, "weather.temperature")
    assert doc == before


def test_overwriting_a_known_value_keeps_key_order():
    doc = {"metadata": {"a": 1, "b": 2, "c": 3}, "file_name": "x.png", "type": "image"}
    set_meta(doc, "b", 20)
    assert list(doc["metadata"]) == ["a", "b", "c"]
    assert list(doc) == ["metadata", "file_name", "type"]


def test_get_meta_and_metadata_of_on_odd_documents():
    assert metadata_of([1]) is MISSING
    assert metadata_of({"file_name": "a.png"}) is MISSING
    assert get_meta({"metadata": "not an object"}, "a") is MISSING
    assert get_meta({"metadata": {"a": None}}, "a") is None
    assert not remove_meta({"metadata": []}, "a")


def test_documents_that_cannot_take_an_edit():
    with pytest.raises(NotEditableError):
        set_meta([], "a", 1)  # type: ignore[arg-type]
    with pytest.raises(NotEditableError):
        set_meta({"metadata": [1, 2]}, "a", 1)
    doc: dict = {"file_name": "a.png"}
    set_meta(doc, "a", 1)
    assert doc == {"file_name": "a.png", "metadata": {"a": 1}}


@pytest.mark.parametrize(
    "sample, expected",
    [
        (SampleRef.image("sub/a.png"), {"file_name": "sub/a.png", "type": "image", "metadata": {}}),
        (SampleRef.video("v.MP4"), {"file_name": "v.MP4", "type": "video", "metadata": {}}),
        (
            SampleRef.frame_of("v.mp4", 5, 150),
            {"file_name": "v-005-mp4.png", "type": "frame", "metadata": {}},
        ),
    ],
)
def test_new_document(sample, expected):
    assert new_document(sample) == expected
    assert list(new_document(sample)) == ["file_name", "type", "metadata"]


def test_read_disk_state(tmp_path):
    missing = read_disk_state(tmp_path / "nope.json")
    assert not missing.exists and missing.data is None

    good = tmp_path / "good.json"
    good.write_text('{"metadata": {"a": 1}}', encoding="utf-8")
    st_ = read_disk_state(good)
    assert st_.exists and st_.data == {"metadata": {"a": 1}}
    assert st_.size == good.stat().st_size and st_.mtime_ns == good.stat().st_mtime_ns

    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "metadata": {"a": 1,}\n}\n', encoding="utf-8")
    st_ = read_disk_state(broken)
    assert st_.exists and st_.data is None
    assert (st_.error.line, st_.error.column) == (2, 23)
    assert st_.text == broken.read_text(encoding="utf-8")  # the text is kept to show the user

    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"a": "caf\xe9"}')
    st_ = read_disk_state(latin)
    assert st_.error is not None and "\ufffd" in st_.text


def test_an_unreadable_path_counts_as_broken_not_absent(tmp_path):
    folder = tmp_path / "a.json"
    folder.mkdir()  # a folder where a file is expected
    st_ = read_disk_state(folder)
    assert st_.exists and st_.data is None and "cannot read" in st_.error.message
    assert st_.mtime_ns == folder.stat().st_mtime_ns
    # Below a regular file nothing can exist: that is absent, not broken.
    (tmp_path / "f").write_text("x")
    assert not read_disk_state(tmp_path / "f" / "b.json").exists
