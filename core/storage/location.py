"""Path-like names of objects in buckets, and telling URLs from folders.

A `BucketPath` joins like a `pathlib.PurePosixPath` (`/`, `joinpath`, `parent`, `name`)
and prints as its URL; it has no `__fspath__`, so code that would hand it to `open()` or
`os.stat()` fails loudly instead of touching a local file of the same name.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from core.storage.errors import StorageError

#: URL scheme -> fsspec protocol.
SCHEMES = {"s3": "s3", "s3a": "s3", "gs": "gcs", "gcs": "gcs", "az": "az", "abfs": "abfs", "abfss": "abfs"}
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.S)


def is_url(value: Any) -> bool:
    """Whether `value` names a bucket location (a `BucketPath` or an `s3://`-style string)."""
    if isinstance(value, BucketPath):
        return True
    if not isinstance(value, str):
        return False
    m = _URL.match(value)
    return m is not None and m.group(1).lower() != "file"


def location(value: Any) -> Path | BucketPath:
    """A `BucketPath` for a URL, else a local `Path` (`file://` URLs included)."""
    if isinstance(value, BucketPath):
        return value
    if isinstance(value, str):
        m = _URL.match(value)
        if m is not None:
            if m.group(1).lower() == "file":
                return Path(m.group(2))
            return BucketPath(value)
    return Path(value)


class ObjectStat(NamedTuple):
    """What the frame-count cache compares: size, and the version folded into an int."""

    st_size: int
    st_mtime_ns: int


def stat_of(path: Any) -> os.stat_result | ObjectStat:
    """`os.stat` of a file; of an object, its size and version (ETag / generation)."""
    if not isinstance(path, BucketPath):
        return os.stat(path)
    entry = path.store.stat(path)
    if entry is None:
        raise FileNotFoundError(f"{path}: no such object")
    digest = hashlib.sha1(str(entry.token).encode()).digest()
    return ObjectStat(entry.size, int.from_bytes(digest[:7], "big"))


class BucketPath:
    """`scheme://bucket/key`: a folder (prefix) or an object in a bucket."""

    __slots__ = ("scheme", "parts", "_url")

    def __init__(self, url: str, _parts: tuple[str, ...] | None = None):
        if _parts is not None:
            self.scheme, self.parts = url, _parts
        else:
            m = _URL.match(url)
            if m is None:
                raise StorageError(f"{url}: not a URL")
            scheme, rest = m.group(1).lower(), m.group(2)
            if scheme not in SCHEMES:
                known = ", ".join(f"{s}://" for s in ("s3", "gs", "az", "abfs"))
                raise StorageError(f"{url}: unsupported URL scheme (supported: {known})")
            parts = tuple(p for p in rest.replace("\\", "/").split("/") if p and p != ".")
            if not parts:
                raise StorageError(f"{url}: the URL names no bucket")
            if ".." in parts:
                raise StorageError(f"{url}: '..' is not allowed in a bucket URL")
            self.scheme, self.parts = scheme, parts
        self._url = f"{self.scheme}://" + "/".join(self.parts)

    # --- naming -------------------------------------------------------------------------
    @property
    def protocol(self) -> str:
        return SCHEMES[self.scheme]

    @property
    def bucket(self) -> str:
        return self.parts[0]

    @property
    def key(self) -> str:
        """The object key (or prefix) inside the bucket, without a leading `/`."""
        return "/".join(self.parts[1:])

    @property
    def fs_path(self) -> str:
        """The path fsspec uses: `bucket/key`."""
        return "/".join(self.parts)

    @property
    def name(self) -> str:
        return self.parts[-1] if len(self.parts) > 1 else ""

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix

    @property
    def parent(self) -> BucketPath:
        return BucketPath(self.scheme, self.parts[:-1]) if len(self.parts) > 1 else self

    def joinpath(self, *others: Any) -> BucketPath:
        parts = list(self.parts)
        for other in others:
            text = str(other).replace("\\", "/")
            if text.startswith("/"):
                raise StorageError(f"{self}: cannot join the absolute path {text!r}")
            for p in posixpath.normpath(text).split("/"):
                if p in ("", "."):
                    continue
                if p == "..":
                    raise StorageError(f"{self}: {text!r} leaves the bucket folder")
                parts.append(p)
        return BucketPath(self.scheme, tuple(parts))

    def __truediv__(self, other: Any) -> BucketPath:
        return self.joinpath(other)

    def relative_to(self, other: BucketPath) -> str:
        n = len(other.parts)
        if self.scheme != other.scheme or self.parts[:n] != other.parts:
            raise ValueError(f"{self} is not inside {other}")
        return "/".join(self.parts[n:])

    def resolve(self) -> BucketPath:
        return self

    def as_posix(self) -> str:
        return self._url

    def __str__(self) -> str:
        return self._url

    def __repr__(self) -> str:
        return f"BucketPath({self._url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BucketPath) and other._url == self._url

    def __hash__(self) -> int:
        return hash(self._url)

    def __lt__(self, other: BucketPath) -> bool:
        return self._url < other._url

    # --- I/O through the store ------------------------------------------------------------
    @property
    def store(self):
        from core.storage.remote import store_for

        return store_for(self)

    def exists(self) -> bool:
        return self.store.stat(self) is not None or self.is_dir()

    def is_file(self) -> bool:
        return self.store.stat(self) is not None

    def is_symlink(self) -> bool:
        return False  # objects have no links

    def is_dir(self) -> bool:
        return self.store.is_dir(self)

    def read_bytes(self) -> bytes:
        return self.store.read(self).data

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.read_bytes().decode(encoding)
