"""The dataset as a table of effective values, stored by column so 100k+ rows stay small.

Rows are the images, then each video followed (when `frames`) by its frames, in the
order of `DatasourceIndex.samples`. Images and videos store one value and a one-byte
source code per schema entry. A frame without its own file stores nothing: its cells
are the video's "inherited" values, computed once per video with `effective_value`. A
frame with its own file keeps its row of `Effective`s in a dict. Whole-column accessors
(`column`, `numbers`, `map_cells`...) feed core.effective.query, which sorts and filters
with numpy, well under a second at 100k rows.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from core.dataset.columns import release_free_memory
from core.dataset.walk import Cancel, Progress, check_cancel
from core.effective import fill_pool
from core.effective import query as table_query
from core.effective.cells import ValueColumn
from core.effective.columns import ColumnArrays
from core.effective.fast_cells import CellRows, cells_reader
from core.effective.query import (  # noqa: F401 - re-exported: callers filter through the table
    CODE,
    EQUALS,
    FILE_NAME,
    FILTER_KINDS,
    KIND_CODES,
    PENDING,
    PENDING_CODE,
    RANGE,
    SOURCE,
    SOURCE_WORDS,
    SOURCES_BY_CODE,
    TYPE,
    ColumnFilter,
)
from core.effective.readers import file_reader
from core.effective.values import DEFAULT, FILE, INVALID, VIDEO, Effective, Reader, effective_value
from core.format.keypath import MISSING
from core.format.metadata_file import get_meta
from core.format.naming import FRAME, IMAGE, frame_file_name, metadata_rel, parse_frame_name
from core.format.naming import VIDEO as VIDEO_KIND
from core.format.samples import SampleRef
from core.schema.entries import FieldSpec

_SOURCE_OF_CODE = {**{c: src for src, c in CODE.items()}, PENDING_CODE: PENDING}
KINDS = (IMAGE, VIDEO_KIND, FRAME)


class EffectiveTable(ColumnArrays):
    """Effective values of every sample (and frame) for the given field specs."""

    def __init__(self, index, specs: Sequence[FieldSpec], frames: bool, read: Reader):
        self.index = index
        self.specs = tuple(specs)
        self.frames = frames
        self.read = read
        self._cells = cells_reader(self.specs)  # effective values of a file, as effective_value gives
        self.media = index.media  # images, then videos: a core.dataset.columns.StrColumn
        self.n_images = len(index.images)
        self.n_videos = len(index.videos)
        n_media, n_specs = len(self.media), len(self.specs)
        # Per spec, over images + videos (PENDING until `fill` has read the file).
        self._vals = [ValueColumn(n_media) for _ in self.specs]
        self._src = [np.full(n_media, PENDING_CODE, dtype=np.uint8) for _ in self.specs]
        self._why: list[dict[int, str]] = [{} for _ in self.specs]
        self._has = np.zeros((n_media, n_specs), dtype=bool)  # value present in own file
        # Per spec, per video: what a frame without its own value gets.
        self._inh_vals = [np.full(self.n_videos, None, dtype=object) for _ in self.specs]
        self._inh_src = [np.full(self.n_videos, PENDING_CODE, dtype=np.uint8) for _ in self.specs]
        self._inh_why: list[dict[int, str]] = [{} for _ in self.specs]
        # Frame rows whose own file exists: row -> (effective values, value-present flags).
        self._own: dict[int, tuple[list[Effective], tuple[bool, ...]]] = {}
        self._own_by_video: dict[int, set[int]] = {}
        self._interned: list[dict] = [{} for _ in self.specs]
        #: core.effective.query's per-column text codes (quick filter), dropped on every change.
        self.text_cache: dict[int, tuple[np.ndarray, list[str]]] = {}
        #: Images and videos whose values are read so far (rows of later media are PENDING).
        self.loaded = 0
        # Rows: images, then each video followed by its frames when `frames`.
        self._n_frames = [
            (index.frame_counts.get(v) or 0) if frames else 0 for v in self.media[self.n_images :]
        ]
        self._video_row: list[int] = []
        row = self.n_images
        for n in self._n_frames:
            self._video_row.append(row)
            row += 1 + n
        self.row_count = row
        self._row_media: np.ndarray | None = None
        self._row_frame: np.ndarray | None = None
        if frames:
            self._make_row_arrays()

    # --- building --------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        index,
        specs: Iterable[FieldSpec],
        read: Reader | None = None,
        frames: bool = False,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> EffectiveTable:
        """Read every image's and video's file (and frame files when `frames`) once."""
        table = cls(index, tuple(specs), frames, read or file_reader(index))
        table.fill(progress, cancel)
        return table

    @property
    def complete(self) -> bool:
        return self.loaded == len(self.media)

    def fill(self, progress: Progress | None = None, cancel: Cancel | None = None, chunk: int = 1024) -> None:
        """Read the files and store their values, `chunk` media at a time.

        Rows exist from the start (their cells PENDING), so a view can show the table while
        this runs in a worker; `loaded` tells how far it got. Sorting and filtering want a
        complete table.
        """
        total = len(self.media)
        fill_pool.fill_images(self, progress, cancel)  # by worker processes, when that pays
        for start in range(self.loaded, total, chunk):
            check_cancel(cancel)
            if progress is not None:
                progress(start, total, f"reading values {start:,}/{total:,}")
            self._fill_chunk(start, min(total, start + chunk))
        if self.complete:
            for values in self._vals:
                values.narrow()
        release_free_memory()  # each file's parsed JSON was freed after its cells were taken
        if progress is not None:
            progress(total, total, f"read values of {total:,} files")

    def _fill_chunk(self, a: int, b: int) -> None:
        read, n_images, cells = self.read, self.n_images, self._cells
        rows = CellRows(len(self.specs))  # plain lists while reading, then one slice per column
        # Reading through the index's own file reader: which media have a file is in the index.
        own = self.index._own if getattr(read, "index", None) is self.index else None
        links = getattr(self.index, "links_outside", ())
        for m, media in enumerate(self.media.iter_range(a, b), a):
            if own is None:
                data = read(metadata_rel(media))
            elif own[m] >= 0:
                data = read.load(metadata_rel(media))
            else:
                data = read(metadata_rel(media)) if links else None
            rows.add(m, cells(data))
            if m >= n_images:
                v = m - n_images
                n = self._n_frames[v]
                if n:
                    row = self._video_row[v]
                    for i, rel in sorted(dict(self.index.frame_files.get(media, {})).items()):
                        if 0 <= i < n:
                            self._set_own_frame(v, row + 1 + i, read(rel), data)
                self._set_inherited(v, data)
        for c, reasons in enumerate(rows.why):
            self._why[c].update(reasons)
        self._store(a, b, *rows.encoded())

    def _store(self, a: int, b: int, encoded: list, src: list[bytes], has: bytes) -> None:
        """Media a..b-1: per spec the encoded values (core.effective.cells.encode) and source
        codes, and the value-present flags row by row."""
        if self.specs:
            self._has[a:b] = np.frombuffer(has, dtype=bool).reshape(b - a, len(self.specs))
        for c in range(len(self.specs)):
            self._vals[c].set_encoded(a, *encoded[c])
            self._src[c][a:b] = np.frombuffer(src[c], dtype=np.uint8)
        self.text_cache.clear()
        self.loaded = b

    def _make_row_arrays(self) -> None:
        counts = np.asarray(self._n_frames, dtype=np.int64)
        vids = np.arange(self.n_images, len(self.media), dtype=np.int32)
        video_media = np.repeat(vids, 1 + counts)
        self._row_media = np.concatenate([np.arange(self.n_images, dtype=np.int32), video_media])
        frame = np.full(self.row_count, -1, dtype=np.int32)
        for v, n in enumerate(self._n_frames):
            if n:
                start = self._video_row[v] + 1
                frame[start : start + n] = np.arange(n, dtype=np.int32)
        self._row_frame = frame

    def _intern(self, c: int, value: Any) -> Any:
        """One object per distinct string, so a repeated category costs one pointer per row."""
        if isinstance(value, str):
            return self._interned[c].setdefault(value, value)
        return value

    def _set_media(self, m: int, data: Any) -> None:
        for c, spec in enumerate(self.specs):
            e = effective_value(spec, data)
            self._vals[c][m] = e.value
            self._src[c][m] = CODE[e.source]
            if e.reason is not None:
                self._why[c][m] = e.reason
            else:
                self._why[c].pop(m, None)
            self._has[m, c] = e.source == FILE or (e.source == INVALID and _present(data, spec))

    def _set_inherited(self, v: int, video_data: Any) -> None:
        for c, spec in enumerate(self.specs):
            e = effective_value(spec, None, video_data)
            self._inh_vals[c][v] = self._intern(c, e.value)
            self._inh_src[c][v] = CODE[e.source]
            if e.reason is not None:
                self._inh_why[c][v] = e.reason
            else:
                self._inh_why[c].pop(v, None)

    def _set_own_frame(self, v: int, row: int, data: Any, video_data: Any) -> None:
        rows = self._own_by_video.setdefault(v, set())
        if data is None:
            self._own.pop(row, None)
            rows.discard(row)
            return
        values = [effective_value(s, data, video_data) for s in self.specs]
        present = tuple(e.source == FILE or (e.source == INVALID and _present(data, s))
                        for e, s in zip(values, self.specs))
        self._own[row] = (values, present)
        rows.add(row)

    # --- rows ------------------------------------------------------------------------
    def locate(self, row: int) -> tuple[int, int]:
        """(media index, frame index or -1) of a row."""
        if not 0 <= row < self.row_count:
            raise IndexError(row)
        if row < self.n_images or not self.frames:
            return row, -1
        v = bisect.bisect_right(self._video_row, row) - 1
        return self.n_images + v, row - self._video_row[v] - 1

    def sample(self, row: int) -> SampleRef:
        m, f = self.locate(row)
        if m < self.n_images:
            return SampleRef(self.media[m], IMAGE)
        if f < 0:
            return SampleRef(self.media[m], VIDEO_KIND)
        return SampleRef(self.media[m], FRAME, f, self._n_frames[m - self.n_images])

    def kind(self, row: int) -> str:
        m, f = self.locate(row)
        return IMAGE if m < self.n_images else (VIDEO_KIND if f < 0 else FRAME)

    def file_name(self, row: int) -> str:
        m, f = self.locate(row)
        if f < 0:
            return self.media[m]
        return frame_file_name(self.media[m], f, self._n_frames[m - self.n_images])

    def row_of(self, sample: SampleRef) -> int | None:
        """The row showing `sample`, or None when it is not in the table."""
        m = self._media_index(sample.media)
        if m is None:
            return None
        if sample.kind != FRAME:
            return m if m < self.n_images else self._video_row[m - self.n_images]
        if m < self.n_images or not self.frames:
            return None
        v = m - self.n_images
        if sample.n_frames != self._n_frames[v] or not 0 <= (sample.frame or 0) < self._n_frames[v]:
            return None
        return self._video_row[v] + 1 + sample.frame

    def _media_index(self, media: str) -> int | None:
        return self.index.media_id(media)

    # --- cells -----------------------------------------------------------------------
    def cell(self, row: int, col: int) -> Effective:
        """The effective value of schema entry `col` (index into `specs`) in `row`."""
        m, f = self.locate(row)
        if f < 0:
            return Effective(self._vals[col][m], _SOURCE_OF_CODE[self._src[col][m]], self._why[col].get(m))
        own = self._own.get(row)
        if own is not None:
            return own[0][col]
        v = m - self.n_images
        return Effective(
            self._inh_vals[col][v], _SOURCE_OF_CODE[self._inh_src[col][v]], self._inh_why[col].get(v)
        )

    def row_values(self, row: int) -> list[Effective]:
        return [self.cell(row, c) for c in range(len(self.specs))]

    def rows(self, rows: Iterable[int]) -> Iterator[tuple[SampleRef, list[Effective]]]:
        """(sample, effective values) for the given rows, as core.csv_io.export writes them."""
        for r in rows:
            yield self.sample(int(r)), self.row_values(int(r))

    def origin(self, row: int, col: int) -> str:
        """Where the cell's raw value lives: FILE (the sample's own file), VIDEO or DEFAULT.

        Unlike the source, this stays meaningful for invalid values (a wrong value in the
        video's file is still the video's).
        """
        m, f = self.locate(row)
        if f < 0:
            return FILE if self._has[m, col] else DEFAULT
        own = self._own.get(row)
        if own is not None and own[1][col]:
            return FILE
        return VIDEO if self._has[m, col] else DEFAULT

    # --- sorting and filtering (core.effective.query) -----------------------------------
    def sort_order(self, column: str | int, descending: bool = False) -> np.ndarray:
        """Row indices sorted by a column; see core.effective.query.sort_order."""
        return table_query.sort_order(self, column, descending)

    def filter_mask(self, filters: Iterable[ColumnFilter] = (), text: str = "") -> np.ndarray:
        """Rows matching every filter and containing `text`; see core.effective.query.filter_mask."""
        return table_query.filter_mask(self, filters, text)

    def column_index(self, column: str | int) -> int:
        if isinstance(column, (int, np.integer)):
            return int(column)
        for i, s in enumerate(self.specs):
            if s.path == column:
                return i
        for i, s in enumerate(self.specs):
            if s.label == column:
                return i
        raise KeyError(column)

    def frame_blocks(self) -> Iterator[tuple[str, int, int]]:
        """(video, row of its first frame, frame count) for every video whose frames are rows."""
        for v, n in enumerate(self._n_frames):
            if n:
                yield self.media[self.n_images + v], self._video_row[v] + 1, n

    # --- incremental updates ---------------------------------------------------------
    def update_document(self, rel: str, read: Reader | None = None) -> list[tuple[int, int]]:
        """Recompute the rows that depend on metadata file `rel` after it changed.

        Returns (first, last) row ranges that changed: an image's row; a video's row and
        its frames; or one frame's row. `read` (default: the table's reader) gives the
        file's current content, e.g. the editor's in-memory document.
        """
        read = read or self.read
        self.text_cache.clear()
        changed: list[tuple[int, int]] = []
        media = self.index.media_for_metadata(rel)
        if media:
            data = read(rel)
            for name in media:
                m = self._media_index(name)
                if m is None:
                    continue
                self._set_media(m, data)
                if m < self.n_images:
                    changed.append((m, m))
                    continue
                v = m - self.n_images
                self._set_inherited(v, data)
                for row in sorted(self._own_by_video.get(v, ())):
                    frame_rel = self.sample(row).metadata_rel
                    self._set_own_frame(v, row, read(frame_rel), data)
                row = self._video_row[v]
                changed.append((row, row + self._n_frames[v]))
            return changed
        fn = parse_frame_name(rel)
        if fn is None or not self.frames:
            return changed
        m = self._media_index(fn.video_rel())
        if m is None or m < self.n_images:
            return changed
        v = m - self.n_images
        n, i = self._n_frames[v], fn.index
        if not 0 <= i < n:
            return changed
        row = self._video_row[v] + 1 + i
        if self.sample(row).metadata_rel != rel:
            return changed  # a misnamed frame file: not this frame's
        self._set_own_frame(v, row, read(rel), read(metadata_rel(self.media[m])))
        return [(row, row)]

    def nbytes(self) -> int:
        """Bytes of the per-row arrays and stored texts (inherited and own frame values not counted)."""
        arrays = [*self._src, *self._inh_vals, *self._inh_src, self._has]
        if self.frames:
            arrays += [self._row_media, self._row_frame]
        return sum(a.nbytes for a in arrays) + sum(v.nbytes() for v in self._vals)


def _present(data: Any, spec: FieldSpec) -> bool:
    v = get_meta(data, spec.tokens)
    return v is not MISSING and v is not None
