"""Background loading of one datasource: scan, validate, confirm frame counts, known values.

Workers only read; every change to the index is applied on the GUI thread. While a
validation pass iterates the index, index updates (a save creating a file, a
confirmed frame count) are queued and applied when it ends, so the worker never sees
the index change under it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from core.dataset.columns import release_free_memory
from core.dataset.index import scan
from core.dataset.leaf_stats import add_leaves, known_values, merge_leaf_stats
from core.dataset.walk import Cancelled
from core.format.findings import WARNING
from core.format.jsonio import remove_stale_temps
from core.format.media import Extensions
from core.schema.entries import compile_schema
from core.validation import parallel
from core.validation.validate import validate
from core.video import counting as video_mod
from core.video.base import Cancelled as VideoCancelled
from gui.common import settings
from gui.common.workers import Task, start_task


def extensions_from_settings() -> Extensions:
    def listed(key: str) -> frozenset[str]:
        return frozenset(settings.get(key).replace(",", " ").split())

    return Extensions(listed("media/image_extensions"), listed("media/video_extensions"),
                      listed("media/lightly_extensions"))


def _scan_job(media_root, lightly_root, extensions, cache, specs, progress, cancel):
    """(index, checks): the index, and the worker processes that have been validating a big
    local datasource's files meanwhile (core.validation.parallel; None for a small one)."""
    checks = parallel.start(media_root, lightly_root, specs, stats=True)
    try:
        index = scan(media_root, lightly_root, extensions, frame_cache=cache, progress=progress,
                     cancel=cancel)
    except BaseException:
        if checks is not None:
            checks.close()
        if cancel():
            return None
        raise
    if cancel():  # the result would be dropped: nobody would end the workers
        if checks is not None:
            checks.close()
        return None
    remove_stale_temps(index.temp_files)  # left by a killed write; the editor writes here
    return index, checks


def _validate_job(index, schema_file, checks, progress, cancel):
    """All findings, then the values already used per schema path (for the form's combo boxes).

    A big local datasource is read by worker processes (core.validation.parallel; started
    with the scan, or here): this process only joins their results, so the GUI thread keeps
    the interpreter to itself.
    """
    specs = compile_schema(schema_file.entries)
    if checks is not None and checks.specs != specs:  # schema.json changed since they started
        checks.close()
        checks = None
    if checks is None:
        checks = parallel.of_index(index, specs)
    stats: dict = {}  # one read of every file: the values used are counted as validation reads them
    try:
        findings = validate(index, schema_file, progress, cancel, checks,
                            seen=lambda data: add_leaves(stats, data))
    except Cancelled:
        return None
    finally:
        if checks is not None:
            checks.close()
        release_free_memory()  # a million parsed documents were freed
    if checks is not None:
        merge_leaf_stats(checks.stats, stats)
        stats = checks.stats
    return findings, known_values(stats, specs)


def _confirm_job(items, cache, progress, cancel):
    try:
        return list(video_mod.confirm_frame_counts(items, cache, progress=progress, cancel=cancel))
    except (Cancelled, VideoCancelled):
        return None


