"""Saving into a bucket: one conditional PUT per file under the right (frame-padded) key;
an object changed by someone else since it was read is never overwritten silently; a failed
upload leaves the old object and the edit unsaved, and Save works again afterwards."""

from __future__ import annotations

import json

import pytest

from core.dataset.index import scan
from core.storage import StorageConflict, conditional
from core.workspace import ConflictError, Workspace, WriteError

META = "ds/.lightly/metadata"


def open_ws(url: str) -> Workspace:
    index = scan(url)
    ws = Workspace(index.media_root, index.lightly_root)
    ws.index = index
    return ws


def test_edit_saved_as_object_under_padded_key(bucket, template):
    ws = open_ws(bucket.upload(template, "ds"))
    frame = ws.index.sample("videos/v.mp4", 3)  # 12 frames: two digits
    ws.set_value(frame, "label", "bus")
    ws.set_value("images/a.json", "label", "dog")
    assert ws.save(frame) and ws.save("images/a.json")
    written = json.loads(bucket.get(f"{META}/videos/v-03-mp4.json"))
    assert written == {"file_name": "videos/v-03-mp4.png", "type": "frame", "metadata": {"label": "bus"}}
    a = bucket.get(f"{META}/images/a.json")
    assert json.loads(a)["metadata"]["label"] == "dog" and a.endswith(b"\n")
    assert not ws.document("images/a.json").modified
    ws.set_value("images/a.json", "label", "cow")  # a second save after our own write
    assert ws.save("images/a.json")
    assert json.loads(bucket.get(f"{META}/images/a.json"))["metadata"]["label"] == "cow"


def test_outside_change_is_detected_never_overwritten(bucket, template):
    ws = open_ws(bucket.upload(template, "ds"))
    ws.document("images/a.json")
    outside = b'{"file_name": "images/a.png", "type": "image", "metadata": {"label": "theirs"}}\n'
    bucket.put(f"{META}/images/a.json", outside)
    assert ws.changed_on_disk("images/a.json")
    ws.set_value("images/a.json", "label", "mine")
    with pytest.raises(ConflictError):
        ws.save("images/a.json")
    assert bucket.get(f"{META}/images/a.json") == outside
    assert ws.document("images/a.json").modified
    ws.reload("images/a.json")
    assert ws.document("images/a.json").value("label") == "theirs"


def test_write_refuses_a_stale_version(bucket, template):
    url = bucket.upload(template, "ds")
    ws = open_ws(url)
    path = ws.path_of("images/a.json")
    read = ws.document("images/a.json").disk
    bucket.put(f"{META}/images/a.json", b'{"changed": 1}\n')
    with pytest.raises(StorageConflict):
        path.store.write(path, b"{}\n", read.token)
    assert bucket.get(f"{META}/images/a.json") == b'{"changed": 1}\n'
    # A new file that someone else created meanwhile is not overwritten either.
    new = ws.path_of("images/b.json")
    bucket.put(f"{META}/images/b.json", b'{"theirs": 1}\n')
    with pytest.raises(StorageConflict):
        new.store.write(new, b"{}\n", None)
    assert bucket.get(f"{META}/images/b.json") == b'{"theirs": 1}\n'


def test_the_stores_condition_itself_refuses(bucket, template):
    """The PUT's own condition (If-Match / If-None-Match), without the check before it:
    a change between the editor's check and its PUT is refused by the store."""
    ws = open_ws(bucket.upload(template, "ds"))
    path = ws.path_of("images/a.json")
    read = ws.document("images/a.json").disk
    bucket.put(f"{META}/images/a.json", b'{"changed": 1}\n')
    with pytest.raises(StorageConflict):
        conditional.put(path.store, path, b"{}\n", read.token)
    new = ws.path_of("images/b.json")
    bucket.put(f"{META}/images/b.json", b'{"theirs": 1}\n')
    with pytest.raises(StorageConflict):
        conditional.put(new.store, new, b"{}\n", None)
    assert bucket.get(f"{META}/images/a.json") == b'{"changed": 1}\n'
    assert bucket.get(f"{META}/images/b.json") == b'{"theirs": 1}\n'
    token = conditional.put(path.store, path, b"{}\n", path.store.stat(path).token)
    assert token and bucket.get(f"{META}/images/a.json") == b"{}\n"


