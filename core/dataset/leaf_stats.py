"""What the metadata files actually contain: every leaf path with counts and example values.

Feeds "propose schema from data" (paths not yet in the schema, with a guessed type)
and the form's combo boxes (values already used for a schema path).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from core.dataset.walk import Cancel, Progress, check_cancel
from core.format import jsonio
from core.format.keypath import PathSyntaxError, leaf_paths, parse_path
from core.format.metadata_file import metadata_of
from core.format.naming import metadata_locator, metadata_path
from core.format.value_types import ValueType, guess_type, parse_type, type_error
from core.schema.entries import FieldSpec, SchemaEntry, unique_name

#: Distinct values remembered per path (beyond this, `values` is incomplete: `capped`).
MAX_DISTINCT = 200
#: Distinct example values kept per path, in order of first appearance.
MAX_EXAMPLES = 5

_CONTAINER_KINDS = ("array", "object")


def value_kind(value: Any) -> str:
    """The JSON kind of a value: null, boolean, integer, number, string, array, object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


@dataclass
class LeafStats:
    """One leaf path across all metadata files."""

    path: str
    #: How many files have this path (each file counted once).
    count: int = 0
    #: A few distinct values, in order of first appearance.
    examples: list = field(default_factory=list)
    #: Occurrences per JSON kind ("integer", "string", "null", ...).
    type_counts: Counter = field(default_factory=Counter)
    #: Occurrences per distinct scalar value; at most MAX_DISTINCT keys (see `capped`).
    #: Empty arrays/objects are not counted here. As in any dict, 1 == 1.0 == True share a key.
    values: Counter = field(default_factory=Counter)
    #: True when more distinct values were seen than `values` holds.
    capped: bool = False

    def add(self, value: Any) -> None:
        self.count += 1
        kind = value_kind(value)
        self.type_counts[kind] += 1
        if kind in _CONTAINER_KINDS:
            return
        self._count_value(value, 1)

    def _count_value(self, value: Any, n: int) -> None:
        if value in self.values or len(self.values) < MAX_DISTINCT:
            if value not in self.values and len(self.examples) < MAX_EXAMPLES:
                self.examples.append(value)
            self.values[value] += n
        else:
            self.capped = True

    @property
    def only_containers(self) -> bool:
        """Only empty arrays/objects (and nulls) were seen: not a value worth a schema entry."""
        kinds = {k for k in self.type_counts if k != "null"}
        return bool(kinds) and kinds <= set(_CONTAINER_KINDS)

    def guessed_type(self) -> ValueType:
        """A plausible valueDataType for the values seen (value_types.guess_type)."""
        kinds = {k for k in self.type_counts if k != "null"}
        if len(kinds) > 1 and not kinds <= {"integer", "number"}:
            return ValueType.CATEGORICAL_STRING  # mixed kinds: only a string holds them all
        if "number" in kinds:
            return ValueType.NUMERIC_FLOAT  # (checked here: 1.0 and 1 share a key in `values`)
        if self.capped and kinds == {"integer"}:
            return ValueType.NUMERIC_INT  # more than MAX_DISTINCT distinct integers
        sample = list(self.values.elements())
        return guess_type(sample)


def _read_from_disk(lightly_root, index_made: bool = False) -> Callable[[str], Any]:
    """A reader of metadata files. `index_made` rels come from the index's walk, which lists no
    link leading outside .lightly/metadata/: their paths are joined without resolving each one
    (a million resolves are a million chains of lstat calls)."""
    if index_made:
        at = metadata_locator(lightly_root)

        def read_listed(rel: str) -> Any:
            return jsonio.read_json(at(rel))

        return read_listed

    def read(rel: str) -> Any:
        return jsonio.read_json(metadata_path(lightly_root, rel))

    return read


def add_leaves(stats: dict[str, LeafStats], data: Any) -> None:
    """Count the leaves of one parsed metadata file's `metadata` object into `stats`."""
    meta = metadata_of(data)
    if not isinstance(meta, dict):
        return
    for path, value in leaf_paths(meta):
        st = stats.get(path)
        if st is None:
            st = stats[path] = LeafStats(path)
        st.add(value)


