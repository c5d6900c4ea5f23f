"""Annotating with keys only: Enter and Alt+digit in the form, shortcuts that never collide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from core.format.samples import SampleRef
from gui.form.form_keys import choices, hint_text
from tests.e2e.annotator.support import ALT, CTRL, field_of, key, read, typed


# --- keyboard only -----------------------------------------------------------------------------------
def test_keyboard_only_annotation_of_three_files(window, ds, qtbot):
    key(qtbot, Qt.Key.Key_F, CTRL)  # Find File: the filter box
    key(qtbot, Qt.Key.Key_Down)  # into the tree, on its first row: the folder sub/
    key(qtbot, Qt.Key.Key_Down)  # a.png
    assert window.form.samples() == [SampleRef.image("a.png")]
    key(qtbot, Qt.Key.Key_Return)  # into the form's first field
    qtbot.waitUntil(lambda: field_of(window) == "scene")

    # a.png: Alt+1 picks "city" and moves on; type a weather and a temperature, Enter each;
    # Alt+2 picks camera 12; Ctrl+Return commits, saves and goes to b.png.
    key(qtbot, Qt.Key.Key_1, ALT)
    assert field_of(window) == "weather.description"
    typed(qtbot, "fog")
    key(qtbot, Qt.Key.Key_Return)
    assert field_of(window) == "weather.temperature"
    typed(qtbot, "21.5")
    key(qtbot, Qt.Key.Key_Return)
    assert field_of(window) == "camera"
    key(qtbot, Qt.Key.Key_2, ALT)
    assert field_of(window) == "notes"
    key(qtbot, Qt.Key.Key_Return, CTRL)
    assert window.form.samples() == [SampleRef.image("b.png")]
    assert field_of(window) == "scene"  # back on the field where a.png started

    # b.png: a new scene typed, then the weather typed last and committed by Ctrl+Return.
    typed(qtbot, "beach")
    key(qtbot, Qt.Key.Key_Return)
    typed(qtbot, "sun")
    key(qtbot, Qt.Key.Key_Return, CTRL)
    assert window.form.samples() == [SampleRef.image("c.png")]

    # c.png: "beach" became value 3 of Scene in this session; fog is value 2 of Weather.
    assert hint_text(choices(window.form.editor("scene"))) == "Alt+  1 city  ·  2 park  ·  3 beach"
    assert "&nbsp;3&nbsp;</span>&nbsp;beach" in window.form.row("scene").hint.text()
    key(qtbot, Qt.Key.Key_3, ALT)
    key(qtbot, Qt.Key.Key_2, ALT)
    key(qtbot, Qt.Key.Key_Return, CTRL)
    assert window.form.samples() == [SampleRef.image("y.png")]

    assert read(ds, "a.json") == {"file_name": "a.png", "type": "image", "metadata": {
        "scene": "city", "weather": {"description": "fog", "temperature": 21.5}, "camera": 12}}
    assert read(ds, "b.json") == {"file_name": "b.png", "type": "image", "metadata": {
        "scene": "beach", "weather": {"description": "sun"}}}
    assert read(ds, "c.json") == {"file_name": "c.png", "type": "image", "metadata": {
        "scene": "beach", "weather": {"description": "fog"}}}
    assert window.errors == [] and window.asked == []
    qtbot.waitUntil(lambda: not window.isWindowModified())


def test_digits_typed_into_text_fields_never_change_a_list_field(window, ds, qtbot):
    window.select_media("a.png")
    window.focus_form()
    qtbot.waitUntil(lambda: field_of(window) == "scene")
    for path, text in (("weather.temperature", "123"), ("notes", "1 2 3 9"), ("camera", "21")):
        window.form.editor(path).setFocus()
        qtbot.waitUntil(lambda p=path: field_of(window) == p)
        typed(qtbot, text)
        key(qtbot, Qt.Key.Key_Tab)
    ws = window.workspace
    doc = ws.document(SampleRef.image("a.png"))
    # the digits went into the fields typed in, as text; the list fields were not picked
    assert doc.data["metadata"] == {"weather": {"temperature": 123}, "notes": "1 2 3 9", "camera": 21}
    assert window.form.editor("scene").currentText() == ""


def test_no_two_actions_share_a_shortcut_and_none_takes_the_form_keys(window):
    forbidden = {QKeySequence(k) for k in ("Tab", "Backtab", "Return", "Enter", "Esc")}
    forbidden |= {QKeySequence(f"{m}{d}") for m in ("", "Alt+", "Shift+", "Alt+Shift+") for d in range(10)}
    seen: dict[str, QAction] = {}
    window_wide = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
    for act in window.findChildren(QAction):
        for seq in act.shortcuts():
            assert seq not in forbidden, (act.objectName(), seq.toString())
            text = seq.toString()
            other = seen.get(text)
            if other is not None and other is not act:
                # the same key in two panels that never have the keyboard together is fine
                scopes = (other.shortcutContext(), act.shortcutContext())
                a, b = other.parent(), act.parent()
                assert not any(s in window_wide for s in scopes), (text, other.objectName(), act.objectName())
                assert not (a.isAncestorOf(b) or b.isAncestorOf(a) or a is b), text
            seen[text] = act
    import re

    from PySide6.QtWidgets import QMenu

    texts = [m.title() for m in window.findChildren(QMenu)] + [a.text() for a in window.findChildren(QAction)]
    assert not [t for t in texts if re.search(r"(?<!&)&[0-9]", t)]  # no Alt+digit mnemonic anywhere
    go = ("actionNextFile", "actionPreviousFile", "actionNextWithoutMetadata", "actionNextWithProblems")
    for name in go:
        act = window.findChild(QAction, name)
        assert not act.shortcut().isEmpty()
        keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert keys in act.toolTip()
        assert act in window.menu_actions.menus["go"].actions()


def test_ctrl_return_in_other_metadata_applies_there_instead_of_moving_on(window, ds, qtbot):
    window.select_media("y.png")
    box = window.form.other.text
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    typed(qtbot, '{"who": "kim"}')
    key(qtbot, Qt.Key.Key_Return, CTRL)
    assert window.form.samples() == [SampleRef.image("y.png")]
    assert window.workspace.document(SampleRef.image("y.png")).data["metadata"]["who"] == "kim"


def test_keyboard_shortcuts_window_lists_actions_and_form_keys(window, qtbot):
    window.findChild(QAction, "actionKeyboardShortcuts").trigger()
    dialog = window.annotate.dialog
    qtbot.addWidget(dialog)
    rows = {(keys, text) for _section, keys, text, _tip in dialog.rows}
    assert ("Ctrl+PgDown, Alt+Right", "Next File") in rows
    assert ("F8", "Next File with Problems") in rows
    assert ("Ctrl+D", "Copy Field from Previous File") in rows
    assert any(k.startswith("Alt+1") for k, _t in rows)
    for act in window.findChildren(QAction):
        if not act.shortcut().isEmpty():
            assert any(t == act.text().replace("&", "").split("\t")[0] for _k, t in rows), act.text()
