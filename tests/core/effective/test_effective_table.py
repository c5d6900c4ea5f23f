"""The columnar effective-values table: same values as core.effective.values, compact, sortable."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.dataset.index import scan
from core.dataset.walk import Cancelled
from core.effective.table import CODE, EQUALS, FILE_NAME, RANGE, SOURCE, TYPE, ColumnFilter, EffectiveTable
from core.effective.values import DEFAULT, FILE, INVALID, VIDEO, Effective, disk_reader, iter_effective_rows
from core.format.samples import SampleRef
from core.schema.entries import SchemaEntry, compile_schema, write_schema
from tests.videos import encode_video

ENTRIES = (
    SchemaEntry("Weather", "weather", "sunny", "CATEGORICAL_STRING"),
    SchemaEntry("Temperature", "env.temperature", 0.0, "NUMERIC_FLOAT"),
    SchemaEntry("Count", "count", 0, "NUMERIC_INT"),
    SchemaEntry("Night", "night", None, "CATEGORICAL_BOOLEAN"),
)
SPECS = compile_schema(ENTRIES)
WEATHER, TEMP, COUNT, NIGHT = range(4)


def write_meta(root: Path, rel: str, file_name: str, kind: str, **metadata) -> None:
    p = root / ".lightly" / "metadata" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"file_name": file_name, "type": kind, "metadata": metadata}))


def make_datasource(root: Path) -> Path:
    """4 images (one without a file, one invalid), a 12-frame video with two frame files."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("a.png", "b.png", "c.png", "sub/d.png"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"\x89PNG")
    write_meta(root, "a.json", "a.png", "image", weather="rain", env={"temperature": 10}, count=3)
    write_meta(root, "b.json", "b.png", "image", weather="Fog", env={"temperature": 2.5}, count=12)
    write_meta(root, "sub/d.json", "sub/d.png", "image", weather="rain", env={"temperature": "hot"})
    (root / "v").mkdir()
    encode_video(root / "v" / "clip.mp4", 12)
    write_meta(root, "v/clip.json", "v/clip.mp4", "video", weather="snow", count=7)
    write_meta(root, "v/clip-03-mp4.json", "v/clip-03-mp4.png", "frame", weather="hail")
    write_meta(root, "v/clip-05-mp4.json", "v/clip-05-mp4.png", "frame", count="many")
    write_schema(root, ENTRIES)
    return root


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return make_datasource(tmp_path_factory.mktemp("ds") / "data")


@pytest.fixture
def index(source):
    return scan(source)


def test_values_match_core_effective_for_every_row(index):
    for frames in (False, True):
        table = EffectiveTable.build(index, SPECS, frames=frames)
        expected = list(iter_effective_rows(index, SPECS, frames=frames))
        assert table.row_count == len(expected) == (5 if not frames else 17)
        assert list(table.rows(range(table.row_count))) == expected
        for row, (sample, _) in enumerate(expected):
            assert table.row_of(sample) == row
            assert table.file_name(row) == sample.file_name
            assert table.kind(row) == sample.kind


def test_frames_inherit_from_the_video_with_their_source(index):
    table = EffectiveTable.build(index, SPECS, frames=True)
    video_row = table.row_of(SampleRef.video("v/clip.mp4"))
    frame0, frame3, frame5 = (table.row_of(SampleRef.frame_of("v/clip.mp4", i, 12)) for i in (0, 3, 5))
    assert frame0 == video_row + 1
    assert table.cell(frame0, WEATHER).source == VIDEO and table.cell(frame0, WEATHER).value == "snow"
    assert table.cell(frame0, TEMP).source == DEFAULT
    assert table.cell(frame3, WEATHER).source == FILE and table.cell(frame3, WEATHER).value == "hail"
    assert table.cell(frame3, COUNT).source == VIDEO
    bad = table.cell(frame5, COUNT)
    assert bad.source == INVALID and "expected an integer" in bad.reason
    assert table.origin(frame0, WEATHER) == VIDEO and table.origin(frame3, WEATHER) == FILE
    assert table.origin(frame0, TEMP) == DEFAULT and table.origin(frame5, COUNT) == FILE


