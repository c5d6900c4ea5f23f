"""The metadata form's test datasource and helpers (fixtures in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from core.format.samples import SampleRef
from core.workspace import Workspace
from gui.common.workspace_signals import WorkspaceSignals
from gui.editors.registry import CategoricalEditor
from gui.form.form import MetadataForm

SCHEMA = [
    {"name": "Scene", "path": "scene", "defaultValue": "unknown", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Weather", "path": "weather.description", "defaultValue": "sunny",
     "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Temperature", "path": "weather.temperature", "defaultValue": 20.5,
     "valueDataType": "NUMERIC_FLOAT"},
    {"name": "Wind speed", "path": "weather.wind.speed", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},
    {"name": "Camera id", "path": "camera_id", "defaultValue": 1, "valueDataType": "CATEGORICAL_INT"},
    {"name": "Night", "path": "night", "defaultValue": False, "valueDataType": "CATEGORICAL_BOOLEAN"},
    {"name": "Recorded at", "path": "recorded_at", "defaultValue": None,
     "valueDataType": "CATEGORICAL_DATETIME"},
    {"name": "Timestamp", "path": "timestamp", "defaultValue": 0, "valueDataType": "CATEGORICAL_TIMESTAMP"},
    {"name": "Notes", "path": "notes", "defaultValue": "", "valueDataType": "OTHER_STRING"},
]
IMAGE_DOC = {
    "file_name": "img.png",
    "type": "image",
    "metadata": {"scene": "city", "weather": {"description": "rainy", "humidity": 80},
                 "camera_id": 2, "extra_key": {"a": [1, 2]}},
    "source": "import-v1",
}
BROKEN_TEXT = '{\n  "file_name": "sub/img2.jpg",\n  "type": "image",\n  "metadata": {"scene": "x",}\n}\n'
IMG, VIDEO = SampleRef.image("img.png"), SampleRef.video("v.mp4")
FRAME = SampleRef.frame_of("v.mp4", 150, 200)
BROKEN = SampleRef.image("sub/img2.jpg")




def write_root(tmp_path: Path) -> Path:
    meta = tmp_path / ".lightly" / "metadata"
    (meta / "sub").mkdir(parents=True)
    (tmp_path / "sub").mkdir()
    for name in ("img.png", "sub/img2.jpg", "v.mp4"):
        (tmp_path / name).write_bytes(b"not decoded by the form")
    (meta / "schema.json").write_text(json.dumps(SCHEMA, indent=2))
    (meta / "img.json").write_text(json.dumps(IMAGE_DOC, indent=2))
    video_meta = {"weather": {"description": "cloudy"}, "night": True}
    (meta / "v.json").write_text(json.dumps({"file_name": "v.mp4", "type": "video", "metadata": video_meta}))
    (meta / "sub" / "img2.json").write_text(BROKEN_TEXT)
    return tmp_path



class Env:
    def __init__(self, qtbot, root: Path):
        self.root = root
        self.ws = Workspace(root)
        self.signals = WorkspaceSignals(self.ws)
        self.stack = QUndoStack()
        self.form = MetadataForm(self.ws, self.signals, self.stack)
        qtbot.addWidget(self.form)
        self.form.resize(600, 800)
        self.status: list[str] = []
        self.form.statusMessage.connect(self.status.append)

    def value(self, sample, path):
        return self.ws.document(sample).value(path)




def commit_text(qtbot, editor, text: str) -> None:
    target = editor.lineEdit() if isinstance(editor, CategoricalEditor) else editor
    target.selectAll()
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)




def show_active(qtbot, form) -> None:
    """Focus events (and so commits on leaving a field) need the window to be active."""
    with qtbot.waitActive(form):
        form.show()
        form.activateWindow()


