"""Never lose data: conflicts by content, no save into a vanished datasource, links out of the
folder never read nor written through, temporary files that are never read and cleaned up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from core.format import jsonio
from core.format.samples import SampleRef
from core.schema.entries import SchemaEntry
from core.workspace import ConflictError, SchemaConflictError, Workspace, WriteError
from tests.datasets import metadata_dir, write_datasource

IMG = SampleRef.image("img.png")
DOC = '{"file_name": "img.png", "type": "image", "metadata": {"label": "cat"}}\n'
SCHEMA = [{"name": "Label", "path": "label", "defaultValue": "", "valueDataType": "CATEGORICAL_STRING"}]


@pytest.fixture
def ds(tmp_path):
    return write_datasource(tmp_path / "ds", media={"img.png": b"png"},
                            files={"img.json": DOC, "schema.json": SCHEMA})


def test_outside_edit_that_keeps_size_and_mtime_is_a_conflict(ds):
    ws = Workspace(ds)
    ws.set_value(IMG, "label", "dog")
    path = metadata_dir(ds) / "img.json"
    st = os.stat(path)
    outside = DOC.replace("cat", "owl")  # same size
    path.write_text(outside)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as cp -p / rsync -t leave it
    assert os.stat(path).st_size == st.st_size and os.stat(path).st_mtime_ns == st.st_mtime_ns
    assert ws.changed_on_disk("img.json")
    with pytest.raises(ConflictError):
        ws.save(IMG)
    assert path.read_text() == outside
    assert ws.document(IMG).modified


def test_touching_a_file_without_changing_it_is_no_conflict(ds):
    ws = Workspace(ds)
    ws.set_value(IMG, "label", "dog")
    path = metadata_dir(ds) / "img.json"
    os.utime(path, ns=(1, 1))
    assert not ws.changed_on_disk("img.json")
    assert ws.save(IMG)


def test_schema_changed_outside_is_not_overwritten(ds):
    ws = Workspace(ds)
    ws.set_schema(ws.schema_entries + (SchemaEntry("Night", "night", None, "CATEGORICAL_BOOLEAN"),))
    path = metadata_dir(ds) / "schema.json"
    outside = path.read_text().replace("Label", "Lable")
    st = os.stat(path)
    path.write_text(outside)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(SchemaConflictError) as info:
        ws.save_schema()
    assert isinstance(info.value, WriteError)  # the window's "could not save" path refuses it too
    assert path.read_text() == outside
    ws.save_schema(force=True)
    assert "Night" in path.read_text()


@pytest.mark.parametrize("gone", ["root", "lightly"])
def test_saving_into_a_vanished_datasource_is_refused_and_recreates_nothing(tmp_path, gone):
    media = write_datasource(tmp_path / "media", media={"img.png": b"png"})
    lroot = tmp_path / "out"
    (lroot / ".lightly" / "metadata").mkdir(parents=True)
    ws = Workspace(media, lroot)
    ws.set_value(IMG, "label", "dog")
    shutil.rmtree(media if gone == "root" else lroot)
    with pytest.raises(WriteError, match="no longer exists"):
        ws.save(IMG)
    assert not (media if gone == "root" else lroot).exists()
    assert ws.document(IMG).modified
    with pytest.raises(WriteError, match="no longer exists"):
        ws.save_schema()


def test_write_atomic_refuses_a_missing_root(tmp_path):
    with pytest.raises(FileNotFoundError):
        jsonio.write_atomic(tmp_path / "gone" / ".lightly" / "metadata" / "a.json", "{}",
                            root=tmp_path / "gone")
    assert not (tmp_path / "gone").exists()


def test_a_link_out_of_the_metadata_folder_is_never_read_nor_written_through(ds, tmp_path):
    outside = tmp_path / "secret.json"
    outside.write_text(DOC.replace("cat", "secret"))
    link = metadata_dir(ds) / "img.json"
    link.unlink()
    link.symlink_to(outside)
    ws = Workspace(ds)
    doc = ws.document(IMG)
    assert doc.broken and doc.disk.error.code == "link-outside"
    assert "secret" not in (doc.disk.text or "")
    assert ws.data_of("img.json") is None
    ws.replace_data(IMG, {"file_name": "img.png", "type": "image", "metadata": {}})
    with pytest.raises(WriteError, match="outside"):
        ws.save(IMG)
    assert outside.read_text() == DOC.replace("cat", "secret")


def test_temporary_files_are_named_so_nobody_reads_them_and_stale_ones_go(ds):
    from core.dataset.index import scan

    md = metadata_dir(ds)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = md / f".img.json.{dead}.abc123.tmp"
    live = md / f".img.json.{os.getpid()}.xyz789.tmp"
    for p in (stale, live):
        p.write_text('{"partial": ')
        assert jsonio.is_temp_name(p.name) and not p.name.endswith(".json")
    index = scan(ds)
    assert sorted(index.metadata) == ["img.json"]  # temporary files are not metadata
    assert sorted(index.temp_files) == sorted([str(stale), str(live)])
    assert jsonio.remove_stale_temps(index.temp_files) == [str(stale)]
    assert not stale.exists() and live.exists()  # a write in progress (this process) stays
    old = md / f".img.json.{os.getpid()}.old000.tmp"
    old.write_text("")
    os.utime(old, (1, 1))
    assert jsonio.remove_stale_temps([old]) == [str(old)]
    legacy = md / ".img.json.k2j4h_9x.tmp"  # named by an earlier version: no process id
    legacy.write_text("{")
    assert jsonio.is_temp_name(legacy.name) and jsonio.remove_stale_temps([legacy]) == []  # just written
    os.utime(legacy, (1, 1))
    assert jsonio.remove_stale_temps([legacy]) == [str(legacy)]


def test_atomic_output_leaves_nothing_when_writing_fails(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), jsonio.atomic_output(target) as f:
        f.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    with jsonio.atomic_output(target) as f:
        f.write("new\n")
    assert target.read_text() == "new\n" and sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
