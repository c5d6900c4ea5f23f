"""One column of JSON values without a Python object per cell: a type tag and 8 bytes each.

Numbers and booleans live in the tags and an int64 payload (a float's bits viewed as int64);
strings in a pool (one UTF-8 buffer with offsets; repeated values stored once while the
column has few distinct ones); anything else (an integer past 64 bits, an array or object
in an invalid cell) in a dict by row. A million cells cost ~9 MB plus their distinct texts.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from core.dataset.columns import ENCODING

__all__ = ["StringPool", "ValueColumn"]

NONE, INT, FLOAT, STR, FALSE, TRUE, OBJECT = range(7)
_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
_CHUNK = 4096


def _fits(values: np.ndarray, dtype) -> bool:
    if not len(values):
        return True
    info = np.iinfo(dtype)
    return bool(values.min() >= info.min and values.max() <= info.max)


class StringPool:
    """Strings by code, appended to one buffer; the first `dedup` distinct ones are kept once."""

    __slots__ = ("_buf", "_starts", "_codes", "_dedup")

    def __init__(self, dedup: int = 4096):
        self._buf = bytearray()
        self._starts = array("q", [0])
        self._codes: dict[str, int] = {}
        self._dedup = dedup

    def add(self, s: str) -> int:
        code = self._codes.get(s)
        if code is not None:
            return code
        code = len(self._starts) - 1
        self._buf += s.encode("utf-8", ENCODING)
        self._starts.append(len(self._buf))
        if len(self._codes) < self._dedup:
            self._codes[s] = code
        return code

    def __getitem__(self, code: int) -> str:
        s = self._starts
        return self._buf[s[code] : s[code + 1]].decode("utf-8", ENCODING)

    def __len__(self) -> int:
        return len(self._starts) - 1

    def nbytes(self) -> int:
        return len(self._buf) + 8 * len(self._starts)


class ValueColumn(Sequence):
    """`n` JSON values (None at first); `column[i]` gives back the exact value and type."""

    def __init__(self, n: int):
        self.tags = np.zeros(n, dtype=np.uint8)
        self.payload = np.zeros(n, dtype=np.int64)
        self._floats = self.payload.view(np.float64)
        self.strings = StringPool()
        self.objects: dict[int, Any] = {}
        self._strings_cache: np.ndarray | None = None  # _all_strings

    def __len__(self) -> int:
        return len(self.tags)

    def _value(self, tag: int, bits: int, fbits: float, row: int) -> Any:
        if tag == NONE:
            return None
        if tag == INT:
            return bits
        if tag == FLOAT:
            return fbits
        if tag == STR:
            return self.strings[bits]
        if tag == FALSE or tag == TRUE:
            return tag == TRUE
        return self.objects[row]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        tag = int(self.tags[i])
        fbits = float(self._floats[i]) if tag == FLOAT else 0.0
        return self._value(tag, int(self.payload[i]), fbits, i)

    def __iter__(self) -> Iterator[Any]:
        for a in range(0, len(self), _CHUNK):
            b = min(len(self), a + _CHUNK)
            tags = self.tags[a:b].tolist()
            if not any(tags):
                yield from [None] * (b - a)
                continue
            bits, value = self.payload[a:b].tolist(), self._value
            fbits = self._floats[a:b].tolist() if self._floats is not None else bits
            for k, tag in enumerate(tags):
                yield value(tag, bits[k], fbits[k], a + k)

    def __setitem__(self, i: int, value: Any) -> None:
        self.set_range(int(i), [value])

    def set_range(self, a: int, values: list) -> None:
        """Store values[k] at row a + k."""
        self.set_encoded(a, *encode(values))

    def set_encoded(self, a: int, tags: bytes, payload: bytes, strings: list[str], objects: dict) -> None:
        """Store what `encode(values)` gave (in a worker process, say) at rows a, a + 1, ..."""
        n = len(tags)
        t = np.frombuffer(tags, dtype=np.uint8)
        p = np.frombuffer(payload, dtype=np.int64).copy()
        if strings:
            add = self.strings.add
            p[np.flatnonzero(t == STR)] = [add(s) for s in strings]
        if self.objects:
            for row in [r for r in self.objects if a <= r < a + n]:
                del self.objects[row]
        for k, v in objects.items():
            self.objects[a + k] = v
        if self.payload.dtype != np.int64 and ((t == FLOAT).any() or not _fits(p, self.payload.dtype)):
            self._widen()
        self.tags[a : a + n] = t
        self.payload[a : a + n] = p

    def narrow(self) -> None:
        """Store the payload in the fewest bytes that hold it (after the fill): a column of
        categories, booleans, small integers or string codes needs 1-4 bytes a cell, not 8."""
        if self.payload.dtype != np.int64 or (self.tags == FLOAT).any():
            return
        for dtype in (np.int8, np.int16, np.int32):
            if _fits(self.payload, dtype):
                self.payload = self.payload.astype(dtype)
                self._floats = None
                return

    def _widen(self) -> None:
        self.payload = self.payload.astype(np.int64)
        self._floats = self.payload.view(np.float64)

    def numbers(self) -> np.ndarray:
        """float64 per cell: integers, floats and booleans as numbers, NaN for everything else."""
        tags = self.tags
        out = np.full(len(tags), np.nan)
        ints = tags == INT
        out[ints] = self.payload[ints]
        floats = tags == FLOAT
        if self._floats is not None:
            out[floats] = self._floats[floats]
        out[tags == FALSE] = 0.0
        out[tags == TRUE] = 1.0
        for row, v in self.objects.items():
            if isinstance(v, int):  # past 64 bits
                out[row] = float(v) if abs(v) < 2**1023 else np.copysign(np.inf, v)
        return out

    def distinct(self) -> tuple[list, np.ndarray]:
        """(values, codes): each distinct stored value once, and per cell the index of its value.

        Vectorized per type tag (np.unique of the payloads); a function of the value then runs
        once per distinct value, not per cell. Cells of other objects each get their own entry.
        """
        tags, payload = self.tags, self.payload
        codes = np.zeros(len(tags), dtype=np.int64)
        values: list = []
        for tag in np.unique(tags).tolist():
            rows = np.flatnonzero(tags == tag)
            if tag == OBJECT:
                codes[rows] = np.arange(len(values), len(values) + len(rows))
                values.extend(self.objects[r] for r in rows.tolist())
                continue
            if tag == FLOAT:
                bits, inverse = np.unique(payload[rows], return_inverse=True)
                found = bits.view(np.float64).tolist()
            else:
                bits, inverse = np.unique(payload[rows], return_inverse=True)
                found = [self._value(tag, b, 0.0, -1) for b in bits.tolist()]
            codes[rows] = len(values) + inverse.reshape(-1)
            values.extend(found)
        return values, codes

    def take(self, idx: np.ndarray, limit: int = 4096) -> np.ndarray:
        """The values at `idx` as an object array, made by type in C-speed steps: numbers by
        `tolist`, strings decoded once per distinct code (up to `limit` of them; past that,
        straight from the buffer). Selecting 100k cells costs milliseconds, not a second."""
        idx = np.asarray(idx, dtype=np.int64)
        tags, out = self.tags[idx], np.empty(len(idx), dtype=object)  # empty: None everywhere
        for tag in np.unique(tags).tolist():
            sel = np.flatnonzero(tags == tag)
            rows = idx[sel]
            if tag == NONE:
                continue
            if tag == TRUE or tag == FALSE:
                out[sel] = tag == TRUE
            elif tag == INT:
                out[sel] = self.payload[rows].astype(np.int64).tolist()
            elif tag == FLOAT:
                out[sel] = self.payload[rows].astype(np.int64).view(np.float64).tolist()
            elif tag == STR:
                codes = self.payload[rows]
                if len(self.strings) <= limit:  # every string of the column, decoded once
                    out[sel] = self._all_strings()[codes]
                elif len(ucodes := np.unique(codes)) <= limit:
                    found = np.empty(len(ucodes), dtype=object)
                    found[:] = [self.strings[c] for c in ucodes.tolist()]
                    out[sel] = found[np.searchsorted(ucodes, codes)]
                else:
                    buf, starts = self.strings._buf, self.strings._starts
                    out[sel] = [buf[starts[c]:starts[c + 1]].decode("utf-8", ENCODING)
                                for c in self.payload[rows].tolist()]
            else:
                out[sel] = [self.objects[r] for r in rows.tolist()]
        return out

    def first_keys(self, idx: np.ndarray, k: int) -> tuple[np.ndarray, bool]:
        """Positions in `idx` of the first cell of each distinct stored value (by type tag and
        payload; each object cell on its own), the first `k` of them in order; and whether
        that is all of them."""
        idx = np.asarray(idx, dtype=np.int64)
        tags, firsts = self.tags[idx], []
        for tag in np.unique(tags).tolist():
            sel = np.flatnonzero(tags == tag)
            if tag != OBJECT:
                _, first = np.unique(self.payload[idx[sel]], return_index=True)
                sel = sel[first]
            firsts.append(sel)
        pos = np.sort(np.concatenate(firsts)) if firsts else np.zeros(0, dtype=np.int64)
        return pos[:k], len(pos) <= k

    def _all_strings(self) -> np.ndarray:
        """Every string of the pool by code, as objects (kept until the pool grows)."""
        cached = self._strings_cache
        if cached is None or len(cached) != len(self.strings):
            cached = np.empty(len(self.strings), dtype=object)
            cached[:] = [self.strings[c] for c in range(len(self.strings))]
            self._strings_cache = cached
        return cached

    def to_objects(self) -> np.ndarray:
        """The values as a numpy object array (one Python object per cell: for small uses)."""
        return np.fromiter(iter(self), dtype=object, count=len(self))

    def nbytes(self) -> int:
        return self.tags.nbytes + self.payload.nbytes + self.strings.nbytes()


def encode(values: list) -> tuple[bytes, bytes, list[str], dict[int, Any]]:
    """(tags, int64 payload, the strings in row order, other objects by position) of a run of
    values: what ValueColumn.set_encoded stores (the strings get their codes there)."""
    n = len(values)
    tags = bytearray(n)
    int_rows: list[int] = []
    ints: list[int] = []
    float_rows: list[int] = []
    floats: list[float] = []
    strings: list[str] = []
    objects: dict[int, Any] = {}
    for k, v in enumerate(values):
        t = type(v)
        if t is str:
            tags[k] = STR
            strings.append(v)
        elif t is float:
            tags[k] = FLOAT
            float_rows.append(k)
            floats.append(v)
        elif t is int and _I64_MIN <= v <= _I64_MAX:
            tags[k] = INT
            int_rows.append(k)
            ints.append(v)
        elif t is bool:
            tags[k] = TRUE if v else FALSE
        elif v is not None:
            tags[k] = OBJECT
            objects[k] = v
    payload = np.zeros(n, dtype=np.int64)
    if int_rows:
        payload[int_rows] = ints
    if float_rows:
        payload.view(np.float64)[float_rows] = floats
    return bytes(tags), payload.tobytes(), strings, objects
