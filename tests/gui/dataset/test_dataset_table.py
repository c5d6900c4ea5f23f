"""The dataset table panel: virtual model, sorting, filters, frames, in-place edits, export."""

from __future__ import annotations

import csv
import json

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QUndoStack
from PySide6.QtWidgets import QLineEdit

from core.dataset.index import scan
from core.effective.table import EQUALS, FILE_NAME, RANGE, SOURCE, TYPE, EffectiveTable
from core.effective.values import DEFAULT, FILE, INVALID, VIDEO
from core.format.samples import SampleRef
from core.schema.entries import SchemaEntry
from core.workspace import Workspace
from gui.common import settings
from gui.common.commands import SchemaCommand
from gui.common.workspace_signals import WorkspaceSignals
from gui.dataset.model import RawValueRole, SampleRole, SourceRole
from gui.dataset.panel import DatasetPanel
from tests.core.effective.test_effective_table import make_datasource

WEATHER_COL, TEMP_COL, COUNT_COL = 2, 3, 4


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return make_datasource(tmp_path_factory.mktemp("pristine") / "data")


@pytest.fixture
def source(pristine, tmp_path):
    import shutil

    dest = tmp_path / "data"
    shutil.copytree(pristine, dest)
    return dest


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    settings.use_file(str(tmp_path / "settings.ini"))
    yield
    settings.use_file(None)


class Env:
    def __init__(self, qtbot, root, frames=False):
        settings.set("view/show_frames", frames)
        self.ws = Workspace(root)
        self.signals = WorkspaceSignals(self.ws)
        self.stack = QUndoStack()
        self.index = scan(root)
        self.ws.index = self.index
        self.panel = DatasetPanel(self.ws, self.signals, self.stack)
        self.messages: list[str] = []
        self.panel.show_message = lambda title, text: self.messages.append(text)
        qtbot.addWidget(self.panel)
        self.qtbot = qtbot
        self.load()

    def load(self):
        self.panel.set_index(self.index)
        self.wait()

    def wait(self):
        self.qtbot.waitUntil(self.panel.is_ready, timeout=10000)

    @property
    def proxy(self):
        return self.panel.proxy

    def column(self, col, role=Qt.ItemDataRole.DisplayRole):
        return [self.proxy.index(r, col).data(role) for r in range(self.proxy.rowCount())]

    def names(self):
        return self.column(0)

    def row_of(self, name):
        return self.names().index(name)


@pytest.fixture
def env(qtbot, source):
    return Env(qtbot, source)


@pytest.fixture
def fenv(qtbot, source):
    return Env(qtbot, source, frames=True)


