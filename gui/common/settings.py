"""All QSettings access in one place: keys, defaults and typed reads.

Holds window state and preferences, never document data. Tests point it at a
temporary folder through XDG_CONFIG_HOME (see tests/conftest.py) or `use_file()`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORG = "lightly-metadata-editor"
APP = "editor"

DEFAULTS: dict[str, Any] = {
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "recent/folders": [],  # list of "media_root|lightly_root" strings, newest first
    "recent/last": "",
    "cloud/endpoint": "",  # S3-compatible endpoint of File > Open URL (never credentials)
    "cloud/cache_mb": 2048,  # size cap of the local copies of bucket objects (File > Settings)
    "cloud/timeout_s": 20,  # seconds per request to a bucket
    "cloud/attempts": 4,  # tries per request (the provider's client retries with backoff)
    "editor/autosave": True,
    "media/image_extensions": "png jpg jpeg bmp gif tif tiff webp",
    "media/video_extensions": "mp4 m4v hevc mpg mpeg avi mov webm mkv",
    # The media Lightly reads (its Worker's documented lists); others get an unread-media finding.
    "media/lightly_extensions": "png jpg jpeg bmp gif tif tiff mp4 m4v hevc mpg mpeg avi mov webm",
    "view/show_frames": False,
}
MAX_RECENT = 10

_file: str | None = None


def use_file(path: str | None) -> None:
    """Store settings in an INI file at `path` (tests), or the platform default (None)."""
    global _file
    _file = path


def _settings() -> QSettings:
    if _file:
        return QSettings(_file, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG, APP)


def get(key: str) -> Any:
    default = DEFAULTS[key]
    value = _settings().value(key, default)
    if isinstance(default, bool):
        return value in (True, "true", "1", 1)
    if isinstance(default, list):
        if value in (None, ""):
            return []
        return [value] if isinstance(value, str) else list(value)
    if isinstance(default, QByteArray):
        return value if isinstance(value, QByteArray) else QByteArray()
    return type(default)(value)


def is_set(key: str) -> bool:
    """Whether the user stored `key` (else its default applies, or the environment's)."""
    return _settings().contains(key)


def set(key: str, value: Any) -> None:  # noqa: A001 - reads as settings.set(...)
    if key not in DEFAULTS:
        raise KeyError(key)
    s = _settings()
    s.setValue(key, value)
    s.sync()


def add_recent(media_root: str, lightly_root: str | None = None) -> list[str]:
    """Put a datasource first in the recent list; returns the new list."""
    entry = f"{media_root}|{lightly_root or ''}"
    items = [e for e in get("recent/folders") if e != entry]
    items.insert(0, entry)
    set("recent/folders", items[:MAX_RECENT])
    set("recent/last", entry)
    return items[:MAX_RECENT]


def split_recent(entry: str) -> tuple[str, str | None]:
    media, _, lightly = entry.partition("|")
    return media, (lightly or None)
