"""The editor window's preview and video timeline: following the selection, scrubbing, ranges."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

import main
from gui.common.workers import wait_all
from tests.videos import encode_video, frame_index_of

VIDEO = "clips/drive.mp4"
SCHEMA = [{"name": "Weather", "path": "weather", "defaultValue": None, "valueDataType": "CATEGORICAL_STRING"}]


@pytest.fixture(scope="module")
def video_bytes(tmp_path_factory):
    return encode_video(tmp_path_factory.mktemp("v") / "drive.mp4", 400).read_bytes()


@pytest.fixture
def window(tmp_path, qtbot, video_bytes):
    root = tmp_path / "ds"
    (root / "clips").mkdir(parents=True)
    (root / VIDEO).write_bytes(video_bytes)
    image = QImage(32, 24, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    image.save(str(root / "a.png"))
    md = root / ".lightly" / "metadata"
    (md / "clips").mkdir(parents=True)
    (md / "schema.json").write_text(json.dumps(SCHEMA))
    (md / "clips" / "drive-010-mp4.json").write_text(json.dumps(
        {"file_name": "clips/drive-010-mp4.png", "type": "frame", "metadata": {"weather": 3}}))
    w = main.build_window(root)
    qtbot.addWidget(w)
    w.ask_save_discard_cancel = lambda action: "discard"
    w.ask_save_schema_with_errors = lambda errors: True
    w.show()
    with qtbot.waitSignal(w.loaded, timeout=20000):
        pass
    qtbot.waitUntil(lambda: w.loader.validated and not w.loader.busy, timeout=20000)
    w.root = root
    yield w
    w.close()
    wait_all()


def shown_index(preview) -> int:
    image = preview.current_image().convertToFormat(QImage.Format.Format_RGB888)
    line, width, height = image.bytesPerLine(), image.width(), image.height()
    data = bytes(image.constBits())
    rows = (data[y * line: y * line + width * 3] for y in range(height))
    return frame_index_of(width, height, b"".join(rows))


def test_preview_and_timeline_follow_the_selection(window, qtbot):
    preview = window.findChild(QWidget, "previewView")
    timeline = window.findChild(QWidget, "frameTimeline")
    assert preview is not None and timeline is not None
    assert preview.isVisible() and window.form.isVisible()
    window.select_media("a.png")
    qtbot.waitUntil(lambda: preview.current_image() is not None and preview.current_image().width() == 32)
    assert not timeline.isVisible()
    window.select_media(VIDEO, 37)
    qtbot.waitUntil(lambda: preview.shown_frame == 37)
    assert shown_index(preview) == 37
    assert timeline.isVisible() and timeline.current() == 37 and timeline.n_frames() == 400
    assert timeline.strip.own_frames == {10}
    assert 10 in timeline.strip.problem_frames  # a number where a string is expected


def test_scrubbing_moves_the_preview_and_then_the_form(window, qtbot):
    timeline = window.findChild(QWidget, "frameTimeline")
    preview = window.findChild(QWidget, "previewView")
    window.select_media(VIDEO, 0)
    timeline.strip.setFocus()
    for _ in range(4):
        QTest.keyClick(timeline.strip, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: preview.shown_frame == 4)
    qtbot.waitUntil(lambda: window.current_sample.frame == 4, timeout=20000)
    assert window.form.samples()[0].frame == 4


def test_apply_values_to_a_300_frame_range_in_one_action(window, qtbot):
    timeline = window.findChild(QWidget, "frameTimeline")
    window.select_media(VIDEO, 100)
    window.media.range_actions.ask_values = lambda video, start, end, n: (start, end, {"weather": "rain"})
    timeline.set_selected_range((100, 399))
    with qtbot.waitSignal(window.media.rangeWritten, timeout=30000):
        timeline.apply_range_action.trigger()
    folder = window.root / ".lightly" / "metadata" / "clips"
    assert sorted(p.name for p in folder.glob("drive-*.json")) == ["drive-010-mp4.json"]  # not saved yet
    qtbot.waitUntil(lambda: len(timeline.strip.own_frames) == 301)  # unsaved frames are marked too
    qtbot.waitUntil(window.isWindowModified)
    assert "300 unsaved files" in window.windowTitle()
    assert window.status.unsaved_label.text() == "* 300 unsaved files"
    window.findChild(QAction, "actionSaveAll").trigger()
    names = sorted(p.name for p in folder.glob("drive-*.json"))
    assert names == ["drive-010-mp4.json"] + [f"drive-{i:03d}-mp4.json" for i in range(100, 400)]
    data = json.loads((folder / "drive-250-mp4.json").read_text())
    assert data == {"file_name": "clips/drive-250-mp4.png", "type": "frame", "metadata": {"weather": "rain"}}
    qtbot.waitUntil(lambda: not window.isWindowModified())
    assert "unsaved" not in window.windowTitle() and not window.status.unsaved_label.isVisible()
    with qtbot.waitSignal(window.media.rangeWritten, timeout=30000):
        window.findChild(QAction, "actionUndo").trigger()
    qtbot.waitUntil(window.isWindowModified)  # undo is an unsaved edit too
    window.findChild(QAction, "actionSaveAll").trigger()
    assert sorted(p.name for p in folder.glob("drive-*.json")) == ["drive-010-mp4.json"]
    qtbot.waitUntil(lambda: timeline.strip.own_frames == {10})


def test_timeline_follows_a_confirmed_frame_count(window, qtbot):
    """The loader confirms a count in the background: the timeline shown redraws at once."""
    timeline = window.findChild(QWidget, "frameTimeline")
    window.select_media(VIDEO, 37)
    qtbot.waitUntil(lambda: timeline.isVisible() and timeline.current() == 37)
    assert timeline.n_frames() == 400
    window.index.set_frame_count(VIDEO, 300)  # what DatasourceLoader.apply_frame_counts does
    window.loader.frameCountsChanged.emit([VIDEO])
    assert timeline.video() == VIDEO and timeline.n_frames() == 300
    assert timeline.current() == 37  # the playhead stays
    assert timeline.strip.own_frames == {10}
    window.index.set_frame_count(VIDEO, 20)
    window.loader.frameCountsChanged.emit(["other.mp4"])  # not the video shown: untouched
    assert timeline.n_frames() == 300
    window.loader.frameCountsChanged.emit([VIDEO])
    assert timeline.n_frames() == 20 and timeline.current() == 19 and timeline.isVisible()
    window.index.set_frame_count(VIDEO, None, problem="cannot decode the video")
    window.loader.frameCountsChanged.emit([VIDEO])
    assert not timeline.isVisible()
