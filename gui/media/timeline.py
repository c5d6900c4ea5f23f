"""The video timeline under the form: every frame of the selected video on one strip.

Markers show frames with their own metadata file and frames with problems; dragging
scrubs (the preview follows), Shift+drag selects a range to apply values to or to clear.
The widget only reports requests (`applyRangeRequested`, `clearRangeRequested`); the
window turns them into undo commands (gui.media.range_edit).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from gui.media.frame_strip import OWN_COLOR, PROBLEM_COLOR, FrameStrip

HELP = ("Drag to scrub · Shift+drag to select a range (drag its ends to adjust) · "
        "←/→ step, PgUp/PgDn jump, Home/End · Shift+keys extend the range · Esc deselects")


class FrameTimeline(QWidget):
    """Frame strip of one video with own-file and problem markers and a frame range."""

    frameChanged = Signal(int)  # the user moved to another frame (throttled while dragging)
    rangeChanged = Signal(object)  # the user changed the range: (start, end) or None
    applyRangeRequested = Signal(int, int)  # start, end (inclusive)
    clearRangeRequested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("frameTimeline")
        self._video: str | None = None
        self.strip = FrameStrip(self)
        self.strip.setToolTip(HELP)
        self.strip.frameDragged.connect(self._on_dragged)
        self.strip.rangeEdited.connect(self._on_range_edited)

        self.title = QLabel(self)
        self.title.setObjectName("timelineTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.legend = QLabel(self)
        self.legend.setObjectName("timelineLegend")
        self.frame_label = QLabel(self)
        self.frame_label.setObjectName("timelineFrame")
        self.frame_label.setMinimumWidth(110)
        self.frame_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.range_label = QLabel(self)
        self.range_label.setObjectName("timelineRange")

        self.apply_range_action = QAction("Apply values to range…", self)
        self.apply_range_action.setObjectName("actionApplyRange")
        self.apply_range_action.triggered.connect(self._request_apply)
        self.clear_range_action = QAction("Clear range…", self)
        self.clear_range_action.setObjectName("actionClearRange")
        self.clear_range_action.triggered.connect(self._request_clear)
        self.deselect_action = QAction("Deselect", self)
        self.deselect_action.setToolTip("Forget the selected range (Esc in the strip)")
        self.deselect_action.triggered.connect(self._deselect)

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.legend)
        header.addStretch(1)
        header.addWidget(self.frame_label)
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.range_label, 1)
        for action in (self.deselect_action, self.apply_range_action, self.clear_range_action):
            button = QToolButton(self)
            action.setIconText(action.text())  # keep the "…" that says a dialog follows
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            footer.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addLayout(header)
        layout.addWidget(self.strip)
        layout.addLayout(footer)
        # As tall as its contents, wherever it is placed (a splitter would stretch it).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMaximumHeight(self.sizeHint().height())
        self._refresh()

    # --- API (from code: never emits the user signals) -------------------------------------------
    def set_video(self, video_rel: str | None, n_frames: int | None,
                  own_frames: set[int] = frozenset(), problem_frames: set[int] = frozenset()) -> None:
        """Show `video_rel`'s frames; the same video again keeps the current frame and range."""
        same = video_rel == self._video and (n_frames or 0) == self.strip.n
        self._video = video_rel
        if not same:
            self.strip.set_frames((n_frames or 0) if video_rel else 0)
            self.strip.set_current(0)
        self.strip.set_markers(own_frames, problem_frames)
        self._refresh()

    def set_markers(self, own_frames: set[int], problem_frames: set[int]) -> None:
        """New marker sets for the video shown (after a save or a validation)."""
        self.strip.set_markers(own_frames, problem_frames)
        self._refresh()

    def clear(self) -> None:
        self.set_video(None, 0)

    def video(self) -> str | None:
        return self._video

    def n_frames(self) -> int:
        return self.strip.n

    def current(self) -> int:
        return self.strip.current

    def set_current(self, frame: int) -> None:
        self.strip.set_current(frame)
        self._refresh()

    def selected_range(self) -> tuple[int, int] | None:
        return self.strip.range

    def set_selected_range(self, start_end: tuple[int, int] | None) -> None:
        self.strip.set_range(start_end)
        self._refresh()

    # --- user actions ----------------------------------------------------------------------------
    def _on_dragged(self, frame: int) -> None:
        self._refresh()
        self.frameChanged.emit(frame)

    def _on_range_edited(self) -> None:
        self._refresh()
        self.rangeChanged.emit(self.strip.range)

    def _deselect(self) -> None:
        self.strip.set_range(None)
        self._on_range_edited()

    def _request_apply(self) -> None:
        if self.strip.range is not None:
            self.applyRangeRequested.emit(*self.strip.range)

    def _request_clear(self) -> None:
        if self.strip.range is not None:
            self.clearRangeRequested.emit(*self.strip.range)

    # --- labels ------------------------------------------------------------------------------------
    def _refresh(self) -> None:
        n, video = self.strip.n, self._video
        if video is None:
            self.title.setText("Select a video or one of its frames to see its timeline")
        elif not n:
            self.title.setText(f"{video} — frame count unknown (the video could not be read yet)")
        else:
            self.title.setText(f"{video} — {n} frames")
        own, problems = len(self.strip.own_frames), len(self.strip.problem_frames)
        self.legend.setText(
            f"<span style='color:{OWN_COLOR.name()}'>■</span> own file: {own}"
            f" &nbsp; <span style='color:{PROBLEM_COLOR.name()}'>■</span> problems: {problems}"
            if video and n else "")
        digits = len(str(n)) if n else 1
        self.frame_label.setText(f"Frame {self.strip.current:0{digits}d} / {n}" if video and n else "")
        rng = self.strip.range
        if rng is None:
            self.range_label.setText("No range selected — Shift+drag on the strip" if video and n else "")
        else:
            count = rng[1] - rng[0] + 1
            own_in = self.strip.own_in(*rng)
            self.range_label.setText(f"Range {rng[0]}–{rng[1]}: {count} frame{'s' if count != 1 else ''}"
                                     f", {own_in} with a file")
        has_range = rng is not None
        self.apply_range_action.setEnabled(has_range)
        self.clear_range_action.setEnabled(has_range)
        self.deselect_action.setEnabled(has_range)
        tip = "" if has_range else " (select frames first: Shift+drag on the strip)"
        self.apply_range_action.setToolTip("Set field values on every frame of the range" + tip)
        self.clear_range_action.setToolTip("Delete the metadata files of the frames in the range" + tip)
        self.strip.setEnabled(bool(video and n))
