"""The bundled demo datasources and the user's own copy of them.

The editor always opens a copy in the user's data folder, so edits (and saves that
repair the deliberate problems) never touch `resources/`, which may be read-only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from core.bundled import RESOURCES

APP_DIR_NAME = "lightly-metadata-editor"
#: The main demo: a usable dataset with one example of every per-file problem.
DEMO = "demo"
#: A small demo whose schema.json shows every schema problem.
BROKEN_SCHEMA_DEMO = "demo-broken-schema"

_RESOURCES = RESOURCES


def bundled_demo(name: str = DEMO) -> Path:
    """The demo as shipped in `resources/` (read it, never write to it)."""
    return _RESOURCES / name


def user_data_dir() -> Path:
    """`$LIGHTLY_EDITOR_DATA_DIR`, else `$XDG_DATA_HOME/lightly-metadata-editor`, else ~/.local/share/…"""
    explicit = os.environ.get("LIGHTLY_EDITOR_DATA_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / APP_DIR_NAME


def demo_copy(dest_root: str | os.PathLike | None = None, name: str = DEMO, *, fresh: bool = False) -> Path:
    """The user's copy of demo `name` under `dest_root` (default: the user data folder).

    Made on first use and reused afterwards, so the user's edits persist; `fresh=True`
    replaces it with a new copy. The copy is assembled in a temporary folder and renamed
    into place, so an interrupted copy is never mistaken for a complete one.
    """
    root = Path(dest_root) if dest_root is not None else user_data_dir()
    dest = root / name
    if fresh and dest.exists():
        shutil.rmtree(dest)
    if dest.is_dir():
        return dest
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        _copy_tree_writable(bundled_demo(name), tmp)
        try:
            tmp.rename(dest)
        except OSError:
            if not dest.is_dir():  # not a lost race with another process: a real failure
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _copy_tree_writable(src: Path, dst: Path) -> None:
    """Copy contents only, not permissions: a read-only install must still give an editable copy."""
    for dirpath, dirnames, filenames in os.walk(src):
        rel = Path(dirpath).relative_to(src)
        (dst / rel).mkdir(parents=True, exist_ok=True)
        dirnames.sort()
        for f in sorted(filenames):
            shutil.copyfile(Path(dirpath) / f, dst / rel / f)
