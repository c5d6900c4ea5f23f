"""Moving between files never loses edits (auto-save or ask); copy values from the previous file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from core.format.samples import SampleRef
from gui.common import settings
from tests.e2e.annotator.support import CTRL, field_of, key, meta, read, typed


# --- navigation and leaving a file ----------------------------------------------------------------------
def test_go_actions_walk_the_tree_order(window, ds, qtbot):
    go = {n: window.findChild(QAction, n) for n in ("actionNextFile", "actionPreviousFile",
                                                     "actionNextWithoutMetadata", "actionNextWithProblems")}
    window.select_media("a.png")
    go["actionNextFile"].trigger()
    assert window.form.samples() == [SampleRef.image("b.png")]
    go["actionPreviousFile"].trigger()
    go["actionPreviousFile"].trigger()  # folders first: sub/d.png comes before a.png
    assert window.form.samples() == [SampleRef.image("sub/d.png")]
    window.select_media("c.png")
    go["actionNextWithoutMetadata"].trigger()  # y and z have files: wraps to sub/d.png
    assert window.form.samples() == [SampleRef.image("sub/d.png")]
    go["actionNextWithProblems"].trigger()  # z.json has a top-level key besides metadata
    assert window.form.samples() == [SampleRef.image("z.png")]
    assert [f.code for f in window.findings.for_sample(SampleRef.image("z.png"))] == ["extra-top-level-key"]


def test_leaving_a_file_saves_it_when_auto_save_is_on(window, ds, qtbot):
    window.select_media("a.png")
    window.form.editor("notes").commit_value("seen")
    assert window.isWindowModified() or window.workspace.modified_documents()
    window.findChild(QAction, "actionNextFile").trigger()
    assert read(ds, "a.json")["metadata"] == {"notes": "seen"}
    assert window.workspace.modified_documents() == []


def test_with_auto_save_off_leaving_asks_and_cancel_keeps_the_edit(window, ds, qtbot):
    autosave = window.findChild(QAction, "actionAutoSave")
    assert autosave.isChecked()
    autosave.trigger()
    assert not autosave.isChecked() and settings.get("editor/autosave") is False
    window.select_media("a.png")
    window.form.editor("notes").setFocus()
    qtbot.waitUntil(lambda: field_of(window) == "notes")
    typed(qtbot, "typed, not committed yet")
    next_file = window.findChild(QAction, "actionNextFile")

    window.answer = "cancel"
    next_file.trigger()
    assert window.asked == ["Leave a.png"]
    assert window.form.samples() == [SampleRef.image("a.png")]
    assert window.files.current_sample() == SampleRef.image("a.png")
    assert window.workspace.document(SampleRef.image("a.png")).value("notes") == "typed, not committed yet"
    assert not meta(ds, "a.json").exists()

    # a click in the tree asks the same way, and Cancel puts the tree back on a.png
    window.files.select_samples([SampleRef.image("c.png")])
    assert window.asked[-1] == "Leave a.png"
    assert window.form.samples() == [SampleRef.image("a.png")]
    assert window.files.current_sample() == SampleRef.image("a.png")

    window.answer = "discard"
    next_file.trigger()
    assert window.form.samples() == [SampleRef.image("b.png")]
    assert window.workspace.document(SampleRef.image("a.png")).data is None  # back to "no file"
    window.findChild(QAction, "actionUndo").trigger()  # the discard is one undo step
    assert window.workspace.document(SampleRef.image("a.png")).value("notes") == "typed, not committed yet"

    window.answer = "save"
    window.form.editor("notes").commit_value("b")
    next_file.trigger()
    assert read(ds, "b.json")["metadata"] == {"notes": "b"}
    assert window.form.samples() == [SampleRef.image("c.png")]


def test_a_failed_auto_save_is_reported_and_the_window_stays_on_the_file(window, ds, qtbot):
    meta(ds, "sub").write_text("a regular file where the folder sub/ is needed")
    window.select_media("sub/d.png")
    window.form.editor("notes").commit_value("x")
    window.findChild(QAction, "actionNextFile").trigger()
    assert len(window.errors) == 1 and "sub/d.json" in window.errors[0]
    assert "not saved" in window.statusBar().currentMessage()
    assert window.form.samples() == [SampleRef.image("sub/d.png")]  # the edit is not left behind
    doc = window.workspace.document(SampleRef.image("sub/d.png"))
    assert doc.modified and doc.value("notes") == "x"
    qtbot.waitUntil(window.isWindowModified)
    assert window.files.model.index_of("sub/d.png").data(Qt.ItemDataRole.DisplayRole)


# --- copy from previous ----------------------------------------------------------------------------------
def test_copy_all_from_previous_fills_only_unset_fields_unless_overwrite(window, ds, qtbot):
    a, b = SampleRef.image("a.png"), SampleRef.image("b.png")
    window.select_media("a.png")
    for path, value in (("scene", "park"), ("weather.description", "fog"), ("camera", 7)):
        window.form.editor(path).commit_value(value)
    window.findChild(QAction, "actionNextFile").trigger()
    assert window.form.samples() == [b]
    window.form.editor("scene").commit_value("city")
    count = window.undo_stack.count()
    window.findChild(QAction, "actionCopyAllFromPrevious").trigger()
    assert window.undo_stack.count() == count + 1  # one undo step
    doc = window.workspace.document(b)
    assert doc.data["metadata"] == {"scene": "city", "weather": {"description": "fog"}, "camera": 7}
    window.findChild(QAction, "actionCopyAllFromPreviousOverwrite").trigger()
    assert doc.value("scene") == "park"
    window.findChild(QAction, "actionUndo").trigger()
    window.findChild(QAction, "actionUndo").trigger()
    assert doc.data["metadata"] == {"scene": "city"}
    assert window.workspace.document(a).value("scene") == "park"  # a.png saved, untouched


def test_copy_one_field_with_ctrl_d_and_the_field_menu(window, ds, qtbot):
    window.select_media("a.png")
    window.form.editor("scene").commit_value("park")
    window.form.editor("notes").commit_value("from a")
    window.findChild(QAction, "actionNextFile").trigger()
    notes = window.form.editor("notes")
    notes.setFocus()
    qtbot.waitUntil(lambda: field_of(window) == "notes")
    key(qtbot, Qt.Key.Key_D, CTRL)
    b = window.workspace.document(SampleRef.image("b.png"))
    assert b.data["metadata"] == {"notes": "from a"}  # only the focused field
    scene = window.form.editor("scene")
    menu = window.form.keys.field_menu(scene, scene.lineEdit())
    copy = next(a for a in menu.actions() if a.objectName() == "menuCopyFieldFromPrevious")
    assert copy.isEnabled() and "park" in copy.text()
    copy.trigger()
    assert b.value("scene") == "park"
    menu.deleteLater()
