"""Bulk edits (on the GUI thread and in the background), write failures, and 20 images in ~3 keys each."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from core.format.samples import SampleRef
from gui.common.workers import wait_all
from gui.window.app import build_window
from tests.e2e.annotator.support import (
    ALT,
    CITY_TEXT,
    CTRL,
    REF_TEXT,
    field_of,
    focused,
    key,
    meta,
    read,
    snapshot,
)

# --- bulk edits ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("background", [False, True], ids=["on-gui-thread", "in-worker"])
def test_bulk_edit_of_a_mixed_selection_writes_only_the_touched_field(window, ds, qtbot, monkeypatch,
                                                                       background):
    """One saving model: the bulk edit is unsaved, like a single one, until Save All writes it."""
    import gui.common.batch_write

    if background:
        monkeypatch.setattr(gui.common.batch_write, "SYNC_LIMIT", 1)  # written by the worker
    before = snapshot(ds)
    paths = ["a.png", "y.png", "z.png"]
    window.select_media(paths)
    form = window.form
    assert form.editor("scene").is_mixed()
    statuses = []
    form.statusMessage.connect(statuses.append)
    scene = form.editor("scene")
    scene.setFocus()
    qtbot.waitUntil(lambda: field_of(window) == "scene")
    key(qtbot, Qt.Key.Key_1, ALT)  # "city" on all three
    qtbot.waitUntil(lambda: bool(statuses))
    # y.png had "city" already: it is not changed, and its file is not rewritten.
    assert statuses[-1].endswith(": 2 files changed, not saved yet (Save All, Ctrl+Shift+S, writes them)")
    assert window.undo_stack.count() == 1
    assert snapshot(ds) == before  # nothing written at Enter
    qtbot.waitUntil(window.isWindowModified)
    assert "2 unsaved files" in window.windowTitle()
    assert window.save_all()
    assert (window.saver.writer is not None and window.saver.writer.task is not None) == background
    assert read(ds, "a.json") == {"file_name": "a.png", "type": "image", "metadata": {"scene": "city"}}
    assert meta(ds, "y.json").read_text() == CITY_TEXT
    z = json.loads(REF_TEXT)
    z["metadata"]["scene"] = "city"
    assert read(ds, "z.json") == z  # the other keys, unknown ones and the top-level `extra` kept
    qtbot.waitUntil(lambda: not window.isWindowModified())

    window.findChild(QAction, "actionUndo").trigger()
    qtbot.waitUntil(window.isWindowModified)
    assert window.save_all()
    assert snapshot(ds) == before  # byte for byte, and a.json is gone again


def test_a_bulk_write_failure_is_reported_and_the_edit_stays_undoable(window, ds, qtbot):
    before = snapshot(ds)
    meta(ds, "sub").write_text("a regular file where the folder sub/ is needed")
    window.select_media(["a.png", "sub/d.png", "y.png"])
    window.form.editor("notes").commit_value("checked")
    assert not window.save_all()
    assert len(window.errors) == 1 and "sub/d.json" in window.errors[0]
    assert "The changes are kept in the editor" in window.errors[0]
    assert read(ds, "a.json")["metadata"] == {"notes": "checked"}
    d = window.workspace.document(SampleRef.image("sub/d.png"))
    assert d.modified  # not marked saved
    qtbot.waitUntil(window.isWindowModified)
    window.findChild(QAction, "actionUndo").trigger()
    assert not d.modified
    assert window.save_all()
    assert snapshot(ds) == {**before}


def test_cancelling_a_background_save_keeps_the_rest_as_unsaved_edits(window, ds, qtbot, monkeypatch):
    import gui.common.batch_write

    monkeypatch.setattr(gui.common.batch_write, "SYNC_LIMIT", 1)
    before = snapshot(ds)
    ws, form = window.workspace, window.form
    samples = [SampleRef.image(p) for p in ("a.png", "b.png", "c.png")]
    window.select_samples(samples)
    form.editor("notes").commit_value("half")
    real_save = ws.save

    def save_then_cancel(key, force=False, path=None):  # the user presses Cancel after the first file
        written = real_save(key, force, path)
        window.saver.writer.task.cancel()
        return written

    monkeypatch.setattr(ws, "save", save_then_cancel)
    statuses = []
    window.status.messageChanged.connect(statuses.append)
    assert not window.save_all()
    assert "Saving cancelled" in statuses
    unsaved = [s for s in samples if ws.document(s).modified]
    assert len(unsaved) == 2 and all(ws.document(s).value("notes") == "half" for s in samples)
    qtbot.waitUntil(lambda: "2 unsaved files" in window.windowTitle())
    monkeypatch.setattr(ws, "save", real_save)
    window.findChild(QAction, "actionUndo").trigger()
    assert window.save_all()
    assert snapshot(ds) == before and not any(ws.document(s).modified for s in samples)


# --- done means: 20 demo images, two fields, about three keys each ------------------------------------
def test_twenty_demo_images_take_three_keystrokes_each(tmp_path, qtbot):
    import shutil

    from core.dataset.demo import demo_copy

    demo = demo_copy(dest_root=tmp_path)
    pictures = ["street_0.png", "street_1.jpg", "highway/car_2.png", "park/tree_5.png", "night/lamp_8.png"]
    (demo / "batch").mkdir()
    rels = []
    for i in range(20):
        src = demo / pictures[i % len(pictures)]
        rels.append(f"batch/img_{i + 1:02d}{src.suffix}")
        shutil.copyfile(src, demo / rels[-1])
    w = build_window(demo, remember=False)
    qtbot.addWidget(w)
    w.ask_save_discard_cancel = lambda what: "discard"
    w.show()
    w.activateWindow()
    with qtbot.waitSignal(w.loaded, timeout=30000):
        pass
    qtbot.waitUntil(lambda: w.loader.validated and not w.loader.busy, timeout=30000)
    qtbot.waitUntil(w.isActiveWindow)
    scenes = w.form.editor("scene").known_values()
    weathers = w.form.editor("weather.description").known_values()
    assert len(scenes) >= 3 and len(weathers) >= 3
    keys = 0

    def press(k, mods=Qt.KeyboardModifier.NoModifier):
        nonlocal keys
        qtbot.keyClick(focused() or w, k, mods)
        keys += 1

    press(Qt.Key.Key_PageDown, CTRL)  # Next File from nothing selected: the first file
    press(Qt.Key.Key_E, CTRL)  # into the form
    expected = {}
    for i, rel in enumerate(rels):
        assert [s.media for s in w.form.samples()] == [rel]
        a, b = i % 3 + 1, (i + 1) % 3 + 1
        press(getattr(Qt.Key, f"Key_{a}"), ALT)
        press(getattr(Qt.Key, f"Key_{b}"), ALT)
        press(Qt.Key.Key_Return, CTRL)
        expected[rel] = (scenes[a - 1], weathers[b - 1])
    assert keys == 2 + 3 * len(rels)  # 3.1 keystrokes per file
    for rel, (scene, weather) in expected.items():
        doc = json.loads((demo / ".lightly" / "metadata" / rel).with_suffix(".json").read_text())
        assert doc == {"file_name": rel, "type": "image",
                       "metadata": {"scene": scene, "weather": {"description": weather}}}
    w.close()
    wait_all()
