"""What the file tree shows of a row: a sample's (image, video, frame) name, badge, state,
tooltip and font, and a folder's or orphan group's tooltip; the row kinds and roles.

A mixin of gui.file_tree.model.FileTreeModel, which provides `_index`, `_lookup`,
`_document`, `_findings`, `_children` and `sample_at`. Imports core.format, gui.common
and gui.file_tree.look only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from core.format.findings import Finding
from core.format.naming import FRAME, VIDEO
from core.format.samples import SampleRef
from gui.common.icons import badged
from gui.file_tree import look as look

FOLDER = "folder"
ORPHANS = "orphans"
ORPHAN = "orphan"

SAMPLE_ROLE = Qt.ItemDataRole.UserRole + 1  # SampleRef, or None for folders and orphans
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # folder / image / video / frame / orphans / orphan
PATH_ROLE = Qt.ItemDataRole.UserRole + 3  # media rel path (folder rel, orphan metadata rel)
STATE_ROLE = Qt.ItemDataRole.UserRole + 4  # own / inherits / default / error / warning


class SampleRoles:
    """The roles of a sample's row."""

    def _sample_data(self, sample: SampleRef, name: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == SAMPLE_ROLE:
            return sample
        if role in (Qt.ItemDataRole.DecorationRole, STATE_ROLE, Qt.ItemDataRole.ToolTipRole):
            findings = self._findings(sample)
            state = self._state(sample)
            if role == STATE_ROLE:
                return look.severity(findings) or state
            if role == Qt.ItemDataRole.DecorationRole:
                badge = look.problem_badge(findings) or f"state-{state}"
                return badged("frame" if sample.kind == FRAME else sample.kind, badge)
            return self._sample_tooltip(sample, state, findings)
        if role == Qt.ItemDataRole.FontRole and self._is_modified(sample.metadata_rel):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _has_file(self, sample: SampleRef) -> bool:
        doc = self._document(sample.metadata_rel)
        if doc is not None:
            return doc.data is not None or doc.disk.exists
        return self._index.has_own_file(sample)

    def _is_modified(self, rel: str) -> bool:
        doc = self._document(rel)
        return doc is not None and doc.modified

    def _state(self, sample: SampleRef) -> str:
        if self._has_file(sample):
            return look.OWN
        if sample.kind == FRAME and self._has_file(sample.video_sample):
            return look.INHERITS
        return look.DEFAULT

    def _sample_tooltip(self, sample: SampleRef, state: str, findings: list[Finding]) -> str:
        video, lookup = sample.kind == VIDEO, self._lookup
        return look.sample_tooltip(
            sample, state, findings,
            n_frames=self._index.frame_counts.get(sample.media) if video else None,
            modified=self._is_modified(sample.metadata_rel),
            frame_problems=lookup.frame_files_with_problems(sample.media) if video and lookup else 0,
        )

    def _frame_data(self, index: Any, role: int) -> Any:
        if role == KIND_ROLE:
            return FRAME
        sample = self.sample_at(index)
        if role == PATH_ROLE:
            return sample.media
        return self._sample_data(sample, f"{sample.frame:0{len(str(sample.n_frames))}d}", role)

    def _group_tooltip(self, node: Any) -> str:
        if node.kind == ORPHANS:
            return look.ORPHANS_TOOLTIP
        if node.kind == ORPHAN:
            return look.orphan_tooltip(node.rel, self._findings_of_rel(node.rel))
        subs, files = self._children(node)
        return look.folder_tooltip(node.rel, len(subs), len(files))
