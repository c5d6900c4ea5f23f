"""Export: CSV cells and JSON rows (with sources) of effective values, streamed."""

from __future__ import annotations

import csv
import io
import json

import pytest

from core.csv_io.export import column_names, export_rows, write_csv, write_json
from core.dataset import index as index_mod
from core.dataset.index import scan
from core.effective.values import DEFAULT, FILE, INVALID, VIDEO, Effective
from core.format.samples import SampleRef
from core.schema.entries import SchemaEntry, compile_schema

SPECS = compile_schema([
    SchemaEntry("Temperature", "weather.temperature", None, "NUMERIC_FLOAT"),
    SchemaEntry("Night", "night", False, "CATEGORICAL_BOOLEAN"),
    SchemaEntry("Label", "label", "none", "CATEGORICAL_STRING"),
])


@pytest.fixture
def index(tmp_path, monkeypatch):
    monkeypatch.setattr(index_mod.video_mod, "quick_frame_count", lambda path, cache=None: 10)
    (tmp_path / "sub").mkdir()
    for rel in ("a.png", "sub/v.MP4"):
        (tmp_path / rel).write_bytes(b"")
    md = tmp_path / ".lightly" / "metadata"
    (md / "sub").mkdir(parents=True)
    files = {
        "a.json": {"metadata": {"weather": {"temperature": 1.5}, "label": "c,a\"t"}},
        "sub/v.json": {"metadata": {"night": True, "label": 7}},
        "sub/v-04-MP4.json": {"metadata": {"label": "car", "weather": {"temperature": 3}}},
    }
    for rel, data in files.items():
        (md / rel).write_text(json.dumps(data))
    return scan(tmp_path)


def test_csv(index):
    out = io.StringIO()
    assert write_csv(export_rows(index, SPECS, frames=False), SPECS, out) == 2
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [
        ["file_name", "type", "Temperature", "Night", "Label"],
        ["a.png", "image", "1.5", "false", 'c,a"t'],
        ["sub/v.MP4", "video", "", "true", "7"],
    ]


def test_csv_with_frames(index):
    out = io.StringIO()
    assert write_csv(export_rows(index, SPECS, frames=True), SPECS, out) == 12
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(out.getvalue()))}
    assert rows["sub/v-04-MP4.png"] == ["frame", "3", "true", "car"]
    assert rows["sub/v-05-MP4.png"] == ["frame", "", "true", "7"]


def test_json_carries_sources(index):
    out = io.StringIO()
    write_json(export_rows(index, SPECS, frames=True), SPECS, out)
    rows = {r["file_name"]: r for r in json.loads(out.getvalue())}
    assert len(rows) == 12
    assert rows["a.png"] == {
        "file_name": "a.png", "type": "image",
        "values": {"Temperature": 1.5, "Night": False, "Label": 'c,a"t'},
        "sources": {"Temperature": FILE, "Night": DEFAULT, "Label": FILE},
    }
    v = rows["sub/v.MP4"]
    assert v["sources"]["Label"] == INVALID and v["values"]["Label"] == 7
    assert "string" in v["problems"]["Label"]
    f = rows["sub/v-04-MP4.png"]
    assert f["type"] == "frame" and f["values"] == {"Temperature": 3, "Night": True, "Label": "car"}
    assert f["sources"] == {"Temperature": FILE, "Night": VIDEO, "Label": FILE}
    assert rows["sub/v-09-MP4.png"]["sources"] == {"Temperature": DEFAULT, "Night": VIDEO, "Label": INVALID}


def test_any_iterable_of_rows_and_empty():
    out = io.StringIO()
    write_json([], SPECS, out)
    assert json.loads(out.getvalue()) == []
    values = [Effective(None, DEFAULT), Effective(True, FILE), Effective("a", FILE)]
    rows = [(SampleRef.image("x.png"), values)]
    out = io.StringIO()
    write_csv(iter(rows), SPECS, out)
    assert out.getvalue().splitlines()[1] == "x.png,image,,true,a"


def test_duplicate_names_get_unique_columns():
    specs = compile_schema([SchemaEntry("A", "a", 0, "NUMERIC_INT"), SchemaEntry("A", "b", 0, "NUMERIC_INT"),
                            SchemaEntry("type", "t", "", "OTHER_STRING")])
    assert column_names(specs) == ["A", "A (2)", "type (2)"]
