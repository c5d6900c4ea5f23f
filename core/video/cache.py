"""On-disk cache of decoded frame counts, keyed on a video's absolute path, size and mtime.

Decoding a whole video to count its frames is slow; the count only changes when the
file does, so it is stored with the file's size and modification time and reused while
both still match (FORMAT.md, "Where each file lives").
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from core.format.jsonio import write_atomic
from core.storage.location import BucketPath, stat_of

CACHE_DIR_ENV = "LIGHTLY_EDITOR_CACHE_DIR"
CACHE_FILE = "frame_counts.json"
APP_DIR = "lightly-metadata-editor"


def default_cache_path() -> Path:
    """Where the cache lives: $LIGHTLY_EDITOR_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override) / CACHE_FILE
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / APP_DIR / CACHE_FILE


def _key(path) -> str:
    """Absolute path of a file, URL of an object in a bucket (its stat carries the version)."""
    return str(path) if isinstance(path, BucketPath) else os.path.abspath(os.fspath(path))


def _valid_entry(entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    values = [entry.get(k) for k in ("size", "mtime_ns", "frames")]
    return all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values)


def _load_entries(path: Path) -> dict[str, dict[str, int]]:
    """Valid entries of a cache file; a missing, unreadable or corrupt file gives {}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        k: {"size": v["size"], "mtime_ns": v["mtime_ns"], "frames": v["frames"]}
        for k, v in data.items()
        if isinstance(k, str) and _valid_entry(v)
    }


class FrameCountCache:
    """Frame counts by absolute path, valid only while the file's size and mtime_ns match.

    Thread-safe: the GUI reads it while a worker thread fills it.
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else default_cache_path()
        self._lock = threading.Lock()
        self._entries = _load_entries(self.path)
        self._dirty: set[str] = set()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def get(self, path: str | os.PathLike) -> int | None:
        """The cached count if the file still has the size and mtime it had; else None."""
        key = _key(path)
        with self._lock:
            entry = self._entries.get(key)
        if entry is None:
            return None
        try:
            st = stat_of(path if isinstance(path, BucketPath) else key)
        except OSError:
            return None
        if st.st_size != entry["size"] or st.st_mtime_ns != entry["mtime_ns"]:
            return None
        return entry["frames"]

    def put(self, path: str | os.PathLike, frames: int, stat: os.stat_result | None = None) -> None:
        """Remember `frames` for the file as it is now (or as it was when `stat` was taken)."""
        key = _key(path)
        st = stat if stat is not None else stat_of(path if isinstance(path, BucketPath) else key)
        entry = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "frames": int(frames)}
        with self._lock:
            self._entries[key] = entry
            self._dirty.add(key)

    def save(self) -> None:
        """Write atomically, merged with what another editor may have saved meanwhile."""
        with self._lock:
            if not self._dirty:
                return
            merged = _load_entries(self.path)
            merged.update({k: self._entries[k] for k in self._dirty})
            # ASCII escapes keep undecodable file names (surrogates) writable.
            text = json.dumps(merged, ensure_ascii=True, sort_keys=True, indent=1) + "\n"
            write_atomic(self.path, text)
            self._entries = merged
            self._dirty.clear()
