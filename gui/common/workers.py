"""Background work off the GUI thread, reporting progress by signal.

`start_task(fn, ...)` runs `fn(progress=..., cancel=...)` on the global thread
pool. `fn` calls `progress(done, total, label)` as it goes and polls `cancel()`;
the GUI thread receives `progressed`, then `succeeded(result)` or
`failed(message)`. Only the GUI thread applies results.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal


class Task(QObject):
    """Handle for one background job; keep a reference while it runs."""

    progressed = Signal(int, int, str)  # done, total, label
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()  # after succeeded or failed (or cancel)
    # The worker posts every report here; it is re-emitted on the Task's (GUI) thread. So a
    # caller connecting right after start_task() never misses a report of a fast task.
    _report = Signal(str, object)

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        super().__init__()
        self._report.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._cancelled = False
        self.result: Any = None
        self.error: str | None = None
        # True once `finished` is delivered on the GUI thread, so after `succeeded`/`failed`
        # (never while the worker's result is still queued: whoever sees `done` has its result).
        self.done = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def _progress(self, done: int, total: int, label: str = "") -> None:
        self._report.emit("progressed", (done, total, label))

    def _deliver(self, kind: str, payload: Any) -> None:
        if kind == "progressed":
            self.progressed.emit(*payload)
        elif kind == "succeeded":
            self.succeeded.emit(payload)
        elif kind == "failed":
            self.failed.emit(payload)
        else:
            self.done = True
            self.finished.emit()

    def _run(self) -> None:
        try:
            self.result = self._fn(*self._args, progress=self._progress,
                                   cancel=lambda: self._cancelled, **self._kwargs)
        except Exception as e:  # reported to the user as a message, never a crash
            self.error = f"{type(e).__name__}: {e}" if not str(e) else str(e)
            traceback.print_exc()
            self._report.emit("failed", self.error)
        else:
            if not self._cancelled:
                self._report.emit("succeeded", self.result)
        self._report.emit("finished", None)


class _Runnable(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._run()


_running: set[Task] = set()


def start_task(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
    """Run `fn(*args, progress=, cancel=, **kwargs)` in the thread pool; returns its Task.

    The Task object lives until it finishes, even if the caller drops its reference.
    """
    task = Task(fn, *args, **kwargs)
    _running.add(task)
    task.finished.connect(lambda: _running.discard(task))
    QThreadPool.globalInstance().start(_Runnable(task))
    return task


def wait_all(timeout_ms: int = 30000) -> bool:
    """Wait for every background task (used on close and in tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


class Debouncer(QObject):
    """Call `fn` once, `delay_ms` after the last `trigger()` (filter boxes, re-validation)."""

    def __init__(self, fn: Callable[[], None], delay_ms: int = 200, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(fn)

    def trigger(self) -> None:
        self._timer.start()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._timer.timeout.emit()
