"""Background work off the GUI thread, reporting progress by signal.

`start_task(fn, ...)` runs `fn(progress=..., cancel=...)` on the global thread
pool. `fn` calls `progress(done, total, label)` as it goes and polls `cancel()`;
the GUI thread receives `progressed`, then `succeeded(result)` or
`failed(message)`. Only the GUI thread applies results.

`activity()` counts what is still to do in the background (running tasks and armed
debouncers, whose timeout usually starts one) and emits `settled` once it drops to none
and stays so through one turn of the event loop (a result handler may start the next step).
"""

from __future__ import annotations

import itertools
import time
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
            if not self._cancelled:  # a cancelled job stopping half-way is no failure
                self.error = f"{type(e).__name__}: {e}" if not str(e) else str(e)
                traceback.print_exc()
                self._report.emit("failed", self.error)
        else:
            if not self._cancelled:
                self._report.emit("succeeded", self.result)
        self._report.emit("finished", None)


class Activity(QObject):
    """How much background work is pending (tasks not finished, debouncers armed); GUI thread only."""

    #: Everything pending has finished (checked again after one event-loop turn).
    settled = Signal()
    #: Work started while nothing was pending.
    busy = Signal()

    def __init__(self):
        super().__init__()
        self._pending = 0
        self._check = QTimer(self, singleShot=True, interval=0)
        self._check.timeout.connect(self._maybe_settled)

    @property
    def pending(self) -> int:
        return self._pending

    def is_busy(self) -> bool:
        return self._pending > 0 or self._check.isActive()

    def begin(self) -> None:
        if self._pending == 0 and not self._check.isActive():
            self.busy.emit()
        self._pending += 1
        self._check.stop()

    def end(self) -> None:
        self._pending = max(0, self._pending - 1)
        if self._pending == 0:
            self._check.start()

    def _maybe_settled(self) -> None:
        if self._pending == 0:
            self.settled.emit()


_activity: Activity | None = None


def activity() -> Activity:
    """The process-wide count of pending background work (created on first use)."""
    global _activity
    if _activity is None:
        _activity = Activity()
    return _activity


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
    monitor = activity()
    monitor.begin()
    task.finished.connect(lambda: (_running.discard(task), monitor.end()))
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
        self._timer.timeout.connect(self._fire)
        self._fn = fn
        self._armed = [False]  # shared with the destroyed handler: a deleted debouncer is done
        armed = self._armed

        def on_destroyed(*_args) -> None:
            if armed[0]:
                armed[0] = False
                activity().end()

        self.destroyed.connect(on_destroyed)

    def trigger(self) -> None:
        if not self._armed[0]:
            self._armed[0] = True
            activity().begin()
        self._timer.start()

    def _fire(self) -> None:
        self._disarm()
        self._fn()

    def _disarm(self) -> None:
        if self._armed[0]:
            self._armed[0] = False
            activity().end()

    def cancel(self) -> None:
        self._timer.stop()
        self._disarm()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._fire()


class Slices(QObject):
    """Work that must run on the GUI thread (it touches models), cut into ~`budget_ms` slices,
    one per event-loop turn: 10k table rows updated after a bulk edit never freeze the window.
    Counted by `activity()` until the last item is done; `done` is emitted then."""

    done = Signal()

    def __init__(self, fn: Callable[[list], None], budget_ms: float = 15, parent: QObject | None = None):
        super().__init__(parent)
        self._fn, self._budget = fn, budget_ms / 1000
        self._items: dict = {}
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._slice)
        self._counted = [False]
        counted = self._counted
        self.destroyed.connect(lambda *_: counted[0] and (counted.__setitem__(0, False), activity().end()))

    def pending(self) -> bool:
        return bool(self._items)

    def add(self, items) -> None:
        self._items.update(dict.fromkeys(items))
        if self._items and not self._counted[0]:
            self._counted[0] = True
            activity().begin()
        self._timer.start()

    def clear(self) -> None:
        self._items.clear()
        self._timer.stop()
        self._end()

    def flush(self) -> None:
        """Do everything left now (tests, and before a caller that needs the result)."""
        while self._items:
            self._slice(all_of_it=True)

    def _slice(self, all_of_it: bool = False) -> None:
        end = time.perf_counter() + self._budget
        while self._items and (all_of_it or time.perf_counter() < end):
            batch = list(itertools.islice(self._items, 32))
            for key in batch:
                del self._items[key]
            self._fn(batch)
        if self._items:
            self._timer.start()
        else:
            self._end()
            self.done.emit()

    def _end(self) -> None:
        if self._counted[0]:
            self._counted[0] = False
            activity().end()
