"""Workspace: edits, snapshots (undo), saving byte-exactly, conflicts and write failures."""

from __future__ import annotations

import json
import os

import pytest

from core.format.keypath import MISSING
from core.format.samples import SampleRef
from core.schema.entries import SchemaEntry
from core.workspace import BrokenFileError, ConflictError, Workspace, WriteError

ODD_FORMAT = (
    '{"file_name": "img.png",  "type": "image", "metadata": {"a": 1, "zz": {"k": [1, 2]}}, "extra": true}'
)


@pytest.fixture
def ds(tmp_path):
    (tmp_path / "img.png").write_bytes(b"png")
    md = tmp_path / ".lightly" / "metadata"
    md.mkdir(parents=True)
    (md / "img.json").write_text(ODD_FORMAT)
    return tmp_path


def meta_dir(root):
    return root / ".lightly" / "metadata"


def test_edit_save_keeps_unknown_keys_and_undo_restores_exact_bytes(ds):
    ws = Workspace(ds)
    img = SampleRef.image("img.png")
    before = ws.snapshot(img)
    ws.set_value(img, "weather.temperature", 21.5)
    assert ws.document(img).modified
    assert ws.save(img)
    saved = json.loads((meta_dir(ds) / "img.json").read_text())
    assert saved["extra"] is True and saved["metadata"]["zz"] == {"k": [1, 2]}
    assert saved["metadata"]["weather"] == {"temperature": 21.5}
    ws.restore(img, before)
    ws.save(img)
    assert (meta_dir(ds) / "img.json").read_text() == ODD_FORMAT
    assert not ws.document(img).modified


def test_frame_file_created_under_padded_name_and_removed_on_undo(ds):
    ws = Workspace(ds)
    frame = SampleRef.frame_of("videos/v.mp4", 150, 200)
    before = ws.snapshot(frame)
    ws.set_value(frame, "scene.kind", "road")
    ws.save(frame)
    path = meta_dir(ds) / "videos" / "v-150-mp4.json"
    assert json.loads(path.read_text()) == {
        "file_name": "videos/v-150-mp4.png",
        "type": "frame",
        "metadata": {"scene": {"kind": "road"}},
    }
    ws.restore(frame, before)
    ws.save(frame)
    assert not path.exists()


def test_reset_of_only_value_in_new_document_leaves_no_file(ds):
    ws = Workspace(ds)
    frame = SampleRef.frame_of("v.mp4", 3, 10)
    ws.set_value(frame, "x", 1)
    ws.remove_value(frame, "x")
    assert ws.document(frame).data is None
    assert not ws.document(frame).modified


def test_outside_change_is_a_conflict_until_forced(ds):
    ws = Workspace(ds)
    img = SampleRef.image("img.png")
    ws.set_value(img, "a", 2)
    target = meta_dir(ds) / "img.json"
    target.write_text('{"file_name": "img.png", "type": "image", "metadata": {"b": 5}}')
    os.utime(target, ns=(1, 1))
    with pytest.raises(ConflictError):
        ws.save(img)
    assert json.loads(target.read_text())["metadata"] == {"b": 5}
    ws.reload(img)
    assert ws.document(img).value("b") == 5 and not ws.document(img).modified


def test_write_failure_keeps_document_modified(ds):
    ws = Workspace(ds)
    sample = SampleRef.image("sub/img2.png")
    # A regular file where the folder should be: fails even for root, unlike chmod.
    (meta_dir(ds) / "sub").write_text("not a folder")
    ws.set_value(sample, "a", 1)
    with pytest.raises(WriteError, match="sub/img2.json"):
        ws.save(sample)
    assert ws.document(sample).modified


def test_broken_file_refuses_form_edits_and_repairs_from_text(ds):
    (meta_dir(ds) / "img.json").write_text('{"file_name": "img.png", "metadata": {"a": 1,},}')
    ws = Workspace(ds)
    img = SampleRef.image("img.png")
    doc = ws.document(img)
    assert doc.broken and doc.disk.error.line == 1
    with pytest.raises(BrokenFileError):
        ws.set_value(img, "a", 2)
    ws.replace_text(img, '{"file_name": "img.png", "type": "image", "metadata": {"a": 1}}')
    assert doc.modified and not doc.broken
    ws.save(img)
    assert json.loads((meta_dir(ds) / "img.json").read_text())["metadata"] == {"a": 1}


def test_apply_values_bulk_touches_only_given_paths(ds):
    ws = Workspace(ds)
    img, other = SampleRef.image("img.png"), SampleRef.image("b.png")
    changed = ws.apply_values([img, other], {"weather.sky": "clear", "a": MISSING})
    assert sorted(changed) == ["b.json", "img.json"]
    assert ws.document(img).data["metadata"] == {"zz": {"k": [1, 2]}, "weather": {"sky": "clear"}}
    assert ws.document(img).data["extra"] is True


def test_listeners_hear_every_edit_and_schema_change(ds):
    ws = Workspace(ds)
    heard = []
    ws.add_listener(heard.append)
    img = SampleRef.image("img.png")
    ws.set_value(img, "a", 3)
    ws.remove_value(img, "a")
    ws.set_schema((SchemaEntry("A", "a", 0, "NUMERIC_INT"),))
    assert heard == ["img.json", "img.json", "schema.json"]
    assert ws.schema_modified and [s.path for s in ws.specs] == ["a"]


def test_schema_save_is_atomic_and_byte_stable(ds):
    ws = Workspace(ds)
    ws.set_schema((SchemaEntry("Temp", "weather.temperature", None, "NUMERIC_FLOAT"),))
    ws.save_schema()
    text = (meta_dir(ds) / "schema.json").read_text()
    assert json.loads(text) == [
        {
            "name": "Temp",
            "path": "weather.temperature",
            "defaultValue": None,
            "valueDataType": "NUMERIC_FLOAT",
        }
    ]
    assert not ws.schema_modified
    assert [p.name for p in meta_dir(ds).iterdir() if p.name.endswith(".tmp")] == []


def test_a_batch_is_announced_once_and_saves_are_told_apart(ds):
    ws = Workspace(ds)
    batches, single = [], []
    ws.add_batch_listener(lambda rels, saved: batches.append((rels, saved)))
    ws.add_listener(single.append)
    img, other = SampleRef.image("img.png"), SampleRef.image("b.png")
    with ws.batch():
        ws.apply_values([img, other], {"a": 5})  # nested batch: announced by the outer one
        ws.set_value(img, "b", 1)
        assert batches == []
    assert batches == [(["img.json", "b.json"], False)] and single == ["img.json", "b.json"]
    for _ in ws.in_batches([img, other], size=1):
        ws.save(_)
    assert batches[1:] == [(["img.json"], True), (["b.json"], True)]


def test_many_paths_resolved_per_folder_refuse_links_out(ds, tmp_path_factory):
    from core.format.naming import UnsafePathError, metadata_path

    outside = tmp_path_factory.mktemp("outside")
    md = meta_dir(ds)
    (md / "sub").mkdir()
    os.symlink(outside / "x.json", md / "sub" / "link.json")
    os.symlink(outside, md / "away")
    ws = Workspace(ds)
    rels = ["img.json", "sub/a.json", "sub/link.json", "away/b.json", "../up.json"]
    got = ws.paths_of(rels)
    assert got[:2] == [metadata_path(ds, "img.json"), metadata_path(ds, "sub/a.json")]
    assert all(isinstance(e, UnsafePathError) for e in got[2:])
    assert ws.load_documents([SampleRef.image("img.png"), "sub/link.json"])
    assert ws.document("sub/link.json").broken  # never read through, never written through
