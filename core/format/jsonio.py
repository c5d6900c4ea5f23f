"""Strict JSON in and out: syntax errors with line/column, canonical atomic writes."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from core.storage.location import BucketPath


class JsonSyntaxError(ValueError):
    """The text is not strict JSON; carries a 1-based line and column."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column}: {self.message}"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in strict JSON")


def _pairs_no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    out = dict(pairs)  # C speed: this runs for every object of every file
    if len(out) != len(pairs):
        # Reading would silently drop the first value: refuse instead of losing data.
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise ValueError(f"duplicate key {k!r}")
            seen.add(k)
    return out


#: One decoder for every file: json.loads(text, hooks...) would build a new one per call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=_pairs_no_duplicates)


def loads(text: str) -> Any:
    """Parse strict JSON (no NaN/Infinity, no duplicate keys); raise JsonSyntaxError."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as e:
        raise JsonSyntaxError(e.msg, e.lineno, e.colno) from None
    except ValueError as e:  # from our hooks: position unknown
        raise JsonSyntaxError(str(e)) from None


def read_text(path: str | os.PathLike) -> str:
    """Read UTF-8 text (a BOM is tolerated); undecodable bytes become JsonSyntaxError."""
    if isinstance(path, BucketPath):
        return decode_text(path.read_bytes())
    return decode_text(Path(path).read_bytes())


def decode_text(data: bytes) -> str:
    """UTF-8 bytes (a BOM is tolerated) to text; undecodable bytes become JsonSyntaxError."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise JsonSyntaxError("the file is not UTF-8 text", line, 1) from None


def read_json(path: str | os.PathLike) -> Any:
    return loads(read_text(path))


def dumps(value: Any) -> str:
    """Canonical text: two-space indent, key order kept, UTF-8, final newline, no NaN."""
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write `text` to `path` atomically: temporary file in the same folder, fsync, rename.

    In a bucket: one PUT of the whole object (an object is replaced whole or not at all).
    """
    if isinstance(path, BucketPath):
        path.store.write(path, text.encode("utf-8"))
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            try:
                os.chmod(tmp, path.stat().st_mode & 0o777)
            except OSError:
                pass
        else:
            os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Read once at import: os.umask() is process-wide and not safe to toggle from threads.
_UMASK = _read_umask()
