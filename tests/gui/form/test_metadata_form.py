"""The metadata form over a real datasource in tmp_path: editors, undo, sources, other keys, repair."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from core.format.findings import ERROR, Finding
from core.format.keypath import MISSING
from core.format.samples import SampleRef
from core.schema.entries import SchemaEntry, add_entry
from core.workspace import Workspace
from gui.common.commands import SchemaCommand, set_value_command
from gui.common.workspace_signals import WorkspaceSignals
from gui.editors.registry import EDITORS, CategoricalEditor
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


@pytest.fixture
def root(tmp_path: Path) -> Path:
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


@pytest.fixture
def env(qtbot, root) -> Env:
    return Env(qtbot, root)


def commit_text(qtbot, editor, text: str) -> None:
    target = editor.lineEdit() if isinstance(editor, CategoricalEditor) else editor
    target.selectAll()
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def test_one_editor_per_field_chosen_by_type(env):
    env.form.set_sample(IMG)
    assert env.form.objectName() == "metadataForm"
    for spec in env.ws.specs:
        ed = env.form.findChild(EDITORS[spec.type], f"field:{spec.path}")
        assert ed is not None, spec.path
        assert ed is env.form.editor(spec.path)
    # nested paths are grouped, deeper groups inside their parent
    weather = env.form.findChild(object, "group:weather")
    wind = env.form.findChild(object, "group:wind")
    assert weather.isAncestorOf(env.form.editor("weather.description")) and weather.isAncestorOf(wind)
    assert wind.isAncestorOf(env.form.editor("weather.wind.speed"))


def test_header_says_whether_the_file_exists(env):
    env.form.set_sample(FRAME)
    assert "v-150-mp4.png" in env.form.header.title.text()
    assert "no file yet — created on first edit" in env.form.header.file.text()
    env.form.set_sample(IMG)
    assert ".lightly/metadata/img.json — exists" in env.form.header.file.text()


def test_typing_a_value_pushes_one_command_and_sets_the_nested_value(qtbot, env):
    env.form.set_sample(IMG)
    ed = env.form.editor("weather.wind.speed")
    assert env.form.row("weather.wind.speed").source == "default"
    commit_text(qtbot, ed, "7")
    ed.clearFocus()
    assert env.stack.count() == 1
    assert env.value(IMG, "weather.wind.speed") == 7
    row = env.form.row("weather.wind.speed")
    assert row.source == "file" and row.badge.text() == "set here" and row.reset_button.isEnabled()
    env.stack.undo()
    assert env.value(IMG, "weather.wind.speed") is MISSING
    assert row.source == "default" and ed.text() == "" and ed.placeholderText() == "0"
    assert env.ws.document(IMG).data == IMAGE_DOC
    env.stack.redo()
    assert ed.text() == "7"


def test_setting_values_from_code_pushes_nothing(env):
    env.form.set_sample(IMG)
    for spec in env.ws.specs:
        env.form.editor(spec.path).set_value(MISSING)
    env.form.set_sample(FRAME)
    env.form.set_known_values({"scene": ["a", "b"]})
    assert env.stack.count() == 0


def test_reset_removes_the_key_and_the_default_applies(qtbot, env):
    env.form.set_sample(IMG)
    row = env.form.row("scene")
    assert row.source == "file" and row.editor.currentText() == "city"
    qtbot.mouseClick(row.reset_button, Qt.MouseButton.LeftButton)
    assert env.stack.count() == 1
    assert env.value(IMG, "scene") is MISSING
    assert row.source == "default" and row.editor.currentText() == ""
    assert row.editor.lineEdit().placeholderText() == "unknown"
    assert not row.reset_button.isEnabled()
    # unknown keys survive the reset
    assert env.ws.document(IMG).data["metadata"]["extra_key"] == {"a": [1, 2]}


def test_frame_inherits_from_its_video_and_writes_its_own_file(qtbot, env):
    env.form.set_sample(FRAME)
    row = env.form.row("weather.description")
    assert row.source == "video" and row.badge.text() == "inherited"
    assert "v.json" in row.badge.toolTip()
    assert row.editor.lineEdit().placeholderText() == "cloudy" and row.editor.currentText() == ""
    assert env.form.row("night").editor.checkState() == Qt.CheckState.Checked
    assert env.form.row("scene").source == "default"

    commit_text(qtbot, row.editor, "foggy")
    assert env.stack.count() == 1
    doc = env.ws.document(FRAME)
    assert doc.data == {"file_name": "v-150-mp4.png", "type": "frame",
                        "metadata": {"weather": {"description": "foggy"}}}
    assert row.source == "file"
    qtbot.mouseClick(row.reset_button, Qt.MouseButton.LeftButton)
    assert row.source == "video" and env.ws.document(FRAME).data is None


def test_frame_follows_edits_of_its_video(env):
    env.form.set_sample(FRAME)
    env.stack.push(set_value_command(env.ws, VIDEO, "weather.description", "snow"))
    row = env.form.row("weather.description")
    assert row.source == "video" and row.editor.lineEdit().placeholderText() == "snow"


def test_unknown_keys_are_shown_and_kept_after_an_edit(qtbot, env):
    env.form.set_sample(IMG)
    other = json.loads(env.form.other.text.toPlainText())
    assert other == {"weather": {"humidity": 80}, "extra_key": {"a": [1, 2]}}
    assert json.loads(env.form.other.extra_text.toPlainText()) == {"source": "import-v1"}
    commit_text(qtbot, env.form.editor("weather.temperature"), "12.5")
    data = env.ws.document(IMG).data
    assert data["metadata"]["weather"] == {"description": "rainy", "humidity": 80, "temperature": 12.5}
    assert data["metadata"]["extra_key"] == {"a": [1, 2]} and data["source"] == "import-v1"
    env.ws.save(IMG)
    on_disk = json.loads((env.root / ".lightly/metadata/img.json").read_text())
    assert on_disk["source"] == "import-v1" and on_disk["metadata"]["weather"]["humidity"] == 80


def test_editing_other_metadata_merges_with_schema_values(env):
    env.form.set_sample(IMG)
    box = env.form.other
    box.text.setPlainText('{"weather": {"humidity": 55}, "tags": ["a"]}')
    assert box.apply()
    assert env.stack.count() == 1
    meta = env.ws.document(IMG).data["metadata"]
    assert meta == {"scene": "city", "weather": {"description": "rainy", "humidity": 55},
                    "camera_id": 2, "tags": ["a"]}
    assert env.ws.document(IMG).data["source"] == "import-v1"
    env.stack.undo()
    assert env.ws.document(IMG).data == IMAGE_DOC
    assert json.loads(box.text.toPlainText())["weather"] == {"humidity": 80}


def test_invalid_other_json_shows_line_and_column_and_is_not_applied(env):
    env.form.set_sample(IMG)
    box = env.form.other
    box.text.setPlainText('{\n  "a": 1,\n}')
    assert not box.apply()
    assert "line 3, column 1" in box.error_text()
    assert env.stack.count() == 0


def test_broken_file_is_repaired_in_the_text_editor(env):
    env.form.set_sample(BROKEN)
    tabs = env.form.tabs
    assert tabs.isTabVisible(2) and tabs.currentWidget() is env.form.repair
    assert "line 4, column 29" in env.form.repair.problem_text()
    assert not env.form.fields_content.isEnabled()
    assert env.form.repair.text.textCursor().blockNumber() == 3  # cursor on the error line
    env.form.repair.text.setPlainText(BROKEN_TEXT.replace('"x",}', '"x"}'))
    assert env.form.repair.apply()
    assert env.stack.count() == 1
    doc = env.ws.document(BROKEN)
    assert not doc.broken and doc.value("scene") == "x"
    assert env.form.fields_content.isEnabled() and not tabs.isTabVisible(2)
    assert env.form.row("scene").editor.currentText() == "x"
    env.stack.undo()
    assert env.ws.document(BROKEN).broken and tabs.isTabVisible(2)
    assert (env.root / ".lightly/metadata/sub/img2.json").read_text() == BROKEN_TEXT


def test_still_broken_repair_text_is_refused_with_position(env):
    env.form.set_sample(BROKEN)
    env.form.repair.text.setPlainText('{"a": }')
    assert not env.form.repair.apply()
    assert "line 1, column 7" in env.form.repair.problem_text()
    assert env.stack.count() == 0


def test_invalid_typed_value_is_refused_with_a_message(qtbot, env):
    env.form.set_sample(IMG)
    ed = env.form.editor("recorded_at")
    commit_text(qtbot, ed, "next tuesday")
    assert env.stack.count() == 0 and env.value(IMG, "recorded_at") is MISSING
    row = env.form.row("recorded_at")
    assert "Not saved" in row.message_text() and "ISO 8601" in row.message_text()
    ed.selectAll()
    commit_text(qtbot, ed, "2024-05-31T14:30:00")
    assert env.value(IMG, "recorded_at") == "2024-05-31T14:30:00" and row.message_text() == ""


def test_refresh_does_not_clobber_typing(qtbot, env):
    env.form.set_sample(IMG)
    ed = env.form.editor("weather.wind.speed")
    qtbot.keyClicks(ed, "12")
    env.stack.push(set_value_command(env.ws, IMG, "scene", "rural"))
    assert ed.text() == "12" and ed.is_dirty()
    assert env.form.row("scene").editor.currentText() == "rural"


def test_stored_value_of_wrong_type_is_shown_as_invalid(env):
    env.stack.push(set_value_command(env.ws, IMG, "weather.temperature", "warm"))
    env.form.set_sample(IMG)
    row = env.form.row("weather.temperature")
    assert row.source == "invalid" and row.editor.text() == "warm"
    assert "expected a number" in row.message_text()


def test_schema_change_rebuilds_the_fields(env):
    env.form.set_sample(IMG)
    entries = add_entry(env.ws.schema_entries, SchemaEntry("Lane", "road.lane", 1, "NUMERIC_INT"))
    env.stack.push(SchemaCommand(env.ws, entries, "Add Lane"))
    assert env.form.editor("road.lane") is not None
    assert env.form.row("road.lane").source == "default"
    env.stack.undo()
    assert env.form.editor("road.lane") is None


def test_findings_are_shown_at_the_top(env):
    finding = Finding(ERROR, "wrong-file-name", "img.json", "file_name is 'x', expected 'img.png'")
    env.form.set_findings(lambda rel: [finding] if rel == "img.json" else [])
    env.form.set_sample(IMG)
    assert not env.form.banner.isHidden()
    assert any("expected 'img.png'" in m for m in env.form.banner.messages)
    env.form.set_sample(VIDEO)
    assert env.form.banner.isHidden()


def test_known_values_fill_the_combo_boxes(env):
    env.form.set_known_values({"scene": ["city", "rural"], "camera_id": [1, 2, 3]})
    env.form.set_sample(IMG)
    assert env.form.editor("scene").known_values() == ["city", "rural"]
    assert env.form.editor("camera_id").known_values() == [1, 2, 3]
    assert env.form.editor("camera_id").currentIndex() == 1  # the file's value 2


def show_active(qtbot, form) -> None:
    """Focus events (and so commits on leaving a field) need the window to be active."""
    with qtbot.waitActive(form):
        form.show()
        form.activateWindow()


def test_tab_moves_from_field_to_field(qtbot, env):
    env.form.set_sample(IMG)
    show_active(qtbot, env.form)
    first = env.form.editor("scene")
    first.setFocus()
    qtbot.waitUntil(lambda: first.hasFocus())
    order = []
    for _ in range(len(env.ws.specs) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        fw = QApplication.focusWidget()
        order.append(next(s.path for s in env.ws.specs if env.form.editor(s.path) in (fw, fw.parent())))
    assert order == [s.path for s in env.ws.specs][1:]


def test_keyboard_only_entry_on_a_frame(qtbot, env):
    """Type, Tab, type, Tab, type, Enter: three values, three undo steps, in the frame's own file."""
    env.form.set_known_values({"scene": ["parking lot", "city"], "weather.description": ["rainy"]})
    env.form.set_sample(FRAME)
    show_active(qtbot, env.form)
    env.form.editor("scene").setFocus()
    qtbot.waitUntil(lambda: env.form.editor("scene").hasFocus())
    for text, key in (("parking", Qt.Key.Key_Tab), ("rain", Qt.Key.Key_Tab), ("3.5", Qt.Key.Key_Return)):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), key)
    assert env.stack.count() == 3
    # typed text is taken as typed: no inline completion to "parking lot" / "rainy"
    assert env.ws.document(FRAME).data["metadata"] == {
        "scene": "parking", "weather": {"description": "rain", "temperature": 3.5}}


