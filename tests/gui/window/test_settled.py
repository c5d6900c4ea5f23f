"""The testability contract: `MainWindow.settled` and `MainWindow.is_busy()`.

`settled` fires whenever the last background task has finished; tests and benchmarks wait
for it instead of polling particular workers.
"""

from __future__ import annotations

import pytest

import main
from gui.common.workers import Debouncer, activity, start_task, wait_all
from tests.datasets import WEATHER_SCHEMA, write_datasource
from tests.videos import encode_video


def _datasource(root, with_video: bool = False):
    media = {f"img_{i}.png": b"not decoded" for i in range(5)}
    files = {"schema.json": WEATHER_SCHEMA,
             "img_0.json": {"file_name": "img_0.png", "type": "image", "metadata": {"count": 1}}}
    ds = write_datasource(root, media=media, files=files, indent=2, end="\n")
    if with_video:
        encode_video(ds / "clip.mp4", 12)
    return ds


@pytest.fixture
def window(qtbot, tmp_path):
    made = []

    def _make(**kw):
        w = main.build_window(_datasource(tmp_path / "ds", **kw))
        qtbot.addWidget(w)
        w.ask_save_discard_cancel = lambda _action: "discard"
        made.append(w)
        return w

    yield _make
    for w in made:
        w.close()
    wait_all()


def test_settled_after_opening_means_everything_is_done(qtbot, window):
    w = window(with_video=True)
    assert w.is_busy()  # the scan is running
    with qtbot.waitSignal(w.settled, timeout=30000):
        pass
    assert not w.is_busy()
    assert w.index is not None and w.loader.validated and not w.loader.busy
    assert w.index.frame_counts["clip.mp4"] == 12  # decoding confirmed the count
    assert w.inspect.dataset.is_ready()  # the table's values are read


def test_settled_again_after_new_work(qtbot, window):
    w = window()
    with qtbot.waitSignal(w.settled, timeout=30000):
        pass
    w.loader.revalidate()
    assert w.is_busy()
    with qtbot.waitSignal(w.settled, timeout=30000):
        pass
    assert not w.is_busy() and w.loader.validated


def test_schema_change_keeps_it_busy_until_the_table_is_rebuilt(qtbot, window):
    w = window()
    with qtbot.waitSignal(w.settled, timeout=30000):
        pass
    w.workspace.set_schema(tuple(w.workspace.schema_entries)[:-1])  # schemaChanged: rebuild, debounced
    assert w.is_busy()
    with qtbot.waitSignal(w.settled, timeout=30000):
        pass
    assert not w.is_busy() and w.inspect.dataset.is_ready()


def test_activity_counts_tasks_and_armed_debouncers(qtbot):
    monitor = activity()
    qtbot.waitUntil(lambda: not monitor.is_busy(), timeout=30000)
    ran = []
    debouncer = Debouncer(lambda: ran.append("fired"), 10)
    debouncer.trigger()
    assert monitor.is_busy()
    with qtbot.waitSignal(monitor.settled, timeout=10000):
        pass
    assert ran == ["fired"] and not monitor.is_busy()

    debouncer.trigger()
    debouncer.cancel()  # a cancelled debouncer is nothing pending
    with qtbot.waitSignal(monitor.settled, timeout=10000):
        pass
    assert not monitor.is_busy()

    chained = []

    def second(progress, cancel):
        return "second"

    def first_done(_result):  # a result handler starting the next step: still not settled between
        chained.append(start_task(second))

    task = start_task(lambda progress, cancel: "first")
    task.succeeded.connect(first_done)
    with qtbot.waitSignal(monitor.settled, timeout=10000):
        pass
    assert chained and chained[0].done and not monitor.is_busy()


def test_deleted_armed_debouncer_does_not_stay_pending(qtbot):
    from PySide6.QtCore import QObject

    owner = QObject()
    debouncer = Debouncer(lambda: None, 10_000, owner)
    debouncer.trigger()
    assert activity().is_busy()
    with qtbot.waitSignal(activity().settled, timeout=10000):
        owner.deleteLater()
    assert not activity().is_busy()


def test_settling_forgets_the_source_lines_pyside_reads_at_each_import(qtbot, window):
    # PySide6's import hook reads each newly imported module's source through linecache (its
    # feature check, inspect.getsource): 17 MB of lines kept for ever. Which imports it reads
    # depends on what was imported before (in the whole test run, the probe may not be read),
    # so the test fills linecache as the hook does, then checks a settle forgets it.
    import linecache
    from pathlib import Path

    w = window()
    with qtbot.waitSignal(w.settled, timeout=30000):
        pass
    probe = str(Path(__file__).with_name("late_import_probe.py"))
    assert linecache.getlines(probe)  # what inspect.getsource does, through the hook
    assert probe in linecache.cache
    w.loader.revalidate()
    with qtbot.waitSignal(w.settled, timeout=30000):
        pass
    assert probe not in linecache.cache
