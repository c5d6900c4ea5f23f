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


# --- the table's fast path agrees with effective_value ------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from core.effective.fast_cells import cells_reader  # noqa: E402
from core.effective.query import CODE  # noqa: E402
from core.effective.values import FILE, INVALID, Broken, effective_value  # noqa: E402
from core.format.keypath import MISSING  # noqa: E402
from core.format.metadata_file import get_meta  # noqa: E402
from core.schema.entries import SchemaEntry, compile_schema  # noqa: E402

SPECS = compile_schema([
    SchemaEntry("i", "a.i", 0, "NUMERIC_INT"), SchemaEntry("f", "a.f", None, "NUMERIC_FLOAT"),
    SchemaEntry("s", "s", "x", "CATEGORICAL_STRING"), SchemaEntry("b", "b", True, "CATEGORICAL_BOOLEAN"),
    SchemaEntry("d", "d", None, "CATEGORICAL_DATETIME"),
    SchemaEntry("t", "arr[1].t", 5, "CATEGORICAL_TIMESTAMP"),
    SchemaEntry("o", "o", "", "OTHER_STRING"), SchemaEntry("c", "c", 2.5, "CATEGORICAL_INT"),
])
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True), st.text(max_size=5),
                    st.sampled_from(["2024-01-01T00:00:00Z", "2024-13-01", "nope"]))
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.sampled_from("ift"), scalars))
metas = st.fixed_dictionaries({}, optional={
    "a": st.one_of(values, st.fixed_dictionaries({}, optional={"i": values, "f": values})),
    "s": values, "b": values, "d": values, "o": values, "c": values,
    "arr": st.one_of(values, st.lists(st.one_of(values, st.fixed_dictionaries({"t": values})), max_size=3)),
})
documents = st.one_of(st.none(), st.just(Broken("bad")), st.just([]), st.just({}),
                      st.builds(lambda m: {"metadata": m}, st.one_of(metas, values)))


@settings(max_examples=400, deadline=None)
@given(documents)
def test_fast_cells_equal_effective_value(data):
    cells = cells_reader(SPECS)(data)
    for spec, (value, code, reason, present) in zip(SPECS, cells):
        e = effective_value(spec, data)
        v = get_meta(data, spec.tokens) if not isinstance(data, Broken) else MISSING
        assert (value, code, reason) == (e.value, CODE[e.source], e.reason) or (
            value != value and e.value != e.value and code == CODE[e.source])  # NaN == NaN
        assert present == (e.source == FILE or (e.source == INVALID and v is not MISSING and v is not None))


def test_narrowed_columns_keep_their_values_and_widen_for_new_ones():
    col = ValueColumn(4)
    col.set_range(0, [True, "a", 3, None])
    col.narrow()
    assert col.payload.dtype == np.int8 and list(col) == [True, "a", 3, None]
    col[3] = 70_000
    assert col.payload.itemsize >= 4 and list(col) == [True, "a", 3, 70_000]
    col.narrow()
    assert col.payload.dtype == np.int32
    col[0] = 2.5  # a float needs the 8-byte payload again
    assert col.payload.dtype == np.int64 and list(col) == [2.5, "a", 3, 70_000]
    assert np.array_equal(col.numbers(), [2.5, np.nan, 3.0, 70_000.0], equal_nan=True)


def test_distinct_values_and_codes_give_back_every_cell():
    col = ValueColumn(len(VALUES))
    col.set_range(0, VALUES)
    values, codes = col.distinct()
    assert [values[c] for c in codes] == VALUES
    assert [type(values[c]) for c in codes] == [type(v) for v in VALUES]
    assert sum(1 for v in values if v == "rain") == 1  # one entry for the repeated string


def test_take_gives_the_cells_at_any_rows_with_their_types():
    col = ValueColumn(len(VALUES) * 30)
    for k in range(30):
        col.set_range(k * len(VALUES), VALUES[k % 5:] + VALUES[:k % 5])
    col.narrow()
    rng = np.random.default_rng(3)
    for limit in (4096, 2):  # 2: past that many distinct values of a type, cell by cell
        idx = rng.integers(0, len(col), 500)
        got = col.take(idx, limit=limit).tolist()
        assert got == [col[int(i)] for i in idx]
        assert [type(v) for v in got] == [type(col[int(i)]) for i in idx]
    assert col.take(np.zeros(0, dtype=np.int64)).tolist() == []
    same = col.take(np.flatnonzero((col.tags == col.tags[14]) & (col.payload == col.payload[14])))
    assert len(same) >= 30 and len({id(v) for v in same}) == 1  # "rain" in many cells: decoded once
