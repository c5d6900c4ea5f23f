"""The editor's status bar: messages, a progress bar for background work, and dataset counts."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

#: Least time between two progress updates shown.
PROGRESS_MS = 250


class MainStatusBar(QStatusBar):
    """`show_progress`/`set_busy` follow the background loader; `set_counts` summarises the dataset."""

    #: The error/warning count was clicked: show the problems list.
    problemsRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("statusProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self._shown = QElapsedTimer()
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("statusCounts")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.linkActivated.connect(lambda _link: self.problemsRequested.emit())
        self.unsaved_label = QLabel(self)
        self.unsaved_label.setObjectName("statusUnsaved")
        self.unsaved_label.setToolTip("Edits not written to disk yet: Save All (Ctrl+Shift+S) writes them")
        self.unsaved_label.setContentsMargins(0, 0, 12, 0)
        font = self.unsaved_label.font()
        font.setBold(True)
        self.unsaved_label.setFont(font)
        self.unsaved_label.hide()
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.unsaved_label)
        self.addPermanentWidget(self.counts_label)

    def set_unsaved(self, text: str) -> None:
        """"* 12 unsaved files" (empty: everything is saved)."""
        self.unsaved_label.setText(f"* {text}" if text else "")
        self.unsaved_label.setVisible(bool(text))

    def show_progress(self, done: int, total: int, label: str) -> None:
        """total 0: unknown (a busy indicator). At most a few repaints a second: each one
        repaints the window's dirty views, which call back into Python while workers hold the GIL."""
        if self._shown.isValid() and self._shown.elapsed() < PROGRESS_MS and 0 < done < total:
            return
        self._shown.start()
        self.progress.setRange(0, max(total, 0))
        if total:
            self.progress.setValue(done)
        self.progress.setToolTip(label)
        self.showMessage(label, 2000)

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        if not busy:
            self.showMessage("Ready", 2000)

    def set_counts(self, index, errors: int | None = None, warnings: int | None = None) -> None:
        """Images, videos and metadata files of `index`; errors/warnings once validated (else None)."""
        if index is None:
            self.counts_label.setText("")
            return
        parts = [f"{len(index.images)} images", f"{len(index.videos)} videos",
                 f"{len(index.metadata)} metadata files"]
        if errors is not None:
            text = (f"{errors} error{'s' if errors != 1 else ''}, "
                    f"{warnings} warning{'s' if warnings != 1 else ''}")
            parts.append(f'<a href="problems">{text}</a>')
            self.counts_label.setToolTip("Click the error count to show the Problems list")
        self.counts_label.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))


def unsaved_text(n_files: int, schema: bool) -> str:
    """What is unsaved, in words: "12 unsaved files", "schema.json unsaved", both, or ""."""
    parts = [f"{n_files} unsaved file{'s' if n_files != 1 else ''}"] if n_files else []
    if schema:
        parts.append("schema.json unsaved" if not parts else "schema.json")
    return ", ".join(parts)