def test_failed_upload_keeps_old_object_and_edit(bucket, template, monkeypatch, short_network):
    ws = open_ws(bucket.upload(template, "ds"))
    before = bucket.get(f"{META}/images/a.json")
    ws.set_value("images/a.json", "label", "dog")
    for var in ("AWS_ENDPOINT_URL", "STORAGE_EMULATOR_HOST", "AZURE_STORAGE_CONNECTION_STRING"):
        value = bucket.server.env.get(var)
        if value:  # the same store, but at a port where nothing listens
            monkeypatch.setenv(var, value.replace(value.split(":")[2].split("/")[0], "9"))
    with pytest.raises(WriteError) as e:
        ws.save("images/a.json")
    assert "images/a.json" in str(e.value)
    assert ws.document("images/a.json").modified
    for var, value in bucket.server.env.items():
        monkeypatch.setenv(var, value)
    assert bucket.get(f"{META}/images/a.json") == before
    assert ws.save("images/a.json")  # Save again once the store answers
    assert json.loads(bucket.get(f"{META}/images/a.json"))["metadata"]["label"] == "dog"


def test_frame_padding_fix_renames_the_object(bucket, template):
    from core.validation.fixes import rename_metadata_file, undo_rename

    url = bucket.upload(template, "ds")
    before = bucket.get(f"{META}/videos/v-7-mp4.json")
    rename_metadata_file(url, "videos/v-7-mp4.json", "videos/v-08-mp4.json")
    keys = bucket.keys(META)
    assert "videos/v-08-mp4.json" in keys and "videos/v-7-mp4.json" not in keys
    assert bucket.get(f"{META}/videos/v-08-mp4.json") == before
    undo_rename(url, "videos/v-7-mp4.json", "videos/v-08-mp4.json")
    assert bucket.get(f"{META}/videos/v-7-mp4.json") == before


def test_schema_saved_with_a_conditional_put(bucket, template):
    """schema.json in a bucket: one PUT conditional on the version read; a schema changed
    in the bucket meanwhile is refused by the store (the editor asks), never overwritten."""
    from core.schema.entries import SchemaEntry
    from core.workspace import SchemaConflictError

    ws = open_ws(bucket.upload(template, "ds"))
    entry = SchemaEntry.from_json({"name": "Weather", "path": "weather", "defaultValue": "sun",
                                   "valueDataType": "CATEGORICAL_STRING"})
    ws.set_schema((*ws.schema_entries, entry))
    ws.save_schema()
    assert [e["path"] for e in json.loads(bucket.get(f"{META}/schema.json"))][-1] == "weather"
    assert ws.schema_file.token and not ws.schema_modified
    theirs = b'[{"name": "Theirs", "path": "theirs", "defaultValue": 0, "valueDataType": "NUMERIC_INT"}]\n'
    bucket.put(f"{META}/schema.json", theirs)
    ws.set_schema(ws.schema_entries[:-1])
    with pytest.raises(SchemaConflictError):
        ws.save_schema()
    assert bucket.get(f"{META}/schema.json") == theirs and ws.schema_modified
    path = ws.lightly_root / ".lightly/metadata/schema.json"
    with pytest.raises(StorageConflict):  # the store's own condition, without any check before it
        conditional.put(path.store, path, b"[]\n", ws.schema_file.token)
    ws.save_schema(force=True)  # the user chose Overwrite
    assert json.loads(bucket.get(f"{META}/schema.json"))[-1]["path"] != "theirs"
