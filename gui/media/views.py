"""The preview and the video timeline of the editor window, following the current sample.

Owns a PreviewView, a FrameTimeline and the frame-range commands (RangeActions), so the
window only places the two widgets and forwards the current sample. Scrubbing moves the
preview at once; where the playhead comes to rest is reported (`frameChosen`) so the
window can show that frame's form.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.format.naming import FRAME, VIDEO
from core.format.samples import SampleRef
from core.schema.entries import FieldSpec
from core.workspace import Workspace
from gui.common.workers import Debouncer
from gui.media.preview import PreviewView
from gui.media.range_edit import RangeActions, RangeCommand
from gui.media.timeline import FrameTimeline

SETTLE_MS = 250  # the playhead rests this long before the form follows


class MediaViews(QObject):
    """Preview + timeline for one window; `set_session` per open datasource."""

    frameChosen = Signal(str, int)  # video, frame: the playhead came to rest there
    statusMessage = Signal(str)
    rangeWritten = Signal(object)  # RangeCommand after each write pass (redo or undo)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._parent = parent
        self.preview = PreviewView(parent)
        self.timeline = FrameTimeline(parent)
        self.timeline.hide()
        self.ws: Workspace | None = None
        self.index = None
        self.range_actions: RangeActions | None = None
        self._problems: Callable[[str], list] = lambda media: []
        self._sample: SampleRef | None = None
        self._settle = Debouncer(self._emit_chosen, SETTLE_MS, self)
        self.timeline.frameChanged.connect(self._on_scrub)
        self.timeline.applyRangeRequested.connect(self._apply_range)
        self.timeline.clearRangeRequested.connect(self._clear_range)

    def attach(self, window) -> None:
        """Place the preview beside the form and the timeline under both, in `window`'s
        Metadata tab; the form follows the playhead through `window.select_samples`."""
        splitter = window.metadata_splitter
        splitter.addWidget(self.preview)
        # The form needs its width for labels, editors and source badges; the preview
        # scales to whatever is left: 3:2 once the window has its size, then the user's.
        splitter.setStretchFactor(splitter.indexOf(self.preview), 2)
        splitter.setStretchFactor(splitter.indexOf(window.form), 3)
        QTimer.singleShot(0, lambda: _split_three_to_two(splitter))
        tabs = window.tabs
        i = tabs.indexOf(splitter)
        page = QWidget(tabs)
        page.setObjectName("metadataPage")
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        text = tabs.tabText(i)
        tabs.removeTab(i)
        column.addWidget(splitter, 1)
        splitter.show()  # removeTab hid it
        column.addWidget(self.timeline)
        tabs.insertTab(i, page, text)
        tabs.setCurrentIndex(i)
        self.statusMessage.connect(lambda text: window.show_status(text, 8000))

        def follow(video: str, frame: int) -> None:
            index = window.index
            current = window.current_sample
            if index is not None and not (current and current.media == video and current.frame == frame):
                window.select_samples([index.sample(video, frame)])

        self.frameChosen.connect(follow)

    # --- session ----------------------------------------------------------------------------------
    def set_session(self, workspace: Workspace, undo_stack: QUndoStack,
                    findings_for_media: Callable[[str], list] | None = None,
                    update_index: Callable[[Callable[[], None]], None] | None = None,
                    known_values: Callable[[FieldSpec], list] | None = None) -> None:
        """A datasource was opened: its workspace, undo stack and findings by media path."""
        self.ws, self.index, self._sample = workspace, None, None
        self._problems = findings_for_media or (lambda media: [])
        if self.range_actions is not None:
            self.range_actions.deleteLater()
        self.range_actions = RangeActions(workspace, undo_stack, self._parent, known_values=known_values)
        if update_index is not None:
            self.range_actions.update_index = update_index
        self.range_actions.statusMessage.connect(self.statusMessage)
        self.range_actions.rangeWritten.connect(self._on_range_written)
        self.preview.show_sample(workspace.media_root, None)
        self.timeline.clear()
        self.timeline.hide()

    def set_index(self, index) -> None:
        self.index = index

    # --- following the current sample ----------------------------------------------------------------
    def show_sample(self, sample: SampleRef | None) -> None:
        """The form now shows `sample` (None: nothing, or an orphan)."""
        self._sample = sample
        if self.ws is None:
            return
        n = self.index.frame_counts.get(sample.media) if self.index is not None and sample else None
        self.preview.show_sample(self.ws.media_root, sample, n)
        if sample is None or sample.kind not in (VIDEO, FRAME) or not (n or sample.n_frames):
            # no frames to show (an image, or a video that cannot be decoded: the preview says why)
            self.timeline.hide()
            self.timeline.clear()
            return
        self.timeline.set_video(sample.media, n or sample.n_frames, *self._markers(sample.media))
        if sample.kind == FRAME:
            self.timeline.set_current(sample.frame)
        self.timeline.show()

    def refresh_markers(self, video: str | None = None) -> None:
        """Files or findings changed: redraw the timeline markers (of `video`, if shown)."""
        shown = self.timeline.video()
        if shown is not None and (video is None or video == shown):
            self.timeline.set_markers(*self._markers(shown))

    def on_frame_counts(self, videos: list) -> None:
        """The loader confirmed or changed these videos' frame counts (the index is updated):
        redraw the timeline and preview of the current sample if it is one of them, keeping
        the playhead where it was (clamped to the new count)."""
        sample = self._sample
        if sample is None or sample.media not in videos or self.ws is None or self.index is None:
            return
        current = self.timeline.current() if self.timeline.video() == sample.media else None
        self.show_sample(sample)
        if not self.index.frame_counts.get(sample.media):  # no longer decodable: no frames
            self.timeline.hide()
            self.timeline.clear()
        elif current is not None and self.timeline.video() == sample.media:
            self.timeline.set_current(current)

    def _markers(self, video: str) -> tuple[set[int], set[int]]:
        index = self.index
        if index is None:
            return set(), set()
        own = set(index.frame_files.get(video, {}))
        for doc in self.ws.loaded() if self.ws is not None else ():  # unsaved edits count, as in the tree
            sample = doc.sample
            if sample is not None and sample.kind == FRAME and sample.media == video and doc.modified:
                (own.add if doc.data is not None else own.discard)(sample.frame)
        problems = set()
        for finding in self._problems(video):
            info = index.metadata.get(finding.file)
            if info is not None and info.kind == FRAME and info.media == video:
                problems.add(info.frame)
        return own, problems

    # --- timeline requests ------------------------------------------------------------------------------
    def _on_scrub(self, frame: int) -> None:
        self.preview.show_frame(frame)
        self._settle.trigger()

    def _emit_chosen(self) -> None:
        video = self.timeline.video()
        if video is not None:
            self.frameChosen.emit(video, self.timeline.current())

    def _apply_range(self, start: int, end: int) -> None:
        video = self.timeline.video()
        if video is not None and self.range_actions is not None:
            self.range_actions.apply_range(self.index, video, start, end)

    def _clear_range(self, start: int, end: int) -> None:
        video = self.timeline.video()
        if video is not None and self.range_actions is not None:
            self.range_actions.clear_range(self.index, video, start, end)

    def _on_range_written(self, command: RangeCommand) -> None:
        if command.keys:
            self.refresh_markers(command.keys[0].media)
        self.rangeWritten.emit(command)


def _split_three_to_two(splitter) -> None:
    total = sum(splitter.sizes())
    if total > 0 and splitter.count() == 2:
        splitter.setSizes([total * 3 // 5, total - total * 3 // 5])
