"""Strict JSON in and out: syntax errors with line/column, canonical atomic writes."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from core.format import json_guard, limits
from core.storage.location import BucketPath

INVALID_JSON = "invalid-json"


class JsonSyntaxError(ValueError):
    """The text is not strict JSON, or breaks a limit; carries a 1-based line and column.

    `code` is the finding code: "invalid-json", or one of core.format.limits' codes.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 code: str = INVALID_JSON):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.code = code

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column}: {self.message}"


def _pairs_no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    out = dict(pairs)  # C speed: this runs for every object of every file
    if len(out) != len(pairs):
        # Reading would silently drop the first value: refuse instead of losing data.
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _duplicate_position(text: str, key: str) -> tuple[int, int] | tuple[None, None]:
    """Line and column of the second `"key":` in the text (best effort: keys written plainly)."""
    pattern = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:")
    hits = [m.start() for m, _ in zip(pattern.finditer(text), range(2))]
    if len(hits) < 2:
        return None, None
    return json_guard.line_column(text, hits[1])


#: One decoder for every file: json.loads(text, hooks...) would build a new one per call.
_DECODER = json.JSONDecoder(parse_float=json_guard.parse_float, parse_int=json_guard.parse_int,
                            parse_constant=json_guard.parse_constant, object_pairs_hook=_pairs_no_duplicates)


def loads(text: str) -> Any:
    """Parse strict JSON within the limits (no NaN/Infinity, no duplicate keys); raise JsonSyntaxError."""
    try:
        json_guard.check(text)
        try:
            return _DECODER.decode(text)
        except json_guard.Hostile as e:  # a hook refused a number or NaN: find where, and why
            json_guard.scan(text)
            raise JsonSyntaxError(f"{str(e)[:40]!r} is not allowed in strict JSON") from None
    except json_guard.LimitError as e:
        line, column = json_guard.line_column(text, e.pos)
        raise JsonSyntaxError(e.message, line, column, code=e.code) from None
    except json.JSONDecodeError as e:
        raise JsonSyntaxError(e.msg, e.lineno, e.colno) from None
    except _DuplicateKey as e:
        line, column = _duplicate_position(text, e.key)
        raise JsonSyntaxError(str(e), line, column) from None
    except ValueError as e:  # from our hooks: position unknown
        raise JsonSyntaxError(str(e)) from None


def read_text(path: str | os.PathLike) -> str:
    """Read UTF-8 text (a BOM is tolerated); undecodable or too many bytes become JsonSyntaxError."""
    if isinstance(path, BucketPath):  # one GET; the same size limit as for files
        raw = path.read_bytes()
        if len(raw) > limits.MAX_FILE_BYTES:
            raise too_large(len(raw))
        return decode_text(raw)
    with open(path, "rb") as f:
        return decode_text(read_limited(f, os.fstat(f.fileno()).st_size))


def too_large(size: int) -> JsonSyntaxError:
    mib = limits.MAX_FILE_BYTES / (1024 * 1024)
    return JsonSyntaxError(f"the file has {size:,} bytes; the editor reads metadata files of at most "
                           f"{mib:g} MiB", code=limits.FILE_TOO_LARGE)


def read_limited(f, size: int) -> bytes:
    """The bytes of open file `f` (of `size` bytes by fstat); JsonSyntaxError past the size limit.

    Reads at most one byte more than the limit, so a file growing while read is caught too.
    """
    if size > limits.MAX_FILE_BYTES:
        raise too_large(size)
    want = size + 1  # read(n) allocates n bytes: ask for what fstat says (+1 to see growth)
    raw = f.read(want)
    if len(raw) == want:  # it grew while read (or fstat said 0, as for /proc): read on to the limit
        raw += f.read(limits.MAX_FILE_BYTES + 1 - len(raw))
    if len(raw) > limits.MAX_FILE_BYTES:
        raise too_large(len(raw))
    return raw


