"""A selection's cells of one column, straight from an EffectiveTable in memory.

Selecting 100k files and showing them in the form must not read 100k documents: the
table already holds every row's effective value, its source and whether the file sets it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from core.format.samples import SampleRef


def selection_rows(table, samples: Iterable[SampleRef]) -> np.ndarray | None:
    """Rows of `samples` in `table`, or None when one of them is not a row of it."""
    rows = []
    for s in samples:
        r = table.row_of(s)
        if r is None:
            return None
        rows.append(r)
    return np.asarray(rows, dtype=np.int64)


def present_column(table, col: int) -> np.ndarray:
    """Per row: whether the row's own file holds a (non-null) value for spec `col`."""
    has = table._has[:, col] if len(table.specs) else np.zeros(len(table.media), dtype=bool)
    inherited = np.zeros(table.n_videos, dtype=bool)  # a frame without its own file sets nothing
    return table._expand(has, inherited, {r: o[1][col] for r, o in table._own.items()})


def selection_cells(table, rows: np.ndarray, col: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(effective values, source codes, value-present flags) of spec `col` at `rows`."""
    values, sources = table.column(col)
    return values[rows], sources[rows], present_column(table, col)[rows]
