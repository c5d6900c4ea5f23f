"""Walking a datasource on disk: media files under the media root, JSON files under metadata.

Iterative `os.scandir` walks (no recursion limit, one directory read per folder), hidden
names skipped, `/`-separated relative paths. `core.dataset.index` classifies what these return.
"""

from __future__ import annotations

import heapq
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.format.jsonio import is_temp_name
from core.format.media import Extensions
from core.format.naming import IMAGE, SCHEMA_FILE, metadata_dir
from core.storage.errors import Cancelled  # one Cancelled for listing, scans, frame counting, validation

#: Called as progress(done, total, message); total is 0 while unknown.
Progress = Callable[[int, int, str], None]
_SORT_CHUNK = 16384  # ~10 ms of sorting holding the GIL
Cancel = Callable[[], bool]


class DatasourceError(Exception):
    """A datasource folder cannot be opened; the message is one line for the user."""


__all__ = [
    "Cancelled", "DatasourceError", "MediaTree", "check_folder", "media_tree", "walk_media", "walk_metadata",
]


def check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled("cancelled")


def check_folder(path: Path, what: str = "folder") -> None:
    """Raise DatasourceError unless `path` is a readable, listable folder."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DatasourceError(f"{path}: no such {what}") from None
    except PermissionError:
        raise DatasourceError(f"{path}: permission denied") from None
    except OSError as e:
        raise DatasourceError(f"{path}: cannot open ({e.strerror or e})") from None
    if not stat.S_ISDIR(st.st_mode):
        raise DatasourceError(f"{path}: not a folder")
    try:
        with os.scandir(path):
            pass
    except PermissionError:
        raise DatasourceError(f"{path}: permission denied") from None
    except OSError as e:
        raise DatasourceError(f"{path}: cannot open ({e.strerror or e})") from None


def _join(rel: str, name: str) -> str:
    return f"{rel}/{name}" if rel else name


def _leads_outside(entry: os.DirEntry, real_root: str) -> bool:
    """Whether a link leads outside the folder `real_root` (links inside it are fine)."""
    try:
        if not entry.is_symlink():
            return False
    except OSError:
        return False
    target = os.path.realpath(entry.path)
    return target != real_root and not target.startswith(real_root.rstrip(os.sep) + os.sep)


@dataclass
class MediaTree:
    """What the media walk found: sorted media paths and, per folder, its media children."""

    images: list[str] = field(default_factory=list)
    videos: list[str] = field(default_factory=list)
    #: folder rel ("" = root) -> (sorted sub-folders with media below, sorted media file names)
    dirs: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def walk_media(
    root: Path,
    extensions: Extensions,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    outside: list[str] | None = None,
) -> MediaTree:
    """All media under `root`; unreadable sub-folders are skipped, links followed without loops.

    Media files and folders reached through a link that leads outside `root` are still
    listed; with `outside`, their rel paths are appended to it (to be reported).
    """
    real_root = os.path.realpath(root)
    images: list[str] = []
    videos: list[str] = []
    files_in: dict[str, list[str]] = {}
    seen: set[tuple[int, int]] = set()
    st = os.stat(root)
    seen.add((st.st_dev, st.st_ino))
    stack: list[tuple[str, str]] = [("", os.fspath(root))]
    found = 0
    while stack:
        check_cancel(cancel)
        rel, path = stack.pop()
        try:
            it = os.scandir(path)
        except OSError:
            if not rel:
                raise
            continue
        names: list[str] = []
        with it:
            for entry in it:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    if entry.is_dir():
                        dst = entry.stat()
                        key = (dst.st_dev, dst.st_ino)
                        if key not in seen:  # a link back up the tree would loop forever
                            seen.add(key)
                            stack.append((_join(rel, name), entry.path))
                            if outside is not None and _leads_outside(entry, real_root):
                                outside.append(_join(rel, name))
                        continue
                    if not entry.is_file():
                        continue
                except OSError:
                    continue
                kind = extensions.kind_of(name)
                if kind is None:
                    continue
                if outside is not None and _leads_outside(entry, real_root):
                    outside.append(_join(rel, name))
                names.append(name)
                (images if kind == IMAGE else videos).append(_join(rel, name))
        if names:
            names.sort()
            files_in[rel] = names
            found += len(names)
            if progress is not None:
                progress(found, 0, f"scanning {rel or '.'}")
    return _tree(images, videos, files_in)


def media_tree(rels: list[str], extensions: Extensions, progress: Progress | None = None) -> MediaTree:
    """The MediaTree of a flat listing of file rels (a bucket's objects)."""
    images: list[str] = []
    videos: list[str] = []
    files_in: dict[str, list[str]] = {}
    for rel in rels:
        folder, _, name = rel.rpartition("/")
        kind = extensions.kind_of(name)
        if kind is None:
            continue
        files_in.setdefault(folder, []).append(name)
        (images if kind == IMAGE else videos).append(rel)
    for names in files_in.values():
        names.sort()
    if progress is not None:
        progress(len(images) + len(videos), 0, "listed media")
    return _tree(images, videos, files_in)


def sorted_gently(items: list[str]) -> list[str]:
    """`items` sorted. A long list is sorted in chunks that are then merged, so no single C call
    holds the GIL for long (list.sort of a million paths would: the GUI thread would stall)."""
    if len(items) <= _SORT_CHUNK:
        items.sort()
        return items
    chunks = [sorted(items[a : a + _SORT_CHUNK]) for a in range(0, len(items), _SORT_CHUNK)]
    return list(heapq.merge(*chunks))


def _tree(images: list[str], videos: list[str], files_in: dict[str, list[str]]) -> MediaTree:
    images = sorted_gently(images)
    videos = sorted_gently(videos)
    subs: dict[str, set[str]] = {"": set()}
    for rel in files_in:
        child = rel
        while child:
            parent, _, name = child.rpartition("/")
            bucket = subs.setdefault(parent, set())
            if name in bucket:
                break
            bucket.add(name)
            child = parent
    dirs = {
        rel: (sorted(subs.get(rel, ())), files_in.get(rel, []))
        for rel in sorted(set(subs) | set(files_in))
    }
    return MediaTree(images, videos, dirs)


def walk_metadata(
    lightly_root: Path,
    cancel: Cancel | None = None,
    outside: list[str] | None = None,
    temps: list[str] | None = None,
) -> list[str]:
    """Every `.json` under `.lightly/metadata/` (rel paths, sorted), except top-level schema.json.

    Links that lead outside the metadata folder are never listed nor followed; with
    `outside`, their rel paths are appended to it. With `temps`, the absolute paths of
    atomic writes' temporary files are appended to it (core.format.jsonio.is_temp_name).
    """
    base = metadata_dir(lightly_root)
    try:
        if not base.is_dir():
            return []
    except OSError:
        return []
    real_base = os.path.realpath(base)
    out: list[str] = []
    stack: list[tuple[str, str]] = [("", os.fspath(base))]
    seen: set[tuple[int, int]] = set()
    while stack:
        check_cancel(cancel)
        rel, path = stack.pop()
        try:
            it = os.scandir(path)
        except PermissionError:
            if not rel:
                raise DatasourceError(f"{path}: permission denied") from None
            continue  # like unreadable media folders: skipped, the rest stays usable
        except OSError:
            continue
        with it:
            for entry in it:
                if _leads_outside(entry, real_base):
                    if outside is not None and (entry.name.endswith(".json") or entry.is_dir()):
                        outside.append(_join(rel, entry.name))
                    continue
                try:
                    if entry.is_dir():
                        dst = entry.stat()
                        if (dst.st_dev, dst.st_ino) not in seen:
                            seen.add((dst.st_dev, dst.st_ino))
                            stack.append((_join(rel, entry.name), entry.path))
                        continue
                    if not entry.is_file():
                        continue
                except OSError:
                    continue
                name = entry.name
                if name.endswith(".json") and (rel or name != SCHEMA_FILE):
                    out.append(_join(rel, name))
                elif temps is not None and is_temp_name(name):
                    temps.append(entry.path)
    return sorted_gently(out)
