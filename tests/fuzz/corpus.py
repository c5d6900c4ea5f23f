"""Hostile metadata files, made by code: each with the finding codes that must report it.

`CASES` are the named ones of issue 11 (deep nesting, giant numbers, NaN, invalid UTF-8, huge
files, links out of the tree...); `mutants(n, seed)` derives many more from a valid file by
random damage. `write_corpus` puts them in one datasource, one image per file, so a single
`validate`, `export` or `import` meets all of them at once. Shared by tests/fuzz and
benchmarks/fuzz_corpus.py.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from core.format import limits

SCHEMA = [
    {"name": "Temperature", "path": "weather.temperature", "defaultValue": 20.0,
     "valueDataType": "NUMERIC_FLOAT"},
    {"name": "Label", "path": "label", "defaultValue": "none", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Count", "path": "count", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},
    {"name": "Cams", "path": "cams[0].id", "defaultValue": None, "valueDataType": "CATEGORICAL_STRING"},
]
#: A schema entry beyond the path limits: its own finding, and never used by import.
BAD_SCHEMA_ENTRY = {"name": "Far", "path": "arr[999999999]", "defaultValue": 0,
                    "valueDataType": "NUMERIC_INT"}
PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Case:
    """One hostile metadata file: its name, how to write its bytes, the codes that may report it."""

    name: str
    content: Callable[[str], bytes] | None  # file_name -> bytes (None: made by `special`)
    codes: frozenset[str]
    media_ext: str = "png"


def doc(file_name: str, metadata_text: str, extra: str = "") -> bytes:
    return (f'{{"file_name": {json.dumps(file_name)}, "type": "image",{extra}\n'
            f' "metadata": {metadata_text}}}\n').encode()


def _meta(text: str) -> Callable[[str], bytes]:
    return lambda fn: doc(fn, text)


def _deep(depth: int) -> Callable[[str], bytes]:
    return _meta('{"label": ' + "[" * depth + "]" * depth + "}")


def _big_array(fn: str) -> bytes:  # 50 MB: one array of 25 million elements
    return doc(fn, '{"label": [' + "0," * 25_000_000 + "0]}")


C = frozenset
CASES: list[Case] = [
    Case("deep-150", _deep(150), C({"too-deep"})),
    Case("deep-1000", _deep(1000), C({"too-deep"})),
    Case("deep-200000", _deep(200_000), C({"too-deep"})),
    Case("deep-objects", _meta('{"a": ' * 3000 + "1" + "}" * 3000), C({"too-deep"})),
    Case("int-4000-digits", _meta('{"count": ' + "7" * 4000 + "}"), C({"number-too-long"})),
    Case("int-5000-digits-unknown-key", _meta('{"x": -' + "1" * 5000 + "}"), C({"number-too-long"})),
    Case("int-past-64-bits", _meta('{"count": 18446744073709551616}'), C({"value-type"})),
    Case("plus-inf", _meta('{"weather": {"temperature": 1e400}}'), C({"non-finite-number"})),
    Case("minus-inf", _meta('{"weather": {"temperature": -1e400}}'), C({"non-finite-number"})),
    Case("nan", _meta('{"weather": {"temperature": NaN}}'), C({"non-finite-number"})),
    Case("infinity", _meta('{"x": [Infinity, -Infinity]}'), C({"non-finite-number"})),
    Case("underflow", _meta('{"weather": {"temperature": 1e-400}}'), C({"number-underflow"})),
    Case("lone-surrogate", _meta('{"label": "\\ud800"}'), C({"invalid-unicode"})),
    Case("lone-low-surrogate-key", _meta('{"\\udc00": 1}'), C({"invalid-unicode"})),
    Case("invalid-utf8", lambda fn: doc(fn, '{"label": "cafX"}').replace(b"cafX", b"caf\xe9"),
         C({"invalid-unicode"})),
    Case("utf16", lambda fn: doc(fn, '{"label": "x"}').decode().encode("utf-16"), C({"invalid-unicode"})),
    Case("nul-bytes", lambda fn: b"\x00" * 64, C({"invalid-json"})),
    Case("string-70k", _meta('{"label": "' + "x" * 70_000 + '"}'), C({"string-too-long"})),
    Case("file-50mb", _big_array, C({"file-too-large"})),
    Case("trailing-comma", _meta('{"label": "a",}'), C({"invalid-json"})),
    Case("duplicate-key", _meta('{"label": "a", "label": "b"}'), C({"invalid-json"})),
    Case("empty", lambda fn: b"", C({"invalid-json"})),
    Case("truncated", lambda fn: doc(fn, '{"label": "a"}')[:-5], C({"invalid-json"})),
    Case("top-level-array", lambda fn: b"[]", C({"wrong-type-field"})),
    Case("top-level-inf", lambda fn: b"1e400", C({"non-finite-number"})),
    Case("metadata-list", _meta("[1, 2]"), C({"wrong-type-field"})),
    Case("sub-object-list", _meta('{"weather": [20.5]}'), C({"path-blocked"})),
    Case("array-where-list-needed", _meta('{"cams": {"0": {"id": "x"}}}'), C({"path-blocked"})),
    Case("wrong-value-type", _meta('{"count": "three"}'), C({"value-type"})),
    Case("file-name-number", lambda fn: doc(fn, "{}").replace(json.dumps(fn).encode(), b"12"),
         C({"wrong-file-name"})),
    Case("link-outside", None, C({"link-outside"})),
    Case("webp", _meta("{}"), C({"unread-media"}), media_ext="webp"),
]


def mutants(n: int, seed: int = 0) -> list[Case]:
    """`n` files made by damaging a valid one at random (bytes, brackets, numbers, escapes).

    Every mutant is checked against Python's own strict parsing to decide whether it must
    have a finding: codes=None-like empty set means "valid: findings are optional".
    """
    rng = random.Random(seed)
    base = '{"label": "cat", "count": 3, "weather": {"temperature": 21.5}, "cams": [{"id": "a"}]}'
    pieces = ['"', "\\", "[", "]", "{", "}", ",", ":", "1e999", "-1e999", "1e-999", "NaN", "\\ud800",
              "\\udfff", "9" * 200, "\x00", "\xff", "true", "null", "[" * 300, "]" * 300, "\\u00", "\u2028"]
    out = []
    for i in range(n):
        text = base
        for _ in range(rng.randint(1, 4)):
            pos = rng.randint(0, len(text))
            if rng.random() < 0.5:
                text = text[:pos] + rng.choice(pieces) + text[pos:]
            else:
                text = text[:pos] + text[pos + rng.randint(1, 3):]
        raw = text.encode("utf-8", "surrogatepass")
        if "\xff" in text and rng.random() < 0.5:
            raw = raw.replace("\xff".encode(), b"\xff")  # a byte that is not UTF-8
        out.append(Case(f"mutant-{i:05d}", (lambda fn, r=raw: doc(fn, "{}").replace(b"{}", r, 1)), C()))
    return out


def must_report(raw: bytes) -> bool:
    """Whether a file must get a finding, judged without the editor's code: Python's own strict
    JSON fails on it, or what it reads holds something Lightly cannot use."""
    try:
        text = raw.decode("utf-8-sig")

        def no_constants(name):
            raise ValueError(name)

        def no_duplicates(pairs):
            if len({k for k, _ in pairs}) != len(pairs):
                raise ValueError("duplicate")
            return dict(pairs)

        data = json.loads(text, parse_constant=no_constants, object_pairs_hook=no_duplicates)
    except (ValueError, RecursionError):
        return True
    if not isinstance(data, dict) or not isinstance(data.get("metadata"), dict):
        return True
    stack, depth_of = [(data, 1)], 0
    while stack:
        value, depth = stack.pop()
        depth_of = max(depth_of, depth)
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return True
        if isinstance(value, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            return True
        if isinstance(value, dict):
            stack += [(k, depth) for k in value] + [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
    return depth_of > limits.MAX_DEPTH


def write_corpus(root: Path, cases: Iterable[Case], outside: Path) -> dict[str, Case]:
    """A datasource at `root` with one image per case and its metadata file; `outside` is a folder
    outside it (for links). Also a clean image with a valid file, one without a file, and a media
    file whose name is not UTF-8. Returns metadata rel -> case."""
    md = root / ".lightly" / "metadata"
    md.mkdir(parents=True)
    (md / "schema.json").write_text(json.dumps(SCHEMA + [BAD_SCHEMA_ENTRY], indent=2))
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.json").write_text('{"file_name": "secret.png", "type": "image", "metadata": {}}')
    by_rel: dict[str, Case] = {}
    for case in cases:
        media = f"{case.name}.{case.media_ext}"
        (root / media).write_bytes(PNG)
        rel = f"{case.name}.json"
        if case.content is None:
            os.symlink(outside / "secret.json", md / rel)
        else:
            (md / rel).write_bytes(case.content(media))
        by_rel[rel] = case
    (root / "clean.png").write_bytes(PNG)
    (md / "clean.json").write_bytes(doc("clean.png", '{"label": "cat", "count": 1}'))
    (root / "no-file.png").write_bytes(PNG)
    try:
        (root / os.fsdecode(b"bad-name-\xff.png")).write_bytes(PNG)
    except OSError:  # a file system that refuses names that are not UTF-8
        pass
    return by_rel


def snapshot(*roots: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under the roots (links not followed) by path: (bytes or link target, mtime_ns)."""
    out = {}
    for root in roots:
        for dirpath, dirs, files in os.walk(root):
            for name in files + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]:
                p = os.path.join(dirpath, name)
                st = os.lstat(p)
                data = os.readlink(p).encode() if os.path.islink(p) else Path(p).read_bytes()
                out[p] = (data, st.st_mtime_ns)
    return out


def limits_table() -> dict[str, int]:
    """The limits in force (printed by the benchmark)."""
    return {k: getattr(limits, k) for k in ("MAX_FILE_BYTES", "MAX_DEPTH", "MAX_NUMBER_CHARS",
                                           "MAX_STRING_CHARS", "MAX_PATH_INDEX", "MAX_PATH_TOKENS")}
