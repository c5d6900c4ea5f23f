"""The form's "mixed" state of 100k selected rows, from whole columns of the dataset table."""

from __future__ import annotations

import numpy as np


def test_mixed_from_columns_keeps_json_kinds_apart():
    from gui.form.row_state import _few_distinct

    def arr(values):
        a = np.empty(len(values), dtype=object)
        a[:] = values
        return a

    assert _few_distinct(arr(["x"] * 1000), 6) == ["x"]
    assert _few_distinct(arr([1, 1.0, True, 1]), 6) == [1, 1.0, True]  # 1, 1.0 and true differ
    assert len(_few_distinct(arr(list(range(100))), 6)) == 7  # enough to know it is mixed
    assert _few_distinct(arr([[1], [1], {"a": 1}]), 6) == [[1], {"a": 1}]
