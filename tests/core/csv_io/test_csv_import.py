"""CSV import: the dry-run plan, its report, and applying only the cells that differ."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from core.csv_io.command import run_cli
from core.csv_io.export import export_rows, write_csv
from core.csv_io.importer import CsvReadError, apply_plan, detect_delimiter, plan_import
from core.dataset.index import scan
from core.format.samples import SampleRef
from core.schema.entries import compile_schema, read_schema
from core.workspace import Workspace
from tests.datasets import copy_datasource, write_datasource
from tests.datasets import metadata_bytes as disk

SCHEMA = [
    {"name": "Label", "path": "label", "defaultValue": "none", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Speed", "path": "motion.speed", "defaultValue": 0.5, "valueDataType": "NUMERIC_FLOAT"},
    {"name": "Count", "path": "count", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},
    {"name": "Night", "path": "night", "defaultValue": False, "valueDataType": "CATEGORICAL_BOOLEAN"},
]
FILES = {
    "schema.json": SCHEMA,
    "images/a.json": {"file_name": "images/a.png", "type": "image", "comment": "kept",
                      "metadata": {"label": "cat", "motion": {"speed": 2.0}, "extra": [1, 2]}},
    "videos/v.json": {"file_name": "videos/v.mp4", "type": "video", "metadata": {"label": "road"}},
    "videos/v-03-mp4.json": {"file_name": "videos/v-03-mp4.png", "type": "frame",
                             "metadata": {"count": 3}},
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    # Deliberately not the editor's own formatting: untouched files must stay byte-identical.
    return write_datasource(tmp_path_factory.mktemp("import") / "ds",
                            media={f"images/{name}": b"img" for name in ("a.png", "b.jpg", "c.png")},
                            videos={"videos/v.mp4": 12},  # 2-digit frame names
                            files={**FILES, "images/c.json": '{"file_name": "images/c.png",,}'}, indent=4)


@pytest.fixture
def ds(template, tmp_path):
    return copy_datasource(template, tmp_path)


def load(root, rel):
    return json.loads((root / ".lightly" / "metadata" / rel).read_text())


def setup(root):
    index = scan(root)
    specs = compile_schema(read_schema(root).entries)
    ws = Workspace(root)
    ws.index = index
    return index, specs, ws


def plan_of(root, text, ws=None):
    index, specs, ws2 = setup(root)
    ws = ws or ws2
    return plan_import(index, specs, text, read=ws.data_of), ws


# --- planning ----------------------------------------------------------------------------


def test_dry_run_lists_changes_creations_and_skips_equal_cells(ds):
    before = disk(ds)
    text = (
        "file_name,type,Label,Speed,motion.speed\n"  # motion.speed duplicates Speed: see below
    )
    plan, _ = plan_of(ds, text + "images/a.png,image,dog,,\n")
    assert not plan.ok and plan.count("duplicate-column") == 1

    text = (
        "file_name,type,Label,Speed,Count,Night\n"
        "images/a.png,image,dog,2.0,,false\n"  # speed equals its own value, night the default
        "images/b.jpg,image,bird,,7,\n"  # no file yet: created
        "videos/v-03-mp4.png,frame,road,,3,\n"  # label equals the value inherited from the video
        "videos/v-05-mp4.png,frame,,,null,\n"  # null where nothing is stored: nothing to do
    )
    plan, _ = plan_of(ds, text)
    assert plan.ok and plan.can_apply, plan.report_text()
    a, b = SampleRef.image("images/a.png"), SampleRef.image("images/b.jpg")
    assert plan.changes == {a: {"label": "dog"}, b: {"label": "bird", "count": 7}}
    assert plan.creates == [b]
    assert plan.unchanged_cells == 5  # 2.0, false, road, 3, null
    assert plan.key_column == "file_name" and plan.ignored_columns == ["type"]
    assert plan.rows == 4 and plan.matched_rows == 4
    old = {(c.sample.media, c.path): (c.old.value, c.old.source) for c in plan.value_changes}
    assert old[("images/a.png", "label")] == ("cat", "file")
    assert old[("images/b.jpg", "count")] == (0, "default")
    report = plan.report_text()
    assert "files to create 1" in " ".join(report.split())
    assert "images/b.jpg  (new file images/b.json)" in report
    assert "Label: cat (file) -> dog" in report
    assert "Ready: 3 values in 2 files, 1 of them new." in report
    assert disk(ds) == before  # planning never writes


def test_apply_writes_only_differing_cells_and_keeps_everything_else(ds):
    before = disk(ds)
    plan, ws = plan_of(ds, "file_name,Label,Speed\nimages/a.png,dog,2\nimages/b.jpg,bird,\n")
    result = apply_plan(ws, plan)
    assert sorted(result.written) == ["images/a.json", "images/b.json"]
    assert result.created == ["images/b.json"] and not result.failed
    after = disk(ds)
    assert {k for k in after if after[k] != before.get(k)} == {"images/a.json", "images/b.json"}
    expected = json.loads(before["images/a.json"])
    expected["metadata"]["label"] = "dog"  # speed 2 == 2.0: left alone
    assert load(ds, "images/a.json") == expected
    assert list(load(ds, "images/a.json")) == ["file_name", "type", "comment", "metadata"]
    assert load(ds, "images/b.json") == {"file_name": "images/b.jpg", "type": "image",
                                         "metadata": {"label": "bird"}}
    assert "images/b.json" in ws.index.metadata  # the index knows the new file
    # Planning again finds nothing left to do.
    again, _ = plan_of(ds, "file_name,Label,Speed\nimages/a.png,dog,2\nimages/b.jpg,bird,\n")
    assert again.ok and not again.value_changes and again.unchanged_cells == 3


def test_null_stores_null_and_empty_cells_leave_values_alone(ds):
    plan, ws = plan_of(ds, "file_name,Label,Speed\nimages/a.png,,null\n")
    assert plan.changes == {SampleRef.image("images/a.png"): {"motion.speed": None}}
    assert plan.empty_cells == 1
    apply_plan(ws, plan)
    assert load(ds, "images/a.json")["metadata"] == {"label": "cat", "motion": {"speed": None},
                                                     "extra": [1, 2]}


def test_unsaved_workspace_edits_count_as_the_current_value(ds):
    index, specs, ws = setup(ds)
    ws.set_value(SampleRef.image("images/a.png"), "label", "dog")
    plan = plan_import(index, specs, "file_name,Label\nimages/a.png,dog\n", read=ws.data_of)
    assert plan.ok and not plan.value_changes and plan.unchanged_cells == 1


def test_reimporting_an_export_changes_nothing(ds):
    index, specs, ws = setup(ds)
    out = io.StringIO()
    write_csv(export_rows(index, specs, frames=True), specs, out)
    plan = plan_import(index, specs, out.getvalue(), read=ws.data_of)
    # c.png's file is broken: its exported values are the defaults, equal, so no error either.
    assert plan.ok and not plan.value_changes, plan.report_text()
    assert plan.matched_rows == 3 + 1 + 12


# --- keys ----------------------------------------------------------------------------------


def test_frame_keys_padding_range_and_media_key_with_frame_column(ds):
    text = (
        "file_name,Count\n"
        "videos/v-07-mp4.png,5\n"
        "videos/v-7-mp4.png,5\n"  # wrong padding: a warning with the right name
        "videos/v-12-mp4.png,5\n"  # past the last frame (0..11)
        "videos/v.mp4,4\n"
        "nothere.png,1\n"
        ",1\n"
    )
    plan, _ = plan_of(ds, text)
    assert plan.ok  # unmatched rows are warnings
    assert plan.changes == {SampleRef.frame_of("videos/v.mp4", 7, 12): {"count": 5},
                            SampleRef.video("videos/v.mp4"): {"count": 4}}
    messages = [i.text() for i in plan.warnings]
    assert any("line 3: videos/v-7-mp4.png" in m and "did you mean videos/v-07-mp4.png" in m
               for m in messages)
    assert any("line 4" in m and "past the last frame" in m for m in messages)
    assert any("line 6: nothere.png" in m for m in messages)
    assert plan.count("empty-key") == 1 and plan.count("unmatched-row") == 3
    assert plan.mentions_frames

    plan, _ = plan_of(ds, "media,frame,Count\nvideos/v.mp4,7,5\nimages/a.png,,9\n./images/b.jpg,,1\n")
    assert plan.key_column == "media"
    assert plan.changes == {SampleRef.frame_of("videos/v.mp4", 7, 12): {"count": 5},
                            SampleRef.image("images/a.png"): {"count": 9},
                            SampleRef.image("images/b.jpg"): {"count": 1}}


# --- bad CSVs: a clear report, nothing written -----------------------------------------------


def test_wrong_delimiter_is_reported_as_a_single_column(ds):
    plan, _ = plan_of(ds, "file_name|Label\nimages/a.png|dog\n")
    assert not plan.ok and plan.count("delimiter") == 1
    assert "single column 'file_name|Label'" in plan.errors[0].message
    assert "'|'" in plan.errors[0].message
    # Header and rows disagree: the rows are one cell each.
    plan, _ = plan_of(ds, "file_name,Label\nimages/a.png;dog\nimages/b.jpg;cat\n")
    assert not plan.ok and plan.count("delimiter") == 1
    assert "every row has a single cell" in plan.report_text()


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters_are_detected(ds, sep):
    text = sep.join(["file_name", "Label", "Speed"]) + "\n" + sep.join(["images/a.png", "dog", "1.5"]) + "\n"
    assert detect_delimiter(text) == sep
    plan, _ = plan_of(ds, text)
    expected = {SampleRef.image("images/a.png"): {"label": "dog", "motion.speed": 1.5}}
    assert plan.ok and plan.changes == expected


def test_bad_csv_yields_a_clear_report_and_writes_nothing(ds):
    before = disk(ds)
    text = (
        "file_name;Label;Speed;Colour\n"
        "images/a.png;dog;fast;red\n"  # wrong type
        "images/b.jpg;bird;1,5;\n"  # decimal comma
        "images/b.jpg;bird2;;\n"  # duplicate row
        "nothere.png;x;;\n"  # matches no media
        "images/c.png;x;;\n"  # its file is broken
    )
    plan, ws = plan_of(ds, text)
    assert not plan.ok and not plan.can_apply
    kinds = sorted(i.kind for i in plan.issues)
    assert kinds == ["duplicate-row", "not-editable", "unknown-column", "unmatched-row",
                     "value-type", "value-type"]
    report = " ".join(plan.report_text().split())
    for expected in (
        "line 2: images/a.png, column 'Speed': expected NUMERIC_FLOAT: 'fast' is not a number",
        "'1,5' is not a number (use a dot as the decimal separator)",
        "line 4: images/b.jpg: already on line 3: neither row is applied",
        "column 'Colour': matches no schema entry name or path: ignored",
        "line 5: nothere.png: no media file",
        "images/c.json exists but cannot be read",
        "values that don't fit the type 2 error",
        "duplicate rows 1 error",
        "errors: nothing will be written.",
    ):
        assert expected in report, report
    assert SampleRef.image("images/b.jpg") not in plan.changes  # duplicated: neither row
    with pytest.raises(ValueError):
        apply_plan(ws, plan)
    assert disk(ds) == before


def test_structural_problems(ds):
    plan, _ = plan_of(ds, "name,Label\na,b\n")
    assert plan.count("no-key-column") == 1 and plan.key_column is None
    plan, _ = plan_of(ds, "file_name,Colour\nimages/a.png,red\n")
    assert plan.count("no-value-columns") == 1 and "'Label'" in plan.errors[0].message
    plan, _ = plan_of(ds, 'file_name,Label\nimages/a.png,dog,extra\n"unterminated\n')
    assert plan.count("extra-cells") == 1
    plan, _ = plan_of(ds, "\n\n")
    assert plan.count("csv") == 1


def test_value_that_would_replace_other_data_is_refused(ds):
    index, specs, ws = setup(ds)
    ws.set_value(SampleRef.image("images/b.jpg"), "motion", "fast")
    plan = plan_import(index, specs, "file_name,Speed\nimages/b.jpg,3\n", read=ws.data_of)
    assert plan.count("not-editable") == 1
    assert "'motion' holds 'fast', not an object" in plan.errors[0].message


def test_files_are_read_as_utf8_with_bom_and_bad_files_raise(ds, tmp_path):
    good = tmp_path / "v.csv"
    good.write_bytes("\ufefffile_name,Label\nimages/a.png,chien é\n".encode())
    plan, _ = plan_of(ds, good)
    assert plan.source == "v.csv" and plan.changes[SampleRef.image("images/a.png")] == {"label": "chien é"}
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("file_name,Label\nimages/a.png,caf\xe9\n".encode("latin-1"))
    with pytest.raises(CsvReadError, match="line 2 is not UTF-8"):
        plan_of(ds, bad)
    with pytest.raises(CsvReadError):
        plan_of(ds, tmp_path / "missing.csv")


# --- the CLI entry point --------------------------------------------------------------------


def cli(ds, csv_path, dry_run=False, **kw):
    return run_cli(argparse.Namespace(datasource=str(ds), csv_file=str(csv_path), dry_run=dry_run,
                                      lightly_root=None, **kw))


def test_run_cli_exit_codes_and_output(ds, tmp_path, capsys):
    before = disk(ds)
    good = tmp_path / "good.csv"
    good.write_text("file_name,Label\nimages/a.png,dog\nimages/b.jpg,bird\n")
    assert cli(ds, good, dry_run=True) == 0
    out = capsys.readouterr().out
    assert "Ready: 2 values in 2 files, 1 of them new." in out and "Dry run: nothing was written." in out
    assert disk(ds) == before

    bad = tmp_path / "bad.csv"
    bad.write_text("file_name,Label,Count\nimages/a.png,dog,many\n")
    assert cli(ds, bad) == 1
    assert "Nothing was written." in capsys.readouterr().out
    assert disk(ds) == before

    assert cli(ds, good) == 0
    assert "Wrote 2 files (1 created)." in capsys.readouterr().out
    assert load(ds, "images/b.json")["metadata"] == {"label": "bird"}

    assert cli(ds, tmp_path / "missing.csv") == 2
    assert cli(tmp_path / "no-such-folder", good) == 2
    assert "error:" in capsys.readouterr().err
