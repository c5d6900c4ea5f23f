"""Values already used per schema path, for the categorical editors' drop-down lists.

Collected from the metadata files in the background (core.dataset.leaf_stats) once an index
exists, or given by the caller (`set_values`); values typed in this session are added.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from core.dataset.leaf_stats import collect_leaf_stats, known_values
from core.format.keypath import MISSING
from core.format.value_types import type_error
from core.schema.entries import FieldSpec
from core.workspace import Workspace
from gui.common.workers import Task, start_task
from gui.form.row_state import same_value


class KnownValues(QObject):
    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QObject | None = None):
        super().__init__(parent)
        self.ws = workspace
        self._given: dict[str, list] | None = None
        self._stats: dict | None = None
        self._computed: dict[str, list] = {}
        self._session: dict[str, list] = {}
        self._task: Task | None = None

    def ensure_started(self) -> None:
        """Start collecting values from the files, once, when the datasource index is ready."""
        if self._given is not None or self._stats is not None or self._task is not None:
            return
        if self.ws.index is None:
            return
        self._task = start_task(collect_leaf_stats, self.ws.index)
        self._task.succeeded.connect(self._on_stats)

    def _on_stats(self, stats: dict) -> None:
        self._stats = stats
        self.recompute()

    def recompute(self) -> None:
        """After a schema change: which collected values fit the (new) types."""
        if self._stats is not None:
            self._computed = known_values(self._stats, self.ws.specs)
        self.changed.emit()

    def set_values(self, values: dict[str, list]) -> None:
        self._given = {k: list(v) for k, v in values.items()}
        self.changed.emit()

    def add(self, path: str, value: Any) -> None:
        if value is MISSING or value is None:
            return
        seen = self._session.setdefault(path, [])
        if not any(same_value(value, v) for v in seen):
            seen.append(value)
            self.changed.emit()

    def values_for(self, spec: FieldSpec) -> list:
        base = (self._given if self._given is not None else self._computed).get(spec.path, [])
        out = [v for v in base if type_error(spec.type, v) is None]  # the type may have changed
        for v in self._session.get(spec.path, []):
            if type_error(spec.type, v) is None and not any(same_value(v, b) for b in out):
                out.append(v)
        return out