def test_bulk_edit_writes_only_the_touched_field_to_every_file(qtbot, env):
    samples = [IMG, VIDEO, FRAME]
    env.form.set_samples(samples)
    scene = env.form.row("scene")
    assert scene.editor.is_mixed() and scene.source == "mixed"
    assert env.form.row("weather.wind.speed").source == "default"  # all agree
    commit_text(qtbot, scene.editor, "rural")
    qtbot.waitUntil(lambda: scene.source == "file")
    assert env.stack.count() == 1
    assert env.status[-1].endswith("3 files changed, not saved yet (Save All, Ctrl+Shift+S, writes them)")
    meta_dir = env.root / ".lightly/metadata"
    assert not (meta_dir / "v-150-mp4.json").exists()  # pending until saved, like a single edit
    assert len(env.ws.modified_documents()) == 3
    for doc in env.ws.modified_documents():
        env.ws.save(doc.rel)
    frame_doc = json.loads((meta_dir / "v-150-mp4.json").read_text())
    assert frame_doc == {"file_name": "v-150-mp4.png", "type": "frame", "metadata": {"scene": "rural"}}
    img = json.loads((meta_dir / "img.json").read_text())
    assert img["metadata"]["extra_key"] == {"a": [1, 2]} and img["metadata"]["scene"] == "rural"
    assert img["source"] == "import-v1"
    env.stack.undo()
    for doc in env.ws.modified_documents():
        env.ws.save(doc.rel)
    assert not (meta_dir / "v-150-mp4.json").exists()
    assert json.loads((meta_dir / "img.json").read_text()) == IMAGE_DOC
    qtbot.waitUntil(lambda: scene.source == "mixed")


