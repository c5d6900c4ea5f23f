"""Per-file strings as columns: one UTF-8 buffer with offsets, found again by hash.

A million paths as Python `str`s cost ~80 bytes each plus a pointer wherever they are
listed, and a dict from path to row another ~100; here a path costs its UTF-8 bytes, a
4-byte offset and, when looked up, a 12-byte hash entry. Strings are made on access.
numpy is imported only while building (in the scan's worker), never to read.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence

__all__ = ["ENCODING", "HashIndex", "StrColumn", "StrView", "release_free_memory", "tune_allocator"]

#: Round-trips every Python str: os.scandir's surrogate-escaped names (not UTF-8 on disk) too.
#: UTF-8 byte order is code point order, so a sorted list stays sorted.
ENCODING = _ENC = "surrogatepass"
_CHUNK = 4096  # strings decoded at once when iterating
_BUILD = 65536  # strings joined at once when building


def _offsets(values, total: int) -> array:
    """An array of offsets, 4 bytes each while the buffer is under 2 GiB."""
    return array("i" if total < 2**31 - 1 else "q", values)



def _position(i: int, n: int) -> int:
    """Row `i` of `n` (negative counts from the end), or IndexError."""
    if i < 0:
        i += n
    if not 0 <= i < n:
        raise IndexError(i)
    return i

class StrColumn(Sequence):
    """An immutable sequence of strings stored as one buffer: `column[i]` decodes string i."""

    __slots__ = ("_buf", "_starts", "_n", "_nul")

    def __init__(self, strings: Iterable[str] = ()):
        strings = strings if isinstance(strings, (list, tuple)) else list(strings)
        n = len(strings)
        self._n, self._nul = n, False  # _nul: some string holds a NUL (split and search per string)
        if n == 0:
            self._buf, self._starts = b"", _offsets([0], 0)
            return
        # In chunks: each C call holds the GIL briefly, so a GUI thread waiting for it does not stall.
        pieces = [("\0".join(strings[a : a + _BUILD]) + "\0").encode("utf-8", _ENC)
                  for a in range(0, n, _BUILD)]
        if sum(p.count(0) for p in pieces) == n:  # no string holds a NUL (no path can): find them in C
            import numpy as np

            self._buf = b"".join(pieces)
            del pieces
            nul = np.flatnonzero(np.frombuffer(self._buf, dtype=np.uint8) == 0)
            starts = np.empty(n + 1, dtype=np.int64)
            starts[0] = 0
            starts[1:] = nul + 1
            typecode = "i" if len(self._buf) < 2**31 - 1 else "q"
            self._starts = array(typecode, starts.astype(np.int32 if typecode == "i" else np.int64).tobytes())
            return
        self._nul = True
        parts = [s.encode("utf-8", _ENC) + b"\0" for s in strings]
        self._buf = b"".join(parts)
        pos, starts = 0, [0]
        for p in parts:
            pos += len(p)
            starts.append(pos)
        self._starts = _offsets(starts, pos)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            a, b, step = i.indices(self._n)
            if step == 1:  # decoded a chunk at a time
                return list(self.iter_range(a, max(a, b)))
            return [self[k] for k in range(a, b, step)]
        i = _position(i, self._n)
        s = self._starts
        return self._buf[s[i] : s[i + 1] - 1].decode("utf-8", _ENC)

    def __iter__(self) -> Iterator[str]:
        return self.iter_range(0, self._n)

    def iter_range(self, a: int, b: int) -> Iterator[str]:
        """Strings a..b-1, decoded a chunk at a time."""
        s, buf = self._starts, self._buf
        if self._nul:
            yield from (self[i] for i in range(a, b))
            return
        for lo in range(a, b, _CHUNK):
            hi = min(b, lo + _CHUNK)
            yield from buf[s[lo] : s[hi] - 1].decode("utf-8", _ENC).split("\0")

    def __eq__(self, other) -> bool:
        if isinstance(other, StrColumn) and len(self) == len(other) and self._buf == other._buf:
            return self._starts == other._starts
        if isinstance(other, (StrColumn, StrView, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other) -> list[str]:
        return [*self, *other]

    def __repr__(self) -> str:
        head = ", ".join(repr(s) for s in self[:3])
        return f"StrColumn([{head}{', …' if self._n > 3 else ''}], n={self._n})"

    def is_at(self, i: int, key: bytes) -> bool:
        """Whether string i is `key` (UTF-8 encoded with surrogatepass): no string is made."""
        s = self._starts
        a = s[i]
        return s[i + 1] - 1 - a == len(key) and self._buf.startswith(key, a)

    def is_stem_at(self, i: int, stem: bytes) -> bool:
        """Whether string i is `stem` + "." + an extension (no "." nor "/" after the stem), and
        holds no backslash (which metadata_rel would turn into "/"): the quick test of a media
        name against its metadata file's stem."""
        s, buf = self._starts, self._buf
        a, end = s[i], s[i + 1] - 1
        dot = a + len(stem)
        return (buf.startswith(stem, a) and dot < end and buf[dot] == 46  # "."
                and buf.find(b".", dot + 1, end) < 0 and buf.find(b"/", dot + 1, end) < 0
                and buf.find(b"\\", a, end) < 0)

    def has_byte(self, i: int, byte: bytes) -> bool:
        s = self._starts
        return self._buf.find(byte, s[i], s[i + 1] - 1) >= 0

    def contains(self, needle: str):
        """numpy bool per string: whether it contains `needle` (one pass over the buffer in C)."""
        import numpy as np

        if self._nul:
            return np.fromiter((needle in s for s in self), dtype=bool, count=self._n)
        out = np.zeros(self._n, dtype=bool)
        key = needle.encode("utf-8", _ENC)
        if not key:
            out[:] = True
            return out
        buf = np.frombuffer(self._buf, dtype=np.uint8)
        if b"\0" in key or len(buf) < len(key):
            return out
        pos = np.flatnonzero(buf[: len(buf) - len(key) + 1] == key[0])
        for k in range(1, len(key)):  # a match never spans two strings: the key holds no NUL
            if not len(pos):
                break
            pos = pos[buf[pos + k] == key[k]]
        starts = np.frombuffer(self._starts, dtype=np.int32 if self._starts.typecode == "i" else np.int64)
        out[np.searchsorted(starts, pos, side="right") - 1] = True
        return out

    def sort_order(self):
        """Indices of the strings in sorted order (code point order, ties in index order), by
        numpy on each string's first 24 bytes; only longer strings that tie there are compared
        in Python. UTF-8 byte order is code point order."""
        import numpy as np

        n = self._n
        if self._nul or n < 2:
            return np.asarray(sorted(range(n), key=self.__getitem__), dtype=np.int64)
        width = 24
        starts = np.frombuffer(self._starts, dtype=np.int32 if self._starts.typecode == "i" else np.int64)
        lengths = np.diff(starts) - 1
        buf = np.frombuffer(self._buf, dtype=np.uint8)
        keys = np.zeros((n, width), dtype=np.uint8)
        for k in range(width):  # column k: byte k of each string, 0 past its end (no string holds a NUL)
            has = lengths > k
            keys[has, k] = buf[starts[:-1][has] + k]
        words = keys.view(">u8").reshape(n, width // 8).astype(np.uint64)
        order = np.lexsort(tuple(words[:, j] for j in range(width // 8 - 1, -1, -1)))
        long = lengths[order] > width
        if long.any():  # runs of equal prefixes holding a longer string: sort those runs fully
            w = words[order]
            same = np.all(w[1:] == w[:-1], axis=1)
            edges = np.flatnonzero(~same) + 1
            bounds = np.concatenate(([0], edges, [n]))
            for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
                if b - a > 1 and long[a:b].any():
                    run = order[a:b].tolist()
                    order[a:b] = sorted(run, key=lambda i: (self[i], i))
        return order.astype(np.int64)

    def view(self, a: int, b: int) -> StrView:
        return StrView(self, a, b)

    def nbytes(self) -> int:
        return len(self._buf) + self._starts.itemsize * len(self._starts)


class StrView(Sequence):
    """Rows a..b-1 of a StrColumn, as a sequence (the images, or the videos, of all media)."""

    __slots__ = ("_col", "_a", "_n")

    def __init__(self, col: StrColumn, a: int, b: int):
        self._col, self._a, self._n = col, a, b - a

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            a, b, step = i.indices(self._n)
            if step == 1:
                return list(self._col.iter_range(self._a + a, self._a + max(a, b)))
            return [self[k] for k in range(a, b, step)]
        return self._col[self._a + _position(i, self._n)]

    def __iter__(self) -> Iterator[str]:
        return self._col.iter_range(self._a, self._a + self._n)

    __eq__ = StrColumn.__eq__
    __hash__ = None  # type: ignore[assignment]
    __add__ = StrColumn.__add__

    def __repr__(self) -> str:
        return f"StrView({list(self[:3])!r}{'…' if self._n > 3 else ''}, n={self._n})"


class HashIndex:
    """Which rows hold a string, by its hash: an open-addressing table of rows (linear probing).

    16-24 bytes per string (its 8-byte hash, and a 4-byte slot in a table of 2-4 slots per
    string), a lookup a few array reads. Python's str hash is per process: the owner rebuilds
    a HashIndex after unpickling (DatasourceIndex.__setstate__). Candidates are unverified:
    the owner compares the row's string, so a hash collision never gives a wrong row.
    """

    __slots__ = ("_hashes", "_table", "_mask")

    def __init__(self, keys: Iterable[str] = (), n: int = 0):
        if n == 0:
            self._hashes, self._table, self._mask = array("q"), array("i", [-1]), 0
            return
        import numpy as np

        h = np.fromiter((hash(k) for k in keys), dtype=np.int64, count=n)
        size = 1 << max(3, (2 * n - 1).bit_length())
        mask = size - 1
        table = np.full(size, -1, dtype=np.int32)
        slots = h & mask
        pending = np.arange(n, dtype=np.int64)
        while len(pending):  # place every row in its first free slot, all rows of a round at once
            s = slots[pending]
            free = np.flatnonzero(table[s] == -1)
            taken, first = np.unique(s[free], return_index=True)
            table[taken] = pending[free[first]]
            keep = np.ones(len(pending), dtype=bool)
            keep[free[first]] = False
            pending = pending[keep]
            slots[pending] = (slots[pending] + 1) & mask
        self._hashes = array("q", h.tobytes())
        self._table = array("i", table.tobytes())
        self._mask = mask

    def candidates(self, key: str) -> Iterator[int]:
        """Rows whose key has the same hash as `key` (unverified, in no particular order)."""
        h = hash(key)
        table, hashes, mask = self._table, self._hashes, self._mask
        i = h & mask
        while True:
            row = table[i]
            if row < 0:
                return
            if hashes[row] == h:
                yield row
            i = (i + 1) & mask

    def duplicates(self, key_of: Callable[[int], str]) -> list[list[int]]:
        """Groups of rows (each sorted, at least two) whose keys are equal."""
        if len(self._hashes) < 2:
            return []
        import numpy as np

        h = np.frombuffer(self._hashes, dtype=np.int64)
        values, counts = np.unique(h, return_counts=True)
        out: list[list[int]] = []
        for value in values[counts > 1].tolist():
            by_key: dict[str, list[int]] = {}
            for row in np.flatnonzero(h == value).tolist():
                by_key.setdefault(key_of(row), []).append(row)
            out.extend(sorted(g) for g in by_key.values() if len(g) > 1)
        return out

    def nbytes(self) -> int:
        return 8 * len(self._hashes) + 4 * len(self._table)


def release_free_memory() -> None:
    """Hand memory freed after a big build back to the OS.

    glibc keeps freed blocks in its heaps (one per thread that allocated: scans and fills run
    in workers), so the transient lists of a million-file scan would stay resident; malloc_trim
    returns them (measured: ~50 MB after a 1M-file scan). Nothing to do on other C libraries.
    """
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return
    trim(0)  # ctypes releases the GIL during the call


def tune_allocator() -> None:
    """For a long-lived process that builds and drops large arrays (the editor): glibc's
    allocations from 256 KiB up always mmapped (returned to the OS when freed, instead of the
    threshold rising with each free and later arrays fragmenting the heaps), and at most two
    malloc arenas however many worker threads allocate. Nothing on other C libraries."""
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return
    m_mmap_threshold, m_arena_max = -3, -8  # glibc's <malloc.h>
    mallopt(m_mmap_threshold, 256 * 1024)
    mallopt(m_arena_max, 2)
