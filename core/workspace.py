"""The open datasource's editable state: metadata documents and the schema.

Every mutation goes through one of the edit operations below (`set_value`,
`remove_value`, `replace_data`, `replace_text`, `set_schema`, `restore`), each of
which notifies listeners, so views and undo can't be bypassed. Undo is
snapshot-based: `snapshot()` before, `restore()` to go back. "Modified" is derived
by comparing a document with what is on disk, so undoing to the saved state is clean.
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.format import jsonio
from core.format.findings import LINK_OUTSIDE
from core.format.keypath import MISSING
from core.format.metadata_file import (
    DiskState,
    digest_on_disk,
    get_meta,
    new_document,
    read_disk_state,
    remove_meta,
    set_meta,
)
from core.format.naming import UnsafePathError, metadata_path, schema_path
from core.format.samples import SampleRef
from core.schema import entries as schema_io
from core.schema.entries import FieldSpec, SchemaEntry, SchemaFile, compile_schema, read_schema, schema_text
from core.storage import BucketPath, StorageConflict, location
from core.storage.remote import ANY

SCHEMA_KEY = "schema.json"


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


class Workspace:
    """Documents of one datasource (loaded lazily) plus the schema being edited."""

    def __init__(self, media_root: str | Path, lightly_root: str | Path | None = None):
        self.media_root = location(media_root)
        self.lightly_root = location(lightly_root) if lightly_root else self.media_root
        self._docs: dict[str, Document] = {}
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self.schema_file: SchemaFile = read_schema(self.lightly_root)
        self.schema_entries: tuple[SchemaEntry, ...] = self.schema_file.entries
        self._specs_for: tuple[SchemaEntry, ...] | None = None
        self._specs: tuple[FieldSpec, ...] = ()
        #: The datasource index (core.dataset.index.DatasourceIndex) once a scan has finished.
        self.index: Any = None

    # --- listeners -------------------------------------------------------------------
    def add_listener(self, fn: Listener) -> None:
        """`fn(rel)` is called after every change to document `rel` (or SCHEMA_KEY)."""
        self._listeners.append(fn)

    def _notify(self, rel: str) -> None:
        for fn in list(self._listeners):
            fn(rel)

    # --- documents -------------------------------------------------------------------
    def path_of(self, rel: str) -> Path:
        return metadata_path(self.lightly_root, rel)

    def document(self, key: SampleRef | str) -> Document:
        """The document of a sample (or metadata rel path), loaded from disk on first use."""
        sample = key if isinstance(key, SampleRef) else None
        rel = key.metadata_rel if sample else key
        with self._lock:
            doc = self._docs.get(rel)
            if doc is None:
                try:
                    disk = read_disk_state(self.path_of(rel))
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

    # --- snapshots (undo) ---------------------------------------------------------------
    def snapshot(self, key: SampleRef | str) -> Snapshot:
        doc = self.document(key)
        return copy.deepcopy(doc.data), doc.text

    def restore(self, key: SampleRef | str, snap: Snapshot) -> None:
        doc = self.document(key)
        doc.data, doc.text = copy.deepcopy(snap[0]), snap[1]
        self._notify(doc.rel)

    # --- edit operations -----------------------------------------------------------------
    def _editable(self, key: SampleRef | str) -> Document:
        doc = self.document(key)
        if doc.broken:
            raise BrokenFileError(f"{doc.rel}: {doc.disk.error}; repair the JSON text first")
        if doc.data is None:
            if doc.sample is None:
                raise BrokenFileError(f"{doc.rel}: no media file, cannot create it")
            doc.data = new_document(doc.sample)
        return doc

    def set_value(self, key: SampleRef | str, path: str, value: Any) -> None:
        """Set one schema path inside `metadata` (creating the file in memory if needed)."""
        doc = self._editable(key)
        set_meta(doc.data, path, copy.deepcopy(value))
        self._notify(doc.rel)

    def remove_value(self, key: SampleRef | str, path: str) -> None:
        """Remove one path so the inherited/default value applies again."""
        doc = self.document(key)
        if doc.broken or doc.data is None:
            return
        remove_meta(doc.data, path)
        if not doc.disk.exists and doc.sample and doc.data == new_document(doc.sample):
            doc.data = None  # nothing left worth creating a file for
        self._notify(doc.rel)

    def replace_data(self, key: SampleRef | str, data: Any) -> None:
        """Replace the whole content (raw JSON edit); None means "no file"."""
        doc = self.document(key)
        doc.data, doc.text = copy.deepcopy(data), None
        self._notify(doc.rel)

    def replace_text(self, key: SampleRef | str, text: str) -> None:
        """Repair a broken file from text; raises jsonio.JsonSyntaxError if still invalid."""
        data = jsonio.loads(text)
        self.replace_data(key, data)

    def apply_values(self, samples: Iterable[SampleRef], values: dict[str, Any]) -> list[str]:
        """Set the same values on many samples (bulk edit); returns the rels changed."""
        changed = []
        for s in samples:
            doc = self._editable(s)
            before = copy.deepcopy(doc.data)
            for path, value in values.items():
                if value is MISSING:
                    remove_meta(doc.data, path)
                else:
                    set_meta(doc.data, path, copy.deepcopy(value))
            if doc.data != before:
                changed.append(doc.rel)
                self._notify(doc.rel)
        return changed

    # --- disk ----------------------------------------------------------------------------
    def changed_on_disk(self, rel: str) -> bool:
        """Whether the file's content differs from what was loaded (an outside edit).

        Compares a hash of the bytes, not size and mtime: `cp -p`, `rsync -t` and `tar`
        restore both. A file that cannot be read in full falls back to size and mtime.
        """
        doc = self.document(rel)
        try:
            path = self.path_of(rel)
        except UnsafePathError:
            return True  # became a link out of the folder: never write through it
        if isinstance(path, BucketPath):  # the object's version, asked now (never cached)
            now = path.store.stat(path)
            return doc.disk.exists if now is None else (not doc.disk.exists or now.token != doc.disk.token)
        exists, digest = digest_on_disk(path)
        if not exists:
            return doc.disk.exists
        if not doc.disk.exists:
            return True
        if digest is not None and doc.disk.digest is not None:
            return digest != doc.disk.digest
        try:
            st = os.stat(path)
        except OSError:
            return True
        return (st.st_size, st.st_mtime_ns) != (doc.disk.size, doc.disk.mtime_ns)

    def check_roots(self) -> None:
        """Raise WriteError when the datasource folders are gone (deleted or unmounted from outside).

        Saving then would recreate `.lightly/metadata/` in an empty folder of the same name.
        """
        for what, root in (("media", self.media_root), ("Lightly root", self.lightly_root)):
            if not isinstance(root, BucketPath) and not root.is_dir():  # a bucket: its PUT says
                raise WriteError(f"the datasource {what} folder {root} no longer exists: nothing was "
                                 "written (was it moved, deleted or unmounted?)")

    def save(self, key: SampleRef | str, force: bool = False) -> bool:
        """Write one document if modified; returns whether anything was written.

        Raises ConflictError (unless `force`) when the file changed on disk, and
        WriteError when the write fails; in both cases the document stays modified.
        """
        doc = self.document(key)
        if not doc.modified:
            return False
        self.check_roots()
        try:
            path = self.path_of(doc.rel)
        except UnsafePathError as e:
            raise WriteError(f"{doc.rel}: not written: {e}") from e
        if isinstance(path, BucketPath):  # the store compares the version itself
            return self._save_object(doc, path, force)
        if not force and self.changed_on_disk(doc.rel):
            raise ConflictError(doc.rel)
        try:
            if doc.data is None:
                path.unlink(missing_ok=True)
            else:
                jsonio.write_atomic(path, self._text_to_write(doc), root=self.lightly_root)
            doc.disk = read_disk_state(path)
        except (OSError, ValueError) as e:
            raise WriteError(f"{doc.rel}: could not write ({_reason(e)})") from e
        self._notify(doc.rel)
        return True

    def _save_object(self, doc: Document, path: BucketPath, force: bool) -> bool:
        """One conditional PUT (or DELETE): the bucket refuses it if the object moved on."""
        expect = ANY if force else (doc.disk.token if doc.disk.exists else None)
        try:
            if doc.data is None:
                path.store.delete(path, expect)
                doc.disk = DiskState()
            else:
                text = self._text_to_write(doc)
                token = path.store.write(path, text.encode("utf-8"), expect)
                doc.disk = DiskState(text, jsonio.loads(text), size=len(text.encode()), token=token)
        except StorageConflict:
            raise ConflictError(doc.rel) from None
        except (OSError, ValueError) as e:
            raise WriteError(f"{doc.rel}: could not write ({_reason(e)})") from e
        self._notify(doc.rel)
        return True

    @staticmethod
    def _text_to_write(doc: Document) -> str:
        for state in (doc.disk, doc.first):
            if state and state.error is None and state.text is not None and state.data == doc.data:
                return state.text
        return jsonio.dumps(doc.data)

    def reload(self, key: SampleRef | str) -> None:
        """Drop in-memory changes and read the file again (after an outside edit)."""
        doc = self.document(key)
        try:
            path = self.path_of(doc.rel)
            if isinstance(path, BucketPath):
                path.store.forget(path)  # read the object as it is now, not as the scan fetched it
            doc.disk = read_disk_state(path)
        except UnsafePathError as e:
            doc.disk = _outside_state(e)
        doc.data = copy.deepcopy(doc.disk.data) if doc.disk.error is None else None
        doc.text = None
        doc.first = doc.disk
        self._notify(doc.rel)

    # --- schema --------------------------------------------------------------------------
    @property
    def specs(self) -> tuple[FieldSpec, ...]:
        """Compiled field specs of the schema being edited (recompiled only when it changes)."""
        if self._specs_for is not self.schema_entries:
            self._specs = compile_schema(self.schema_entries)
            self._specs_for = self.schema_entries
        return self._specs

    @property
    def schema_modified(self) -> bool:
        if self.schema_file.error is not None:
            return True
        return self.schema_entries != self.schema_file.entries

    def set_schema(self, entries: tuple[SchemaEntry, ...]) -> None:
        """The schema edit operation: replace the entry tuple (undo puts the old one back)."""
        self.schema_entries = tuple(entries)
        self._notify(SCHEMA_KEY)

    def reload_schema(self) -> None:
        """Read schema.json again (e.g. after it was repaired outside), dropping unsaved schema edits."""
        self.schema_file = read_schema(self.lightly_root)
        self.schema_entries = self.schema_file.entries
        self._notify(SCHEMA_KEY)

    def schema_changed_on_disk(self) -> bool:
        """Whether schema.json's content differs from what was read (compared by hash)."""
        exists, digest = digest_on_disk(schema_path(self.lightly_root))
        if not exists:
            return self.schema_file.exists
        return digest is None or digest != self.schema_file.digest

    def save_schema(self, force: bool = False) -> None:
        """Write schema.json; SchemaConflictError (unless `force`) when it changed on disk."""
        path = schema_path(self.lightly_root)
        same = self.schema_file.text is not None and self.schema_entries == self.schema_file.entries
        self.check_roots()
        if not force and not isinstance(path, BucketPath) and self.schema_changed_on_disk():
            raise SchemaConflictError(SCHEMA_KEY)  # in a bucket the conditional PUT checks
        try:
            text = self.schema_file.text if same else schema_text(self.schema_entries)
            read = None if force else self.schema_file
            schema_io.write_schema_text(path, text, read, root=self.lightly_root)
        except StorageConflict:
            raise SchemaConflictError(SCHEMA_KEY) from None
        except (OSError, ValueError) as e:
            raise WriteError(f"schema.json: could not write ({_reason(e)})") from e
        self.schema_file = read_schema(self.lightly_root)
        self.schema_entries = self.schema_file.entries
        self._notify(SCHEMA_KEY)


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e)
