"""A selection of table rows, and its cells of one column, straight from an EffectiveTable.

Selecting 100k files and showing them in the form must not read 100k documents, nor make
100k Python objects: `TableRows` is the selection as one int array (a SampleRef is made
only when one is asked for), and the table already holds every row's effective value,
its source and whether the file sets it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from core.effective.query import SOURCES_BY_CODE
from core.effective.values import Broken, effective_value
from core.format.keypath import MISSING
from core.format.metadata_file import get_meta
from core.format.naming import FRAME, IMAGE, VIDEO, parse_frame_name
from core.format.samples import LazySamples, SampleRef


class TableRows(LazySamples):
    """The samples of rows of `table` (a Sequence of SampleRef), made only when asked for."""

    def __init__(self, table, rows: Iterable[int]):
        self.table = table
        self.rows = np.asarray(rows, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.table.sample(int(r)) for r in self.rows[i]]
        return self.table.sample(int(self.rows[i]))

    def __iter__(self) -> Iterator[SampleRef]:
        sample = self.table.sample
        return (sample(int(r)) for r in self.rows)

    def __contains__(self, sample) -> bool:
        row = self.table.row_of(sample) if isinstance(sample, SampleRef) else None
        return row is not None and bool(self.mask()[row])

    def __eq__(self, other) -> bool:
        if isinstance(other, TableRows):
            return other.table is self.table and np.array_equal(other.rows, self.rows)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and list(other) == list(self)
        return NotImplemented

    __hash__ = None

    def same_set(self, other) -> bool:
        if isinstance(other, TableRows) and other.table is self.table:
            return len(other) == len(self) and np.array_equal(np.sort(other.rows), np.sort(self.rows))
        return super().same_set(other)

    def mask(self) -> np.ndarray:
        """Per table row: whether it is selected."""
        mask = np.zeros(self.table.row_count, dtype=bool)
        mask[self.rows] = True
        return mask

    def kinds(self) -> set[str]:
        """The kinds of sample selected (image, video, frame), without making the samples."""
        t, rows = self.table, self.rows
        kinds = {IMAGE} if (rows < t.n_images).any() else set()
        rest = rows[rows >= t.n_images]
        if len(rest):
            is_video = np.isin(rest, np.asarray(t._video_row, dtype=np.int64)) if t.frames else None
            if is_video is None or is_video.any():
                kinds.add(VIDEO)
            if is_video is not None and not is_video.all():
                kinds.add(FRAME)
        return kinds

    def existing(self, index, frame_limit: int = 2000) -> int | None:
        """How many of the samples have their own metadata file: the images and videos from the
        index's column at once, frames one by one (None past `frame_limit` frames: count those
        in a worker)."""
        t, rows = self.table, self.rows
        own = np.frombuffer(index._own, dtype=np.int32)[: len(t.media)]
        if not t.frames:
            return int((own[rows] >= 0).sum())
        frame = t._row_frame[rows]
        frames = rows[frame >= 0]
        if len(frames) > frame_limit:
            return None
        plain = t._row_media[rows[frame < 0]]
        return int((own[plain] >= 0).sum()) + sum(index.has_own_file(t.sample(int(r))) for r in frames)

    def rows_of_file(self, rel: str, mask: np.ndarray | None = None) -> list[int]:
        """Selected rows whose own metadata file is `rel` (few: a collision, or one frame)."""
        t, rows = self.table, []
        for name in t.index.media_for_metadata(rel):
            m = t._media_index(name)
            if m is not None:
                rows.append(m if m < t.n_images else t._video_row[m - t.n_images])
        parsed = parse_frame_name(rel)
        m = t._media_index(parsed.video_rel()) if parsed is not None and t.frames else None
        if m is not None and m >= t.n_images and 0 <= parsed.index < t._n_frames[m - t.n_images]:
            row = t._video_row[m - t.n_images] + 1 + parsed.index
            if t.sample(row).metadata_rel == rel:  # a misnamed frame file is not this frame's
                rows.append(row)
        mask = self.mask() if mask is None else mask
        return [r for r in rows if mask[r]]


def split_rows(table, samples: Iterable[SampleRef]) -> tuple[np.ndarray, list[SampleRef]]:
    """Rows of the samples that are rows of `table`, and the samples that are not (video frames
    while the table shows none), each in the order given."""
    if isinstance(samples, TableRows) and samples.table is table:
        return samples.rows, []
    if getattr(samples, "index", None) is table.index and hasattr(samples, "media_ids"):
        return _rows_of_index_samples(table, samples)
    rows, rest = [], []
    row_of = table.row_of
    for s in samples:
        r = row_of(s)
        if r is None:
            rest.append(s)
        else:
            rows.append(r)
    return np.asarray(rows, dtype=np.int64), rest


def _rows_of_index_samples(table, samples) -> tuple[np.ndarray, list[SampleRef]]:
    """split_rows of core.dataset.index_selection.IndexSamples: its media ids mapped at once."""
    ids = samples.media_ids()
    videos = np.asarray(table._video_row, dtype=np.int64)
    rows = np.where(ids < table.n_images, ids, videos[np.maximum(ids - table.n_images, 0)]
                    if len(videos) else ids)
    if not samples.frames:
        return rows, []
    more, rest = [], []
    for f in samples.frames:
        r = table.row_of(f)
        (rest if r is None else more).append(f if r is None else r)
    return np.concatenate([rows, np.asarray(more, dtype=np.int64)]), rest


class TableCells:
    """What a bulk state needs of the selected samples that are rows of `table`: `cells(path)`
    gives their (effective values, source names, value-present flags); `rest` are the samples
    that are no rows of it, for the caller to read (`cells_of_samples`, in a worker)."""

    def __init__(self, table, rows: np.ndarray, rest: list[SampleRef], distinct: int | None = None):
        self.table, self.rows, self.rest, self.distinct = table, rows, rest, distinct

    def __call__(self, path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not len(self.rows):
            return np.empty(0, dtype=object), np.empty(0, dtype=object), np.zeros(0, dtype=bool)
        values, codes, present = selection_cells(self.table, self.rows, self.table.column_index(path),
                                                 self.distinct)
        return values, _SOURCE_NAMES[codes], present


_SOURCE_NAMES = np.array(SOURCES_BY_CODE, dtype=object)


def cells_of_samples(read, samples: Sequence[SampleRef], specs, cancel=None):
    """The cells `TableCells` gives, of samples read one by one with `read` (metadata rel ->
    data, None or Broken: core.effective.readers.workspace_reader): per schema path (values,
    source names, present flags), and how many samples were skipped because their file
    cannot be edited (not valid JSON, not an object). None when cancelled."""
    videos: dict[str, Any] = {}
    kept, skipped = [], 0
    for i, s in enumerate(samples):
        if cancel is not None and i % 256 == 0 and cancel():
            return None
        data = read(s.metadata_rel)
        if not _editable(data):
            skipped += 1
            continue
        video = None
        if s.kind == FRAME:
            vrel = s.video_sample.metadata_rel
            if vrel not in videos:
                vdata = read(vrel)
                videos[vrel] = vdata if _editable(vdata) else None
            video = videos[vrel]
        kept.append((data, video))
    out = {}
    for spec in specs:
        effs = [effective_value(spec, own, video) for own, video in kept]
        values = np.empty(len(effs), dtype=object)
        values[:] = [e.value for e in effs]
        sources = np.array([e.source for e in effs], dtype=object)
        present = np.fromiter((_is_set(get_meta(own, spec.tokens)) for own, _v in kept),
                              dtype=bool, count=len(kept))
        out[spec.path] = values, sources, present
    return out, skipped


def _is_set(value: Any) -> bool:
    return value is not MISSING and value is not None


def _editable(data: Any) -> bool:
    """Whether a bulk edit can change a file read as `data` (None: no file yet)."""
    if data is None:
        return True
    if isinstance(data, Broken) or not isinstance(data, dict):
        return False
    return isinstance(data.get("metadata", {}), dict)


def selection_rows(table, samples: Iterable[SampleRef]) -> np.ndarray | None:
    """Rows of `samples` in `table`, or None when one of them is not a row of it."""
    if isinstance(samples, TableRows) and samples.table is table:
        return samples.rows
    rows = []
    for s in samples:
        r = table.row_of(s)
        if r is None:
            return None
        rows.append(r)
    return np.asarray(rows, dtype=np.int64)


def rows_of_ranges(ranges: Iterable[tuple[int, int]]) -> np.ndarray:
    """The rows of (top, bottom) selection ranges, each once, in the order given."""
    parts = [np.arange(top, bottom + 1, dtype=np.int64) for top, bottom in ranges]
    if not parts:
        return np.zeros(0, dtype=np.int64)
    rows = np.concatenate(parts)
    _, first = np.unique(rows, return_index=True)
    return rows if len(first) == len(rows) else rows[np.sort(first)]


def present_column(table, col: int) -> np.ndarray:
    """Per row: whether the row's own file holds a (non-null) value for spec `col`."""
    has = table._has[:, col] if len(table.specs) else np.zeros(len(table.media), dtype=bool)
    inherited = np.zeros(table.n_videos, dtype=bool)  # a frame without its own file sets nothing
    return table._expand(has, inherited, {r: o[1][col] for r, o in table._own.items()})


def selection_cells(table, rows: np.ndarray, col: int,
                    distinct: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(effective values, source codes, value-present flags) of spec `col` at `rows`.

    With `distinct` (what "mixed" needs: the first `distinct` different values, in order),
    the values are only the first cell of each stored value, in order, when that says it:
    they are all there, or more than `distinct` of them differ. 100k cells of a column of
    unique dates then cost a sort of their codes, not 100k strings.
    """
    sources, present = table.column_sources(col)[rows], present_column(table, col)[rows]
    if distinct is not None and not table.frames:
        pos, complete = table._vals[col].first_keys(rows, 8 * distinct)
        values = table.values_at(col, rows[pos])
        if complete or _differing(values) > distinct:
            return values, sources, present
    return table.values_at(col, rows), sources, present


def _differing(values) -> int:
    """How many of these values differ for sure (by type and value; unhashable ones not counted)."""
    seen = set()
    for v in values:
        try:
            seen.add((type(v), v))
        except TypeError:
            pass
    return len(seen)
