"""The editor window over a real temporary datasource: loading, selecting, modified state, saving.

Dialogs are replaced by `Answers`, which records every question and gives a set answer.
"""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QApplication, QTableView, QTreeView, QWidget

import main
from core.format.samples import SampleRef
from gui.common import settings
from gui.common.commands import set_value_command
from gui.common.workers import wait_all
from gui.file_tree.model import SAMPLE_ROLE, STATE_ROLE
from tests.datasets import WEATHER_SCHEMA, write_datasource

SCHEMA = WEATHER_SCHEMA
IMG_TEXT = '{"file_name": "img.png", "type": "image", "metadata": {"count": 1}}\n'


def make_datasource(root):
    media = dict.fromkeys(("img.png", "sub/b.jpg", "other.png"), b"image bytes are not read")
    return write_datasource(root, media=media,
                            files={"schema.json": SCHEMA, "img.json": IMG_TEXT}, indent=2, end="\n")


class Answers:
    """Stands in for the window's dialogs: records questions, returns preset answers."""

    def __init__(self, window):
        self.save_discard = "discard"
        self.conflict = "cancel"
        self.asked: list[tuple[str, str]] = []
        self.errors: list[str] = []
        window.ask_save_discard_cancel = self._save_discard
        window.ask_save_schema_with_errors = lambda errors: True
        window.ask_conflict = self._conflict
        window.show_error = lambda title, text: self.errors.append(f"{title}: {text}")

    def _save_discard(self, action):
        self.asked.append(("save_discard", action))
        return self.save_discard

    def _conflict(self, rel):
        self.asked.append(("conflict", rel))
        return self.conflict


@pytest.fixture
def open_window(qtbot):
    opened = []

    def _open(root, lightly_root=None):
        window = main.build_window(root, lightly_root)
        qtbot.addWidget(window)
        window.answers = Answers(window)
        opened.append(window)
        with qtbot.waitSignal(window.loaded, timeout=20000):
            pass
        qtbot.waitUntil(lambda: window.loader.validated and not window.loader.busy, timeout=20000)
        return window

    yield _open
    for window in opened:
        window.answers.save_discard = "discard"
        window.close()
    wait_all()


@pytest.fixture
def ds(tmp_path):
    return make_datasource(tmp_path / "ds")


def action(window, name) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def meta(root, rel):
    return root / ".lightly" / "metadata" / rel


def test_loaded_fires_and_fills_the_tree_and_status_bar(open_window, ds):
    window = open_window(ds)
    tree = window.findChild(QTreeView, "fileTree")
    names = [tree.model().index(r, 0).data() for r in range(tree.model().rowCount())]
    assert names == ["sub", "img.png", "other.png"]
    assert "3 images" in window.counts_label.text()
    assert "0 errors" in window.counts_label.text()
    assert window.windowTitle() == "ds[*] — Lightly Metadata Editor"
    assert not window.isWindowModified()
    assert window.findChild(QWidget, "metadataForm") is not None
    assert window.findChild(QTableView, "schemaTable") is not None
    for name in ("actionSave", "actionSaveAll", "actionUndo", "actionRedo"):
        action(window, name)
    assert settings.split_recent(settings.get("recent/folders")[0])[0] == str(ds)


def test_select_media_selects_the_row_and_shows_the_form(open_window, ds):
    window = open_window(ds)
    window.select_media("sub/b.jpg")
    tree = window.findChild(QTreeView, "fileTree")
    sample = SampleRef.image("sub/b.jpg")
    assert tree.currentIndex().data(SAMPLE_ROLE) == sample
    assert window.form.samples() == [sample]
    assert window.findChild(QWidget, "field:weather.temperature") is not None

    window.select_media(["img.png", "other.png"])
    assert window.form.samples() == [SampleRef.image("img.png"), SampleRef.image("other.png")]
    selected = {i.data(SAMPLE_ROLE) for i in tree.selectionModel().selectedRows()}
    assert selected == {SampleRef.image("img.png"), SampleRef.image("other.png")}

    with pytest.raises(ValueError):
        window.select_media("does/not/exist.png")


def test_keyboard_moves_in_the_tree_and_the_form_follows(open_window, ds, qtbot):
    window = open_window(ds)
    window.show()
    window.select_media("img.png")
    tree = window.findChild(QTreeView, "fileTree")
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert window.form.samples() == [SampleRef.image("other.png")]