def merge_leaf_stats(into: dict[str, LeafStats], part: dict[str, LeafStats]) -> None:
    """Count into `into` the stats of the files that come after its own (a worker's chunk).

    The result is what one pass over all the files gives: paths, counts, kinds, the distinct
    values kept, examples and `capped`. (The first MAX_DISTINCT distinct values of the whole
    pass are always among each part's first MAX_DISTINCT.) Only the occurrence counts in
    `values` of a capped path can be lower: a part that was full did not count them.
    """
    for path, p in part.items():
        st = into.get(path)
        if st is None:
            st = into[path] = LeafStats(path)
        st.count += p.count
        st.type_counts.update(p.type_counts)
        for value, n in p.values.items():  # in order of first appearance, as one pass sees them
            st._count_value(value, n)
        st.capped = st.capped or p.capped


def collect_leaf_stats(
    index,
    read: Callable[[str], Any] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    rels: Iterable[str] | None = None,
) -> dict[str, LeafStats]:
    """Leaf paths of the `metadata` objects of all metadata files of `index`, first seen first.

    `read(rel)` returns a file's parsed JSON (default: read it from disk under
    `index.lightly_root`); files that cannot be read or parsed are skipped. `rels`
    overrides which files are read (default: every file in `index.metadata`).
    Raises core.dataset.walk.Cancelled when `cancel()` becomes true.
    """
    read = read or _read_from_disk(index.lightly_root, index_made=rels is None)
    if rels is not None:
        names, total = list(rels), None
    elif hasattr(index, "sorted_rels"):  # no list of a million names (core.dataset.index)
        names, total = index.sorted_rels(), len(index.metadata)
    else:
        names, total = sorted(index.metadata), None
    total = len(names) if total is None else total
    stats: dict[str, LeafStats] = {}
    for i, rel in enumerate(names):
        if i % 64 == 0:
            check_cancel(cancel)
            if progress is not None:
                progress(i, total, f"reading metadata {i}/{total}")
        try:
            data = read(rel)
        except (OSError, ValueError):  # JsonSyntaxError is a ValueError
            continue
        add_leaves(stats, data)
    if progress is not None:
        progress(total, total, f"read {total} metadata files")
    return stats


def _last_key(path: str) -> str:
    try:
        tokens = parse_path(path)
    except PathSyntaxError:
        return path
    keys = [t for t in tokens if isinstance(t, str)]
    return keys[-1] if keys else path


def propose_entries(stats: dict[str, LeafStats], existing_entries) -> list[SchemaEntry]:
    """New schema entries for leaf paths not yet in the schema: name = last key, guessed type.

    Names are made unique against the schema and each other; the default is null
    (the data decides nothing about defaults). Paths holding only empty arrays or
    objects are skipped.
    """
    existing = tuple(existing_entries)
    taken = {e.path for e in existing}
    out: list[SchemaEntry] = []
    for path, st in stats.items():
        if path in taken or st.only_containers:
            continue
        name = unique_name(existing + tuple(out), _last_key(path))
        out.append(SchemaEntry(name=name, path=path, default=None, value_type=st.guessed_type().value))
    return out


def _sort_key(value: Any) -> tuple:
    if isinstance(value, bool):
        return (0, value, "")
    if isinstance(value, (int, float)):
        return (1, value, "")
    return (2, 0, str(value))


def known_values(stats: dict[str, LeafStats], specs: Iterable[FieldSpec]) -> dict[str, list]:
    """Distinct values already used for each spec's path that fit its type, sorted.

    Only paths with at least one such value are included.
    """
    out: dict[str, list] = {}
    for spec in specs:
        st = stats.get(spec.path)
        if st is None:
            continue
        vt = spec.type if isinstance(spec.type, ValueType) else parse_type(spec.type)
        if vt is None:
            continue
        vals = [v for v in st.values if v is not None and type_error(vt, v) is None]
        if vals:
            out[spec.path] = sorted(vals, key=_sort_key)
    return out
