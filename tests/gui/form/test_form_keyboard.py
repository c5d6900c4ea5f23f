"""The metadata form from the keyboard: Tab, Enter, reset keys, typed text it refuses, bulk edits."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.format.keypath import MISSING
from core.schema.entries import SchemaEntry
from tests.gui.form.support import (
    FRAME,
    IMAGE_DOC,
    IMG,
    VIDEO,
    commit_text,
    show_active,
)


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
