"""The Schema tab: table model, undo steps, lint on cells, fixes, saving, proposing from data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.format import jsonio
from core.format.naming import schema_path
from core.schema.entries import SchemaEntry
from core.workspace import WriteError
from gui.schema.proposal_model import ProposalModel
from gui.schema.table_model import DEFAULT, NAME, PATH, TYPE, FindingsRole, TypeRole
from tests.gui.schema.support import SCHEMA
from tests.gui.schema.support import entries_of as _entries


def test_model_passes_qtmodeltester(qtmodeltester, panel):
    qtmodeltester.check(panel.model)
    panel.model.add_entry(0)
    panel.model.set_cell(1, DEFAULT, None)
    qtmodeltester.check(panel.model)


def test_cells_show_the_entries(panel):
    m = panel.model
    assert m.rowCount() == 4 and m.columnCount() == 4
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "name", "path", "defaultValue", "valueDataType"]
    assert m.index(1, DEFAULT).data() == "20.5"
    assert m.index(3, DEFAULT).data() == "false"
    assert m.index(2, TYPE).data() == "NUMERICAL_INT"
    assert m.index(2, TYPE).data(TypeRole) is None
    assert m.entries is panel.ws.schema_entries  # a reference, not a copy


@pytest.mark.parametrize("operation", ["add", "delete", "duplicate", "move_up", "move_down"])
def test_each_row_operation_is_one_undo_step(panel, operation):
    before = _entries(panel)
    stack = panel.undo_stack
    panel.select_cell(1, NAME)
    {"add": panel.add, "delete": panel.delete, "duplicate": panel.duplicate,
     "move_up": lambda: panel.move(-1), "move_down": lambda: panel.move(+1)}[operation]()
    assert stack.count() == 1
    after = _entries(panel)
    assert after != before
    if operation == "add":
        assert len(after) == 5 and after[2].name == "new field" and after[2].default is None
    elif operation == "delete":
        assert [e.name for e in after] == ["Weather", "Cars", "Night"]
    elif operation == "duplicate":
        assert after[2] == before[1].with_(name="Temperature 2")
    elif operation == "move_up":
        assert [e.name for e in after[:2]] == ["Temperature", "Weather"]
        assert panel.current_row() == 0
    else:
        assert [e.name for e in after[1:3]] == ["Cars", "Temperature"]
        assert panel.current_row() == 2
    stack.undo()
    assert _entries(panel) == before and panel.model.rowCount() == 4
    stack.redo()
    assert _entries(panel) == after


def test_delete_several_selected_rows_is_one_step(panel):
    sel = panel.table.selectionModel()
    from PySide6.QtCore import QItemSelectionModel

    for row in (0, 2):
        sel.select(panel.model.index(row, NAME), QItemSelectionModel.SelectionFlag.Select)
    panel.delete()
    assert [e.name for e in _entries(panel)] == ["Temperature", "Night"]
    assert panel.undo_stack.count() == 1


def test_shortcuts_are_scoped_to_the_table(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.select_cell(0, PATH)
    qtbot.waitUntil(lambda: panel.table.hasFocus())
    for action in (panel.add_action, panel.delete_action, panel.duplicate_action, panel.up_action,
                   panel.down_action):
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
        assert action in panel.table.actions()
    qtbot.keyClick(panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [e.name for e in _entries(panel)][:2] == ["Weather", "Weather 2"]
    qtbot.keyClick(panel.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [e.name for e in _entries(panel)][1:3] == ["Temperature", "Weather 2"]
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert "Weather 2" not in [e.name for e in _entries(panel)]
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Insert)
    assert len(_entries(panel)) == 5
    assert panel.undo_stack.count() == 4


def test_set_data_pushes_one_command_and_unchanged_pushes_none(panel):
    m = panel.model
    assert m.setData(m.index(0, NAME), "Sky")
    assert _entries(panel)[0].name == "Sky" and panel.undo_stack.count() == 1
    assert not m.setData(m.index(0, NAME), "Sky")
    assert panel.undo_stack.count() == 1
    assert m.setData(m.index(1, DEFAULT), "7")  # text is parsed for the row's type
    assert _entries(panel)[1].default == 7
    assert m.setData(m.index(1, DEFAULT), None)
    assert _entries(panel)[1].default is None
    assert panel.undo_stack.undoText() == "Change defaultValue of 'Temperature'"
    panel.undo_stack.undo()
    assert _entries(panel)[1].default == 7


def test_type_change_converts_the_default_in_one_command(panel):
    m = panel.model
    m.set_cell(0, DEFAULT, "3")
    m.set_cell(0, TYPE, "NUMERIC_INT")
    assert (_entries(panel)[0].value_type, _entries(panel)[0].default) == ("NUMERIC_INT", 3)
    assert panel.undo_stack.count() == 2
    m.set_cell(1, TYPE, "CATEGORICAL_BOOLEAN")  # 20.5 is no boolean: null
    assert _entries(panel)[1].default is None
    panel.undo_stack.undo()
    assert _entries(panel)[1] == SchemaEntry.from_json(SCHEMA[1])


def test_lint_findings_sit_on_the_right_cells_as_entries_change(panel, qtbot):
    m = panel.model
    tip = m.index(2, TYPE).data(Qt.ItemDataRole.ToolTipRole)
    assert "did you mean NUMERIC_INT" in tip
    assert m.index(2, TYPE).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert m.index(2, NAME).data(Qt.ItemDataRole.BackgroundRole) is None
    assert [f.code for f in m.index(3, NAME).data(FindingsRole)] == ["schema-structure"]  # extra key
    with qtbot.waitSignal(m.dataChanged):
        m.set_cell(1, NAME, "Weather")
    assert "already used by entry 0" in m.index(1, NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert m.index(1, NAME).data(Qt.ItemDataRole.BackgroundRole) is not None
    m.set_cell(1, PATH, "weather")  # a prefix of weather.description
    assert [f.code for f in m.index(0, PATH).data(FindingsRole)] == ["path-conflict"]
    assert panel.findings_list.topLevelItemCount() == len(m.findings) == 5
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    assert m.index(1, NAME).data(Qt.ItemDataRole.ToolTipRole) is None
    assert m.index(0, PATH).data(FindingsRole) == []


def test_single_cell_change_keeps_the_selection(panel):
    panel.select_cell(2, PATH)
    panel.model.set_cell(0, NAME, "Sky")
    assert panel.table.currentIndex().row() == 2 and panel.table.currentIndex().column() == PATH


def test_fix_from_context_menu_and_findings_list(panel):
    menu = panel.context_menu(panel.model.index(2, TYPE))
    fix = [a for a in menu.actions() if a.objectName() == "fixTypeAction"]
    assert len(fix) == 1 and "NUMERIC_INT" in fix[0].text()
    fix[0].trigger()
    assert _entries(panel)[2].value_type == "NUMERIC_INT"
    assert _entries(panel)[2].default == 0
    assert panel.undo_stack.count() == 1
    assert panel.model.index(2, TYPE).data(Qt.ItemDataRole.ToolTipRole) is None
    panel.undo_stack.undo()
    assert _entries(panel)[2].value_type == "NUMERICAL_INT"
    panel.findings_list.fix_buttons[2].click()
    assert _entries(panel)[2].value_type == "NUMERIC_INT"
    assert not [a for a in panel.context_menu(panel.model.index(2, TYPE)).actions()
                if a.objectName() == "fixTypeAction"]


def test_save_writes_the_expected_bytes_and_keeps_unknown_keys(panel, datasource):
    assert panel.status_label.text() == "schema.json — saved"
    m = panel.model
    m.fix_type(2)
    m.set_cell(1, DEFAULT, 18)
    m.set_cell(0, TYPE, "NUMERIC_INT")  # "sunny" is no integer: null
    assert panel.status_label.text() == "schema.json — modified"
    assert panel.save()
    expected = [dict(e) for e in SCHEMA]
    expected[2]["valueDataType"] = "NUMERIC_INT"
    expected[1]["defaultValue"] = 18
    expected[0]["defaultValue"] = None
    expected[0]["valueDataType"] = "NUMERIC_INT"
    assert schema_path(datasource).read_text(encoding="utf-8") == jsonio.dumps(expected)
    assert panel.status_label.text() == "schema.json — saved"
    assert panel.model.rowCount() == 4 and not panel.errors


def test_save_error_is_shown_and_nothing_is_lost(panel, monkeypatch):
    panel.model.set_cell(0, NAME, "Sky")

    def fail():
        raise WriteError("schema.json: could not write (Read-only file system)")

    monkeypatch.setattr(panel.ws, "save_schema", fail)
    assert not panel.save()
    assert panel.errors and "Read-only" in panel.errors[0][1]
    assert panel.status_label.text() == "schema.json — modified"


def test_broken_schema_disables_editing_until_a_new_schema_is_started(make_panel, datasource):
    path = schema_path(datasource)
    broken = '[{"name": "a", "path": "a",}]'
    path.write_text(broken)
    panel = make_panel(datasource)
    assert not panel.banner.isHidden()
    assert "line 1, column" in panel.banner.message.text()
    assert panel.model.read_only and not panel.add_action.isEnabled()
    assert not panel.model.set_cell(0, NAME, "x")
    assert panel.save() and path.read_text() == broken  # Save All never overwrites it by accident
    assert not panel.errors
    panel.start_new_schema()
    assert not panel.model.read_only and panel.add_action.isEnabled()
    assert panel.banner.new_button.isHidden()
    panel.add()
    assert path.read_text() == broken  # kept until the user saves
    assert panel.save()
    assert jsonio.loads(path.read_text())[0]["name"] == "new field"
    assert panel.banner.isHidden()


def test_broken_schema_fixed_on_disk_is_reloaded(make_panel, datasource):
    path = schema_path(datasource)
    path.write_text("[{]")
    panel = make_panel(datasource)
    assert panel.model.read_only
    path.write_text(jsonio.dumps(SCHEMA))
    panel.reload_from_disk()
    assert panel.banner.isHidden() and not panel.model.read_only
    assert panel.model.rowCount() == 4
    assert panel.status_label.text() == "schema.json — saved"


# --- editors --------------------------------------------------------------------------------



def test_propose_from_data_proposes_paths_counts_and_types(panel, datasource, qtbot):
    from core.dataset.index import scan

    assert not panel.propose_button.isEnabled()
    panel.set_index(scan(datasource))
    assert panel.propose_button.isEnabled()
    seen = {}

    def ask(proposals, stats, n_files):
        seen.update(proposals=proposals, stats=stats, n_files=n_files)
        return [proposals[0], proposals[2].with_(value_type="CATEGORICAL_STRING")]

    panel.ask_proposals = ask
    with qtbot.waitSignal(panel.leafStatsReady, timeout=10000):
        panel.propose_button.click()
    qtbot.waitUntil(lambda: not panel.progress_row.running)
    got = [(e.path, seen["stats"][e.path].count, e.value_type, e.name) for e in seen["proposals"]]
    assert got == [
        ("traffic.bikes", 3, "CATEGORICAL_INT", "bikes"),
        ("camera", 2, "CATEGORICAL_STRING", "camera"),
        ("time", 1, "CATEGORICAL_DATETIME", "time"),
    ]
    assert seen["n_files"] == 3
    assert [e.path for e in _entries(panel)[4:]] == ["traffic.bikes", "time"]
    assert _entries(panel)[5].value_type == "CATEGORICAL_STRING"
    assert panel.undo_stack.count() == 1
    panel.undo_stack.undo()
    assert len(_entries(panel)) == 4


def test_propose_counts_unsaved_edits(panel, datasource, qtbot):
    from core.dataset.index import scan

    panel.set_index(scan(datasource))
    panel.ws.set_value("a.json", "weather.wind", 3.5)  # unsaved edit in memory
    seen = {}
    panel.ask_proposals = lambda proposals, stats, n: seen.update(p=proposals) or None
    with qtbot.waitSignal(panel.leafStatsReady, timeout=10000):
        panel.propose_from_data()
    qtbot.waitUntil(lambda: "p" in seen)
    assert "weather.wind" in [e.path for e in seen["p"]]
    assert len(_entries(panel)) == 4  # cancelled: nothing added


def test_proposal_model(qtmodeltester):
    from core.dataset.leaf_stats import LeafStats

    st = LeafStats("a.b")
    for v in ("x", "y", "x"):
        st.add(v)
    proposals = [SchemaEntry("b", "a.b", None, "CATEGORICAL_STRING")]
    model = ProposalModel(proposals, {"a.b": st}, 5)
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "3 of 5"
    assert model.index(0, 3).data() == '"x", "y"'
    model.setData(model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.selected_entries() == []
    model.set_all_checked(True)
    model.setData(model.index(0, 4), "CATEGORICAL_INT")
    assert model.selected_entries()[0].value_type == "CATEGORICAL_INT"


def test_task_reports_reach_slots_connected_after_start(qtbot):
    """gui.common.workers: a task that is over before the caller connects still reports (propose needs it)."""
    from gui.common.workers import start_task, wait_all

    got = []
    task = start_task(lambda progress, cancel: 42)
    assert wait_all()  # finished before anyone connected
    task.succeeded.connect(got.append)
    task.finished.connect(lambda: got.append("finished"))
    qtbot.waitUntil(lambda: got == [42, "finished"])


def test_save_commits_an_open_editor_and_signals(panel, datasource, qtbot):
    panel.show()
    panel.select_cell(0, NAME)
    panel.table.edit(panel.model.index(0, NAME))
    editor = panel.table.indexWidget(panel.model.index(0, NAME))
    editor.setText("Sky")
    with qtbot.waitSignal(panel.saved):
        assert panel.save()
    assert jsonio.loads(schema_path(datasource).read_text())[0]["name"] == "Sky"


def test_keyboard_only_editing(panel, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.select_cell(0, NAME)
    qtbot.waitUntil(lambda: panel.table.hasFocus())
    qtbot.keyClicks(panel.table, "S")  # any key starts editing
    editor = panel.table.indexWidget(panel.model.index(0, NAME))
    qtbot.keyClicks(editor, "ky")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _entries(panel)[0].name == "Sky")  # Qt commits on Return via a queued call
    panel.select_cell(2, TYPE)
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    combo = panel.table.indexWidget(panel.model.index(2, TYPE))
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # from "(unknown)" to NUMERIC_INT, then on
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert panel.undo_stack.count() == 1  # arrows alone commit nothing
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _entries(panel)[2].value_type == "NUMERIC_FLOAT")
    assert _entries(panel)[2].default == 0
    assert panel.undo_stack.count() == 2