def test_frames_without_files_cost_no_python_objects(index):
    table = EffectiveTable.build(index, SPECS, frames=True)
    assert len(table._own) == 2  # only the two frames that have their own file
    assert all(len(v) == table.n_images + table.n_videos for v in table._vals)


def test_numeric_sort_is_numeric_with_invalid_and_null_last(index):
    table = EffectiveTable.build(index, SPECS)
    names = [table.file_name(r) for r in table.sort_order("env.temperature")]
    # c.png: default 0.0; b: 2.5; a: 10; clip: default 0.0; sub/d: "hot" (invalid) last
    assert names == ["c.png", "v/clip.mp4", "b.png", "a.png", "sub/d.png"]
    names = [table.file_name(r) for r in table.sort_order(TEMP, descending=True)]
    assert names == ["a.png", "b.png", "c.png", "v/clip.mp4", "sub/d.png"]
    counts = [table.cell(r, COUNT).value for r in table.sort_order("count")]
    assert counts == [0, 0, 3, 7, 12]  # 12 after 7: numbers, not text


def test_text_sort_ignores_case_and_null_goes_last(index):
    table = EffectiveTable.build(index, SPECS)
    values = [table.cell(r, WEATHER).value for r in table.sort_order("weather")]
    assert values == ["Fog", "rain", "rain", "snow", "sunny"]
    nights = [table.cell(r, NIGHT).value for r in table.sort_order("night")]
    assert nights == [None] * 5


def test_sort_by_file_name_keeps_frames_under_their_video(index):
    table = EffectiveTable.build(index, SPECS, frames=True)
    order = table.sort_order(FILE_NAME)
    names = [table.file_name(r) for r in order]
    assert names[:4] == ["a.png", "b.png", "c.png", "sub/d.png"]
    assert names[4] == "v/clip.mp4" and names[5] == "v/clip-00-mp4.png" and names[-1] == "v/clip-11-mp4.png"
    back = [table.file_name(r) for r in table.sort_order(FILE_NAME, descending=True)]
    assert back == names[::-1]  # descending is the exact reverse
    kinds = [table.kind(r) for r in table.sort_order(TYPE)]
    assert kinds == ["image"] * 4 + ["video"] + ["frame"] * 12


def names_of(table, mask):
    return [table.file_name(r) for r in np.flatnonzero(mask)]


def test_filter_by_source(index):
    table = EffectiveTable.build(index, SPECS, frames=True)
    default = table.filter_mask([ColumnFilter("weather", SOURCE, "default")])
    assert names_of(table, default) == ["c.png"]
    inherited = table.filter_mask([ColumnFilter("weather", SOURCE, "inherited")])
    assert len(names_of(table, inherited)) == 11  # 12 frames, minus frame 3 which has its own
    invalid = table.filter_mask([ColumnFilter("Temperature", SOURCE, INVALID)])
    assert names_of(table, invalid) == ["sub/d.png"]
    frames_default = table.filter_mask([ColumnFilter("env.temperature", SOURCE, "default"),
                                        ColumnFilter(TYPE, EQUALS, "frame")])
    assert len(names_of(table, frames_default)) == 12
    several = table.filter_mask([ColumnFilter("count", SOURCE, ("set", "invalid"))])
    assert names_of(table, several) == ["a.png", "b.png", "v/clip.mp4", "v/clip-05-mp4.png"]


def test_filter_by_value_and_range(index):
    table = EffectiveTable.build(index, SPECS)
    rain = table.filter_mask([ColumnFilter("weather", EQUALS, "rain")])
    assert names_of(table, rain) == ["a.png", "sub/d.png"]
    assert names_of(table, table.filter_mask([ColumnFilter("count", EQUALS, "12")])) == ["b.png"]
    assert names_of(table, table.filter_mask([ColumnFilter("count", EQUALS, 7)])) == ["v/clip.mp4"]
    in_range = table.filter_mask([ColumnFilter("env.temperature", RANGE, (1, 10))])
    assert names_of(table, in_range) == ["a.png", "b.png"]
    open_range = table.filter_mask([ColumnFilter("count", RANGE, (None, 3))])
    assert names_of(table, open_range) == ["a.png", "c.png", "sub/d.png"]
    assert names_of(table, table.filter_mask([ColumnFilter("night", EQUALS, None)])) == names_of(
        table, np.ones(5, bool))


