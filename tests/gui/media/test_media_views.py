"""MediaViews: preview and timeline follow the current sample; scrubbing; ranges refresh markers."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from core.dataset.index import scan
from core.format.findings import ERROR, Finding
from core.format.samples import SampleRef
from core.workspace import Workspace
from gui.media.views import MediaViews
from tests.videos import encode_video

VIDEO = "v.mp4"


@pytest.fixture
def views(tmp_path, qtbot):
    encode_video(tmp_path / VIDEO, 30)
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("green"))
    image.save(str(tmp_path / "a.png"))
    meta = tmp_path / ".lightly" / "metadata"
    meta.mkdir(parents=True)
    (meta / "v-03-mp4.json").write_text(json.dumps({"file_name": "v-03-mp4.png", "type": "frame",
                                                    "metadata": {"w": 1}}))
    (meta / "schema.json").write_text(json.dumps([{"name": "W", "path": "w", "defaultValue": None,
                                                   "valueDataType": "NUMERIC_INT"}]))
    index = scan(tmp_path)
    ws = Workspace(tmp_path)
    host = QWidget()
    qtbot.addWidget(host)
    views = MediaViews(host)
    bad = Finding(ERROR, "wrong-type", "v-03-mp4.json", "w: wrong", media=VIDEO)
    views.set_session(ws, QUndoStack(host), lambda media: [bad] if media == VIDEO else [])
    views.set_index(index)
    host.show()
    return views


def test_frame_shows_preview_and_timeline_with_markers(qtbot, views):
    views.show_sample(SampleRef.frame_of(VIDEO, 7, 30))
    assert views.timeline.isVisible()
    assert views.timeline.current() == 7 and views.timeline.n_frames() == 30
    assert views.timeline.strip.own_frames == {3} and views.timeline.strip.problem_frames == {3}
    qtbot.waitUntil(lambda: views.preview.shown_frame == 7)
    views.show_sample(SampleRef.image("a.png"))
    assert not views.timeline.isVisible()
    qtbot.waitUntil(lambda: views.preview.current_image() is not None and views.preview.shown_frame is None)


def test_scrubbing_moves_the_preview_and_reports_the_resting_frame(qtbot, views):
    views.show_sample(SampleRef.video(VIDEO))
    strip = views.timeline.strip
    strip.setFocus()
    with qtbot.waitSignal(views.frameChosen, timeout=20000) as chosen:
        for _ in range(5):
            QTest.keyClick(strip, Qt.Key.Key_Right)
    assert chosen.args == [VIDEO, 5]
    qtbot.waitUntil(lambda: views.preview.shown_frame == 5)


def test_applied_range_updates_the_markers(qtbot, views):
    views.show_sample(SampleRef.frame_of(VIDEO, 0, 30))
    views.range_actions.ask_values = lambda video, start, end, n: (start, end, {"w": 2})
    views.timeline.set_selected_range((10, 12))
    with qtbot.waitSignal(views.rangeWritten):
        views.timeline.apply_range_action.trigger()
    assert views.timeline.strip.own_frames == {3, 10, 11, 12}
    views.range_actions.undo_stack.undo()  # a write pass too: markers follow
    assert views.timeline.strip.own_frames == {3}