class DatasourceLoader(QObject):
    """Runs the slow work of one open datasource off the GUI thread and reports by signal."""

    indexReady = Signal(object)  # core.dataset.index.DatasourceIndex
    findingsReady = Signal(list)  # every Finding, after each full validation
    knownValuesReady = Signal(object)  # dict: schema path -> values used (object: ints past 64 bits)
    frameCountsChanged = Signal(list)  # videos whose count or problem changed (index updated)
    progress = Signal(int, int, str)  # done, total (0: unknown), label
    busyChanged = Signal(bool)
    failed = Signal(str)

    def __init__(self, workspace, extensions: Extensions | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.extensions = extensions or extensions_from_settings()
        self.cache = video_mod.FrameCountCache()
        self.index: Any = None
        self.validated = False  # a full validation has finished at least once
        self._tasks: dict[str, Task] = {}  # the latest task of each step
        self._all: set[Task] = set()  # every task not finished yet, cancelled ones included
        self._deferred: list[Callable[[], None]] = []
        self._busy = False
        self._closed = False

    # --- task bookkeeping -----------------------------------------------------------------
    def _start(self, name: str, fn, *args) -> Task:
        old = self._tasks.get(name)
        if old is not None:
            old.cancel()
        task = start_task(fn, *args)
        task.setObjectName(name)
        self._tasks[name] = task
        self._all.add(task)
        task.progressed.connect(self._on_progress)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_task_finished)
        self._set_busy(True)
        return task

    def _on_task_finished(self) -> None:
        self._all = {t for t in self._all if not t.done}
        self._tasks = {k: t for k, t in self._tasks.items() if not t.done}
        if not self._validating() and self._deferred:
            pending, self._deferred = self._deferred, []
            for fn in pending:
                fn()
        self._set_busy(bool(self._all))

    def _validating(self) -> bool:
        return any(t.objectName() == "validate" for t in self._all)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy and not self._closed:
            self._busy = busy
            self.busyChanged.emit(busy)

    @property
    def busy(self) -> bool:
        return self._busy

    def running(self, name: str) -> bool:
        return name in self._tasks

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if not self._closed:
            self.progress.emit(done, total, label)

    def _on_failed(self, message: str) -> None:
        if not self._closed:
            self.failed.emit(message)

    def cancel_all(self) -> None:
        for task in self._all:
            task.cancel()

    def close(self) -> None:
        """The datasource is being closed: cancel everything and report nothing more."""
        self._closed = True
        self.cancel_all()

    # --- the steps --------------------------------------------------------------------------
    def start(self) -> None:
        ws = self.workspace
        task = self._start("scan", _scan_job, ws.media_root, ws.lightly_root,
                           self.extensions, self.cache, ws.specs)
        task.succeeded.connect(self._on_scanned)

    def _on_scanned(self, result) -> None:
        if result is None:
            return
        index, checks = result
        if self._closed:
            if checks is not None:
                checks.close()
            return
        self.index = index
        self.workspace.index = index
        self.indexReady.emit(index)
        self.revalidate(checks)
        if index.videos:
            items = [(v, index.path_of_media(v)) for v in index.videos]
            self._start("confirm", _confirm_job, items, self.cache).succeeded.connect(self._on_confirmed)

    def revalidate(self, checks=None) -> None:
        """Validate every file again (after a schema save or changed frame counts); `checks`:
        the files' results from workers started with the scan."""
        if self.index is None:
            if checks is not None:
                checks.close()
            return
        task = self._start("validate", _validate_job, self.index, self.workspace.schema_file, checks)
        task.succeeded.connect(self._on_validated)

    def _on_validated(self, result) -> None:
        if result is None or self._closed:
            return
        findings, values = result
        self.validated = True
        self.findingsReady.emit(findings)
        self.knownValuesReady.emit(values)

    def update_index(self, fn: Callable[[], None]) -> None:
        """Apply an index change now, or once the running validation pass has finished."""
        if self._validating():
            self._deferred.append(fn)
        else:
            fn()

    def _on_confirmed(self, results) -> None:
        if results and not self._closed:
            self.update_index(lambda: self.apply_frame_counts(results))

    def apply_frame_counts(self, results) -> None:
        """Apply decoded counts (FrameCountResult) on the GUI thread; re-validate if changed."""
        index, changed = self.index, []
        unreadable = {f.media for f in index.findings if f.code == "unreadable-video"}
        for r in results:
            if r.error:
                index.set_frame_count(r.video, None, problem=f"cannot decode the video ({r.error})")
            elif r.mismatch:
                problem = (f"decoding gives {r.frames} frames but the container has {r.packets} video"
                           f" packets; {r.frames} is used")
                index.set_frame_count(r.video, r.frames, problem=problem, severity=WARNING)
            elif r.frames != index.frame_counts.get(r.video) or r.video in unreadable:
                index.set_frame_count(r.video, r.frames)
            else:
                continue
            changed.append(r.video)
        if changed:
            self.frameCountsChanged.emit(changed)
            self.revalidate()