def test_quick_text_filter_searches_names_and_values(index):
    table = EffectiveTable.build(index, SPECS, frames=True)
    assert names_of(table, table.filter_mask(text="FOG")) == ["b.png"]
    assert names_of(table, table.filter_mask(text="clip-0")) == [f"v/clip-0{i}-mp4.png" for i in range(10)]
    assert len(names_of(table, table.filter_mask(text="snow"))) == 12  # video + 11 inheriting frames
    assert names_of(table, table.filter_mask(text="hot")) == ["sub/d.png"]


def test_column_values_for_distributions(index):
    table = EffectiveTable.build(index, SPECS, frames=True)
    values, sources = table.column(WEATHER)
    assert len(values) == len(sources) == table.row_count
    assert list(values[:5]) == ["rain", "Fog", "sunny", "rain", "snow"]
    assert values[table.row_of(SampleRef.frame_of("v/clip.mp4", 3, 12))] == "hail"
    nums, valid = table.numbers(TEMP)
    assert list(valid[:4]) == [True, True, True, False]


def edit(root: Path, rel: str, **metadata) -> dict:
    p = root / ".lightly" / "metadata" / rel
    data = json.loads(p.read_text()) if p.exists() else {"file_name": "", "type": "", "metadata": {}}
    data["metadata"].update(metadata)
    return data


def test_update_document_recomputes_only_dependent_rows(index, source):
    table = EffectiveTable.build(index, SPECS, frames=True)
    docs, disk = {}, disk_reader(index)

    def read(rel):  # the editor's view: documents in memory, else the disk
        return docs[rel] if rel in docs else disk(rel)

    video_row = table.row_of(SampleRef.video("v/clip.mp4"))
    docs["v/clip.json"] = edit(source, "v/clip.json", weather="sleet")
    assert table.update_document("v/clip.json", read) == [(video_row, video_row + 12)]
    frame0 = table.row_of(SampleRef.frame_of("v/clip.mp4", 0, 12))
    frame3 = table.row_of(SampleRef.frame_of("v/clip.mp4", 3, 12))
    assert table.cell(frame0, WEATHER).value == "sleet"
    assert table.cell(frame3, WEATHER).value == "hail"  # its own file still wins
    # A new frame file, only in memory.
    rel = "v/clip-07-mp4.json"
    docs[rel] = {"file_name": "v/clip-07-mp4.png", "type": "frame", "metadata": {"count": 1}}
    row7 = table.row_of(SampleRef.frame_of("v/clip.mp4", 7, 12))
    assert table.update_document(rel, read) == [(row7, row7)]
    assert table.cell(row7, COUNT).source == FILE and table.cell(row7, WEATHER).value == "sleet"
    # The frame file removed again: back to inheriting.
    docs[rel] = None
    table.update_document(rel, read)
    assert table.cell(row7, COUNT).source == VIDEO
    # An image; and files that are no row of the table.
    docs["c.json"] = {"file_name": "c.png", "type": "image", "metadata": {"weather": "fog"}}
    assert table.update_document("c.json", read) == [(2, 2)]
    assert table.cell(2, WEATHER) == table.cell(2, WEATHER).__class__("fog", FILE)
    assert table.update_document("v/clip-3-mp4.json", read) == []  # misnamed
    assert table.update_document("nothing.json", read) == []


def test_build_reports_progress_and_can_be_cancelled(index):
    seen = []
    EffectiveTable.build(index, SPECS, progress=lambda d, t, m: seen.append((d, t)))
    assert seen[-1] == (5, 5)
    with pytest.raises(Cancelled):
        EffectiveTable.build(index, SPECS, cancel=lambda: True)


