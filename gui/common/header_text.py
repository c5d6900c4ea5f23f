"""The horizontal header text that several item models share: a column title, nothing else."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt


def column_title(columns: Sequence[str], section: int, orientation: Qt.Orientation, role: int) -> str | None:
    """`columns[section]` for the horizontal header's display role, else None (no vertical header)."""
    if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
        if 0 <= section < len(columns):
            return columns[section]
    return None
