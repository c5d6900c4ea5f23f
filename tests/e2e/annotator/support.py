"""Shared data and key helpers for the annotator flow tests (fixtures: conftest.py here)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
SCHEMA = [
    {"name": "Scene", "path": "scene", "defaultValue": "unknown", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Weather", "path": "weather.description", "defaultValue": "sunny",
     "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Temperature", "path": "weather.temperature", "defaultValue": 0.0,
     "valueDataType": "NUMERIC_FLOAT"},
    {"name": "Camera", "path": "camera", "defaultValue": 0, "valueDataType": "CATEGORICAL_INT"},
    {"name": "Notes", "path": "notes", "defaultValue": "", "valueDataType": "OTHER_STRING"},
]
# The reference file gives the list fields their known values; `keep` is unknown to the schema.
REF_TEXT = ('{"file_name": "z.png", "type": "image", "extra": 1,\n "metadata": {"scene": "park", '
            '"weather": {"description": "rain", "wind": 3}, "camera": 7, "keep": [1, 2]}}\n')
CITY_TEXT = '{"file_name": "y.png", "type": "image", "metadata": {"scene": "city", "camera": 12}}\n'


def make_datasource(root):
    for rel in ("a.png", "b.png", "c.png", "y.png", "z.png", "sub/d.png"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"pixels are not read here")
    md = root / ".lightly" / "metadata"
    md.mkdir(parents=True)
    (md / "schema.json").write_text(json.dumps(SCHEMA, indent=2) + "\n")
    (md / "z.json").write_text(REF_TEXT)
    (md / "y.json").write_text(CITY_TEXT)
    return root


def meta(ds, rel):
    return ds / ".lightly" / "metadata" / rel


def read(ds, rel):
    return json.loads(meta(ds, rel).read_text())


def focused() -> QWidget:
    return QApplication.focusWidget()


def field_of(window) -> str | None:
    fw = focused()
    for spec in window.workspace.specs:
        ed = window.form.editor(spec.path)
        if fw is ed or (fw is not None and ed.isAncestorOf(fw)):
            return spec.path
    return None


def key(qtbot, k, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(), k, mods)


def typed(qtbot, text):
    qtbot.keyClicks(focused(), text)


def snapshot(ds):
    root = ds / ".lightly" / "metadata"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.json")}