def test_broken_files_are_invalid_until_repaired(tmp_path):
    root = make_datasource(tmp_path / "ds")
    md = root / ".lightly" / "metadata"
    (md / "a.json").write_text('{\n  "metadata": {"weather": "x",}\n}')  # trailing comma
    (md / "v/clip.json").write_text('{"metadata": ')
    (md / "c.json").write_text("{}")  # valid, nothing set: defaults
    index = scan(root)
    table = EffectiveTable.build(index, SPECS, frames=True)
    a = table.row_of(SampleRef.image("a.png"))
    for e in table.row_values(a):
        assert (e.value, e.source) == (None, INVALID)
        assert e.reason == "metadata file is not valid JSON (line 2, column 31)"
    assert table.cell(table.row_of(SampleRef.image("c.png")), WEATHER).source == DEFAULT
    video = table.row_of(SampleRef.video("v/clip.mp4"))
    assert {e.source for e in table.row_values(video)} == {INVALID}
    assert table.cell(video, COUNT).reason.startswith("metadata file is not valid JSON (line 1, column")
    frame0, frame3 = video + 1, video + 4  # frame 3 has its own file with a weather
    for c in range(len(SPECS)):
        assert table.cell(frame0, c).source == INVALID
        assert "video's metadata file is not valid JSON" in table.cell(frame0, c).reason
    assert table.cell(frame3, WEATHER) == Effective("hail", FILE)
    assert table.cell(frame3, COUNT).source == INVALID
    assert list(table.rows(range(table.row_count))) == list(iter_effective_rows(index, SPECS, frames=True))
    values, sources = table.column(WEATHER)
    assert sources[a] == sources[frame0] == CODE[INVALID]
    # The user repairs the files: the rows show the real values again.
    write_meta(root, "a.json", "a.png", "image", weather="rain", count=3)
    write_meta(root, "v/clip.json", "v/clip.mp4", "video", weather="snow")
    assert table.update_document("a.json") == [(a, a)]
    assert table.update_document("v/clip.json") == [(video, video + 12)]
    assert table.cell(a, WEATHER) == Effective("rain", FILE)
    assert table.cell(a, TEMP) == Effective(0.0, DEFAULT)
    assert table.cell(video, WEATHER) == Effective("snow", FILE)
    assert table.cell(frame0, WEATHER) == Effective("snow", VIDEO)
    assert table.cell(frame3, COUNT) == Effective(0, DEFAULT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("clip", 13),  # in every frame's name (the part before the number) and the video's
        ("mp4.png", 12),  # the part after the number
        ("-07-", 1),  # the number itself
        ("p-1", 2),  # across the name and the number: frames 10 and 11
        ("xyz", 0),
    ],
)
def test_quick_filter_on_frame_names(index, text, expected):
    table = EffectiveTable.build(index, SPECS, frames=True)
    found = names_of(table, table.filter_mask(text=text))
    brute = [table.file_name(r) for r in range(table.row_count)
             if text in table.file_name(r).casefold() or any(
                 text in str(e.value).casefold() for e in table.row_values(r) if e.value is not None)]
    assert found == brute and len(found) == expected


def test_rows_exist_before_values_are_read(index):
    table = EffectiveTable(index, SPECS, True, lambda rel: None)
    assert table.row_count == 17 and not table.complete
    assert table.cell(0, WEATHER).source == "pending"
    table.fill(chunk=2)
    assert table.complete and table.cell(0, WEATHER).source == DEFAULT


def test_workspace_reader_keeps_a_broken_file_invalid_until_repaired_in_memory(tmp_path):
    from core.effective.readers import workspace_reader
    from core.workspace import Workspace

    root = make_datasource(tmp_path / "ds")
    (root / ".lightly/metadata/a.json").write_text('{"metadata": {"weather": "x",}}')
    table = EffectiveTable.build(scan(root), SPECS)
    ws = Workspace(root)
    read = workspace_reader(ws)
    assert table.update_document("a.json", read) == [(0, 0)]  # not loaded: read from disk
    assert table.cell(0, WEATHER).source == INVALID
    assert ws.document("a.json").broken
    table.update_document("a.json", read)  # loaded, still broken
    reason = "metadata file is not valid JSON (line 1, column 30)"
    assert table.cell(0, WEATHER) == Effective(None, INVALID, reason)
    ws.replace_text("a.json", '{"file_name": "a.png", "type": "image", "metadata": {"weather": "x"}}')
    table.update_document("a.json", read)
    assert table.cell(0, WEATHER) == Effective("x", FILE)
