"""Worker processes over the files of a local datasource: a pool that yields in task order.

Used by the commands and the window that read every metadata file (validation, export, the
table's values). Workers are started with "spawn" (no fork of a process holding threads or
Qt), ignore Ctrl+C (the main process ends them), end themselves when the main process is
gone, and never write anything. Imports core.format only.
"""

from __future__ import annotations

import itertools
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

from core.format import fast_json, jsonio
from core.format.metadata_file import read_disk_state


def worker_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def ignore_interrupts() -> None:
    """In a worker: Ctrl+C reaches the whole process group; the main process ends the pool.
    And a worker ends itself when the main process is gone (killed: nobody would end it)."""
    import multiprocessing
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent) -> None:
    from multiprocessing.connection import wait

    wait([parent.sentinel])
    os._exit(1)


def read_data(path: str) -> tuple[bool, Any]:
    """(True, parsed data) on the fast path, else (False, a DiskState or the OSError raised)."""
    try:
        with open(path, "rb") as f:
            raw = jsonio.read_limited(f, os.fstat(f.fileno()).st_size)
        return True, fast_json.loads_bytes(raw)
    except Exception:  # any problem: the slow path says exactly what (and reads again)
        pass
    try:
        return False, read_disk_state(path)
    except OSError as e:
        return False, e


class Pool:
    """Worker processes (spawn) running `fn` over `tasks`; `results()` yields in task order.

    With `window`, at most that many tasks are handed out ahead of the one being read (a
    stream of tasks made as they are needed); without, all are handed out at once (the
    workers run ahead while the caller does other work). A worker that dies (killed, out
    of memory) does not hang the caller: its task and the ones after it are run in this
    process instead, with the same function.
    """

    def __init__(self, fn: Callable, tasks, initializer: Callable, initargs: tuple,
                 workers: int | None = None, window: int | None = None):
        import multiprocessing
        from collections import deque
        from concurrent.futures import ProcessPoolExecutor

        self._fn, self._init = fn, (initializer, initargs)
        self._tasks = iter(tasks)
        self._pool = ProcessPoolExecutor(workers or worker_count(), multiprocessing.get_context("spawn"),
                                         initializer, initargs)
        self._window = window
        self._queue: deque = deque()
        self._fill()

    def _fill(self) -> None:
        while self._window is None or len(self._queue) < self._window:
            task = next(self._tasks, _END)
            if task is _END:
                return
            self._queue.append((task, self._pool.submit(self._fn, task)))

    def results(self, cancel: Callable[[], bool] | None = None) -> Iterator:
        from concurrent.futures.process import BrokenProcessPool

        from core.dataset.walk import check_cancel

        while self._queue:
            check_cancel(cancel)
            task, future = self._queue.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                break
            self._fill()
            yield result
        else:
            return
        # A worker died: the rest runs here.
        rest = [task] + [t for t, _ in self._queue]
        self._queue.clear()
        self.close()
        initializer, initargs = self._init
        initializer(*initargs, interrupts=True)
        for task in itertools.chain(rest, self._tasks):
            check_cancel(cancel)
            yield self._fn(task)

    def close(self) -> None:
        """End the workers at once (they write nothing: a half-done task is simply dropped)."""
        pool = self._pool
        for _, f in self._queue:
            f.cancel()
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            if p.is_alive():
                p.terminate()
        for p in processes:
            p.join(5)  # (the pool's own thread may reap it first: then `p` cannot tell it ended)


_END = object()
