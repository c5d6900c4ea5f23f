"""Whole-column numpy views of an EffectiveTable: what sorting, filtering and charts read.

A mixin: the table stores per-media values, per-video inherited values and own frame
rows; these methods expand them to one array per column without a Python object per
inherited frame cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from core.effective.cells import NONE
from core.effective.query import CODE
from core.effective.values import INVALID


class ColumnArrays:
    """Mixed into EffectiveTable (uses its `_vals`, `_src`, `_inh_*`, `_own`, `_row_*` arrays)."""

    def _expand(self, media_arr: np.ndarray, inh_arr: np.ndarray, own: dict[int, Any]) -> np.ndarray:
        """Per-row array from per-media values, per-video inherited values and own frame values."""
        if not self.frames:
            out = media_arr.copy()
        else:
            out = media_arr[self._row_media]
            frame_rows = np.flatnonzero(self._row_frame >= 0)
            if len(frame_rows):
                out[frame_rows] = inh_arr[self._row_media[frame_rows] - self.n_images]
        for row, value in own.items():
            out[row] = value
        return out

    def column(self, col: int) -> tuple[np.ndarray, np.ndarray]:
        """(values as an object array, source codes as uint8) of spec `col` for every row."""
        values = self._expand(self._vals[col].to_objects(), self._inh_vals[col],
                              {r: o[0][col].value for r, o in self._own.items()})
        return values, self.column_sources(col)

    def values_at(self, col: int, rows: np.ndarray) -> np.ndarray:
        """`column(col)[0][rows]` without a Python object per row of the table (ValueColumn.take)."""
        rows = np.asarray(rows, dtype=np.int64)
        media = self._row_media[rows].astype(np.int64) if self.frames else rows
        out = self._vals[col].take(media)
        if self.frames:
            frames = np.flatnonzero(self._row_frame[rows] >= 0)
            if len(frames):
                out[frames] = self._inh_vals[col][media[frames] - self.n_images]
            if self._own:
                own = np.flatnonzero(np.isin(rows, np.fromiter(self._own, dtype=np.int64)))
                for k in own.tolist():
                    out[k] = self._own[int(rows[k])][0][col].value
        return out

    def column_sources(self, col: int) -> np.ndarray:
        """Source codes (see SOURCES_BY_CODE) of spec `col` for every row."""
        return self._expand(self._src[col], self._inh_src[col],
                            {r: CODE[o[0][col].source] for r, o in self._own.items()})

    def row_media(self) -> np.ndarray:
        """Per row, the index into `media` (a frame's video)."""
        return self._row_media if self.frames else np.arange(self.row_count, dtype=np.int32)

    def row_frames(self) -> np.ndarray:
        """Per row, the frame index, or -1 for images and videos."""
        return self._row_frame if self.frames else np.full(self.row_count, -1, dtype=np.int32)

    def kinds(self) -> np.ndarray:
        """Per row: 0 image, 1 video, 2 frame."""
        codes = np.zeros(self.row_count, dtype=np.uint8)
        if not self.frames:
            codes[self.n_images :] = 1
            return codes
        codes[self._row_media >= self.n_images] = 1
        codes[self._row_frame >= 0] = 2
        return codes

    def map_cells(self, col: int, fn: Callable[[Any, int], Any], dtype) -> np.ndarray:
        """fn(value, source code) for every row, evaluated once per stored cell, not per frame."""
        media = np.fromiter((fn(v, s) for v, s in zip(self._vals[col], self._src[col])), dtype,
                            len(self.media))
        inh = np.fromiter((fn(v, s) for v, s in zip(self._inh_vals[col], self._inh_src[col])), dtype,
                          self.n_videos)
        own = {r: fn(o[0][col].value, CODE[o[0][col].source]) for r, o in self._own.items()}
        return self._expand(media, inh, own)

    def valid_cells(self, col: int) -> np.ndarray:
        """Per row: whether the cell holds a value (not null) that is not invalid."""
        bad = CODE[INVALID]
        media = (self._vals[col].tags != NONE) & (self._src[col] != bad)
        inh = np.fromiter((v is not None and s != bad
                           for v, s in zip(self._inh_vals[col], self._inh_src[col])), bool, self.n_videos)
        own = {r: o[0][col].value is not None and CODE[o[0][col].source] != bad for r, o in self._own.items()}
        return self._expand(media, inh, own)

    def map_values(self, col: int, fn: Callable[[Any], Any], dtype) -> np.ndarray:
        """fn(value) for every row, evaluated once per distinct stored value (not per cell)."""
        values, codes = self._vals[col].distinct()
        media = np.fromiter((fn(v) for v in values), dtype, len(values))[codes] if len(codes) else \
            np.zeros(0, dtype)
        inh = np.fromiter((fn(v) for v in self._inh_vals[col]), dtype, self.n_videos)
        own = {r: fn(o[0][col].value) for r, o in self._own.items()}
        return self._expand(media, inh, own)

    def numbers(self, col: int) -> tuple[np.ndarray, np.ndarray]:
        """(float values, valid mask): numbers and booleans of valid cells; NaN elsewhere."""
        bad = CODE[INVALID]

        def num(v: Any, s: int) -> float:
            if s == bad or not isinstance(v, (int, float)):
                return np.nan
            return float(v) if abs(v) < 2**1023 else np.copysign(np.inf, v)

        media = self._vals[col].numbers()  # vectorized: no Python call per cell
        media[self._src[col] == bad] = np.nan
        inh = np.fromiter((num(v, s) for v, s in zip(self._inh_vals[col], self._inh_src[col])), float,
                          self.n_videos)
        own = {r: num(o[0][col].value, CODE[o[0][col].source]) for r, o in self._own.items()}
        nums = self._expand(media, inh, own)
        return nums, ~np.isnan(nums)

