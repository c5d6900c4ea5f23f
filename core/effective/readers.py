"""Readers of metadata files for core.effective.table: parsed data, None, or `Broken`.

A file that is not valid JSON reads as a `Broken` marker, so the table shows its row
(and a video's inheriting frames) as INVALID with the reason instead of plain defaults:
Lightly cannot read that file.
"""

from __future__ import annotations

import os
from typing import Any

from core.effective.values import LINKED_OUT, Reader, broken
from core.format import fast_json, jsonio
from core.format.metadata_file import read_disk_state
from core.format.naming import UnsafePathError, metadata_locator
from core.storage.location import BucketPath


def file_reader(index) -> Reader:
    """Like core.effective.values.disk_reader, lighter per file: 100k files are read in one build.

    Only files the index lists are opened; unreadable ones read as None, files that are
    not valid JSON as `Broken`.
    """
    at = metadata_locator(index.lightly_root)
    known = index.metadata
    links = getattr(index, "links_outside", ())

    def load(rel: str) -> Any:
        path = at(rel)
        if not isinstance(path, BucketPath):
            return load_local(path)
        try:
            return jsonio.loads(jsonio.read_text(path))
        except OSError:
            return None
        except jsonio.JsonSyntaxError as e:
            return broken(e)

    def read(rel: str) -> Any:
        if rel not in known:
            return LINKED_OUT if rel in links else None
        return load(rel)

    read.index, read.load = index, load  # the table's fill knows from the index which files exist
    return read


def load_local(path) -> Any:
    """A local metadata file as file_reader reads it (the fast JSON path: the same value)."""
    try:
        with open(path, "rb") as f:
            raw = jsonio.read_limited(f, os.fstat(f.fileno()).st_size)
        return fast_json.loads_bytes(raw)
    except OSError:
        return None
    except jsonio.JsonSyntaxError as e:
        return broken(e)


def workspace_reader(ws) -> Reader:
    """The editor's view of a file (core.workspace.Workspace): its document if loaded, else
    the disk; a file still broken on disk and not repaired in memory reads as `Broken`."""

    def read(rel: str) -> Any:
        doc = ws.loaded_document(rel)
        if doc is not None:
            if doc.data is None and doc.disk.error is not None:
                return broken(doc.disk.error)
            return doc.data
        try:
            disk = read_disk_state(ws.path_of(rel))
        except OSError:
            return None
        except UnsafePathError:
            return LINKED_OUT
        return broken(disk.error) if disk.error is not None else disk.data

    return read
