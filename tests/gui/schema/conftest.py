"""Fixtures for the Schema tab tests: a small datasource with a schema and a panel factory."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from core.format import jsonio
from core.format.naming import schema_path
from core.workspace import Workspace
from gui.common.workspace_signals import WorkspaceSignals
from gui.schema.panel import SchemaPanel
from tests.gui.schema.support import SCHEMA, write_meta


@pytest.fixture
def datasource(tmp_path: Path) -> Path:
    for name in ("a.png", "b.png", "c.png"):
        (tmp_path / name).write_bytes(b"")
    write_meta(tmp_path, "a.json", {"weather": {"description": "rain", "temperature": 11.5},
                                     "traffic": {"cars": 3, "bikes": 1}, "camera": "front"})
    write_meta(tmp_path, "b.json", {"traffic": {"cars": 4, "bikes": 1}, "camera": "rear"})
    write_meta(tmp_path, "c.json", {"traffic": {"bikes": 2}, "time": "2024-01-01T08:00:00Z"})
    p = schema_path(tmp_path)
    p.write_text(jsonio.dumps(SCHEMA))
    return tmp_path


@pytest.fixture
def make_panel(qtbot):
    def make(root: Path):
        ws = Workspace(root)
        signals = WorkspaceSignals(ws)
        stack = QUndoStack()
        panel = SchemaPanel(ws, signals, stack)
        panel._test_refs = (signals, stack)  # keep the Python wrappers alive with the widget
        qtbot.addWidget(panel)
        panel.resize(1000, 500)
        errors: list[tuple[str, str]] = []
        panel.show_error = lambda title, text: errors.append((title, text))
        panel.errors = errors
        panel.asked_errors = []  # "save with errors?" is answered Save, and recorded
        panel.confirm_save_with_errors = lambda found: panel.asked_errors.append(found) or True
        return panel

    return make


@pytest.fixture
def panel(make_panel, datasource):
    return make_panel(datasource)
