"""One-step fixes for findings: each fixable code, on real files, and the finding goes away."""

from __future__ import annotations

import json

import pytest

from core.format.findings import ERROR, Finding
from core.format.naming import UnsafePathError
from core.format.samples import SampleRef
from core.validation import fixes
from core.validation.validate import validate_datasource
from core.workspace import Workspace
from tests.datasets import copy_datasource, write_datasource

SCHEMA = [
    {"name": "Count", "path": "count", "defaultValue": 0, "valueDataType": "NUMERICAL_INT"},
    {"name": "Label", "path": "label", "defaultValue": "none", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Odd", "path": "odd", "defaultValue": "", "valueDataType": "STRINGY"},
]
FILES = {
    "schema.json": SCHEMA,
    "images/a.json": {"file_name": "a.png", "type": "video", "extra": 1, "metadata": {"label": "x"}},
    "images/b.json": {"metadata": {"label": "y"}, "note": "kept"},
    "images/c.json": {"file_name": "images/c.png", "type": "image"},
    "videos/v-3-mp4.json": {"file_name": "videos/v-3-mp4.png", "type": "frame", "metadata": {"label": "f"}},
    "videos/v-4-mp4.json": {"file_name": "videos/v-04-mp4.png", "type": "frame", "metadata": {}},
    "videos/v-04-mp4.json": {"file_name": "videos/v-04-mp4.png", "type": "frame", "metadata": {"label": "g"}},
    "old.json": {"file_name": "old.png", "type": "image", "metadata": {}},
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return write_datasource(tmp_path_factory.mktemp("fixes") / "ds",
                            media={f"images/{name}": b"img" for name in ("a.png", "b.png", "c.png")},
                            videos={"videos/v.mp4": 12}, files=FILES, indent=2, end="\n")


@pytest.fixture
def ds(template, tmp_path):
    return copy_datasource(template, tmp_path)


def validated(root):
    index, findings = validate_datasource(root)
    ws = Workspace(root)
    ws.index = index
    return index, findings, ws


def find(findings, code, file=None, path=None) -> Finding:
    for f in findings:
        if f.code == code and (file is None or f.file == file) and (path is None or f.path == path):
            return f
    raise AssertionError(f"no {code} finding for {file} in {[f.text() for f in findings]}")


def codes(findings, file):
    return sorted(f.code for f in findings if f.file == file)


def meta(root, rel):
    return root / ".lightly" / "metadata" / rel


def test_misspelt_type_is_fixed_in_the_schema(ds):
    index, findings, ws = validated(ds)
    finding = find(findings, "unknown-type", "schema.json", "[0].valueDataType")
    fix = fixes.fix_for(finding)
    assert fix.kind == fixes.SCHEMA and fix.label == "Change the type to NUMERIC_INT"
    assert fixes.fix_for(find(findings, "unknown-type", path="[2].valueDataType")) is None  # no guess
    entries = fix.new_entries(ws.schema_entries)
    assert entries[0].value_type == "NUMERIC_INT" and entries[1:] == ws.schema_entries[1:]
    fixes.apply_fix(ws, fix)
    with pytest.raises(fixes.FixError, match="already has a known type"):
        fix.new_entries(ws.schema_entries)
    ws.save_schema()
    _, findings, _ = validated(ds)
    assert [f.path for f in findings if f.code == "unknown-type"] == ["[2].valueDataType"]


def test_file_name_and_type_fixes_keep_every_other_key(ds):
    index, findings, ws = validated(ds)
    assert codes(findings, "images/a.json") == ["extra-top-level-key", "wrong-file-name", "wrong-type-field"]
    name_fix = fixes.fix_for(find(findings, "wrong-file-name", "images/a.json"), index)
    type_fix = fixes.fix_for(find(findings, "wrong-type-field", "images/a.json"), index)
    assert name_fix.kind == type_fix.kind == fixes.DOCUMENT
    assert name_fix.label == "Set file_name to 'images/a.png'" and type_fix.label == "Set type to 'image'"
    fixes.apply_fix(ws, name_fix)
    fixes.apply_fix(ws, type_fix)
    ws.save("images/a.json")
    data = json.loads(meta(ds, "images/a.json").read_text())
    assert data == {"file_name": "images/a.png", "type": "image", "extra": 1, "metadata": {"label": "x"}}
    assert list(data) == ["file_name", "type", "extra", "metadata"]
    _, findings, _ = validated(ds)
    assert codes(findings, "images/a.json") == ["extra-top-level-key"]


def test_missing_keys_are_added_in_their_place(ds):
    index, findings, ws = validated(ds)
    assert codes(findings, "images/b.json") == ["extra-top-level-key", "missing-key", "missing-key"]
    for key in ("file_name", "type"):
        finding = find(findings, "missing-key", "images/b.json", key)
        assert fixes.fix_for(finding) is None  # the expected value needs the index
        fixes.apply_fix(ws, fixes.fix_for(finding, index))
    meta_fix = fixes.fix_for(find(findings, "missing-key", "images/c.json", "metadata"))
    assert meta_fix.label == "Add metadata"
    fixes.apply_fix(ws, meta_fix)
    ws.save("images/b.json")
    ws.save("images/c.json")
    b = json.loads(meta(ds, "images/b.json").read_text())
    assert list(b.items()) == [("file_name", "images/b.png"), ("type", "image"),
                               ("metadata", {"label": "y"}), ("note", "kept")]
    assert json.loads(meta(ds, "images/c.json").read_text())["metadata"] == {}
    _, findings, _ = validated(ds)
    assert codes(findings, "images/b.json") == ["extra-top-level-key"]
    assert codes(findings, "images/c.json") == []


def test_document_fix_refuses_a_file_that_is_not_an_object(ds):
    finding = Finding(ERROR, "wrong-file-name", "images/a.json", "m", path="file_name", fix="images/a.png")
    fix = fixes.fix_for(finding)
    with pytest.raises(fixes.FixError):
        fix.new_data([1, 2])


def test_frame_padding_rename_and_its_undo(ds):
    index, findings, ws = validated(ds)
    finding = find(findings, "frame-padding", "videos/v-3-mp4.json")
    fix = fixes.fix_for(finding, index)
    assert fix.kind == fixes.RENAME and fix.new_rel == "videos/v-03-mp4.json"
    assert fix.label == "Rename to v-03-mp4.json" and "Rename videos/v-3-mp4.json" in fix.question
    content = meta(ds, "videos/v-3-mp4.json").read_bytes()
    ws.document("videos/v-03-mp4.json")  # an open (absent) document follows the rename
    fixes.apply_fix(ws, fix, index)
    assert not meta(ds, "videos/v-3-mp4.json").exists()
    written = json.loads(meta(ds, "videos/v-03-mp4.json").read_text())
    before = json.loads(content)
    # The rename also fits file_name (no follow-on wrong-file-name); every other key is kept, in order.
    assert written == {**before, "file_name": "videos/v-03-mp4.png"}
    assert list(written) == list(before)
    assert ws.document("videos/v-03-mp4.json").data["metadata"] == {"label": "f"}
    assert ws.document("videos/v-3-mp4.json").data is None
    assert index.frame_files["videos/v.mp4"][3] == "videos/v-03-mp4.json"
    assert index.has_own_file(SampleRef.frame_of("videos/v.mp4", 3, 12))
    assert all(f.file != "videos/v-3-mp4.json" for f in index.findings)
    _, after, _ = validated(ds)
    assert codes(after, "videos/v-03-mp4.json") == []  # no second error needing a second fix

    fixes.rename_in_workspace(ws, fix.new_rel, fix.rel, index, restore_text=content.decode())
    assert meta(ds, "videos/v-3-mp4.json").read_bytes() == content  # undo: the exact bytes
    assert not meta(ds, "videos/v-03-mp4.json").exists()


def test_frame_padding_rename_in_workspace_round_trip_restores_the_index(ds):
    index, findings, ws = validated(ds)
    fix = fixes.fix_for(find(findings, "frame-padding", "videos/v-3-mp4.json"), index)
    fixes.rename_in_workspace(ws, fix.rel, fix.new_rel, index)
    fixes.rename_in_workspace(ws, fix.new_rel, fix.rel, index)
    assert "videos/v-3-mp4.json" in index.metadata and "videos/v-03-mp4.json" not in index.metadata
    assert any(f.code == "frame-padding" and f.file == "videos/v-3-mp4.json" for f in index.findings)


def test_rename_is_refused_when_the_target_exists(ds):
    index, findings, ws = validated(ds)
    fix = fixes.fix_for(find(findings, "frame-padding", "videos/v-4-mp4.json"), index)
    before = {rel: meta(ds, rel).read_bytes() for rel in ("videos/v-4-mp4.json", "videos/v-04-mp4.json")}
    with pytest.raises(fixes.FixError, match="already exists"):
        fixes.apply_fix(ws, fix, index)
    assert {rel: meta(ds, rel).read_bytes() for rel in before} == before
    assert "videos/v-4-mp4.json" in index.metadata


def test_rename_is_refused_with_unsaved_edits_and_outside_the_metadata_folder(ds):
    index, findings, ws = validated(ds)
    fix = fixes.fix_for(find(findings, "frame-padding", "videos/v-3-mp4.json"), index)
    ws.set_value("videos/v-3-mp4.json", "label", "changed")
    with pytest.raises(fixes.FixError, match="unsaved changes"):
        fixes.apply_fix(ws, fix, index)
    assert meta(ds, "videos/v-3-mp4.json").exists()
    with pytest.raises(UnsafePathError):
        fixes.rename_metadata_file(ds, "old.json", "../outside.json")
    with pytest.raises(fixes.FixError, match="no longer exists"):
        fixes.rename_metadata_file(ds, "gone.json", "other.json")


def test_findings_without_a_one_step_fix(ds):
    _, findings, _ = validated(ds)
    for code in ("orphan", "extra-top-level-key"):
        assert fixes.fix_for(find(findings, code)) is None
    assert fixes.fix_for(Finding(ERROR, "value-type", "a.json", "m", path="count")) is None
    assert fixes.fix_for(Finding(ERROR, "wrong-type-field", "a.json", "m")) is None  # top-level shape
