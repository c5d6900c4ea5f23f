"""The distribution view: histogram stats, value counts with default/invalid bars, bar clicks filter."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from core.dataset.index import scan
from core.effective.values import DEFAULT, FILE, INVALID, VIDEO
from core.schema.entries import SchemaEntry, compile_schema
from core.workspace import Workspace
from gui.common import settings
from gui.common.workspace_signals import WorkspaceSignals
from gui.dataset.distribution import DistributionView, _bin_range
from gui.dataset.panel import DatasetPanel
from tests.core.effective.test_effective_table import make_datasource

SPECS = compile_schema([
    SchemaEntry("Weather", "weather", "sunny", "CATEGORICAL_STRING"),
    SchemaEntry("Temperature", "temp", 0.0, "NUMERIC_FLOAT"),
    SchemaEntry("Count", "count", 0, "NUMERIC_INT"),
    SchemaEntry("Night", "night", False, "CATEGORICAL_BOOLEAN"),
])


def arrays(values, sources):
    v = np.empty(len(values), dtype=object)
    v[:] = values
    return v, np.array(sources, dtype=object)


DATA = {
    "weather": arrays(["rain", "rain", "fog", "sunny", "sunny", 3],
                      [FILE, VIDEO, FILE, DEFAULT, DEFAULT, INVALID]),
    "temp": arrays([1.0, 2.0, 3.0, 4.0, 0.0, "hot", None],
                   [FILE, FILE, VIDEO, FILE, DEFAULT, INVALID, DEFAULT]),
    "count": arrays([1, 1, 2, 5, 0], [FILE, FILE, FILE, FILE, DEFAULT]),
    "night": arrays([True, False, False], [FILE, FILE, DEFAULT]),
}


@pytest.fixture
def view(qtbot):
    v = DistributionView()
    qtbot.addWidget(v)
    v.set_provider(lambda path: DATA[path])
    v.set_specs(SPECS)
    v.resize(500, 400)
    v.flush()
    return v


def test_categorical_counts_with_default_and_invalid_bars(view):
    assert view.objectName() == "distributionView"
    assert view.current_path() == "weather"
    bars = view.bars[0]
    assert list(bars.opts["width"]) == [2, 1, 2, 1]  # rain, fog, default, invalid
    assert view.bar_filters == [("equals", "rain"), ("equals", "fog"),
                                ("source", DEFAULT), ("source", INVALID)]
    assert "2 default" in view.stats.text() and "1 invalid" in view.stats.text()


def test_numeric_histogram_and_stats(view):
    view.set_path("temp")
    view.flush()
    text = view.stats.text()
    assert "<b>5</b> values" in text and "min 0" in text and "max 4" in text
    assert "mean 2" in text and "median 2" in text
    assert "1 invalid" in text and "1 without a value" in text
    own, dflt = view.bars
    assert int(np.sum(own.opts["height"])) == 4 and int(np.sum(dflt.opts["height"])) == 1
    assert all(kind == "range" for kind, _ in view.bar_filters)


def test_integer_histogram_has_one_bin_per_value(view):
    view.set_path("count")
    view.flush()
    assert view.bar_filters[0] == ("range", (0.0, 0.0))
    assert view.bar_filters[-1] == ("range", (5.0, 5.0))
    assert len(view.bar_filters) == 6


def test_bin_ranges_do_not_overlap():
    edges = np.array([0.0, 1.0, 2.0])
    low0, high0 = _bin_range(edges, 0, False)
    assert low0 == 0.0 and high0 < 1.0
    assert _bin_range(edges, 1, False) == (1.0, 2.0)  # the last bin includes its end


def test_booleans_sorted_by_value(view):
    view.set_path("night")
    view.flush()
    assert view.bar_filters[:2] == [("equals", False), ("equals", True)]


def click_bar(qtbot, view, bars, i):
    """A real mouse click in the middle of bar `i`."""
    QApplication.processEvents()  # pending layout: the plot's final geometry
    o = bars.opts
    if bars.horizontal:
        point = QPointF(float(o["width"][i]) / 2, float(o["y0"][i]) + float(o["height"][i]) / 2)
    else:
        point = QPointF(float(o["x0"][i]) + float(o["width"][i]) / 2, float(o["height"][i]) / 2)
    scene_pos = bars.mapToScene(point)
    widget_pos = view.plot.mapFromScene(scene_pos)
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(widget_pos.x(), widget_pos.y()))


def test_clicking_a_bar_requests_a_filter(view, qtbot):
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.filterRequested) as blocker:
        click_bar(qtbot, view, view.bars[0], 1)
    assert blocker.args == ["weather", "equals", "fog"]
    with qtbot.waitSignal(view.filterRequested) as blocker:
        view.stats.linkActivated.emit("default")
    assert blocker.args == ["weather", "source", "default"]


def test_set_specs_keeps_the_current_entry(view):
    view.set_path("count")
    view.set_specs(SPECS[1:])
    assert view.current_path() == "count"
    view.set_specs(())
    view.flush()
    assert view.bars == [] and "No schema entry" in view.stats.text()


def test_bar_click_filters_the_dataset_table(qtbot, tmp_path):
    settings.use_file(str(tmp_path / "settings.ini"))
    root = make_datasource(tmp_path / "data")
    ws = Workspace(root)
    panel = DatasetPanel(ws, WorkspaceSignals(ws), QUndoStack())
    qtbot.addWidget(panel)
    dist = DistributionView()
    qtbot.addWidget(dist)
    panel.connect_distribution(dist)
    panel.set_index(scan(root))
    qtbot.waitUntil(panel.is_ready, timeout=10000)
    dist.flush()
    assert dist.current_path() == "weather"
    rain = dist.bar_filters.index(("equals", "rain"))
    assert int(dist.bars[0].opts["width"][rain]) == 2
    dist.resize(500, 400)
    dist.show()
    qtbot.waitExposed(dist)
    click_bar(qtbot, dist, dist.bars[0], rain)
    assert [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())] == ["a.png", "sub/d.png"]
    # The chart follows: now computed over the two visible rows only.
    dist.flush()
    assert list(dist.bars[0].opts["width"]) == [2, 0, 0]
    # Selecting a cell of another column shows that entry.
    panel.view.setCurrentIndex(panel.proxy.index(0, 3))
    assert dist.current_path() == "env.temperature"
    dist.flush()
    assert "<b>1</b> values" in dist.stats.text()  # a.png's 10; sub/d.png's "hot" is invalid
    settings.use_file(None)
