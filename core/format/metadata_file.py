"""One per-file metadata JSON: reading it safely and editing values inside `metadata`.

The whole top-level object is kept, so keys the editor does not know survive saves.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

from core.format import jsonio, limits
from core.format.keypath import MISSING, Token, get_value, remove_value, set_value
from core.format.samples import SampleRef
from core.storage.location import BucketPath

TOP_LEVEL_KEYS = ("file_name", "type", "metadata")


class NotEditableError(ValueError):
    """The document cannot take an edit (e.g. `metadata` is not an object)."""


@dataclass(frozen=True)
class DiskState:
    """A metadata file as last read from (or written to) disk."""

    text: str | None = None  # None: the file does not exist
    data: Any = None  # parsed JSON (None when absent or broken)
    error: jsonio.JsonSyntaxError | None = None
    size: int | None = None
    mtime_ns: int | None = None
    #: Hash of the bytes read (None when nothing could be read): outside edits are detected
    #: by content, since copies (`cp -p`, `rsync -t`) keep size and modification time.
    digest: bytes | None = None
    token: str | None = None  # an object's version in a bucket (ETag / generation)

    @property
    def exists(self) -> bool:
        return self.text is not None or self.error is not None


def read_disk_state(path: str | os.PathLike) -> DiskState:
    """Read a metadata file; syntax and read errors are captured in `error`, never raised.

    An unreadable file counts as broken, so it is never overwritten by an edit. One open
    and one fstat: size and mtime describe exactly the bytes read, and validating 100k
    files pays for no second lookup.
    """
    if isinstance(path, BucketPath):
        return _read_object(path)
    try:
        f = open(path, "rb")
    except (FileNotFoundError, NotADirectoryError):
        return DiskState()
    except OSError as e:  # e.g. permission denied, or a folder: still note what is there
        try:
            st = os.stat(path)
        except OSError:
            return DiskState(error=_unreadable(e))
        return DiskState(error=_unreadable(e), size=st.st_size, mtime_ns=st.st_mtime_ns)
    try:
        with f:
            st = os.fstat(f.fileno())
            raw = jsonio.read_limited(f, st.st_size)
    except OSError as e:
        return DiskState(error=_unreadable(e))
    except jsonio.JsonSyntaxError as e:  # too large: not read, not shown
        return DiskState(error=e, size=st.st_size, mtime_ns=st.st_mtime_ns)
    return _parsed(raw, size=st.st_size, mtime_ns=st.st_mtime_ns)


def _parsed(raw: bytes, **where) -> DiskState:
    """The state of bytes read in full: parsed, or the error with the text as far as it decodes."""
    digest = content_digest(raw)
    try:
        text = jsonio.decode_text(raw)
        data = jsonio.loads(text)
    except jsonio.JsonSyntaxError as e:
        return DiskState(text=raw.decode("utf-8", errors="replace"), error=e, digest=digest, **where)
    return DiskState(text=text, data=data, digest=digest, **where)


def content_digest(raw: bytes) -> bytes:
    """The hash that identifies a file's content (16 bytes of BLAKE2b)."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def digest_on_disk(path: str | os.PathLike) -> tuple[bool, bytes | None]:
    """(exists, digest of its bytes now); the digest is None when it cannot be read in full."""
    if isinstance(path, BucketPath):  # read now, never the scan's prefetched copy
        try:
            return True, content_digest(path.store.read(path, fresh=True).data)
        except FileNotFoundError:
            return False, None
        except OSError:
            return True, None
    try:
        with open(path, "rb") as f:
            raw = jsonio.read_limited(f, os.fstat(f.fileno()).st_size)
    except (FileNotFoundError, NotADirectoryError):
        return False, None
    except (OSError, jsonio.JsonSyntaxError):
        return True, None
    return True, content_digest(raw)


def _read_object(path: BucketPath) -> DiskState:
    """The object's bytes (prefetched by the scan when it can) and the version they belong to."""
    try:
        blob = path.store.read(path)
    except FileNotFoundError:
        return DiskState()
    except OSError as e:
        return DiskState(error=_unreadable(e))
    raw = blob.data
    if len(raw) > limits.MAX_FILE_BYTES:  # too large: not read, not shown
        return DiskState(error=jsonio.too_large(len(raw)), size=len(raw), token=blob.token)
    return _parsed(raw, size=len(raw), token=blob.token)


def _unreadable(e: OSError) -> jsonio.JsonSyntaxError:
    return jsonio.JsonSyntaxError(f"cannot read the file ({e.strerror or e})")


def new_document(sample: SampleRef) -> dict:
    """The content of a new metadata file for `sample`, before any value is set."""
    return {"file_name": sample.file_name, "type": sample.kind, "metadata": {}}


def metadata_of(data: Any) -> Any:
    """The `metadata` object of a document, or MISSING."""
    if not isinstance(data, dict):
        return MISSING
    return data.get("metadata", MISSING)


def get_meta(data: Any, path: str | tuple[Token, ...]) -> Any:
    """Value at a schema path inside `metadata`, or MISSING."""
    meta = metadata_of(data)
    if not isinstance(meta, dict):
        return MISSING
    return get_value(meta, path)


def set_meta(data: dict, path: str | tuple[Token, ...], value: Any) -> None:
    if not isinstance(data, dict):
        raise NotEditableError("the file's top level is not a JSON object")
    meta = data.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise NotEditableError("the file's 'metadata' is not a JSON object")
    set_value(meta, path, value)


def remove_meta(data: Any, path: str | tuple[Token, ...]) -> bool:
    meta = metadata_of(data)
    if not isinstance(meta, dict):
        return False
    return remove_value(meta, path)
