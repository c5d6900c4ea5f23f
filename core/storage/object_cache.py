"""Local copies of objects by URL and version, in a folder with a size cap.

What still needs a local file: image previews in a bucket (Qt's image reader reads files).
Videos are not copied: PyAV reads them by ranges (core.storage.streaming). The first preview
of an image downloads it once, later ones of the same version read nothing from the network,
and a changed object (new ETag / generation) gets a new copy. Least recently used copies are
removed when the folder grows past its cap (File ▸ Settings…, `set_cap_mb`, else the
environment variable LIGHTLY_EDITOR_OBJECT_CACHE_MB, else 2 GiB).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

CACHE_DIR_ENV = "LIGHTLY_EDITOR_CACHE_DIR"
CAP_ENV = "LIGHTLY_EDITOR_OBJECT_CACHE_MB"
DEFAULT_CAP_MB = 2048
CHUNK = 8 << 20
_lock = threading.Lock()
_cap_mb: int | None = None  # set by the settings (set_cap_mb), else the environment


def cache_dir() -> Path:
    """$LIGHTLY_EDITOR_CACHE_DIR/objects, else $XDG_CACHE_HOME or ~/.cache, .../objects."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override) / "objects"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "lightly-metadata-editor" / "objects"


def cap_mb() -> int:
    """The size cap in MiB: set_cap_mb's, else $LIGHTLY_EDITOR_OBJECT_CACHE_MB, else 2048."""
    if _cap_mb is not None:
        return _cap_mb
    try:
        return max(int(os.environ.get(CAP_ENV, DEFAULT_CAP_MB)), 1)
    except ValueError:
        return DEFAULT_CAP_MB


def set_cap_mb(mb: int | None) -> None:
    """Set the cap (None: back to the environment / default) and trim to it now."""
    global _cap_mb
    _cap_mb = None if mb is None else max(int(mb), 1)
    trim()


def cap_bytes() -> int:
    return cap_mb() << 20


def clear() -> int:
    """Remove every copy (not a download in progress); returns the bytes freed."""
    freed = 0
    with _lock:
        try:
            files = [p for p in cache_dir().iterdir() if p.is_file() and not p.name.startswith(".download.")]
        except OSError:
            return 0
        for p in files:
            try:
                size = p.stat().st_size
                p.unlink()
                freed += size
            except OSError:
                pass
    return freed


def local_copy(path) -> Path:
    """A local file with the object's current bytes (downloaded unless this version is cached)."""
    store = path.store
    entry = store.stat(path)
    if entry is None:
        raise FileNotFoundError(f"{path}: no such object")
    digest = hashlib.sha256(f"{path}\0{entry.token}\0{entry.size}".encode()).hexdigest()[:32]
    folder = cache_dir()
    target = folder / f"{digest}{path.suffix.lower()}"
    if target.is_file() and target.stat().st_size == entry.size:
        os.utime(target)  # most recently used
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".download.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            for start in range(0, entry.size, CHUNK):
                end = min(entry.size, start + CHUNK)
                out.write(store.read_range(path, start, end))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    trim(keep=target)
    return target


def trim(keep: Path | None = None) -> None:
    """Remove least recently used copies until the folder is under its cap."""
    with _lock:
        try:
            files = [(p.stat().st_mtime, p.stat().st_size, p) for p in cache_dir().iterdir() if p.is_file()]
        except OSError:
            return
        total = sum(size for _, size, _ in files)
        for _, size, p in sorted(files, key=lambda t: t[0]):
            if total <= cap_bytes():
                break
            if p == keep or p.name.startswith(".download."):
                continue
            try:
                p.unlink()
                total -= size
            except OSError:
                pass


def cached_bytes() -> int:
    """How much the cache folder holds now (shown in the settings)."""
    try:
        return sum(p.stat().st_size for p in cache_dir().iterdir() if p.is_file())
    except OSError:
        return 0
