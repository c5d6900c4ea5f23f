"""Effective values: own file, then the video's file (frames), then the default; never coerced."""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest

from core.dataset import index as index_mod
from core.dataset.index import scan
from core.dataset.walk import Cancelled
from core.effective.values import (
    DEFAULT,
    FILE,
    INVALID,
    VIDEO,
    Effective,
    effective_row,
    effective_value,
    iter_effective_rows,
)
from core.schema.entries import SchemaEntry, compile_schema

SPECS = compile_schema([
    SchemaEntry("Temperature", "weather.temperature", 20.5, "NUMERIC_FLOAT"),
    SchemaEntry("Count", "counts[1]", 0, "NUMERIC_INT"),
    SchemaEntry("Night", "night", None, "CATEGORICAL_BOOLEAN"),
    SchemaEntry("Label", "label", "none", "CATEGORICAL_STRING"),
])
TEMP, COUNT, NIGHT, LABEL = SPECS


def doc(**metadata):
    return {"file_name": "x", "type": "image", "metadata": metadata}


@pytest.mark.parametrize(
    ("spec", "own", "video", "expected"),
    [
        (TEMP, doc(weather={"temperature": 3}), None, Effective(3, FILE)),
        (TEMP, doc(weather={"temperature": 1.5}), doc(weather={"temperature": 9.0}), Effective(1.5, FILE)),
        (TEMP, doc(weather={"temperature": None}), None, Effective(20.5, DEFAULT)),
        (TEMP, doc(), None, Effective(20.5, DEFAULT)),
        (TEMP, None, None, Effective(20.5, DEFAULT)),
        (TEMP, None, doc(weather={"temperature": 9.0}), Effective(9.0, VIDEO)),
        (TEMP, doc(weather={"temperature": None}), doc(weather={"temperature": 9.0}), Effective(9.0, VIDEO)),
        (TEMP, doc(), doc(), Effective(20.5, DEFAULT)),
        (COUNT, doc(counts=[5, 7]), None, Effective(7, FILE)),
        (COUNT, doc(counts=[5]), None, Effective(0, DEFAULT)),
        (NIGHT, doc(), None, Effective(None, DEFAULT)),
        (NIGHT, doc(night=False), None, Effective(False, FILE)),
        (LABEL, {"metadata": "oops"}, None, Effective("none", DEFAULT)),
        (LABEL, [1, 2], None, Effective("none", DEFAULT)),
    ],
)
def test_effective_value(spec, own, video, expected):
    assert effective_value(spec, own, video) == expected


@pytest.mark.parametrize(
    ("spec", "own", "video", "value", "needle"),
    [
        (TEMP, doc(weather={"temperature": "warm"}), None, "warm", "expected a number"),
        (COUNT, doc(counts=[0, True]), None, True, "expected an integer"),
        (COUNT, doc(counts=[0, 2.0]), None, 2.0, "a float"),
        (NIGHT, doc(night="yes"), None, "yes", "true or false"),
        (LABEL, None, doc(label=3), 3, "video's file"),
        (LABEL, doc(label=3), doc(label="ok"), 3, "in the file"),
    ],
)
def test_wrong_types_are_invalid_never_coerced(spec, own, video, value, needle):
    e = effective_value(spec, own, video)
    assert e.source == INVALID and e.value == value and type(e.value) is type(value)
    assert needle in e.reason


def test_wrong_default_is_invalid():
    spec = compile_schema([SchemaEntry("n", "n", "zero", "NUMERIC_INT")])[0]
    assert effective_value(spec, None).source == INVALID


def test_effective_row_in_schema_order():
    row = effective_row(SPECS, doc(label="cat"), doc(night=True))
    assert [e.source for e in row] == [DEFAULT, DEFAULT, VIDEO, FILE]


@pytest.fixture
def ds(tmp_path, monkeypatch):
    monkeypatch.setattr(index_mod.video_mod, "quick_frame_count", lambda path, cache=None: 3)
    for rel in ("a.png", "v.mp4", "w.mp4"):
        (tmp_path / rel).write_bytes(b"")
    md = tmp_path / ".lightly" / "metadata"
    md.mkdir(parents=True)
    files = {
        "a.json": doc(label="cat"),
        "v.json": doc(label="road", night=True),
        "v-1-mp4.json": doc(label="car"),
        "v-2-mp4.json": doc(label=None, night=False),
        "w-0-mp4.json": doc(night=True),
    }
    for rel, data in files.items():
        (md / rel).write_text(json.dumps(data))
    (md / "w.json").write_text('{"metadata": {"label": "broken",}}')  # invalid JSON: INVALID
    return tmp_path


def test_iter_effective_rows_from_disk(ds):
    idx = scan(ds)
    rows = {s.label(): [(e.value, e.source) for e in vals[2:]] for s, vals in iter_effective_rows(idx, SPECS)}
    assert list(rows) == ["a.png", "v.mp4", "w.mp4"]
    assert rows["w.mp4"] == [(None, INVALID), (None, INVALID)]
    rows = {s.label(): [(e.value, e.source) for e in vals[2:]]
            for s, vals in iter_effective_rows(idx, SPECS, frames=True)}
    assert rows == {
        "a.png": [(None, DEFAULT), ("cat", FILE)],
        "v.mp4": [(True, FILE), ("road", FILE)],
        "v.mp4 frame 0": [(True, VIDEO), ("road", VIDEO)],
        "v.mp4 frame 1": [(True, VIDEO), ("car", FILE)],
        "v.mp4 frame 2": [(False, FILE), ("road", VIDEO)],
        "w.mp4": [(None, INVALID), (None, INVALID)],  # Lightly cannot read its file
        "w.mp4 frame 0": [(True, FILE), (None, INVALID)],
        "w.mp4 frame 1": [(None, INVALID), (None, INVALID)],
        "w.mp4 frame 2": [(None, INVALID), (None, INVALID)],
    }


def test_custom_reader_reads_each_file_once(ds):
    idx = scan(ds)
    calls: Counter[str] = Counter()
    overlay = {"a.json": doc(label="dog")}  # e.g. an unsaved edit held by the GUI

    def read(rel):
        calls[rel] += 1
        if rel in overlay:
            return overlay[rel]
        p = ds / ".lightly" / "metadata" / rel
        return json.loads(p.read_text()) if rel != "w.json" and os.path.exists(p) else None

    rows = list(iter_effective_rows(idx, SPECS, frames=True, read=read))
    assert len(rows) == idx.n_samples(frames=True) == 9
    assert rows[0][1][3] == Effective("dog", FILE)
    assert set(calls.values()) == {1} and "v.json" in calls


def test_progress_and_cancel(ds):
    idx = scan(ds)
    seen = []
    list(iter_effective_rows(idx, SPECS, progress=lambda d, t, m: seen.append((d, t))))
    assert seen[-1] == (3, 3)
    with pytest.raises(Cancelled):
        list(iter_effective_rows(idx, SPECS, cancel=lambda: True))
