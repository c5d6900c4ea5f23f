"""An object in a bucket as a seekable binary file: ranged GETs through fsspec, for PyAV.

PyAV reads a video through `read`/`seek`/`tell`; each miss of fsspec's read-ahead block is
one ranged GET of READ_BLOCK bytes, so a preview frame reads the header, the index and the
frame's packets, never the whole object. Errors become StorageErrors naming the object.
"""

from __future__ import annotations

import io
from typing import Any


class ObjectFile(io.RawIOBase):
    """Read-only, seekable view of one object (opened on first use)."""

    def __init__(self, store: Any, path: Any, block: int):
        super().__init__()
        self._store = store
        self._path = path
        self._block = block  # bytes per ranged GET
        self._file: Any = None

    def _open(self) -> Any:
        if self._file is None:
            fs_path = self._path.fs_path
            # Read-ahead of one block for every provider (gcsfs's default prefetches up to
            # 128 MB in the background: a preview needs a few blocks of a long video).
            self._file = self._call(
                lambda: self._store.fs.open(fs_path, "rb", block_size=self._block, cache_type="readahead")
            )
        return self._file

    def _call(self, fn: Any) -> Any:
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - one message naming the object
            raise self._store._error(str(self._path), e) from e

    @property
    def name(self) -> str:
        return str(self._path)

    @property
    def size(self) -> int:
        return int(self._open().size)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        f = self._open()
        return self._call(lambda: f.read(n))

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        f = self._open()
        return self._call(lambda: f.seek(offset, whence))

    def tell(self) -> int:
        return self._open().tell() if self._file is not None else 0

    def close(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except Exception:  # noqa: BLE001 - a read-only file holds nothing to lose
                pass
            self._file = None
        super().close()
