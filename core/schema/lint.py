"""Lint schema.json: structure via a JSON Schema (jsonschema), then FORMAT.md's rules.

Schema findings have `file="schema.json"` and `path="[i].key"` naming the entry
index and the offending key, so the schema table can mark the exact cell.
"""

from __future__ import annotations

import json
from functools import lru_cache

from core.bundled import resource
from core.format.findings import ERROR, WARNING, Finding
from core.format.keypath import PathLimitError, PathSyntaxError, parse_path
from core.format.limits import PATH_LIMIT
from core.format.naming import SCHEMA_FILE
from core.format.value_types import ALL_TYPE_NAMES, MISSPELLINGS, parse_type, type_error
from core.schema.entries import SchemaEntry, SchemaFile

_SCHEMA_OF_SCHEMA = resource("schemas", "schema.schema.json")


@lru_cache(maxsize=1)
def _validator():
    """The JSON Schema validator of schema.json (jsonschema loads on the first lint, not at start-up)."""
    import jsonschema

    with open(_SCHEMA_OF_SCHEMA, encoding="utf-8") as f:
        return jsonschema.Draft202012Validator(json.load(f))


def _finding(code: str, index: int | None, key: str | None, message: str, **kw) -> Finding:
    loc = None if index is None else (f"[{index}]" + (f".{key}" if key else ""))
    severity = kw.pop("severity", ERROR)
    return Finding(severity, code, SCHEMA_FILE, message, path=loc, **kw)


def entry_location(finding: Finding) -> tuple[int, str | None] | None:
    """(entry index, key) named by a schema finding's `path`, or None for the whole file."""
    p = finding.path
    if not p or not p.startswith("["):
        return None
    idx, _, key = p[1:].partition("]")
    return int(idx), (key[1:] if key.startswith(".") else None)


_KEYS = frozenset({"name", "path", "defaultValue", "valueDataType"})


def _plainly_valid(raw: object) -> bool:
    """What resources/schemas/schema.schema.json checks, by hand: the usual case needs no
    jsonschema (0.2-0.4 s to import), so opening the window does not wait for it."""
    return isinstance(raw, list) and all(
        isinstance(e, dict) and e.keys() == _KEYS and isinstance(e["name"], str) and e["name"]
        and isinstance(e["path"], str) and e["path"] and isinstance(e["valueDataType"], str)
        for e in raw)


def lint_structure(raw: object) -> list[Finding]:
    """Structural errors of the parsed schema.json, one finding per problem."""
    if _plainly_valid(raw):
        return []
    out = []
    for err in sorted(_validator().iter_errors(raw), key=lambda e: list(e.absolute_path)):
        where = list(err.absolute_path)
        index = where[0] if where and isinstance(where[0], int) else None
        key = where[1] if len(where) > 1 and isinstance(where[1], str) else None
        if err.validator == "additionalProperties" and index is not None:
            extra = sorted(set(err.instance) - {"name", "path", "defaultValue", "valueDataType"})
            msg = f"entry {index}: unexpected key(s) {', '.join(map(repr, extra))} (kept on save)"
            out.append(_finding("schema-structure", index, extra[0] if extra else None, msg))
            continue
        if err.validator == "required" and index is not None:
            missing = [k for k in ("name", "path", "defaultValue", "valueDataType") if k not in err.instance]
            for k in missing:
                if k == "defaultValue":  # Lightly's model takes it as null: no default, as if meant
                    msg = f"entry {index}: missing 'defaultValue' (Lightly reads it as null)"
                    out.append(_finding("schema-structure", index, k, msg, severity=WARNING))
                else:
                    out.append(_finding("schema-structure", index, k, f"entry {index}: missing {k!r}"))
            continue
        if index is None and err.validator == "type" and not where:
            msg = "schema.json must be a JSON array of entries"
        else:
            msg = f"entry {index}: {key or 'entry'}: {err.message}" if index is not None else err.message
        out.append(_finding("schema-structure", index, key, msg))
    return out


def lint_entries(entries: tuple[SchemaEntry, ...] | list[SchemaEntry]) -> list[Finding]:
    """The rules beyond structure: types, duplicates, prefixes, reserved key, default types."""
    out: list[Finding] = []
    first_name: dict[str, int] = {}
    first_path: dict[str, int] = {}
    parsed: dict[tuple, int] = {}
    for i, e in enumerate(entries):
        vt = parse_type(e.value_type)
        if vt is None and isinstance(e.value_type, str):
            fix = MISSPELLINGS.get(e.value_type.strip().upper())
            if fix is not None:
                msg = f"unknown type {e.value_type!r}: did you mean {fix.value}?"
                out.append(_finding("unknown-type", i, "valueDataType", msg, fix=fix.value))
            else:
                msg = f"unknown type {e.value_type!r}; expected one of {', '.join(ALL_TYPE_NAMES)}"
                out.append(_finding("unknown-type", i, "valueDataType", msg))
        if isinstance(e.name, str) and e.name:
            if e.name in first_name:
                msg = f"name {e.name!r} is already used by entry {first_name[e.name]}"
                out.append(_finding("duplicate-name", i, "name", msg))
            else:
                first_name[e.name] = i
        if isinstance(e.path, str) and e.path:
            try:
                tokens = parse_path(e.path)
            except PathLimitError as err:
                out.append(_finding(PATH_LIMIT, i, "path", f"entry {i}: {err}"))
                tokens = None
            except PathSyntaxError as err:
                out.append(_finding("schema-structure", i, "path", f"entry {i}: {err}"))
                tokens = None
            if e.path in first_path:
                msg = f"path {e.path!r} is already used by entry {first_path[e.path]}"
                out.append(_finding("duplicate-path", i, "path", msg))
            else:
                first_path[e.path] = i
            if tokens is not None:
                if tokens[0] == "lightly":
                    msg = f"path {e.path!r}: the key 'lightly' is reserved by Lightly"
                    out.append(_finding("reserved-path", i, "path", msg))
                parsed.setdefault(tokens, i)
        if vt is not None and e.has_default and e.default is not None:
            reason = type_error(vt, e.default)
            if reason:
                # 2.0 for an integer type: Lightly uses the number 2, probably not what was meant.
                near = vt.is_integer and isinstance(e.default, float) and e.default.is_integer()
                out.append(_finding("default-type", i, "defaultValue", f"defaultValue: {reason}",
                                    severity=WARNING if near else ERROR))
    # A path that is a proper prefix of another: linear in entries x depth.
    for tokens, i in parsed.items():
        for n in range(1, len(tokens)):
            j = parsed.get(tokens[:n])
            if j is not None:
                path_j, path_i = entries[j].path, entries[i].path
                msg = f"path {path_j!r} is a prefix of {path_i!r}: both cannot be leaves"
                out.append(_finding("path-conflict", i, "path", msg))
                out.append(_finding("path-conflict", j, "path", msg, severity=ERROR))
    return out


def lint_schema_file(sf: SchemaFile) -> list[Finding]:
    """All findings for schema.json as read from disk."""
    if sf.error is not None:
        e = sf.error
        return [Finding(ERROR, e.code, SCHEMA_FILE, e.message, line=e.line, column=e.column)]
    if not sf.exists:
        return []
    return lint_structure(sf.raw) + lint_entries(sf.entries)


def lint(entries: tuple[SchemaEntry, ...] | list[SchemaEntry]) -> list[Finding]:
    """Findings for entries being edited (structure checked on their JSON form)."""
    return lint_structure([e.to_json() for e in entries]) + lint_entries(entries)


__all__ = ["lint", "lint_schema_file", "lint_entries", "lint_structure", "entry_location", "WARNING"]
