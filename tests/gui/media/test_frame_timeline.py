"""FrameTimeline: markers aggregated per pixel column, scrubbing, range selection, keys, signals."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from gui.media.frame_strip import LEVELS, MARGIN, marker_runs
from gui.media.timeline import FrameTimeline

SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def timeline(qtbot):
    t = FrameTimeline()
    qtbot.addWidget(t)
    t.resize(400 + 2 * MARGIN + 12, 110)  # the strip's track: ~400 px
    t.show()
    qtbot.waitExposed(t)
    t.set_video("clip.mp4", 400, {0, 1, 2, 200}, {50})
    return t


def point(t: FrameTimeline, frame: int) -> QPoint:
    strip = t.strip
    x = strip.x_of(frame + 0.5)
    return QPoint(round(x), strip.height() - 12)


def test_marker_runs_merge_frames_and_shade_partial_columns():
    runs = marker_runs(np.array([0, 1, 2, 5]), 10, 100)
    assert runs == [(0, 30, LEVELS), (50, 60, LEVELS)]
    # 10,000 frames on 100 px: column 0 holds frames 0..99
    full = marker_runs(np.arange(100), 10_000, 100)
    assert full == [(0, 1, LEVELS)]
    sparse = marker_runs(np.array([3, 5_000]), 10_000, 100)
    assert sparse == [(0, 1, 1), (50, 51, 1)]
    assert marker_runs(np.array([], dtype=np.int64), 10, 100) == []


def test_many_frames_paint(timeline):
    # The paint time is measured by benchmarks/bench_panels.py, never asserted here.
    frames = set(range(0, 20_000, 3)) | set(range(5_000, 9_000))
    timeline.set_video("long.mp4", 20_000, frames, set(range(0, 20_000, 97)))
    for _ in range(5):
        timeline.strip._runs.clear()
        timeline.strip.repaint()
    assert timeline.strip._runs  # the marker runs were computed again for the paint
    assert f"own file: {len(frames)}" in timeline.legend.text()


def test_set_video_keeps_state_for_the_same_video(timeline):
    assert timeline.objectName() == "frameTimeline"
    timeline.set_current(120)
    timeline.set_selected_range((10, 20))
    timeline.set_video("clip.mp4", 400, {5}, set())
    assert timeline.current() == 120 and timeline.selected_range() == (10, 20)
    assert timeline.strip.own_frames == {5}
    timeline.set_video("other.mp4", 30, set(), set())
    assert timeline.current() == 0 and timeline.selected_range() is None
    assert timeline.title.text() == "other.mp4 — 30 frames"
    timeline.clear()
    assert timeline.video() is None and not timeline.apply_range_action.isEnabled()


def test_set_current_from_code_does_not_emit(qtbot, timeline):
    with qtbot.assertNotEmitted(timeline.frameChanged):
        timeline.set_current(33)
    assert timeline.frame_label.text() == "Frame 033 / 400"


def test_click_and_drag_scrub(qtbot, timeline):
    strip = timeline.strip
    with qtbot.waitSignal(timeline.frameChanged) as sig:
        QTest.mousePress(strip, LEFT, NONE, point(timeline, 100))
    assert sig.args == [100]
    seen: list[int] = []
    timeline.frameChanged.connect(seen.append)
    for f in range(101, 150):
        QTest.mouseMove(strip, point(timeline, f))
    QTest.mouseRelease(strip, LEFT, NONE, point(timeline, 150))
    assert timeline.current() == 150
    assert seen[-1] == 150  # the last position always arrives
    assert len(seen) < 40  # throttled while dragging
    assert timeline.selected_range() is None


def test_shift_drag_selects_a_range_and_ends_can_be_dragged(qtbot, timeline):
    strip = timeline.strip
    ranges: list = []
    timeline.rangeChanged.connect(ranges.append)
    QTest.mousePress(strip, LEFT, SHIFT, point(timeline, 100))
    for f in (150, 250, 399):
        QTest.mouseMove(strip, point(timeline, f))
    QTest.mouseRelease(strip, LEFT, SHIFT, point(timeline, 399))
    assert timeline.selected_range() == (100, 399)
    assert ranges[-1] == (100, 399)
    assert "Range 100–399: 300 frames, 1 with a file" == timeline.range_label.text()
    assert timeline.apply_range_action.isEnabled()
    # drag the start edge from 100 to 80
    edge = QPoint(round(strip.x_of(100)), strip.height() - 12)
    QTest.mousePress(strip, LEFT, NONE, edge)
    QTest.mouseMove(strip, point(timeline, 80))
    QTest.mouseRelease(strip, LEFT, NONE, point(timeline, 80))
    assert timeline.selected_range() == (80, 399)


def test_keys_step_and_extend_the_range(qtbot, timeline):
    strip = timeline.strip
    strip.setFocus()
    timeline.set_current(10)
    with qtbot.waitSignal(timeline.frameChanged) as sig:
        QTest.keyClick(strip, Qt.Key.Key_Right)
    assert sig.args == [11]
    QTest.keyClick(strip, Qt.Key.Key_Left)
    QTest.keyClick(strip, Qt.Key.Key_Left)
    assert timeline.current() == 9
    QTest.keyClick(strip, Qt.Key.Key_Right, SHIFT)
    QTest.keyClick(strip, Qt.Key.Key_Right, SHIFT)
    assert timeline.selected_range() == (9, 11)
    QTest.keyClick(strip, Qt.Key.Key_End, SHIFT)
    assert timeline.selected_range() == (9, 399) and timeline.current() == 399
    QTest.keyClick(strip, Qt.Key.Key_Escape)
    assert timeline.selected_range() is None
    QTest.keyClick(strip, Qt.Key.Key_Home)
    assert timeline.current() == 0
    QTest.keyClick(strip, Qt.Key.Key_Left)
    assert timeline.current() == 0


def test_apply_and_clear_emit_the_range(qtbot, timeline):
    assert not timeline.clear_range_action.isEnabled()
    timeline.set_selected_range((300, 100))
    assert timeline.selected_range() == (100, 300)
    with qtbot.waitSignal(timeline.applyRangeRequested) as sig:
        timeline.apply_range_action.trigger()
    assert sig.args == [100, 300]
    with qtbot.waitSignal(timeline.clearRangeRequested) as sig:
        timeline.clear_range_action.trigger()
    assert sig.args == [100, 300]
    timeline.deselect_action.trigger()
    assert timeline.selected_range() is None