def decode_text(data: bytes) -> str:
    """UTF-8 bytes (a BOM is tolerated) to text; undecodable bytes become JsonSyntaxError."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        start = data.rfind(b"\n", 0, e.start) + 1
        column = len(data[start : e.start].decode("utf-8-sig", errors="replace")) + 1
        hint = " (the file is UTF-16: save it as UTF-8)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise JsonSyntaxError(f"byte {data[e.start]:#04x} is not UTF-8 text{hint}", line, column,
                              code=limits.INVALID_UNICODE) from None


def read_json(path: str | os.PathLike) -> Any:
    return loads(read_text(path))


def dumps(value: Any) -> str:
    """Canonical text: two-space indent, key order kept, UTF-8, final newline, no NaN."""
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


#: Temporary files of atomic writes: `.NAME.PID.RANDOM.tmp` beside the target. Hidden and not
#: ending in `.json`, so neither Lightly nor the editor reads one as metadata; the writer's
#: process id tells a stale one (left by a killed process) from one being written now.
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.tmp$")
#: Earlier versions named them `.NAME.json.XXXXXXXX.tmp` (mkstemp's 8 characters, no process id).
_OLD_TEMP_NAME = re.compile(r"^\..+\.json\.[a-z0-9_]{8}\.tmp$")
#: A temporary file older than this is stale whoever wrote it (e.g. another machine's process).
STALE_TEMP_SECONDS = 3600
#: An old-style one (whose writer is unknown) is stale after this: a write takes milliseconds.
STALE_OLD_TEMP_SECONDS = 60


def is_temp_name(name: str) -> bool:
    """Whether a file name is one of write_atomic's temporary files (of this or earlier versions)."""
    return name.endswith(".tmp") and (_TEMP_NAME.match(name) or _OLD_TEMP_NAME.match(name)) is not None


def is_stale_temp(path: str | os.PathLike, now: float | None = None) -> bool:
    """A temporary file whose writer is gone (no such process here) or that is over an hour old."""
    name = Path(path).name
    m = _TEMP_NAME.match(name)
    old = m is None and _OLD_TEMP_NAME.match(name) is not None
    if m is None and not old:
        return False
    try:
        age = (time.time() if now is None else now) - os.stat(path).st_mtime
    except OSError:
        return False
    if old:
        return age > STALE_OLD_TEMP_SECONDS
    return age > STALE_TEMP_SECONDS or not _process_alive(int(m.group(1)))


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # exists (someone else's), or cannot tell: keep the file
    return True


def remove_stale_temps(paths) -> list[str]:
    """Delete the stale temporary files among `paths`; returns those removed. Never raises."""
    removed = []
    for p in paths:
        try:
            if is_stale_temp(p):
                os.unlink(p)
                removed.append(os.fspath(p))
        except OSError:
            pass
    return removed


def write_atomic(path: str | os.PathLike, text: str, root: str | os.PathLike | None = None) -> None:
    """Write `text` to `path` atomically: temporary file in the same folder, fsync, rename.

    With `root`, that folder must still exist (a datasource deleted from outside is not
    recreated): only the folders between it and `path` are created. Never writes through
    a link: the rename replaces a link at `path` itself. In a bucket: one PUT of the whole
    object (an object is replaced whole or not at all).
    """
    if isinstance(path, BucketPath):
        path.store.write(path, text.encode("utf-8"))
        return
    path = Path(path)
    if root is not None and not Path(root).is_dir():
        raise FileNotFoundError(errno.ENOENT, f"the folder {root} no longer exists", str(root))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
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
        _discard(tmp)
        raise



def _discard(tmp: str) -> None:
    """Remove a temporary file of a write that failed (it may already be gone)."""
    try:
        os.unlink(tmp)
    except OSError:
        pass


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, newline: str | None = ""):
    """A text file (UTF-8) that appears at `path` complete or not at all (exports).

    Written to a temporary file beside `path` (named like write_atomic's) and renamed
    when the block ends without an exception; otherwise the temporary file is removed
    and `path` is left as it was.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, (path.stat().st_mode & 0o777) if path.exists() else (0o666 & ~_UMASK))
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Read once at import: os.umask() is process-wide and not safe to toggle from threads.
_UMASK = _read_umask()