def test_reset_shortcut_resets_the_focused_field(qtbot, env):
    env.form.set_sample(IMG)
    show_active(qtbot, env.form)
    ed = env.form.editor("camera_id")
    ed.setFocus()
    qtbot.waitUntil(lambda: ed.hasFocus())
    env.form.reset_action.trigger()
    assert env.value(IMG, "camera_id") is MISSING and env.stack.count() == 1


def test_other_keys_split_and_merge_keep_everything():
    from core.schema.entries import compile_schema
    from gui.form.other_data import other_metadata, with_other

    specs = compile_schema([SchemaEntry("Id", "cams[0].id", 0, "NUMERIC_INT"),
                            SchemaEntry("W", "weather.description", "", "CATEGORICAL_STRING")])
    data = {"file_name": "a.png", "type": "image", "x": 1,
            "metadata": {"cams": [{"id": 3, "lens": "wide"}], "weather": {"description": "fog"},
                         "empty": {}, "nulls": [None]}}
    other = other_metadata(data, specs)
    assert other == {"cams": [{"lens": "wide"}], "empty": {}, "nulls": [None]}
    assert with_other(data, None, specs, other) == data  # nothing lost, nothing reordered
    merged = with_other(data, None, specs, {"cams": [{"lens": "tele"}], "new": True}, {"y": 2})
    assert merged["metadata"] == {"cams": [{"id": 3, "lens": "tele"}], "weather": {"description": "fog"},
                                  "new": True}
    assert list(merged) == ["file_name", "type", "metadata", "y"]
    assert other_metadata({"metadata": {"cams": [{"id": 1}]}}, specs) == {}


def test_letters_typed_into_a_numeric_field_say_why_under_it(qtbot, env):
    env.form.set_sample(IMG)
    spec = next(s for s in env.ws.specs if s.type.name == "NUMERIC_INT")
    ed, row = env.form.editor(spec.path), env.form.row(spec.path)
    ed.setFocus()
    ed.selectAll()
    qtbot.keyClicks(ed, "4x")
    assert ed.text() == "4"  # the letter is not taken...
    assert "\u201cx\u201d cannot be typed here" in row.message_text()  # ...and the form says why
    assert "whole number" in row.message_text() and "Not saved" not in row.message_text()
    qtbot.keyClicks(ed, "2")
    assert row.message_text() == ""  # the next accepted key hides it
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    assert env.value(IMG, spec.path) == 42
    qtbot.keyClicks(ed, "q")
    assert "cannot be typed here" in row.message_text()
    assert env.form.commit_pending()  # a refused key never blocks leaving the file