def test_models_pass_the_model_tester(qtmodeltester, fenv):
    qtmodeltester.check(fenv.panel.model)
    fenv.panel.set_column_filter("weather", SOURCE, "inherited")
    fenv.proxy.sort(TEMP_COL, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(fenv.proxy)


def test_proxy_passes_the_tester_while_filters_change(qtmodeltester, env):
    qtmodeltester.check(env.proxy, force_py=True)
    env.panel.set_column_filter("weather", EQUALS, "rain")
    env.proxy.sort(COUNT_COL, Qt.SortOrder.AscendingOrder)
    env.panel.clear_filters()
    assert env.proxy.rowCount() == 5


def test_columns_and_cells(env):
    model = env.panel.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["file_name", "type", "Weather", "Temperature", "Count", "Night"]
    assert env.names() == ["a.png", "b.png", "c.png", "sub/d.png", "v/clip.mp4"]
    assert env.column(1) == ["image"] * 4 + ["video"]
    assert env.column(WEATHER_COL) == ["rain", "Fog", "sunny", "rain", "snow"]
    assert env.column(WEATHER_COL, SourceRole) == [FILE, FILE, DEFAULT, FILE, FILE]
    assert env.column(TEMP_COL)[3] == '"hot"'  # an invalid string shows quoted
    assert env.column(TEMP_COL, RawValueRole)[3] == "hot"
    tip = env.proxy.index(3, TEMP_COL).data(Qt.ItemDataRole.ToolTipRole)
    assert "invalid" in tip and "expected a number" in tip
    assert env.proxy.index(3, TEMP_COL).data(Qt.ItemDataRole.BackgroundRole) is not None
    default_font = env.proxy.index(2, WEATHER_COL).data(Qt.ItemDataRole.FontRole)
    assert isinstance(default_font, QFont) and default_font.italic()
    assert env.proxy.index(0, WEATHER_COL).data(Qt.ItemDataRole.FontRole) is None
    assert env.proxy.index(4, 0).data(SampleRole) == SampleRef.video("v/clip.mp4")
    assert env.panel.view.objectName() == "effectiveTable"


def test_sorting_numeric_columns_is_numeric(env):
    env.panel.view.sortByColumn(COUNT_COL, Qt.SortOrder.AscendingOrder)
    counts = env.column(COUNT_COL, RawValueRole)
    assert counts == sorted(counts) and counts[-1] == 12  # 12 after 7 and 3: numbers, not text
    env.panel.view.sortByColumn(TEMP_COL, Qt.SortOrder.DescendingOrder)
    assert env.names() == ["a.png", "b.png", "c.png", "v/clip.mp4", "sub/d.png"]  # invalid last
    env.panel.view.sortByColumn(WEATHER_COL, Qt.SortOrder.AscendingOrder)
    assert env.column(WEATHER_COL) == ["Fog", "rain", "rain", "snow", "sunny"]


def test_filter_by_source_value_and_range(env):
    panel = env.panel
    panel.set_column_filter("weather", SOURCE, "default")
    assert env.names() == ["c.png"]
    assert panel.chips.chip_texts() == ["Weather is default"]
    assert panel.count_label.text() == "1 of 5 rows"
    panel.set_column_filter("weather", SOURCE, None)
    panel.set_column_filter("Temperature", SOURCE, "invalid")
    assert env.names() == ["sub/d.png"]
    panel.clear_filters()
    panel.set_column_filter("weather", EQUALS, "rain")
    assert env.names() == ["a.png", "sub/d.png"]
    panel.set_column_filter("weather", EQUALS, None)
    panel.set_column_filter("count", RANGE, (3, 10))
    assert env.names() == ["a.png", "v/clip.mp4"]
    assert panel.chips.chip_texts() == ["Count 3 – 10"]
    panel.chips.click_chip(0)  # the chip's ✕ removes it
    assert env.proxy.rowCount() == 5 and not panel.chips.isVisible()


def test_quick_filter_is_debounced_and_searches_values(env, qtbot):
    with qtbot.waitSignal(env.panel.visibleRowsChanged, timeout=20000):
        qtbot.keyClicks(env.panel.filter_box, "FOG")
        assert env.proxy.rowCount() == 5  # not yet: waits for a pause in typing
    assert env.names() == ["b.png"]
    env.panel.filter_box.setText("sub/")
    env.panel.flush_filter()
    assert env.names() == ["sub/d.png"]


def test_frames_as_rows_inherit_from_the_video(fenv, qtbot):
    names = fenv.names()
    assert len(names) == 5 + 12 and names[5] == "v/clip-00-mp4.png"
    frame0, frame3 = names.index("v/clip-00-mp4.png"), names.index("v/clip-03-mp4.png")
    assert fenv.proxy.index(frame0, 1).data() == "frame"
    assert fenv.proxy.index(frame0, WEATHER_COL).data() == "snow"
    assert fenv.proxy.index(frame0, WEATHER_COL).data(SourceRole) == VIDEO
    assert fenv.proxy.index(frame0, WEATHER_COL).data(Qt.ItemDataRole.FontRole).italic()
    assert "inherited" in fenv.proxy.index(frame0, WEATHER_COL).data(Qt.ItemDataRole.ToolTipRole)
    assert fenv.proxy.index(frame3, WEATHER_COL).data(SourceRole) == FILE
    # Inherited cells are not edited in place; set and default ones are.
    assert not fenv.proxy.flags(fenv.proxy.index(frame0, WEATHER_COL)) & Qt.ItemFlag.ItemIsEditable
    assert fenv.proxy.flags(fenv.proxy.index(frame0, TEMP_COL)) & Qt.ItemFlag.ItemIsEditable
    assert fenv.proxy.flags(fenv.proxy.index(frame3, WEATHER_COL)) & Qt.ItemFlag.ItemIsEditable
    # "All frames whose Temperature is still the default": right-click a cell, one action.
    menu = fenv.panel.cell_menu(fenv.proxy.index(frame0, TEMP_COL))
    action = next(a for a in menu.actions() if a.text() == "Only frames where Temperature is default")
    action.trigger()
    assert len(fenv.names()) == 12 and all("-mp4.png" in n for n in fenv.names())
    assert sorted(fenv.panel.chips.chip_texts()) == ["Temperature is default", "only frames"]
    # Switching frames off rebuilds without them (the type filter then shows nothing).
    fenv.panel.clear_filters()
    fenv.panel.frames_box.setChecked(False)
    fenv.wait()
    assert fenv.proxy.rowCount() == 5 and settings.get("view/show_frames") is False


def test_editing_a_video_updates_exactly_its_rows(fenv, qtbot):
    model, proxy = fenv.panel.model, fenv.proxy
    video = fenv.row_of("v/clip.mp4")
    changed = []
    model.dataChanged.connect(lambda a, b, roles=(): changed.append((a.row(), b.row())))
    assert proxy.setData(proxy.index(video, WEATHER_COL), "hail storm")
    assert fenv.stack.count() == 1
    assert changed == [(4, 4 + 12)]  # the video's row and its 12 frames, nothing else
    frame0, frame3 = fenv.row_of("v/clip-00-mp4.png"), fenv.row_of("v/clip-03-mp4.png")
    assert proxy.index(frame0, WEATHER_COL).data() == "hail storm"
    assert proxy.index(frame3, WEATHER_COL).data() == "hail"  # its own file still wins
    changed.clear()
    fenv.stack.undo()
    assert proxy.index(frame0, WEATHER_COL).data() == "snow" and changed == [(4, 16)]
    fenv.stack.redo()
    assert proxy.index(video, WEATHER_COL).data() == "hail storm"
    assert fenv.ws.document("v/clip.json").data["metadata"]["weather"] == "hail storm"


def test_editing_a_frame_default_creates_its_own_value(fenv):
    proxy = fenv.proxy
    frame1 = fenv.row_of("v/clip-01-mp4.png")
    changed = []
    fenv.panel.model.dataChanged.connect(lambda a, b, roles=(): changed.append((a.row(), b.row())))
    assert proxy.setData(proxy.index(frame1, TEMP_COL), "21.5")
    assert changed == [(frame1, frame1)]
    assert proxy.index(frame1, TEMP_COL).data(SourceRole) == FILE
    assert proxy.index(frame1, TEMP_COL).data(RawValueRole) == 21.5
    assert proxy.index(frame1, WEATHER_COL).data(SourceRole) == VIDEO  # the rest still inherits
    # An edit made elsewhere (the form) shows at once too.
    fenv.ws.set_value(SampleRef.image("c.png"), "count", 99)
    assert proxy.index(fenv.row_of("c.png"), COUNT_COL).data() == "99"


def test_bad_value_shows_a_message_and_writes_nothing(env):
    index = env.proxy.index(0, COUNT_COL)
    assert not env.proxy.setData(index, "many")
    assert env.stack.count() == 0 and "not an integer" in env.messages[0]
    assert env.proxy.index(0, COUNT_COL).data() == "3"
    assert not env.ws.document("a.json").modified
    # Empty text removes the value, so the default applies again.
    assert env.proxy.setData(index, "")
    assert env.proxy.index(0, COUNT_COL).data(SourceRole) == DEFAULT


def test_edit_in_the_view_with_the_keyboard(env, qtbot):
    env.panel.show()
    view = env.panel.view
    view.setCurrentIndex(env.proxy.index(2, COUNT_COL))
    view.edit(view.currentIndex())
    editor = view.viewport().findChild(QLineEdit)
    assert editor.text() == "0"
    editor.setText("5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: env.proxy.index(2, COUNT_COL).data() == "5")
    assert env.stack.count() == 1


def test_activation_and_selection_signals(env, qtbot):
    view = env.panel.view
    view.setCurrentIndex(env.proxy.index(1, 0))
    with qtbot.waitSignal(env.panel.sampleActivated) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [SampleRef.image("b.png")]
    with qtbot.waitSignal(env.panel.samplesSelected) as blocker:
        view.selectAll()
    assert len(blocker.args[0]) == 5
    assert env.panel.select_sample(SampleRef.video("v/clip.mp4"))
    assert view.currentIndex().row() == 4


def test_schema_change_rebuilds_with_the_new_column(env, qtbot):
    entries = env.ws.schema_entries + (SchemaEntry("Label", "label", "none", "CATEGORICAL_STRING"),)
    env.panel.set_column_filter("weather", SOURCE, "default")
    env.stack.push(SchemaCommand(env.ws, entries, "Add entry"))
    qtbot.waitUntil(lambda: env.panel.model.columnCount() == 7, timeout=20000)
    env.wait()
    assert env.proxy.index(0, 6).data() == "none"
    assert env.names() == ["c.png"]  # the filter on an entry that still exists is kept


def test_export_visible_rows_writes_csv_and_json(env, tmp_path):
    env.panel.set_column_filter("weather", EQUALS, "rain")
    env.panel.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    out = tmp_path / "rows.csv"
    env.panel.ask_export_path = lambda: str(out)
    assert env.panel.export_visible() == out
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["file_name", "type", "Weather", "Temperature", "Count", "Night"],
        ["sub/d.png", "image", "rain", "hot", "0", ""],
        ["a.png", "image", "rain", "10", "3", ""],
    ]
    out_json = tmp_path / "rows.json"
    env.panel.ask_export_path = lambda: str(out_json)
    env.panel.export_visible()
    data = json.loads(out_json.read_text())
    assert [r["file_name"] for r in data] == ["sub/d.png", "a.png"]
    assert data[0]["sources"]["Temperature"] == INVALID


def test_values_fill_in_the_background(env, qtbot, source):
    """The rows exist before the values are read: cells are 'pending' meanwhile."""
    table = EffectiveTable(env.index, env.ws.specs, False, lambda rel: None)
    env.panel.model.set_table(table)
    assert env.proxy.rowCount() == 5
    assert env.proxy.index(0, WEATHER_COL).data() == "…"
    assert not env.proxy.flags(env.proxy.index(0, WEATHER_COL)) & Qt.ItemFlag.ItemIsEditable
    env.panel.rebuild()
    env.wait()
    assert env.proxy.index(0, WEATHER_COL).data() == "rain"


def test_filter_menu_lists_every_column(fenv):
    fenv.panel._fill_filter_menu()
    titles = [a.text() for a in fenv.panel.filter_menu.actions()]
    assert titles[:3] == ["file_name", "type", "Weather"]
    weather = fenv.panel.filter_menu.actions()[2].menu()
    texts = [a.text() for a in weather.actions()]
    assert {"default", "inherited from the video", "invalid", "set in its file"} <= set(texts)
    next(a for a in weather.actions() if a.text() == "Frames whose Weather is still the default").trigger()
    assert fenv.names() == []  # every frame inherits "snow" or has its own value
    fenv.panel.set_column_filter(TYPE, EQUALS, None)
    assert fenv.names() == ["c.png"]
    fenv.panel.ask_text = lambda title, label: "0..5"
    temp = fenv.panel.filter_menu.actions()[3].menu()
    next(a for a in temp.actions() if a.text() == "In a range…").trigger()
    assert fenv.proxy.filters()[-1].value == (0.0, 5.0)


def test_unknown_column_is_an_error(env):
    with pytest.raises(KeyError):
        env.panel.set_column_filter("nope", SOURCE, "default")
    assert env.proxy.mapFromSource(QModelIndex()) == QModelIndex()
    assert env.panel.model.column_of(FILE_NAME) == 0
