"""The metadata form over a real datasource in tmp_path: editors, undo, sources, other keys, repair."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from core.format.findings import ERROR, Finding
from core.format.keypath import MISSING
from core.schema.entries import SchemaEntry, add_entry
from gui.common.commands import SchemaCommand, set_value_command
from gui.editors.registry import EDITORS
from tests.gui.form.support import (
    BROKEN,
    BROKEN_TEXT,
    FRAME,
    IMAGE_DOC,
    IMG,
    VIDEO,
    commit_text,
)


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


