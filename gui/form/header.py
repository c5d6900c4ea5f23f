"""The form's header: which sample, which metadata file, and whether that file exists yet."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.format.naming import FRAME, METADATA_DIR, VIDEO
from core.format.samples import SampleRef
from core.workspace import Document
from gui.editors import look


def file_state(doc: Document) -> str:
    """Short words on a document: exists, no file yet, unsaved changes, not valid JSON."""
    if doc.broken:
        return "not valid JSON — repair it below"
    if not doc.disk.exists:
        return "no file yet — created on first edit" if doc.data is None else "new file, not saved yet"
    if doc.data is None:
        return "will be deleted on save"
    return "exists, unsaved changes" if doc.modified else "exists"


def describe_sample(sample: SampleRef) -> str:
    if sample.kind == FRAME:
        return f"frame {sample.frame} of {sample.n_frames} · video {sample.media}"
    return "whole video" if sample.kind == VIDEO else "image"


#: What the header says under a bulk selection.
BULK_HINT = "Fields where the files differ show “mixed”. Only fields you change are written."


class SampleHeader(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sampleHeader")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        self.title = QLabel(self)
        self.title.setObjectName("sampleTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.kind = QLabel(self)
        self.file = QLabel(self)
        self.file.setObjectName("metadataFileLabel")
        self.inherits = QLabel(self)
        self.inherits.setObjectName("inheritsLabel")
        for w in (self.title, self.kind, self.file, self.inherits):
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            w.setWordWrap(True)
            lay.addWidget(w)
        muted = look.muted_color(self.palette()).name()
        self.kind.setStyleSheet(f"QLabel {{ color: {muted}; }}")
        self.inherits.setStyleSheet(f"QLabel {{ color: {muted}; }}")

    def show_sample(self, sample: SampleRef, doc: Document, video_doc: Document | None) -> None:
        self.title.setText(sample.file_name)
        self.kind.setText(describe_sample(sample))
        self.file.setText(f"{METADATA_DIR}/{doc.rel} — {file_state(doc)}")
        self.file.setToolTip(str(doc.rel))
        if video_doc is not None:
            state = file_state(video_doc)
            self.inherits.setText(f"Fields not set here are inherited from {METADATA_DIR}/{video_doc.rel} "
                                  f"({state}), else the schema default.")
            self.inherits.show()
        else:
            self.inherits.hide()

    def show_many(self, samples: Sequence[SampleRef], docs: list[Document] | None = None,
                  existing: int | None = 0, broken: int = 0) -> None:
        """Several files: from their documents, or (no documents loaded) the counts given
        (`existing` None: still being counted)."""
        n = len(samples)
        if docs is not None:
            existing = sum(1 for d in docs if d.disk.exists)
            broken = sum(1 for d in docs if d.broken)
        self.title.setText(f"{n:,} files selected")
        kinds = sorted(samples.kinds() if hasattr(samples, "kinds") else {s.kind for s in samples})
        self.kind.setText("bulk edit · " + ", ".join(kinds) + f" · first: {samples[0].file_name}")
        exist = "counting which metadata files exist…" if existing is None else \
            f"{existing:,} of {n:,} metadata files exist"
        text = f"{exist}; an edit writes that field to every selected file"
        if broken:
            text += f"; {broken} not valid JSON and skipped"
        self.file.setText(text + ".")
        self.inherits.setText(BULK_HINT)
        self.inherits.show()
