"""A bulk edit of a big selection runs in a worker: reading, applying, undo and redo; Cancel
while reading leaves every file (and the undo stack) as it was; every view agrees after it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QProgressDialog

import gui.common.batch_write
from core.format.samples import SampleRef
from tests.e2e.annotator.support import snapshot

PATHS = ["a.png", "b.png", "c.png", "y.png", "z.png", "sub/d.png"]


@pytest.fixture
def big(monkeypatch):
    """Six files count as a big selection (the worker path), as 10k would."""
    monkeypatch.setattr(gui.common.batch_write, "EDIT_IN_BACKGROUND", 3)


def settle(window, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=30000)


def test_edit_undo_redo_run_in_the_worker_and_every_view_follows(window, ds, qtbot, big):
    before = snapshot(ds)
    samples = [SampleRef.image(p) for p in PATHS]
    window.select_samples(samples)
    form, writer, ws = window.form, window.form.bulk_writer, window.workspace
    dialogs = []
    real_dialog = writer.make_progress_dialog
    writer.make_progress_dialog = lambda title, n: dialogs.append(real_dialog(title, n)) or dialogs[-1]
    with qtbot.waitSignal(writer.edited, timeout=30000):
        form.editor("scene").commit_value("beach")
        assert writer._command is not None  # pushed; the worker does the rest (no event handled yet)
        assert isinstance(dialogs[0], QProgressDialog) and "Reading 6 files" in dialogs[0].labelText()
        assert dialogs[0].isModal()
    settle(window, qtbot)
    assert all(ws.document(s).value("scene") == "beach" for s in samples)
    assert window.undo_stack.count() == 1
    assert form.editor("scene").value() == "beach" and not form.editor("scene").is_mixed()
    assert "6 files changed, not saved yet" in window.statusBar().currentMessage()
    assert "6 unsaved files" in window.windowTitle()  # title, status bar: the same truth
    assert snapshot(ds) == before  # unsaved, like every edit

    with qtbot.waitSignal(writer.edited, timeout=30000):
        window.undo_stack.undo()
    settle(window, qtbot)
    assert ws.document(SampleRef.image("y.png")).value("scene") == "city"
    assert not any(ws.document(s).modified for s in samples)
    assert form.editor("scene").is_mixed()
    assert not window.isWindowModified()

    with qtbot.waitSignal(writer.edited, timeout=30000):
        window.undo_stack.redo()
    settle(window, qtbot)
    assert all(ws.document(s).value("scene") == "beach" for s in samples)
    assert window.save_all()
    settle(window, qtbot)
    assert not window.isWindowModified()
    assert snapshot(ds) != before and all(
        ws.document(s).disk.data["metadata"]["scene"] == "beach" for s in samples)


def test_cancel_while_reading_changes_nothing_and_leaves_no_undo_step(window, ds, qtbot, big, monkeypatch):
    before = snapshot(ds)
    samples = [SampleRef.image(p) for p in PATHS]
    window.select_samples(samples)
    form, writer, ws = window.form, window.form.bulk_writer, window.workspace
    writer.make_progress_dialog = lambda title, total: None
    real_load = ws.load_documents

    def load_then_cancel(keys, progress=None, cancel=None):  # the user pressed Cancel at once
        return real_load(keys, progress, lambda: True)

    monkeypatch.setattr(ws, "load_documents", load_then_cancel)
    with qtbot.waitSignal(writer.edited, timeout=30000):
        form.editor("scene").commit_value("beach")
    settle(window, qtbot)
    assert window.undo_stack.count() == 0  # the step was dropped, nothing to undo
    assert not any(ws.document(s).modified for s in samples)
    assert "cancelled while reading the files; nothing was changed" in window.statusBar().currentMessage()
    assert snapshot(ds) == before and not window.isWindowModified()


def test_a_file_that_is_not_valid_json_is_skipped_in_the_worker(window, ds, qtbot, big):
    (ds / ".lightly" / "metadata" / "b.json").write_text("{not json")
    samples = [SampleRef.image(p) for p in PATHS]
    window.select_samples(samples)
    writer, ws = window.form.bulk_writer, window.workspace
    writer.make_progress_dialog = lambda title, total: None
    with qtbot.waitSignal(writer.edited, timeout=30000):
        window.form.editor("scene").commit_value("beach")
    settle(window, qtbot)
    assert ws.document(SampleRef.image("b.png")).broken and not ws.document(SampleRef.image("b.png")).modified
    assert sum(ws.document(s).modified for s in samples) == 5
    assert "skipped 1 that is not valid JSON" in window.statusBar().currentMessage()