def test_title_shows_unsaved_edits_until_saved_or_undone(open_window, ds, qtbot):
    window = open_window(ds)
    window.select_media("img.png")
    sample = SampleRef.image("img.png")
    ws = window.workspace
    window.undo_stack.push(set_value_command(ws, sample, "weather.temperature", 3.5))
    qtbot.waitUntil(window.isWindowModified)
    assert window.menu_actions.save_all.isEnabled()

    action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: not window.isWindowModified())
    assert meta(ds, "img.json").read_text() == IMG_TEXT

    action(window, "actionRedo").trigger()
    qtbot.waitUntil(window.isWindowModified)
    action(window, "actionSave").trigger()
    qtbot.waitUntil(lambda: not window.isWindowModified())
    saved = json.loads(meta(ds, "img.json").read_text())
    assert saved["metadata"] == {"count": 1, "weather": {"temperature": 3.5}}

    action(window, "actionUndo").trigger()  # back to what was on disk before: unsaved again
    qtbot.waitUntil(window.isWindowModified)
    action(window, "actionSave").trigger()
    qtbot.waitUntil(lambda: not window.isWindowModified())
    assert meta(ds, "img.json").read_text() == IMG_TEXT


def test_save_all_writes_every_modified_file_and_the_schema(open_window, ds, qtbot):
    window = open_window(ds)
    ws = window.workspace
    for media in ("other.png", "sub/b.jpg"):
        window.undo_stack.push(set_value_command(ws, SampleRef.image(media), "count", 7))
    from core.schema.entries import SchemaEntry
    from gui.common.commands import SchemaCommand

    entry = SchemaEntry("Night", "night", False, "CATEGORICAL_BOOLEAN")
    window.undo_stack.push(SchemaCommand(ws, ws.schema_entries + (entry,), "Add entry"))
    qtbot.waitUntil(window.isWindowModified)
    action(window, "actionSaveAll").trigger()
    qtbot.waitUntil(lambda: not window.isWindowModified())
    assert json.loads(meta(ds, "other.json").read_text())["metadata"] == {"count": 7}
    assert json.loads(meta(ds, "sub/b.json").read_text()) == {
        "file_name": "sub/b.jpg", "type": "image", "metadata": {"count": 7}}
    assert json.loads(meta(ds, "schema.json").read_text())[-1]["path"] == "night"
    qtbot.waitUntil(lambda: not window.loader.busy)  # the schema save re-validates everything


def test_saving_revalidates_that_file_without_a_rescan(open_window, ds, qtbot):
    window = open_window(ds)
    sample = SampleRef.image("other.png")
    window.select_media("other.png")
    window.undo_stack.push(set_value_command(window.workspace, sample, "weather.temperature", "hot"))
    scans = []
    window.loader.indexReady.connect(scans.append)
    assert window.save_current()
    codes = [f.code for f in window.findings.for_rel("other.json")]
    assert codes == ["value-type"]
    row = window.files.model.index_of("other.png")
    assert row.data(STATE_ROLE) == "error"
    assert "1 error" in window.counts_label.text()
    assert window.workspace.index.has_own_file(sample)
    assert scans == []


def test_close_with_unsaved_changes_asks_and_cancel_keeps_the_window(open_window, ds, qtbot):
    window = open_window(ds)
    window.show()
    answers = window.answers
    window.undo_stack.push(set_value_command(window.workspace, SampleRef.image("other.png"), "count", 2))
    answers.save_discard = "cancel"
    assert not window.close()
    assert answers.asked == [("save_discard", "Close")]
    assert window.isVisible()
    assert not meta(ds, "other.json").exists()

    answers.save_discard = "save"
    assert window.close()
    assert json.loads(meta(ds, "other.json").read_text())["metadata"] == {"count": 2}


def test_opening_another_datasource_with_unsaved_changes_asks(open_window, ds, tmp_path, qtbot):
    window = open_window(ds)
    other = make_datasource(tmp_path / "other")
    window.undo_stack.push(set_value_command(window.workspace, SampleRef.image("other.png"), "count", 2))
    window.answers.save_discard = "cancel"
    assert not window.open_datasource(other)
    assert window.workspace.media_root == ds

    window.answers.save_discard = "discard"
    with qtbot.waitSignal(window.loaded, timeout=20000):
        assert window.open_datasource(other)
    assert window.workspace.media_root == other
    assert window.windowTitle().startswith("other[*]")
    assert not window.isWindowModified()
    assert not meta(ds, "other.json").exists()


def test_file_changed_on_disk_is_not_overwritten_without_asking(open_window, ds, qtbot):
    window = open_window(ds)
    sample = SampleRef.image("img.png")
    window.select_media("img.png")
    window.undo_stack.push(set_value_command(window.workspace, sample, "count", 5))
    outside = '{"file_name": "img.png", "type": "image", "metadata": {"count": 99}}\n'
    path = meta(ds, "img.json")
    path.write_text(outside)
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock

    window.answers.conflict = "cancel"
    action(window, "actionSave").trigger()
    assert window.answers.asked == [("conflict", "img.json")]
    assert path.read_text() == outside
    assert window.workspace.document(sample).modified
    qtbot.waitUntil(window.isWindowModified)

    window.answers.conflict = "reload"
    action(window, "actionSave").trigger()
    assert path.read_text() == outside
    assert window.workspace.document(sample).data["metadata"] == {"count": 99}
    qtbot.waitUntil(lambda: not window.isWindowModified())

    window.undo_stack.push(set_value_command(window.workspace, sample, "count", 6))
    path.write_text(outside.replace("99", "98"))
    os.utime(path, ns=(2, 2))
    window.answers.conflict = "overwrite"
    action(window, "actionSave").trigger()
    assert json.loads(path.read_text())["metadata"] == {"count": 6}
    qtbot.waitUntil(lambda: not window.isWindowModified())


