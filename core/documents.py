"""The documents of an open datasource: loaded lazily (or many at once, in a worker), and
the change notifications every view follows (one per edit, or one list per `batch()`).

core.workspace.Workspace builds the edit operations, saving and the schema on top.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.format import jsonio
from core.format.findings import LINK_OUTSIDE
from core.format.metadata_file import DiskState, get_meta, read_disk_state
from core.format.naming import UnsafePathError, metadata_path, metadata_paths
from core.format.samples import SampleRef


class ConflictError(Exception):
    """The file changed on disk since it was loaded; saving would lose the outside edit."""

    def __init__(self, rel: str):
        super().__init__(f"{rel}: changed on disk since it was loaded")
        self.rel = rel


class BrokenFileError(ValueError):
    """The document on disk is not valid JSON; edits through the form are refused."""


class WriteError(Exception):
    """A save failed (read-only folder, disk full...); the document stays modified."""


class SchemaConflictError(ConflictError, WriteError):
    """schema.json changed on disk since it was read (a WriteError too: callers that only
    report write failures still refuse to overwrite it)."""


def _outside_state(e: UnsafePathError) -> DiskState:
    """What a link out of the metadata folder reads as: broken, so it is never written through."""
    return DiskState(error=jsonio.JsonSyntaxError(f"{e}: not read, never written", code=LINK_OUTSIDE))


@dataclass
class Document:
    """One metadata file: what is on disk and what the editor holds now."""

    rel: str
    sample: SampleRef | None
    disk: DiskState
    data: Any  # None: no file (absent); a broken file has data None and disk.error set
    text: str | None = None  # replacement text for a broken file, until it parses
    #: The file as first loaded: undoing back to it rewrites its exact bytes.
    first: DiskState | None = None

    @property
    def broken(self) -> bool:
        return self.disk.error is not None and self.text is None and self.data is None

    @property
    def modified(self) -> bool:
        if self.disk.error is not None:
            return self.data is not None
        return self.data != self.disk.data

    def value(self, path: str) -> Any:
        return get_meta(self.data, path)


Snapshot = tuple[Any, bool]  # (deep copy of data, broken-state marker)
Listener = Callable[[str], None]
BatchListener = Callable[[list[str], bool], None]

def yield_gil() -> None:
    """Let the GUI thread run (a worker's long pure-Python loop would starve it of the GIL:
    each Qt callback into Python waits for the switch interval otherwise)."""
    time.sleep(0)


class DocumentStore:
    """Documents of one datasource by metadata rel, and who to tell when one changes."""

    def __init__(self, lightly_root):
        self.lightly_root = lightly_root
        self._docs: dict[str, Document] = {}
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._batch_listeners: list[BatchListener] = []
        self._batching = threading.local()  # per thread: the rels changed inside `batch()`

    # --- listeners -------------------------------------------------------------------
    def add_listener(self, fn: Listener) -> None:
        """`fn(rel)` is called after every change to document `rel` (or SCHEMA_KEY)."""
        self._listeners.append(fn)

    def add_batch_listener(self, fn: BatchListener) -> None:
        """`fn(rels, saved)` is called once per change, or once per `batch()` with every rel it
        changed; `saved`: every one of them was only written (its content did not change)."""
        self._batch_listeners.append(fn)

    @contextlib.contextmanager
    def batch(self):
        """Changes made inside (on this thread) are announced at the end, once, as one list:
        a bulk edit of 10k files refreshes each view once instead of 10k times."""
        if getattr(self._batching, "rels", None) is not None:
            yield  # nested: the outer batch announces
            return
        self._batching.rels = rels = {}
        try:
            yield
        finally:
            self._batching.rels = None
            if rels:
                self._deliver(list(rels), all(rels.values()))

    def in_batches(self, items: list, size: int = 256):
        """Iterate `items`; the changes made meanwhile are announced every `size` items (saving
        10k files: views follow in steps, not 10k times)."""
        for start in range(0, len(items), size):
            with self.batch():
                for i, item in enumerate(items[start:start + size]):
                    if i % 16 == 0:
                        yield_gil()
                    yield item

    def _notify(self, rel: str, saved: bool = False) -> None:
        rels = getattr(self._batching, "rels", None)
        if rels is not None:
            rels[rel] = rels.get(rel, True) and saved
        else:
            self._deliver([rel], saved)

    def _deliver(self, rels: list[str], saved: bool = False) -> None:
        for fn in list(self._batch_listeners):
            fn(rels, saved)
        for fn in list(self._listeners):
            for rel in rels:
                fn(rel)

    # --- documents -------------------------------------------------------------------
    def path_of(self, rel: str) -> Path:
        return metadata_path(self.lightly_root, rel)

    def paths_of(self, rels: list[str]) -> list[Path | UnsafePathError]:
        """`path_of` of many files (each folder resolved once); an UnsafePathError for a link out."""
        return metadata_paths(self.lightly_root, rels)

    def load_documents(self, keys: Iterable[SampleRef | str], progress=None, cancel=None) -> bool:
        """Load many documents (in a worker: a bulk edit reads 10k files); False when cancelled."""
        keys = list(keys)
        todo = [k for k in keys if self.loaded_document(k.metadata_rel if isinstance(k, SampleRef) else k)
                is None]
        paths = self.paths_of([k.metadata_rel if isinstance(k, SampleRef) else k for k in todo])
        for i, (key, path) in enumerate(zip(todo, paths)):
            if cancel is not None and i % 64 == 0 and cancel():
                return False
            self.document(key, path)
            if i % 16 == 0:
                yield_gil()
            if progress is not None and i % 256 == 0:
                progress(i, len(todo), "Reading the selected files")
        for key in keys:
            self.document(key)  # samples of documents loaded before by rel
        return True

    def document(self, key: SampleRef | str, path: Path | UnsafePathError | None = None) -> Document:
        """The document of a sample (or metadata rel path), loaded from disk on first use.

        `path`: its path_of (or the UnsafePathError), when resolved already."""
        sample = key if isinstance(key, SampleRef) else None
        rel = key.metadata_rel if sample else key
        with self._lock:
            doc = self._docs.get(rel)
            if doc is None:
                try:
                    if isinstance(path, UnsafePathError):
                        raise path
                    disk = read_disk_state(path if path is not None else self.path_of(rel))
                except UnsafePathError as e:
                    disk = _outside_state(e)
                data = copy.deepcopy(disk.data) if disk.error is None else None
                doc = Document(rel, sample, disk, data, first=disk)
                self._docs[rel] = doc
            elif sample is not None and doc.sample is None:
                doc.sample = sample
            return doc

    def loaded(self) -> list[Document]:
        with self._lock:
            return list(self._docs.values())

    def loaded_document(self, rel: str) -> Document | None:
        """The document `rel` if it was loaded already (never reads the disk), else None."""
        with self._lock:
            return self._docs.get(rel)

    def modified_documents(self) -> list[Document]:
        return [d for d in self.loaded() if d.modified]

    def data_of(self, rel: str) -> Any:
        """Current content of `rel` (in memory if loaded, else read from disk), or None."""
        with self._lock:
            doc = self._docs.get(rel)
        if doc is not None:
            return doc.data
        try:
            disk = read_disk_state(self.path_of(rel))
        except (OSError, UnsafePathError):
            return None
        return disk.data

