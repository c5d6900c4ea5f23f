"""Reading and checking every metadata file in worker processes, for the CLI at 100k–1M files.

The pool starts before the index is built: the main process lists `.lightly/metadata/`,
hands the list out in chunks and scans the media meanwhile. A worker reads each file (the
fast JSON path, else exactly core.format.metadata_file.read_disk_state) and runs the content
checks of core.validation.document; what needs the index (file_name, type) travels back
compactly and is checked in the main process (core.validation.validate.validate). Results
arrive in the order of the list, so findings are the same as those of one process.

Workers are started with "spawn" (no fork of a process holding threads or Qt), import only
core.format, core.schema and core.validation.document, ignore Ctrl+C (the main process ends
them) and never write anything. Small datasources are checked in one process: starting
workers costs more than it saves below PARALLEL_MIN files.
"""

from __future__ import annotations

import itertools
import os
import signal
from array import array
from collections.abc import Callable, Iterator
from typing import Any

from core.format import fast_json, jsonio
from core.format.keypath import MISSING
from core.format.metadata_file import read_disk_state
from core.validation import document

#: Below this many metadata files one process is faster. Measured (2 cores, load 12, min/median
#: of 3, seconds, one process vs workers): validate 1k 0.12/0.23 vs 1.01/1.07, 4k 0.44/0.62 vs
#: 2.14/2.46, 10k 2.43/4.43 vs 4.08/4.52; export 1k 0.28/0.95 vs 2.13/2.52, 10k 2.21/6.15 vs
#: 4.79/4.93 (starting the workers costs ~1 s); at 100k the workers win (benchmarks/bench_cli.py).
PARALLEL_MIN = 20000
#: Files per task: big enough that a task's overhead is small, small enough to keep both busy.
CHUNK = 2000

# What a worker says about one file that is not the common case (the first item):
ABSENT, UNREADABLE, BROKEN, FINAL, DOC = range(5)


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


_specs: tuple = ()


def _init(specs: tuple, interrupts: bool = False) -> None:
    global _specs
    if not interrupts:
        ignore_interrupts()
    _specs = specs


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


def check_chunk(prefix: str, rels: list[str]) -> tuple[list, bytes, dict]:
    """(forms, codes, details) for the files `prefix + rel`.

    The common file (parsed, no content finding, string file_name starting with the rel's
    stem, string type) is code i into forms[i] = (rest of the file_name, type); every other
    file is in details[position] with what the main process needs to finish its findings.
    """
    specs = _specs
    forms: dict[tuple[str, str], int] = {}
    codes = array("I")
    details: dict[int, tuple] = {}
    for i, rel in enumerate(rels):
        codes.append(0)
        ok, got = read_data(prefix + rel)
        if not ok:
            if isinstance(got, OSError):
                details[i] = (UNREADABLE, f"cannot read the file ({got.strerror or got})")
            elif got.error is not None:
                e = got.error
                details[i] = (BROKEN, e.code, e.message, e.line, e.column)
            elif not got.exists:
                details[i] = (ABSENT,)
            else:
                ok, got = True, got.data
            if not ok:
                continue
        final = document.not_object(got)
        if final is not None:
            details[i] = (FINAL, final)
            continue
        pre, post = document.head(got), document.body(got, specs)
        fname, type_ = got.get("file_name", MISSING), got.get("type", MISSING)
        stem = rel[:-5]
        if pre or post or type(fname) is not str or type(type_) is not str or not fname.startswith(stem):
            details[i] = (DOC, pre, fname, type_, post)
            continue
        key = (fname[len(stem):], type_)
        code = forms.get(key)
        if code is None:
            code = forms[key] = len(forms)
        codes[i] = code
    return list(forms), codes.tobytes(), details


def unpack(rels: list[str], result: tuple[list, bytes, dict]) -> Iterator[tuple[str, tuple]]:
    """(rel, detail) per file of a chunk; the common file's detail is (DOC, [], fname, type, [])."""
    forms, raw_codes, details = result
    codes = array("I")
    codes.frombytes(raw_codes)
    empty: list = []
    for i, rel in enumerate(rels):
        d = details.get(i)
        if d is None:
            suffix, type_ = forms[codes[i]]
            d = (DOC, empty, rel[:-5] + suffix, type_, empty)
        yield rel, d


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
            p.join(5)


_END = object()


class Checks:
    """Files being checked by a pool: `results()` yields (rel, detail) in the order of `rels`."""

    def __init__(self, prefix: str, rels: list[str], specs: tuple, workers: int | None = None):
        self.rels, self.specs = rels, specs
        self._chunks = [rels[i:i + CHUNK] for i in range(0, len(rels), CHUNK)]
        self._pool = Pool(_Task(prefix), self._chunks, _init, (specs,), workers)

    def results(self, cancel: Callable[[], bool] | None = None) -> Iterator[tuple[str, tuple]]:
        for chunk, result in zip(self._chunks, self._pool.results(cancel)):
            yield from unpack(chunk, result)

    def close(self) -> None:
        self._pool.close()


class _Task:
    """check_chunk with the prefix bound (a module-level class: spawn pickles it by name)."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, rels: list[str]):
        return check_chunk(self.prefix, rels)


def start(media_root, lightly_root, specs: tuple, min_files: int | None = None) -> Checks | None:
    """Start checking the metadata files of a local datasource, or None (a bucket, few files,
    or a folder that cannot be listed: the one-process path then says why)."""
    import multiprocessing

    from core.dataset.walk import DatasourceError, walk_metadata
    from core.format.naming import metadata_dir
    from core.storage.location import BucketPath, location

    root = location(lightly_root if lightly_root is not None else media_root)
    if isinstance(root, BucketPath) or multiprocessing.parent_process() is not None:
        return None  # a bucket; or a worker importing a main script that lacks `if __name__ == ...`
    try:
        rels = walk_metadata(root)
    except (DatasourceError, OSError):
        return None
    if len(rels) < (PARALLEL_MIN if min_files is None else min_files):
        return None
    return Checks(str(metadata_dir(root)) + "/", rels, specs)
