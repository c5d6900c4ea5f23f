"""The Dataset tab in the window: default-value filters over frames, rows opening in the form,
form edits showing in the table, CSV import with byte-exact undo, export of visible rows."""

from __future__ import annotations

import csv
import json

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView, QTreeView, QWidget

from core.effective.table import SOURCE, TYPE
from core.effective.values import DEFAULT, FILE
from core.format.samples import SampleRef
from gui.dataset.model import SampleRole, SourceRole
from tests.datasets import metadata_bytes as disk
from tests.e2e.inspect.support import N_FRAMES, show_frames, visible_names


def test_the_window_has_the_table_the_problems_and_the_distribution(window):
    named = ((QTableView, "effectiveTable"), (QTreeView, "problemsView"))
    for cls, name in named:
        assert window.findChild(cls, name) is not None, name
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["Metadata", "Schema", "Dataset"]
    view_menu = window.menu_actions.menus["view"]
    toggles = {a.text() for a in view_menu.actions()}
    assert {"Files", "Distribution", "Problems (1)"} <= toggles  # the dock's title counts them
    window.findChild(QAction, "actionShowDataset").trigger()
    assert window.tabs.currentWidget() is window.inspect.dataset
    assert window.inspect.distribution_dock.isVisible()  # it follows the Dataset tab
    # The chart (pyqtgraph) is made when its dock first shows, not at start-up.
    assert window.findChild(QWidget, "distributionView") is not None
    window.tabs.setCurrentIndex(0)
    assert not window.inspect.distribution_dock.isVisible()
    # The problems list has every finding, and the status bar counts them.
    assert window.inspect.problems.counts() == window.findings.counts() == (1, 0)
    assert "1 error" in window.counts_label.text()


def test_frames_still_at_the_default_in_two_filters(window, qtbot):
    panel = show_frames(window, qtbot)
    assert panel.model.rowCount() == 4 + N_FRAMES  # 3 images + 1 video + its frames
    panel.set_column_filter("weather.description", SOURCE, DEFAULT)
    panel.set_column_filter(TYPE, "equals", "frame")
    names = visible_names(panel)
    expected = [f"clips/drive-{i:02d}-mp4.png" for i in range(N_FRAMES) if i not in (5, 12)]
    assert sorted(names) == expected  # frame 12 holds "sunny" itself: set, not the default
    assert "0 errors" not in panel.count_label.text() and f"{len(expected)} of" in panel.count_label.text()
    # The distribution dock follows the visible rows.
    dist = window.inspect.distribution
    dist.set_path("weather.description")
    dist.flush()
    assert f"{len(expected)}" in dist.stats.text()


def test_frames_still_at_the_default_from_the_column_menu_before_show_frames(window, qtbot):
    """The two clicks of the issue: right-click the column header, pick the action."""
    panel = window.inspect.dataset
    panel.frames_box.setChecked(False)
    qtbot.waitUntil(panel.is_ready, timeout=10000)
    menu = QMenu()
    panel._fill_column(menu, panel.model.column_of("weather.description"))
    action = next(a for a in menu.actions() if a.text() == "Frames whose Weather is still the default")
    action.trigger()
    assert panel.frames_box.isChecked()
    qtbot.waitUntil(panel.is_ready, timeout=10000)
    assert len(visible_names(panel)) == N_FRAMES - 2
    assert all(s.kind == "frame" for s in panel.visible_samples())


def test_double_click_opens_the_row_in_the_form_and_form_edits_show_in_the_table(window, qtbot):
    panel = show_frames(window, qtbot)
    window.inspect.show_dataset()
    panel.set_column_filter(TYPE, "equals", "frame")
    view = panel.view
    frame7 = SampleRef.frame_of("clips/drive.mp4", 7, N_FRAMES)
    row = next(r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, 0).data(SampleRole) == frame7)
    cell = panel.proxy.index(row, 2)
    view.scrollTo(cell)
    rect = view.visualRect(cell)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.form.samples() == [frame7])
    assert window.tabs.currentIndex() == 0
    assert window.files.current_sample() == frame7

    editor = window.form.editor("weather.description")
    line = editor.lineEdit() if hasattr(editor, "lineEdit") and editor.lineEdit() else editor
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "snow")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.proxy.index(row, 2).data() == "snow")
    assert panel.proxy.index(row, 2).data(SourceRole) == FILE


def test_file_names_stay_in_sight_when_scrolling_sideways_and_open_on_double_click(window, qtbot):
    panel = window.inspect.dataset
    window.inspect.show_dataset()
    view, frozen = panel.view, panel.frozen
    for col in range(1, panel.model.columnCount()):
        view.setColumnWidth(col, 500)  # wider than the window: the table scrolls sideways
    bar = view.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the scroll range follows on the next layout
    bar.setValue(bar.maximum())
    row = next(r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, 0).data() == "plain.jpg")
    rect = frozen.visualRect(panel.proxy.index(row, 0))
    assert frozen.isVisible() and frozen.viewport().rect().contains(rect.center())
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selectionModel().isRowSelected(row)
    assert bar.value() == bar.maximum()  # clicking a file name does not scroll back
    qtbot.mouseDClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.form.samples() == [SampleRef.image("plain.jpg")]
    assert window.tabs.currentIndex() == 0


