"""schema.json: entries as immutable data, compiled field specs, load/save, and edit operations.

The schema is a tuple of `SchemaEntry`; every edit returns a new tuple, so undo is
"put the old tuple back". Unknown keys of an entry are kept in `extra`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from core.format import jsonio, limits
from core.format.keypath import PathSyntaxError, Token, parse_path
from core.format.metadata_file import content_digest
from core.format.naming import schema_path
from core.format.value_types import ValueType, parse_type
from core.storage.location import BucketPath

ENTRY_KEYS = ("name", "path", "defaultValue", "valueDataType")


@dataclass(frozen=True)
class SchemaEntry:
    """One entry as written in schema.json (values kept raw, even when invalid)."""

    name: Any = ""
    path: Any = ""
    default: Any = None
    value_type: Any = ValueType.CATEGORICAL_STRING.value
    #: False when the file omitted `defaultValue` (a structure error, kept visible).
    has_default: bool = True
    #: Keys besides the four, in file order, kept on save.
    extra: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def type(self) -> ValueType | None:
        return parse_type(self.value_type)

    def to_json(self) -> dict:
        out: dict = {"name": self.name, "path": self.path}
        if self.has_default:
            out["defaultValue"] = self.default
        out["valueDataType"] = self.value_type
        out.update(self.extra)
        return out

    def with_(self, **changes: Any) -> SchemaEntry:
        if "default" in changes:
            changes.setdefault("has_default", True)
        return replace(self, **changes)

    @classmethod
    def from_json(cls, obj: dict) -> SchemaEntry:
        return cls(
            name=obj.get("name", ""),
            path=obj.get("path", ""),
            default=obj.get("defaultValue"),
            value_type=obj.get("valueDataType", ""),
            has_default="defaultValue" in obj,
            extra=tuple((k, v) for k, v in obj.items() if k not in ENTRY_KEYS),
        )


@dataclass(frozen=True)
class FieldSpec:
    """A usable schema entry: valid path and known type. Forms, tables and checks read these."""

    name: str
    path: str
    tokens: tuple[Token, ...]
    type: ValueType
    default: Any

    @property
    def group(self) -> tuple[str, ...]:
        """Parent keys for grouping in forms (`weather` for `weather.temperature`)."""
        keys = [t for t in self.tokens[:-1] if isinstance(t, str)]
        return tuple(keys)

    @property
    def label(self) -> str:
        return self.name or self.path


def compile_schema(entries: tuple[SchemaEntry, ...] | list[SchemaEntry]) -> tuple[FieldSpec, ...]:
    """Field specs for the entries that can be used; invalid ones are left to the linter."""
    specs = []
    for e in entries:
        vt = e.type
        if vt is None or not isinstance(e.path, str):
            continue
        try:
            tokens = parse_path(e.path)
        except PathSyntaxError:
            continue
        name = e.name if isinstance(e.name, str) else str(e.name)
        specs.append(FieldSpec(name, e.path, tokens, vt, e.default))
    return tuple(specs)


@dataclass
class SchemaFile:
    """What reading schema.json gave: entries, or why there are none."""

    entries: tuple[SchemaEntry, ...] = ()
    exists: bool = False
    raw: Any = None  # the parsed JSON, for structure checks
    text: str | None = None  # the file's text as read
    error: jsonio.JsonSyntaxError | None = None
    digest: bytes | None = None  # hash of the bytes read (conflicts are detected by content)
    token: str | None = None  # in a bucket: the object's version that was read (ETag / generation)


def read_schema(lightly_root: str | Path) -> SchemaFile:
    """Read `.lightly/metadata/schema.json`; a missing file is an empty schema, not an error."""
    p = schema_path(lightly_root)
    if not p.is_file():
        return SchemaFile()
    if p.is_symlink() and not _inside(p.resolve(), p.parent.resolve()):
        return SchemaFile(exists=True, error=jsonio.JsonSyntaxError(
            "schema.json is a link that leads outside .lightly/metadata/: not read, never written "
            "through", code="link-outside"))
    digest = token = None
    try:
        try:
            if isinstance(p, BucketPath):  # one GET, the same size limit
                blob = p.store.read(p)
                data, token = blob.data, blob.token
                if len(data) > limits.MAX_FILE_BYTES:
                    raise jsonio.too_large(len(data))
            else:
                with open(p, "rb") as f:
                    data = jsonio.read_limited(f, os.fstat(f.fileno()).st_size)
        except OSError as e:
            raise jsonio.JsonSyntaxError(f"cannot read the file ({e.strerror or e})") from None
        digest = content_digest(data)
        text = jsonio.decode_text(data)
        raw = jsonio.loads(text)
    except jsonio.JsonSyntaxError as e:
        return SchemaFile(exists=True, error=e, text=None, digest=digest, token=token)
    entries: tuple[SchemaEntry, ...] = ()
    if isinstance(raw, list):
        entries = tuple(SchemaEntry.from_json(o) for o in raw if isinstance(o, dict))
    return SchemaFile(entries=entries, exists=True, raw=raw, text=text, digest=digest, token=token)


def _inside(path: Path, folder: Path) -> bool:
    return folder == path or folder in path.parents


def schema_text(entries: tuple[SchemaEntry, ...] | list[SchemaEntry]) -> str:
    return jsonio.dumps([e.to_json() for e in entries])


def write_schema_text(path: Path | BucketPath, text: str, read: SchemaFile | None, root=None) -> None:
    """Write schema.json: a file atomically; an object with one PUT conditional on the version
    `read` had (None: unconditional), raising StorageConflict if it moved on since."""
    if not isinstance(path, BucketPath):
        jsonio.write_atomic(path, text, root=root)
        return
    from core.storage.remote import ANY

    expect = ANY if read is None else (read.token if read.exists else None)
    path.store.write(path, text.encode("utf-8"), expect)


def write_schema(lightly_root: str | Path, entries: tuple[SchemaEntry, ...]) -> None:
    jsonio.write_atomic(schema_path(lightly_root), schema_text(entries))


# --- edit operations: each returns a new tuple ------------------------------------------


def add_entry(entries: tuple[SchemaEntry, ...], entry: SchemaEntry, index: int | None = None):
    i = len(entries) if index is None else index
    return entries[:i] + (entry,) + entries[i:]


def remove_entry(entries: tuple[SchemaEntry, ...], index: int):
    return entries[:index] + entries[index + 1 :]


def move_entry(entries: tuple[SchemaEntry, ...], src: int, dst: int):
    items = list(entries)
    items.insert(dst, items.pop(src))
    return tuple(items)


def replace_entry(entries: tuple[SchemaEntry, ...], index: int, entry: SchemaEntry):
    return entries[:index] + (entry,) + entries[index + 1 :]


def unique_name(entries, base: str) -> str:
    """`base`, or `base 2`, `base 3`… so a new or duplicated entry does not clash."""
    names = {e.name for e in entries}
    if base not in names:
        return base
    n = 2
    while f"{base} {n}" in names:
        n += 1
    return f"{base} {n}"
