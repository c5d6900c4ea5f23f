"""The problems panel: model checks, grouping, filters, per-file updates, activation and fixes."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack

from core.format.findings import ERROR, INFO, WARNING, Finding
from core.validation import fixes
from core.validation.validate import validate_datasource
from core.workspace import Workspace
from gui.problems.fix_command import RenameFileCommand, fix_command
from gui.problems.model import FINDING_ROLE, FIXABLE_ROLE, ProblemsModel
from gui.problems.panel import ProblemsPanel


def F(file, code="value-type", severity=ERROR, message="bad", **kw) -> Finding:
    return Finding(severity, code, file, message, **kw)


FINDINGS = [
    F("b.json", "wrong-file-name", message="file_name is 'x'", path="file_name", fix="b.png"),
    F("b.json", "extra-top-level-key", WARNING, "unexpected key 'c'", path="c"),
    F("a.json", "invalid-json", message="Expecting ','", line=3, column=7),
    F("schema.json", "unknown-type", message="did you mean NUMERIC_INT?", path="[0].valueDataType",
      fix="NUMERIC_INT"),
    F("z/orphan.json", "orphan", WARNING, "no media file"),
    F("z/note.json", "orphan", INFO, "just a note"),
]


@pytest.fixture
def panel(qtbot):
    p = ProblemsPanel()
    qtbot.addWidget(p)
    p.resize(900, 400)
    p.set_findings(FINDINGS)
    return p


def files(model):
    return [model.file(model.index(r, 0)) for r in range(model.rowCount())]


def children(model, file):
    parent = model.file_index(file)
    return [model.finding(model.index(r, 0, parent)) for r in range(model.rowCount(parent))]


def test_model_passes_qtmodeltester_through_every_change(qtmodeltester):
    model = ProblemsModel()
    qtmodeltester.check(model)
    model.set_findings(FINDINGS)
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_filter(errors=True, warnings=False, text="")
    model.update_file("b.json", [F("b.json", "missing-key", path="type")])
    model.update_file("new.json", [F("new.json")])
    model.update_file("a.json", [])
    model.set_filter(text="json")
    qtmodeltester.check(model)


def test_findings_are_grouped_by_file_with_counts(panel):
    model = panel.model
    assert files(model) == ["a.json", "b.json", "schema.json", "z/note.json", "z/orphan.json"]
    assert [f.code for f in children(model, "b.json")] == ["wrong-file-name", "extra-top-level-key"]
    b = model.file_index("b.json")
    assert model.data(b) == "b.json  (2)"
    assert model.data(b.siblingAtColumn(1)) == "1 error, 1 warning"
    child = model.index(0, 0, model.file_index("a.json"))
    assert model.data(child) == "invalid-json"
    assert model.data(child.siblingAtColumn(2)) == "3:7"  # line:column
    assert model.data(child, FINDING_ROLE) == FINDINGS[2]
    assert model.data(model.index(0, 0, b).siblingAtColumn(2)) == "file_name"
    assert model.data(model.index(0, 0, b).siblingAtColumn(3)) == "Set file_name to 'b.png'"
    assert model.data(model.index(0, 0, b), FIXABLE_ROLE) is True
    assert model.data(model.index(1, 0, b), FIXABLE_ROLE) is False
    assert panel.counts() == (3, 2)
    assert panel.view.objectName() == "problemsView"
    assert panel.view.isExpanded(b)  # few files: opened


def test_sorting_by_column(panel):
    panel.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # worst files first
    assert files(panel.model)[:2] == ["b.json", "schema.json"]
    panel.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert files(panel.model)[0] == "a.json"


def test_severity_toggles_and_text_filter(panel, qtbot):
    panel.errors_button.setChecked(False)
    assert files(panel.model) == ["b.json", "z/note.json", "z/orphan.json"]
    assert panel.status_label.text() == "showing 3 of 6"
    panel.errors_button.setChecked(True)
    panel.warnings_button.setChecked(False)
    assert files(panel.model) == ["a.json", "b.json", "schema.json"]
    panel.warnings_button.setChecked(True)
    qtbot.keyClicks(panel.filter_edit, "NUMERIC")
    qtbot.waitUntil(lambda: files(panel.model) == ["schema.json"])
    panel.filter_edit.setText("orphan.json")  # a file name shows all its findings
    panel._debouncer.flush()
    assert files(panel.model) == ["z/orphan.json"]
    assert panel.counts() == (3, 2)  # counts ignore the filter


def test_update_file_replaces_one_file_without_reset(panel, qtbot):
    model = panel.model
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(panel.countsChanged) as blocker:
        panel.update_file("b.json", [F("b.json", "missing-key", path="type")])
    assert blocker.args == [3, 1]
    assert [f.code for f in children(model, "b.json")] == ["missing-key"]
    with qtbot.waitSignal(panel.countsChanged) as blocker:
        panel.update_file("a.json", [])  # fixed: the file disappears
    assert blocker.args == [2, 1]
    assert "a.json" not in files(model)
    panel.update_file("m.json", [F("m.json")])  # a new file goes in sorted place
    assert files(model) == ["b.json", "m.json", "schema.json", "z/note.json", "z/orphan.json"]
    assert not resets
    assert panel.view.isExpanded(model.file_index("b.json"))


def test_activation_emits_the_finding(panel, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view
    index = panel.model.index(0, 0, panel.model.file_index("a.json"))
    view.setCurrentIndex(index)
    with qtbot.waitSignal(panel.findingActivated) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [FINDINGS[2]]
    rect = view.visualRect(panel.model.index(0, 1, panel.model.file_index("b.json")))
    with qtbot.waitSignal(panel.findingActivated) as blocker:
        # A real double-click starts with a press (QTest's double-click event alone has none).
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [FINDINGS[0]]
    view.setCurrentIndex(panel.model.file_index("z/note.json"))
    with qtbot.waitSignal(panel.fileActivated) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == ["z/note.json"]


def test_fix_button_and_menu_only_for_fixable_findings(panel, qtbot):
    model = panel.model
    panel.view.setCurrentIndex(model.index(1, 0, model.file_index("b.json")))
    assert not panel.fix_button.isEnabled()
    fixable = model.index(0, 0, model.file_index("b.json"))
    panel.view.setCurrentIndex(fixable)
    assert panel.fix_button.isEnabled() and panel.fix_button.text() == "Fix: Set file_name to 'b.png'"
    with qtbot.waitSignal(panel.fixRequested) as blocker:
        panel.fix_button.click()
    assert blocker.args == [FINDINGS[0]]
    menu = panel._build_menu(fixable)
    assert [a.text() for a in menu.actions()] == ["Go to problem", "Fix: Set file_name to 'b.png'", "Copy"]
    with qtbot.waitSignal(panel.fixRequested):
        menu.actions()[1].trigger()
    menu = panel._build_menu(model.index(0, 0, model.file_index("z/note.json")))
    assert [a.text() for a in menu.actions()] == ["Go to problem", "Copy"]
    assert panel._build_menu(QModelIndex()) is None


def test_100k_findings_sort_filter_and_update(qtbot, qtmodeltester):
    # How long this takes is measured by benchmarks/bench_panels.py, never asserted here.
    many = [F(f"d{i % 997}/f{i // 7}.json", "value-type" if i % 3 else "orphan",
              ERROR if i % 3 else WARNING, f"message {i}", path=f"p{i % 5}") for i in range(100_000)]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_findings(many)
    panel.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    panel.filter_edit.setText("message 99")
    panel._debouncer.flush()
    panel.update_file("d0/f0.json", [])
    assert panel.counts() == (66_666, 33_333)  # d0/f0.json held finding 0, a warning
    assert panel.model.visible_count() == 1111  # message 99, 990..999, 9900..9999, 99000..99999
    qtmodeltester.check(panel.model)


# --- fixes through the undo stack -----------------------------------------------------------


@pytest.fixture
def broken_ds(tmp_path):
    root = tmp_path / "ds"
    (root / "images").mkdir(parents=True)
    (root / "images" / "a.png").write_bytes(b"img")
    base = root / ".lightly" / "metadata"
    (base / "images").mkdir(parents=True)
    (base / "schema.json").write_text(json.dumps(
        [{"name": "N", "path": "n", "defaultValue": 0, "valueDataType": "NUMERICAL_INT"}]))
    a = {"file_name": "a.png", "type": "image", "metadata": {}}
    (base / "images" / "a.json").write_text(json.dumps(a))
    return root


def test_fix_commands_undo_and_redo(broken_ds, qtbot):
    index, findings = validate_datasource(broken_ds, confirm_frames=False)
    ws = Workspace(broken_ds)
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_index(index)
    panel.set_findings(findings)
    stack = QUndoStack()
    for f in findings:
        fix = panel.fix_for(f)
        stack.push(fix_command(ws, fix, index))
    assert ws.schema_entries[0].value_type == "NUMERIC_INT"
    assert ws.document("images/a.json").data["file_name"] == "images/a.png"
    stack.undo()
    stack.undo()
    assert ws.schema_entries[0].value_type == "NUMERICAL_INT"
    assert ws.document("images/a.json").data["file_name"] == "a.png"


def test_rename_command_refuses_collisions_and_undoes(tmp_path, qtbot):
    base = tmp_path / ".lightly" / "metadata"
    base.mkdir(parents=True)
    (base / "v-1-mp4.json").write_text("{}")
    ws = Workspace(tmp_path)
    finding = F("v-1-mp4.json", "frame-padding", fix="v-01-mp4.json")
    fix = fixes.fix_for(finding)
    stack = QUndoStack()
    cmd = fix_command(ws, fix)
    assert isinstance(cmd, RenameFileCommand)
    stack.push(cmd)
    assert (base / "v-01-mp4.json").exists() and not (base / "v-1-mp4.json").exists()
    stack.undo()
    assert (base / "v-1-mp4.json").read_text() == "{}" and not (base / "v-01-mp4.json").exists()
    (base / "v-01-mp4.json").write_text("[]")
    with pytest.raises(fixes.FixError, match="already exists"):
        fix_command(ws, fix)
    stack.redo()  # the target appeared meanwhile: nothing is overwritten, the command says why
    assert cmd.error and "already exists" in cmd.error
    assert (base / "v-01-mp4.json").read_text() == "[]"


def test_a_click_on_the_fix_link_applies_the_fix_and_the_button_follows_an_emptied_list(panel, qtbot):
    from PySide6.QtTest import QTest

    model = panel.model
    panel.show()
    panel.view.expandAll()
    link = model.index(0, 3, model.file_index("b.json"))
    assert link.data() == "Set file_name to 'b.png'"
    assert link.data(Qt.ItemDataRole.FontRole).underline()
    rect = panel.view.visualRect(link)
    assert rect.isValid()
    with qtbot.waitSignal(panel.fixRequested, timeout=2000) as blocker:
        QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [FINDINGS[0]]
    # A click elsewhere on the row is a selection, not a fix.
    with qtbot.assertNotEmitted(panel.fixRequested):
        QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.view.visualRect(model.index(0, 1, model.file_index("b.json"))).center())
    panel.view.setCurrentIndex(model.index(0, 0, model.file_index("b.json")))
    assert panel.fix_button.text() == "Fix: Set file_name to 'b.png'"
    panel.update_file("b.json", [])  # fixed: its findings are gone
    assert not panel.fix_button.isEnabled() and panel.fix_button.text() == "Fix"
    panel.set_findings([])
    assert not panel.fix_button.isEnabled() and panel.fix_button.text() == "Fix"