def test_selecting_several_rows_selects_them_in_the_form_and_keeps_the_tab(window, qtbot):
    panel = show_frames(window, qtbot)
    window.inspect.show_dataset()
    panel.set_column_filter(TYPE, "equals", "frame")
    panel.view.selectRow(0)
    flags = QItemSelectionModel.SelectionFlag
    panel.view.selectionModel().select(panel.proxy.index(1, 0), flags.Select | flags.Rows)
    first, second = panel.visible_samples()[:2]
    qtbot.waitUntil(lambda: set(window.form.samples()) == {first, second})
    assert window.tabs.currentWidget() is panel
    assert set(window.files.selected_samples()) == {first, second}


def test_a_large_table_selection_goes_to_the_form_only_and_enter_opens_it(window, qtbot, monkeypatch):
    from gui.window import inspect_wiring

    monkeypatch.setattr(inspect_wiring, "TREE_LIMIT", 3)
    panel = show_frames(window, qtbot)
    window.inspect.show_dataset()
    panel.set_column_filter(TYPE, "equals", "frame")
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.proxy.index(3, 0))
    qtbot.keyClick(panel.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    frames = panel.visible_samples()
    qtbot.waitUntil(lambda: len(window.form.samples()) == N_FRAMES)
    assert window.tabs.currentWidget() is panel
    assert window.files.selected_samples() == []
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)  # Enter on the selection: the form, with all of them
    assert window.tabs.currentIndex() == 0
    assert set(window.form.samples()) == set(frames)




def test_import_through_the_dialog_then_undo_restores_every_byte(window, ds, tmp_path, qtbot):
    panel = window.inspect.dataset
    before = disk(ds)
    csv_path = tmp_path / "values.csv"
    csv_path.write_text("file_name,Weather,Count\nplain.jpg,hail,\nimg.png,,5\nnothing.png,x,\n")
    reports = []

    def run(dialog):
        dialog.choose_csv_path = lambda: str(csv_path)
        with qtbot.waitSignal(dialog.planReady, timeout=10000) as ready:
            dialog.choose_button.click()
        plan = ready.args[0]
        reports.append({label: w.text() for label, w in dialog.summary_labels.items()})
        assert plan.can_apply
        dialog.apply_button.click()

    window.inspect.run_import_dialog = run
    window.findChild(QAction, "actionImportCsv").trigger()
    assert reports[0]["files to create"] == "1" and reports[0]["rows matching no media"] == "1"
    assert disk(ds) == before  # one saving model: the import is unsaved edits until Save All
    qtbot.waitUntil(window.isWindowModified)
    assert window.save_all()
    assert json.loads((ds / ".lightly" / "metadata" / "plain.json").read_text())["metadata"] == {
        "weather": {"description": "hail"}}
    plain_row = panel.model.table.row_of(SampleRef.image("plain.jpg"))
    qtbot.waitUntil(lambda: panel.model.index(plain_row, 2).data() == "hail")
    window.findChild(QAction, "actionUndo").trigger()
    qtbot.waitUntil(window.isWindowModified)
    assert window.save_all()
    assert disk(ds) == before
    qtbot.waitUntil(lambda: panel.model.index(plain_row, 2).data() == "sunny")


def test_export_writes_the_visible_rows(window, tmp_path, qtbot):
    panel = show_frames(window, qtbot)
    panel.set_column_filter("weather.description", SOURCE, FILE)
    target = tmp_path / "out.csv"
    window.inspect.ask_export_path = lambda: str(target)
    window.findChild(QAction, "actionExportValues").trigger()
    with open(target, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["file_name"] for r in rows] == visible_names(panel)
    expected = ["clips/drive-05-mp4.png", "clips/drive-12-mp4.png", "img.png"]
    assert sorted(r["file_name"] for r in rows) == expected
    weather = next(k for k in rows[0] if "eather" in k and "emp" not in k)
    assert sorted(r[weather] for r in rows) == ["fog", "rain", "sunny"]
    json_target = tmp_path / "out.json"
    window.inspect.ask_export_path = lambda: str(json_target)
    window.findChild(QAction, "actionExportValues").trigger()
    assert len(json.loads(json_target.read_text())) == 3


def test_confirmed_frame_counts_rebuild_the_table(window, qtbot):
    panel = show_frames(window, qtbot)
    video = "clips/drive.mp4"
    with qtbot.waitSignal(panel.tableRebuilt, timeout=20000):
        window.loader.frameCountsChanged.emit([video])
    qtbot.waitUntil(panel.is_ready, timeout=10000)
    assert panel.model.rowCount() == 4 + N_FRAMES


def test_opening_another_datasource_replaces_the_table(window, ds, tmp_path, qtbot):
    old = window.inspect.dataset
    other = tmp_path / "other"
    other.mkdir()
    (other / "one.png").write_bytes(b"x")
    assert window.open_datasource(other)
    with qtbot.waitSignal(window.loaded, timeout=30000):
        pass
    qtbot.waitUntil(lambda: window.inspect.dataset.is_ready(), timeout=10000)
    assert window.inspect.dataset is not old
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Metadata", "Schema", "Dataset"]
    assert visible_names(window.inspect.dataset) == ["one.png"]
    qtbot.waitUntil(lambda: window.loader.validated and not window.loader.busy, timeout=30000)
    assert window.inspect.problems.counts() == (0, 0)
