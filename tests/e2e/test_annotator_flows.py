"""The annotator's fast path in the real window, driven by keys: navigation, auto-save or asking
when leaving a file, Enter and Alt+digit in the form, copy from previous, bulk edits (also in the
background), write failures — checked against the files on disk."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from core.samples import SampleRef
from gui import settings
from gui.app import build_window
from gui.metadata_form.form_keys import choices, hint_text
from gui.workers import wait_all

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


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    settings.use_file(str(tmp_path / "settings.ini"))  # auto-save toggles stay in this test
    yield
    settings.use_file(None)


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


@pytest.fixture
def ds(tmp_path):
    return make_datasource(tmp_path / "ds")


@pytest.fixture
def window(ds, qtbot):
    w = build_window(ds, remember=False)
    qtbot.addWidget(w)
    w.errors, w.asked = [], []
    w.show_error = lambda title, text: w.errors.append(f"{title}: {text}")
    w.answer = "cancel"
    w.ask_save_discard_cancel = lambda what: w.asked.append(what) or w.answer
    w.show()
    w.activateWindow()
    with qtbot.waitSignal(w.loaded, timeout=30000):
        pass
    qtbot.waitUntil(lambda: w.loader.validated and not w.loader.busy, timeout=30000)
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.waitUntil(lambda: w.form.editor("scene").known_values() == ["city", "park"])
    yield w
    w.answer = "discard"
    w.close()
    wait_all()


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


# --- bulk edits ------------------------------------------------------------------------------------------
def snapshot(ds):
    root = ds / ".lightly" / "metadata"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.json")}


@pytest.mark.parametrize("background", [False, True], ids=["on-gui-thread", "in-worker"])
def test_bulk_edit_of_a_mixed_selection_writes_only_the_touched_field(window, ds, qtbot, monkeypatch,
                                                                       background):
    import gui.range_edit

    if background:
        monkeypatch.setattr(gui.range_edit, "SYNC_LIMIT", 1)  # written by the worker
    before = snapshot(ds)
    paths = ["a.png", "y.png", "z.png"]
    window.select_media(paths)
    form = window.form
    assert form.editor("scene").is_mixed()
    statuses = []
    form.statusMessage.connect(statuses.append)
    scene = form.editor("scene")
    scene.setFocus()
    qtbot.waitUntil(lambda: field_of(window) == "scene")
    key(qtbot, Qt.Key.Key_1, ALT)  # "city" on all three
    writer = form.bulk_writer
    qtbot.waitUntil(lambda: not writer.busy() and writer._command is None and bool(statuses), timeout=20000)
    assert (writer.task is not None) == background
    assert statuses[-1] == "Wrote 2 files"  # y.png had "city" already: its file is not rewritten
    assert window.undo_stack.count() == 1
    assert read(ds, "a.json") == {"file_name": "a.png", "type": "image", "metadata": {"scene": "city"}}
    assert meta(ds, "y.json").read_text() == CITY_TEXT
    z = json.loads(REF_TEXT)
    z["metadata"]["scene"] = "city"
    assert read(ds, "z.json") == z  # the other keys, unknown ones and the top-level `extra` kept
    qtbot.waitUntil(lambda: not window.isWindowModified())

    window.findChild(QAction, "actionUndo").trigger()
    qtbot.waitUntil(lambda: not writer.busy() and writer._command is None, timeout=20000)
    qtbot.waitUntil(lambda: statuses[-1] == "Undo: wrote 2 files")
    assert snapshot(ds) == before  # byte for byte, and a.json is gone again


def test_a_bulk_write_failure_is_reported_and_the_edit_stays_undoable(window, ds, qtbot):
    before = snapshot(ds)
    meta(ds, "sub").write_text("a regular file where the folder sub/ is needed")
    window.select_media(["a.png", "sub/d.png", "y.png"])
    window.form.editor("notes").commit_value("checked")
    assert len(window.errors) == 1 and "sub/d.json" in window.errors[0]
    assert "2 files were written, 1 could not be" in window.errors[0]
    assert read(ds, "a.json")["metadata"] == {"notes": "checked"}
    d = window.workspace.document(SampleRef.image("sub/d.png"))
    assert d.modified  # not marked saved
    qtbot.waitUntil(window.isWindowModified)
    window.findChild(QAction, "actionUndo").trigger()
    assert snapshot(ds) == {**before}
    assert not d.modified


def test_cancelling_a_background_bulk_write_keeps_the_rest_as_unsaved_edits(window, ds, qtbot, monkeypatch):
    import gui.range_edit

    monkeypatch.setattr(gui.range_edit, "SYNC_LIMIT", 1)
    before = snapshot(ds)
    ws, form = window.workspace, window.form
    writer = form.bulk_writer
    real_save = ws.save

    def save_then_cancel(key, force=False):  # the user presses Cancel after the first file
        written = real_save(key, force)
        writer.task.cancel()
        return written

    monkeypatch.setattr(ws, "save", save_then_cancel)
    statuses = []
    form.statusMessage.connect(statuses.append)
    samples = [SampleRef.image(p) for p in ("a.png", "b.png", "c.png")]
    window.select_samples(samples)
    form.editor("notes").commit_value("half")
    qtbot.waitUntil(lambda: not writer.busy() and writer._command is None and bool(statuses), timeout=20000)
    assert statuses[-1].startswith("Wrote 1 file; cancelled")
    unsaved = [s for s in samples if ws.document(s).modified]
    assert len(unsaved) == 2 and all(ws.document(s).value("notes") == "half" for s in samples)
    qtbot.waitUntil(window.isWindowModified)
    monkeypatch.setattr(ws, "save", real_save)
    window.findChild(QAction, "actionUndo").trigger()
    qtbot.waitUntil(lambda: not writer.busy() and writer._command is None, timeout=20000)
    assert snapshot(ds) == before and not any(ws.document(s).modified for s in samples)


# --- done means: 20 demo images, two fields, about three keys each ------------------------------------
def test_twenty_demo_images_take_three_keystrokes_each(tmp_path, qtbot):
    import shutil

    from core.demo import demo_copy

    demo = demo_copy(dest_root=tmp_path)
    pictures = ["street_0.png", "street_1.jpg", "highway/car_2.png", "park/tree_5.png", "night/lamp_8.png"]
    (demo / "batch").mkdir()
    rels = []
    for i in range(20):
        src = demo / pictures[i % len(pictures)]
        rels.append(f"batch/img_{i + 1:02d}{src.suffix}")
        shutil.copyfile(src, demo / rels[-1])
    w = build_window(demo, remember=False)
    qtbot.addWidget(w)
    w.ask_save_discard_cancel = lambda what: "discard"
    w.show()
    w.activateWindow()
    with qtbot.waitSignal(w.loaded, timeout=30000):
        pass
    qtbot.waitUntil(lambda: w.loader.validated and not w.loader.busy, timeout=30000)
    qtbot.waitUntil(w.isActiveWindow)
    scenes = w.form.editor("scene").known_values()
    weathers = w.form.editor("weather.description").known_values()
    assert len(scenes) >= 3 and len(weathers) >= 3
    keys = 0

    def press(k, mods=Qt.KeyboardModifier.NoModifier):
        nonlocal keys
        qtbot.keyClick(focused() or w, k, mods)
        keys += 1

    press(Qt.Key.Key_PageDown, CTRL)  # Next File from nothing selected: the first file
    press(Qt.Key.Key_E, CTRL)  # into the form
    expected = {}
    for i, rel in enumerate(rels):
        assert [s.media for s in w.form.samples()] == [rel]
        a, b = i % 3 + 1, (i + 1) % 3 + 1
        press(getattr(Qt.Key, f"Key_{a}"), ALT)
        press(getattr(Qt.Key, f"Key_{b}"), ALT)
        press(Qt.Key.Key_Return, CTRL)
        expected[rel] = (scenes[a - 1], weathers[b - 1])
    assert keys == 2 + 3 * len(rels)  # 3.1 keystrokes per file
    for rel, (scene, weather) in expected.items():
        doc = json.loads((demo / ".lightly" / "metadata" / rel).with_suffix(".json").read_text())
        assert doc == {"file_name": rel, "type": "image",
                       "metadata": {"scene": scene, "weather": {"description": weather}}}
    w.close()
    wait_all()