def test_write_failure_is_reported_and_the_document_stays_modified(open_window, ds, qtbot):
    sub = meta(ds, "sub")
    if os.geteuid() == 0:  # root writes into read-only folders: put a file where the folder goes
        sub.write_text("not a folder")
    else:
        sub.mkdir()
        sub.chmod(0o555)
    try:
        window = open_window(ds)
        sample = SampleRef.image("sub/b.jpg")
        window.select_media("sub/b.jpg")
        window.undo_stack.push(set_value_command(window.workspace, sample, "count", 3))
        action(window, "actionSave").trigger()
        assert len(window.answers.errors) == 1
        assert "sub/b.json" in window.answers.errors[0]
        assert window.workspace.document(sample).modified
        qtbot.waitUntil(window.isWindowModified)
        assert not window.save_all()
    finally:
        if sub.is_dir():
            sub.chmod(0o755)


def test_dropping_a_folder_opens_it(open_window, ds, tmp_path, qtbot):
    window = open_window(ds)
    other = make_datasource(tmp_path / "dropped")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.dropEvent(event)
    assert window.workspace.media_root == other


def test_confirmed_frame_counts_update_the_tree_and_findings(open_window, tmp_path, qtbot):
    from core.video.counting import FrameCountResult
    from tests.videos import encode_video

    root = make_datasource(tmp_path / "vids")
    encode_video(root / "clip.mp4", 12)
    window = open_window(root)
    # open_window waited until the loader was idle: the real background count (12) has been
    # delivered and applied, so nothing can overwrite the count injected below.
    assert not window.loader.running("confirm") and window.index.frame_counts["clip.mp4"] == 12
    model = window.files.model
    video = model.index_of("clip.mp4")
    model.fetchMore(video)
    assert model.rowCount(video) == 12
    with qtbot.waitSignal(window.validated, timeout=20000):
        window.loader.apply_frame_counts([FrameCountResult("clip.mp4", 10, 12, True, None, True)])
    assert window.index.frame_counts["clip.mp4"] == 10
    assert model.rowCount(video) == 10
    assert [f.code for f in window.findings.for_sample(SampleRef.video("clip.mp4"))] == ["unreadable-video"]


def test_window_layout_and_recent_folders_are_remembered(open_window, ds):
    window = open_window(ds)
    window.close()
    assert not settings.get("window/state").isEmpty()
    assert not settings.get("window/geometry").isEmpty()
    assert settings.split_recent(settings.get("recent/last")) == (str(ds), None)


def test_file_open_uses_the_dialog_answer_and_a_separate_lightly_root(open_window, ds, tmp_path, qtbot):
    window = open_window(ds)
    media, lightly = tmp_path / "media", tmp_path / "out"
    (media / "x").mkdir(parents=True)
    (media / "x" / "p.png").write_bytes(b"")
    make_datasource(lightly)
    window.ask_open_datasource = lambda: (str(media), str(lightly))
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.findChild(QAction, "actionOpen").trigger()
    assert window.workspace.lightly_root == lightly
    assert window.index.orphans == ["img.json"]  # metadata of the other root's image
    assert [e.path for e in window.workspace.schema_entries][0] == "weather.description"


def test_keyboard_only_path_from_filter_to_tree_to_form(open_window, ds, qtbot):
    window = open_window(ds)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    action(window, "actionFindFile").trigger()
    assert window.files.filter_edit.hasFocus()
    qtbot.keyClicks(window.files.filter_edit, "other")
    qtbot.keyClick(window.files.filter_edit, Qt.Key.Key_Down)
    tree = window.findChild(QTreeView, "fileTree")
    assert tree.hasFocus()
    assert window.form.samples() == [SampleRef.image("other.png")]
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    first = window.findChild(QWidget, "field:weather.description")
    qtbot.waitUntil(lambda: first.hasFocus() or first.isAncestorOf(QApplication.focusWidget()))


def test_files_written_by_a_bulk_edit_are_validated_again(open_window, ds, qtbot):
    from gui.common.commands import bulk_values_command

    window = open_window(ds)
    samples = [SampleRef.image("other.png"), SampleRef.image("sub/b.jpg")]
    window.undo_stack.push(bulk_values_command(window.workspace, samples, {"count": "many"}, "Bulk"))
    assert json.loads(meta(ds, "other.json").read_text())["metadata"] == {"count": "many"}
    qtbot.waitUntil(lambda: [f.code for f in window.findings.for_rel("sub/b.json")] == ["value-type"])
    assert window.index.has_own_file(SampleRef.image("other.png"))
    assert not window.isWindowModified()
