"""ValueColumn: JSON values stored as tags and 8-byte payloads give back the exact value and type."""

from __future__ import annotations

import math

import numpy as np

from core.effective.cells import ValueColumn

VALUES = [None, 0, -1, 2**63 - 1, -(2**63), 2**63, -(2**70), 1.5, -0.0, 1e308, True, False, "", "rain",
          "rain", "ünï\udce9", [1, 2], {"a": None}, 3]


def test_every_value_comes_back_with_its_type():
    col = ValueColumn(len(VALUES) + 2)
    col.set_range(1, VALUES)
    back = list(col)
    assert back == [None, *VALUES, None]
    assert [type(v) for v in back[1:-1]] == [type(v) for v in VALUES]
    assert math.copysign(1, col[9]) == -1  # -0.0 keeps its sign
    assert col[len(VALUES)] == 3 and col[-1] is None and col[2:4] == [0, -1]
    assert col.strings[col.payload[14]] == "rain" and len(col.strings) == 3  # "rain" stored once


def test_overwriting_cells_drops_the_old_object():
    col = ValueColumn(3)
    col.set_range(0, [[1], 2**80, "x"])
    col[0] = 5
    col[1] = None
    assert list(col) == [5, None, "x"] and col.objects == {}


def test_numbers_are_vectorized_and_match_python():
    col = ValueColumn(len(VALUES))
    col.set_range(0, VALUES)
    nums = col.numbers()
    expected = [float(v) if isinstance(v, (int, float)) else np.nan for v in VALUES]
    assert np.array_equal(nums, np.array(expected), equal_nan=True)
    assert col.to_objects().tolist() == VALUES


def test_many_distinct_strings_beyond_the_dedup_limit():
    col = ValueColumn(10_000)
    texts = [f"2024-01-01T00:00:{i:05d}" for i in range(10_000)]
    col.set_range(0, texts)
    assert list(col) == texts and col[9999] == texts[9999]
