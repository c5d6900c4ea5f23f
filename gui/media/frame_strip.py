"""The painted strip of FrameTimeline: a ruler, marker lanes, the selected range, the playhead.

Markers are aggregated per pixel column (numpy), so 10,000+ frames paint as a few dozen
rectangles. Drag scrubs (the frame follows the mouse, reported at most every
`THROTTLE_MS`); Shift+drag selects a range; the range's ends can be dragged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

if TYPE_CHECKING:  # numpy loads when a video's markers are first drawn, not at start-up
    import numpy as np

OWN_COLOR = QColor("#2e7dd7")
PROBLEM_COLOR = QColor("#d9433b")
RANGE_FILL = QColor(255, 176, 32, 80)
RANGE_EDGE = QColor("#e08a00")
PLAYHEAD = QColor("#1f1f1f")
THROTTLE_MS = 40
MARGIN = 10  # room for the playhead handle at both ends
RULER_H, LANE_H, GAP = 16, 11, 3
EDGE_GRAB_PX = 5


LEVELS = 4  # shades for pixel columns only partly covered by markers


def marker_runs(frames: np.ndarray, n: int, width: int) -> list[tuple[int, int, int]]:
    import numpy as np

    """Runs (x0, x1, level) of pixel columns showing `frames` of `n` on a `width`-pixel track.

    With more frames than pixels, a column stands for several frames; its level (1..LEVELS)
    says which share of them is marked, so a sparse marking looks lighter than a full one.
    """
    if n <= 0 or width <= 0 or frames.size == 0:
        return []
    if n <= width:  # every frame gets at least one whole column
        start = frames * width // n
        end = np.minimum(((frames + 1) * width + n - 1) // n, width)
        cover = np.zeros(width + 1, dtype=np.int32)
        np.add.at(cover, start, 1)
        np.add.at(cover, end, -1)
        level = np.where(np.cumsum(cover[:width]) > 0, LEVELS, 0)
    else:
        counts = np.bincount(frames * width // n, minlength=width)[:width]
        bounds = -(-np.arange(width + 1, dtype=np.int64) * n // width)  # first frame of each column
        capacity = np.maximum(np.diff(bounds), 1)
        level = np.ceil(counts * LEVELS / capacity).astype(np.int64)
    change = np.flatnonzero(np.diff(np.concatenate(([0], level, [0])))) if level.any() else []
    runs = []
    for a, b in zip(change[:-1], change[1:]):
        if level[a]:
            runs.append((int(a), int(b), int(level[a])))
    return runs


def _sorted_array(frames: set[int]) -> np.ndarray:
    import numpy as np

    return np.fromiter(sorted(frames), dtype=np.int64, count=len(frames))


def _tick_step(n: int, width: float, min_px: float = 70) -> int:
    """A 1/2/5 x 10^k frame step so that labels are at least `min_px` apart."""
    step = 1
    while step * width / max(n, 1) < min_px:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if step * width / max(n, 1) >= min_px:
                break
    return max(step, 1)


class FrameStrip(QWidget):
    """Frames 0..n-1 across the width; current frame, an optional range, two marker lanes."""

    frameDragged = Signal(int)  # user moved the playhead (throttled while dragging)
    rangeEdited = Signal()  # user changed the selected range

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("frameStrip")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumHeight(RULER_H + 2 * LANE_H + 4 * GAP + 6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.n = 0
        self.current = 0
        self.range: tuple[int, int] | None = None
        self._own = self._problems = None  # sorted numpy arrays once markers are set
        self.own_frames: set[int] = set()
        self.problem_frames: set[int] = set()
        self._runs: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
        self._drag: str | None = None  # "scrub" | "range" | "start" | "end"
        self._anchor = 0
        self._pending: int | None = None
        self._throttle = QTimer(self, singleShot=True, interval=THROTTLE_MS)
        self._throttle.timeout.connect(self._flush)

    def sizeHint(self):
        size = super().sizeHint()
        size.setHeight(self.minimumHeight())
        return size

    # --- state from code (never emits) -------------------------------------------------------
    def set_frames(self, n: int) -> None:
        self.n = max(int(n or 0), 0)
        self.current = min(self.current, max(self.n - 1, 0))
        self.range = None
        self._runs.clear()
        self.update()

    def set_markers(self, own: set[int], problems: set[int]) -> None:
        self.own_frames, self.problem_frames = set(own), set(problems)
        if own or problems or self._own is not None:  # nothing to mark: numpy can wait
            self._own = _sorted_array(self.own_frames)
            self._problems = _sorted_array(self.problem_frames)
        self._runs.clear()
        self.update()

    def own_in(self, start: int, end: int) -> int:
        """How many frames in start..end (inclusive) have their own file."""
        own = self._own
        if own is None:
            return 0
        return int(own.searchsorted(end, "right") - own.searchsorted(start, "left"))

    def set_current(self, frame: int) -> None:
        if self.n:
            self.current = max(0, min(self.n - 1, int(frame)))
            self.update()

    def set_range(self, start_end: tuple[int, int] | None) -> None:
        if start_end is None or not self.n:
            self.range = None
        else:
            a, b = (max(0, min(self.n - 1, int(v))) for v in start_end)
            self.range = (min(a, b), max(a, b))
        self.update()

    # --- geometry ----------------------------------------------------------------------------
    def _track_width(self) -> int:
        return max(self.width() - 2 * MARGIN, 1)

    def x_of(self, frame: float) -> float:
        """Left edge of `frame` in widget coordinates."""
        return MARGIN + frame * self._track_width() / max(self.n, 1)

    def frame_at(self, x: float) -> int:
        f = int((x - MARGIN) * self.n / self._track_width())
        return max(0, min(self.n - 1, f))

    def _lanes(self) -> tuple[QRectF, QRectF]:
        w = self._track_width()
        own = QRectF(MARGIN, RULER_H + GAP, w, LANE_H)
        problems = QRectF(MARGIN, own.bottom() + GAP, w, LANE_H)
        return own, problems

    def _cached_runs(self, name: str, frames: np.ndarray) -> list[tuple[int, int, int]]:
        key = (name, self._track_width())
        if key not in self._runs:
            self._runs[key] = marker_runs(frames, self.n, self._track_width())
        return self._runs[key]

    # --- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.base())
        if not self.n:
            p.setPen(pal.placeholderText().color())
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No frames")
            return
        own_lane, problem_lane = self._lanes()
        track = QRectF(MARGIN, RULER_H, self._track_width(), problem_lane.bottom() + GAP - RULER_H)
        p.fillRect(track, pal.alternateBase())
        self._paint_ruler(p, track)
        if self._own is None:
            self._own = self._problems = _sorted_array(set())
        lanes = ((own_lane, "own", self._own, OWN_COLOR),
                 (problem_lane, "problems", self._problems, PROBLEM_COLOR))
        for lane, _, _, color in lanes:
            faint = QColor(color)
            faint.setAlpha(28)
            p.fillRect(lane, faint)
        span = None
        if self.range is not None:
            a, b = self.range
            span = QRectF(self.x_of(a), RULER_H, self.x_of(b + 1) - self.x_of(a), track.height())
            span.setWidth(max(span.width(), 2))
            p.fillRect(span, RANGE_FILL)
        for lane, name, frames, color in lanes:
            shade = QColor(color)
            for x0, x1, level in self._cached_runs(name, frames):
                # a problem is never faint: one bad frame in a column must stand out
                shade.setAlpha(255 if name == "problems" else 90 + 165 * (level - 1) // (LEVELS - 1))
                p.fillRect(QRectF(MARGIN + x0, lane.top(), x1 - x0, lane.height()), shade)
        if span is not None:
            p.setPen(QPen(RANGE_EDGE, 2))
            p.drawLine(span.topLeft(), span.bottomLeft())
            p.drawLine(span.topRight(), span.bottomRight())
        self._paint_playhead(p, track)
        if self.hasFocus():
            p.setPen(QPen(pal.highlight().color(), 1, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(self.rect().adjusted(0, 0, -1, -1))

    def _paint_ruler(self, p: QPainter, track: QRectF) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.8, 6))
        p.setFont(font)
        p.setPen(self.palette().text().color())
        step = _tick_step(self.n, track.width())
        minor = max(step // 5, 1) if step >= 5 else 0
        if minor and minor * track.width() / self.n >= 6:
            p.setPen(self.palette().mid().color())
            for f in range(0, self.n, minor):
                x = self.x_of(f)
                p.drawLine(QPointF(x, RULER_H - 3), QPointF(x, RULER_H))
            p.setPen(self.palette().text().color())
        for f in range(0, self.n, step):
            x = self.x_of(f)
            p.drawLine(QPointF(x, RULER_H - 7), QPointF(x, RULER_H))
            if x + 40 < self.width():
                p.drawText(QPointF(x + 3, RULER_H - 5), str(f))

    def _paint_playhead(self, p: QPainter, track: QRectF) -> None:
        x0, x1 = self.x_of(self.current), self.x_of(self.current + 1)
        if x1 - x0 >= 3:  # wide frames: show the whole frame cell
            cell = QColor(PLAYHEAD)
            cell.setAlpha(50)
            p.fillRect(QRectF(x0, track.top(), x1 - x0, track.height()), cell)
        x = (x0 + x1) / 2
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(PLAYHEAD, 2))
        p.drawLine(QPointF(x, track.top()), QPointF(x, track.bottom()))
        head = QPainterPath()
        head.moveTo(x - 6, track.top() - 8)
        head.lineTo(x + 6, track.top() - 8)
        head.lineTo(x, track.top())
        head.closeSubpath()
        p.fillPath(head, PLAYHEAD)

    # --- mouse -----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.n or event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        x = event.position().x()
        frame = self.frame_at(x)
        edge = self._edge_at(x)
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._drag, self._anchor = "range", frame
            self.set_range((frame, frame))
            self.rangeEdited.emit()
        elif edge is not None:
            self._drag = edge
        else:
            self._drag = "scrub"
        self._move_to(frame)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if self._drag is None:
            cursor = Qt.CursorShape.SizeHorCursor if self._edge_at(x) else Qt.CursorShape.ArrowCursor
            self.setCursor(cursor)
            return
        frame = self.frame_at(x)
        if self._drag == "range":
            self.set_range((self._anchor, frame))
            self.rangeEdited.emit()
        elif self._drag in ("start", "end") and self.range is not None:
            a, b = self.range
            fixed = b if self._drag == "start" else a
            self.set_range((fixed, frame))
            self._drag = "start" if frame < fixed else "end"  # dragged past the other end
            self.rangeEdited.emit()
        self._move_to(frame)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self.mouseMoveEvent(event)  # where the button was released counts
            self._drag = None
            self._throttle.stop()
            self._flush()

    def _edge_at(self, x: float) -> str | None:
        if self.range is None:
            return None
        a, b = self.range
        if abs(x - self.x_of(a)) <= EDGE_GRAB_PX:
            return "start"
        if abs(x - self.x_of(b + 1)) <= EDGE_GRAB_PX:
            return "end"
        return None

    def _move_to(self, frame: int) -> None:
        """Move the playhead as the user drags; report it now or at the throttle's next tick."""
        if frame == self.current and self._pending is None:
            return
        self.set_current(frame)
        self._pending = frame
        if not self._throttle.isActive():
            self._flush()
            self._throttle.start()

    def _flush(self) -> None:
        if self._pending is not None:
            frame, self._pending = self._pending, None
            self.frameDragged.emit(frame)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip and self.n:
            frame = self.frame_at(event.pos().x())
            parts = [f"Frame {frame}"]
            if frame in self.own_frames:
                parts.append("has its own metadata file")
            if frame in self.problem_frames:
                parts.append("has problems")
            QToolTip.showText(event.globalPos(), " · ".join(parts), self)
            return True
        return super().event(event)

    # --- keys ------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.n:
            return super().keyPressEvent(event)
        key, mods = event.key(), event.modifiers()
        big = max(self.n // 20, 10)
        target = {
            Qt.Key.Key_Left: self.current - 1, Qt.Key.Key_Right: self.current + 1,
            Qt.Key.Key_PageUp: self.current - big, Qt.Key.Key_PageDown: self.current + big,
            Qt.Key.Key_Home: 0, Qt.Key.Key_End: self.n - 1,
        }.get(key)
        if key == Qt.Key.Key_Escape and self.range is not None:
            self.set_range(None)
            self.rangeEdited.emit()
            return
        if target is None or mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return super().keyPressEvent(event)
        target = max(0, min(self.n - 1, target))
        if mods & Qt.KeyboardModifier.ShiftModifier:
            anchor = self._key_anchor()
            self.set_range((anchor, target))
            self.rangeEdited.emit()
        self.set_current(target)
        self.frameDragged.emit(target)

    def _key_anchor(self) -> int:
        """The range end that stays put while Shift+arrows move the other (the current frame's)."""
        if self.range is None:
            return self.current
        a, b = self.range
        return a if self.current == b else b if self.current == a else self.current
