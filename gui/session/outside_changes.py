"""Outside changes of the files the window holds, noticed while it is open, offered for reload.

Watched: schema.json and every loaded metadata file (what the form, a bulk edit or a fix
read), plus their folders (an atomic write by another program replaces the file, a
deletion or creation only shows on the folder). Not watched: the other files of the
datasource, which are read from disk whenever they are needed. A change is decided by
content: the bytes on disk against what the editor last read or wrote, so our own saves
and `touch` are not changes, and `cp -p` (same size, mtime restored) is.

- A file without unsaved edits is reloaded quietly (nothing can be lost, and every view
  then shows what is on disk); the status bar says so.
- A file with unsaved edits is never replaced silently: a bar above the window offers
  Reload (drop my edits of those files) or Keep mine (keep editing; saving still asks
  before it overwrites the outside version).
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from core.documents import yield_gil
from core.format.metadata_file import read_disk_state
from core.format.naming import metadata_dir, schema_path
from core.storage import is_url
from gui.common.workers import Debouncer, start_task
from gui.session.outside_bar import OutsideChangesBar

#: At most this many files get their own watch (inotify watches are a per-user budget);
#: modified documents first. The folders of all loaded files are watched regardless.
MAX_FILE_WATCHES = 4000
_CHECK_AT_ONCE = 256  # files checked in one go; more are checked in slices
SCHEMA = "schema.json"


def _read_text(path: str) -> str | None:
    try:
        return Path(path).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


def _disk_key(doc) -> tuple:
    """What the editor last read or wrote of a document (changes on every save and reload)."""
    return doc.disk.size, doc.disk.mtime_ns, doc.disk.exists


def _signature(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


class OutsideChanges(QObject):
    """Owned by the window (`w`): watches, decides by content, reloads or asks through the bar."""

    #: After each check that found something: (rels reloaded quietly, rels waiting in the bar).
    checked = Signal(list, list)

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.bar = OutsideChangesBar(window)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.reloadRequested.connect(self.reload_waiting)
        self.bar.keepRequested.connect(self.keep_mine)
        self.waiting: list[str] = []  # changed on disk while holding unsaved edits (SCHEMA too)
        self._kept: dict[str, str | None] = {}  # rel -> the outside text the user chose to ignore
        self._sigs: dict[str, tuple | None] = {}
        self._paths: dict[str, str] = {}  # rel -> absolute path ("" when not watched)
        self._disk_keys: dict[str, tuple] = {}  # rel -> what the editor last read or wrote
        self._events: set[str] = set()  # paths the watcher reported since the last check
        self._n_synced = -1  # how many documents were loaded at the last sync
        self._offered: dict[str, str] = {}  # rel -> the outside text shown in the bar
        self._broken_schema: str | None = None  # the text of a schema.json that is not valid JSON
        self._watcher: QFileSystemWatcher | None = None
        self._suspects: set[str] | None = set()  # None: check everything
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.check)
        self._sync_timer = QTimer(self, interval=1500)  # documents load lazily, without a signal
        self._sync_timer.timeout.connect(self.sync_watches)
        self._more = Debouncer(self.sync_watches, 0, self)  # the rest of 10k files just loaded
        self._queue: dict[str, None] = {}  # files to check (in order), 10k after a big save
        self._found: tuple[list[str], list[str]] = ([], [])  # (quiet, asked) of a check under way
        self._more_checks = Debouncer(self._check_queue, 0, self)
        QGuiApplication.instance().applicationStateChanged.connect(self._on_app_state)

    # --- session ------------------------------------------------------------------------
    def open_session(self) -> None:
        if self._watcher is not None:
            self._watcher.deleteLater()
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_path)
        self._watcher.directoryChanged.connect(self._on_path)
        self.waiting, self._kept, self._sigs = [], {}, {}
        self._queue, self._found = {}, ([], [])
        self._paths, self._disk_keys, self._events = {}, {}, set()
        self._n_synced = -1
        self.bar.hide()
        self.sync_watches()
        self._sync_timer.start()

    def close_session(self) -> None:
        self._sync_timer.stop()
        self._timer.stop()
        if self._watcher is not None:
            self._watcher.deleteLater()
            self._watcher = None
        self.bar.hide()

    # --- watching -------------------------------------------------------------------------
    def _path(self, rel: str) -> str:
        """The file's path; "" for one that is not watched (a link out of the metadata folder)."""
        path = self._paths.get(rel)
        if path is None:
            ws = self.w.workspace
            try:
                path = str(schema_path(ws.lightly_root) if rel == SCHEMA else ws.path_of(rel))
            except ValueError:  # core.format.naming.UnsafePathError: never read through it
                path = ""
            self._paths[rel] = path
        return path

    def sync_watches(self, force: bool = False) -> None:
        """Watch schema.json, the loaded files and their folders (cheap: called every 1.5 s)."""
        ws, watcher = self.w.workspace, self._watcher
        if ws is None or watcher is None or is_url(ws.lightly_root):
            return  # objects in a bucket: no notifications; a save's conditional PUT catches changes
        docs = ws.loaded()
        if len(docs) == self._n_synced and not force:
            return
        self._n_synced = len(docs)
        if not self._first_seen([d for d in docs if d.rel not in self._sigs]):
            self._n_synced = -1  # many files were loaded at once (a bulk edit): the rest next turn
            self._more.trigger()
            return
        docs = [d for d in docs if self._path(d.rel)]
        if SCHEMA not in self._sigs:
            self._sigs[SCHEMA] = _signature(self._path(SCHEMA))
            self._broken_schema = _read_text(self._path(SCHEMA))
        if len(docs) > MAX_FILE_WATCHES:  # which to watch: modified first, sorted out in a worker
            def modified_first(progress=None, cancel=None) -> list:
                flags = []
                for i, d in enumerate(docs):
                    flags.append(not d.modified)
                    if i % 64 == 0:
                        yield_gil()
                return [d for _f, d in sorted(zip(flags, docs), key=lambda p: p[0])]

            task = start_task(modified_first)
            task.succeeded.connect(lambda files: self._watch_files(files) if ws is self.w.workspace else None)
            return
        self._watch_files(docs)

    def _watch_files(self, docs: list) -> None:
        ws, watcher = self.w.workspace, self._watcher
        if watcher is None:
            return
        files = [self._path(SCHEMA)] + [self._path(d.rel) for d in docs[:MAX_FILE_WATCHES]]
        root = metadata_dir(ws.lightly_root)
        folders = {str(root)} | {os.path.dirname(p) for p in files}
        # Existence as last read or written (no stat of 4000 files per sync); a file created
        # from outside meanwhile is seen through its folder's watch.
        exists = [os.path.exists(files[0])] + [d.disk.exists for d in docs[:MAX_FILE_WATCHES]]
        wanted = {p for p, e in zip(files, exists) if e} | {d for d in folders if os.path.isdir(d)}
        have = set(watcher.files()) | set(watcher.directories())
        if wanted - have:
            watcher.addPaths(sorted(wanted - have))
        if have - wanted:
            watcher.removePaths(sorted(have - wanted))

    def _first_seen(self, fresh: list, budget: float = 0.02) -> bool:
        """Note what the editor read of newly loaded files (the reference for changes), for
        ~`budget` seconds; False when some are left for the next turn."""
        end = time.perf_counter() + budget
        ws = self.w.workspace
        for i in range(0, len(fresh), 128):
            if time.perf_counter() > end:
                return False
            chunk = [d for d in fresh[i:i + 128] if d.rel not in self._paths]
            for d, p in zip(chunk, ws.paths_of([d.rel for d in chunk])):  # each folder resolved once
                self._paths[d.rel] = "" if isinstance(p, ValueError) else str(p)
            for doc in fresh[i:i + 128]:
                if not self._path(doc.rel):
                    continue
                self._disk_keys[doc.rel] = _disk_key(doc)
                sig = _signature(self._path(doc.rel))
                same = (sig is None) == (not doc.disk.exists) and (
                    sig is None or (sig[0], sig[1]) == (doc.disk.size, doc.disk.mtime_ns))
                self._sigs[doc.rel] = sig if same else ()  # () never matches: checked next time
                if not same:
                    self._suspects_add(doc.rel)
        return True

    def _suspects_add(self, rel: str) -> None:
        if self._suspects is not None:
            self._suspects.add(rel)
        self._timer.start()

    def _on_path(self, path: str) -> None:
        """The watcher reported a path: looked at in the next (debounced) check, never one by one."""
        self._events.add(path)
        self._timer.start()

    def _take_events(self) -> None:
        """Turn the reported paths into suspects: a folder's loaded files, a file's document."""
        events, self._events = self._events, set()
        ws = self.w.workspace
        if ws is None or not events or self._suspects is None:
            return
        folders = {p.rstrip(os.sep) for p in events if os.path.isdir(p)}
        if folders:
            by_folder: dict[str, list[str]] = {}
            for doc in ws.loaded():
                path = self._path(doc.rel)
                if path:
                    by_folder.setdefault(os.path.dirname(path), []).append(doc.rel)
            by_folder.setdefault(os.path.dirname(self._path(SCHEMA)), []).append(SCHEMA)
            for folder in folders:
                self._suspects.update(by_folder.get(folder, ()))
        base = str(metadata_dir(ws.lightly_root)) + os.sep
        for path in events - folders:
            if path == self._path(SCHEMA):
                self._suspects.add(SCHEMA)
            elif path.startswith(base):
                self._suspects.add(path[len(base):].replace(os.sep, "/"))

    def _on_app_state(self, state) -> None:
        """Back to the editor from another program: check everything it holds."""
        if state == Qt.ApplicationState.ApplicationActive and self.w.workspace is not None:
            self.check_soon()

    def check_soon(self) -> None:
        """Check every loaded file and schema.json (debounced)."""
        self._suspects = None
        self._timer.start()

    # --- deciding ---------------------------------------------------------------------------
    def _writing(self) -> bool:
        return bool(getattr(self.w.saver, "writing", False))

    def check(self) -> tuple[list[str], list[str]]:
        """Compare the suspects with what the editor holds; reload quietly or offer in the bar."""
        ws = self.w.workspace
        if ws is None or self._watcher is None or is_url(ws.lightly_root):
            return [], []
        if self._writing():  # our own writes are under way: look once they are done
            self._timer.start()
            return [], []
        self._take_events()
        suspects = self._suspects
        self._suspects = set()
        rels = list(suspects) if suspects is not None else [d.rel for d in ws.loaded()] + [SCHEMA]
        self._queue.update(dict.fromkeys(sorted(set(rels))))
        return self._check_queue()

    def _check_queue(self) -> tuple[list[str], list[str]]:
        """Check the queued files: all at once when few, else ~20 ms per event-loop turn (10k
        files just saved); what changed is acted on once the last is checked."""
        if self.w.workspace is None or self._watcher is None:
            self._queue.clear()
            return [], []
        end = time.perf_counter() + (0.02 if len(self._queue) > _CHECK_AT_ONCE else 3600)
        quiet, asked = self._found
        while self._queue and time.perf_counter() < end:
            for rel in list(itertools.islice(self._queue, 32)):
                del self._queue[rel]
                changed = self._changed(rel)
                if changed is None:
                    continue
                if self._has_edits(rel):
                    if self._kept.get(rel, ...) != changed and rel not in self.waiting:
                        self.waiting.append(rel)
                        asked.append(rel)
                    self._offered[rel] = changed
                else:
                    quiet.append(rel)
        if self._queue:
            self._more_checks.trigger()
            return [], []
        self._found = ([], [])
        if quiet:
            self._reload(quiet)
            n = len(quiet)
            self.w.show_status(f"Reloaded {quiet[0] if n == 1 else f'{n} files'}: changed on disk by "
                               "another program (no unsaved edits were in it)", 8000)
        if self.waiting:
            self.bar.show_files(self.waiting)
        self.sync_watches(force=True)  # a replaced file lost its watch
        if quiet or asked:
            self.checked.emit(quiet, asked)
        return quiet, asked

    def _changed(self, rel: str) -> str | None:
        """The new text on disk ("" when the file is gone) when it differs from the editor's, else None."""
        ws = self.w.workspace
        path = self._path(rel)
        if not path:
            return None
        sig = _signature(path)
        if rel == SCHEMA:
            if self._sigs.get(SCHEMA) == sig and sig is not None:
                return None
            self._sigs[SCHEMA] = sig
            ours = ws.schema_file.text if ws.schema_file.error is None else self._broken_schema
            theirs = _read_text(path)
            if ws.schema_file.error is not None:
                self._broken_schema = theirs
        else:
            doc = ws.loaded_document(rel)
            if doc is None:
                return None
            if self._sigs.get(rel) == sig and sig is not None:
                return None
            self._sigs[rel] = sig
            key, known = _disk_key(doc), self._disk_keys.get(rel)
            self._disk_keys[rel] = key
            if known is not None and known != key:  # the editor itself saved or reloaded it since
                if (sig is None) == (not doc.disk.exists) and (sig is None or sig[:2] == key[:2]):
                    return None  # and the file is what it wrote: our own write, nothing to read
            ours = doc.disk.text
            theirs = read_disk_state(path).text
        if theirs == ours:
            return None
        return theirs if theirs is not None else ""

    def _has_edits(self, rel: str) -> bool:
        ws = self.w.workspace
        if rel == SCHEMA:
            return ws.schema_file.error is None and ws.schema_modified
        doc = ws.loaded_document(rel)
        return doc is not None and doc.modified

    # --- acting -------------------------------------------------------------------------------
    def _reload(self, rels: Iterable[str]) -> None:
        ws, docs = self.w.workspace, []
        for rel in rels:
            self._kept.pop(rel, None)
            if rel == SCHEMA:
                ws.reload_schema()
                self.w.loader.revalidate()  # every file's findings depend on the schema
            else:
                ws.reload(rel)
                docs.append(rel)
            self._sigs[rel] = _signature(self._path(rel))
            doc = ws.loaded_document(rel) if rel != SCHEMA else None
            if doc is not None:
                self._disk_keys[rel] = _disk_key(doc)
        if docs:
            self.w.saver.revalidate(docs)

    def reload_waiting(self) -> None:
        """The bar's Reload: drop the unsaved edits of the files changed outside and read them again."""
        rels, self.waiting = self.waiting, []
        self.bar.hide()
        self._reload(rels)
        self.w.show_status(f"Reloaded {len(rels)} file{'s' if len(rels) != 1 else ''} from disk", 6000)

    def keep_mine(self) -> None:
        """The bar's Keep mine: keep editing; the same outside version is not offered again."""
        for rel in self.waiting:
            self._kept[rel] = self._offered.pop(rel, "")
        n = len(self.waiting)
        self.waiting = []
        self.bar.hide()
        self.w.show_status(f"Kept your edits of {n} file{'s' if n != 1 else ''}; saving asks before it "
                           "overwrites what changed on disk", 8000)
