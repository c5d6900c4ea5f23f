"""Background tasks: a finished task's result is always delivered before it counts as done."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool

from gui.common.workers import start_task


def test_a_task_is_done_only_after_its_result_reached_the_gui_thread(qtbot):
    delivered = []
    task = start_task(lambda progress, cancel: 42)
    task.succeeded.connect(delivered.append)
    assert QThreadPool.globalInstance().waitForDone(30000)  # the worker has returned...
    # ...but its result is still queued for the GUI thread: whoever checks `done` (the loader's
    # busy state, tests waiting for it) must not conclude that nothing is pending.
    assert not task.done and delivered == []
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert task.done and delivered == [42]


def test_a_failed_task_is_done_after_its_failure_is_delivered(qtbot):
    failures = []

    def boom(progress, cancel):
        raise ValueError("no such file")

    task = start_task(boom)
    task.failed.connect(failures.append)
    assert QThreadPool.globalInstance().waitForDone(30000)
    assert not task.done
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert task.done and failures == ["no such file"]
