"""Whole editor flows on a real datasource with a real encoded video: edit in the form, save,
undo, redo — and pin the bytes on disk (frame file names, unknown keys, exact restores)."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

import main
from core.format.samples import SampleRef
from gui.common.workers import wait_all
from gui.file_tree.model import STATE_ROLE
from tests.datasets import WEATHER_SCHEMA, write_datasource
from tests.videos import encode_video

SCHEMA = WEATHER_SCHEMA
# Deliberately not in the editor's own layout, with keys the schema does not know.
IMAGE_TEXT = (
    '{"file_name": "img.png", "type": "image", "source": {"camera": "left", "ids": [1, 2]},\n'
    '  "metadata": {"count": 1, "annotator": "kim", "weather": {"description": "fog", "wind": 3}}}\n'
)


@pytest.fixture(scope="module")
def video_200(tmp_path_factory):
    return encode_video(tmp_path_factory.mktemp("videos") / "drive.mp4", 200).read_bytes()


@pytest.fixture
def ds(tmp_path, video_200):
    media = {"clips/drive.mp4": video_200, "img.png": b"not decoded here"}
    return write_datasource(tmp_path / "ds", media=media,
                            files={"schema.json": SCHEMA, "img.json": IMAGE_TEXT}, indent=2, end="\n")


@pytest.fixture
def window(ds, qtbot):
    w = main.build_window(ds)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.loaded, timeout=30000):
        pass
    qtbot.waitUntil(lambda: w.loader.validated and not w.loader.busy, timeout=30000)
    errors = []
    w.show_error = lambda title, text: errors.append(text)
    w.errors = errors
    w.ask_save_discard_cancel = lambda action: "discard"  # pytest-qt closes the window first
    w.ask_save_schema_with_errors = lambda errors: True
    yield w
    w.close()
    wait_all()


def editor(window, path) -> QWidget:
    found = window.findChild(QWidget, f"field:{path}")
    assert found is not None, f"no editor field:{path}"
    return found


def save(window, qtbot) -> None:
    window.findChild(QAction, "actionSave").trigger()
    assert window.errors == []
    qtbot.waitUntil(lambda: not window.isWindowModified())


def type_into(qtbot, widget, text: str, enter: bool = True) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)
    if enter:
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_frame_150_of_a_200_frame_video_is_saved_under_its_padded_name(window, ds, qtbot):
    frame_file = ds / ".lightly" / "metadata" / "clips" / "drive-150-mp4.json"
    assert window.index.frame_counts["clips/drive.mp4"] == 200
    window.select_media("clips/drive.mp4", 150)
    assert not frame_file.exists()
    assert window.files.model.index_of("clips/drive.mp4", 150).data(STATE_ROLE) == "default"

    type_into(qtbot, editor(window, "weather.temperature"), "12.5")
    qtbot.waitUntil(window.isWindowModified)
    description = editor(window, "weather.description")
    type_into(qtbot, description.lineEdit(), "rain", enter=False)  # Save commits what is typed
    save(window, qtbot)

    assert json.loads(frame_file.read_text()) == {
        "file_name": "clips/drive-150-mp4.png",
        "type": "frame",
        "metadata": {"weather": {"temperature": 12.5, "description": "rain"}},
    }
    assert window.index.has_own_file(SampleRef.frame_of("clips/drive.mp4", 150, 200))
    assert window.files.model.index_of("clips/drive.mp4", 150).data(STATE_ROLE) == "own"
    assert window.findings.for_rel("clips/drive-150-mp4.json") == []
    saved = frame_file.read_bytes()

    undo, redo = (window.findChild(QAction, n) for n in ("actionUndo", "actionRedo"))
    undo.trigger()
    undo.trigger()
    save(window, qtbot)
    assert not frame_file.exists()  # nothing was there before: undo + save removes it again
    redo.trigger()
    redo.trigger()
    save(window, qtbot)
    assert frame_file.read_bytes() == saved


def test_unknown_keys_survive_and_undo_redo_restore_exact_bytes(window, ds, qtbot):
    path = ds / ".lightly" / "metadata" / "img.json"
    window.select_media("img.png")
    type_into(qtbot, editor(window, "count"), "5")
    save(window, qtbot)

    data = json.loads(path.read_text())
    assert data == {
        "file_name": "img.png",
        "type": "image",
        "source": {"camera": "left", "ids": [1, 2]},
        "metadata": {"count": 5, "annotator": "kim", "weather": {"description": "fog", "wind": 3}},
    }
    after_edit = path.read_bytes()

    window.findChild(QAction, "actionUndo").trigger()
    save(window, qtbot)
    assert path.read_text() == IMAGE_TEXT  # the original bytes, layout and all

    window.findChild(QAction, "actionRedo").trigger()
    save(window, qtbot)
    assert path.read_bytes() == after_edit


def test_an_outside_edit_is_not_overwritten_without_asking(window, ds, qtbot):
    path = ds / ".lightly" / "metadata" / "img.json"
    asked = []
    window.ask_conflict = lambda rel: asked.append(rel) or "cancel"
    window.select_media("img.png")
    type_into(qtbot, editor(window, "count"), "8")
    outside = IMAGE_TEXT.replace('"count": 1', '"count": 42')
    path.write_text(outside)
    os.utime(path, ns=(1, 1))
    window.findChild(QAction, "actionSave").trigger()
    assert asked == ["img.json"]
    assert path.read_text() == outside
    qtbot.waitUntil(window.isWindowModified)
