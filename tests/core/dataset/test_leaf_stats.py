"""Leaf statistics over metadata files: paths, counts, examples, guessed types, known values."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from core.dataset import leaf_stats
from core.dataset.leaf_stats import (
    MAX_DISTINCT,
    LeafStats,
    collect_leaf_stats,
    known_values,
    propose_entries,
)
from core.dataset.walk import Cancelled, walk_metadata
from core.format import jsonio
from core.format.value_types import ValueType, convert_value
from core.schema.entries import SchemaEntry, compile_schema

V = ValueType


def _write(root: Path, rel: str, data) -> None:
    p = root / ".lightly" / "metadata" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(jsonio.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")


def scan(root: Path) -> SimpleNamespace:
    """The two attributes of a DatasourceIndex that leaf statistics read."""
    return SimpleNamespace(lightly_root=root, metadata=dict.fromkeys(walk_metadata(root)))


@pytest.fixture
def datasource(tmp_path: Path) -> Path:
    for name in ("a.png", "b.png", "c.png", "sub/d.jpg"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    meta = {
        "a.json": {"weather": {"description": "sunny", "temperature": 21.5}, "cars": 3, "night": False},
        "b.json": {"weather": {"description": "rain", "temperature": 12}, "cars": 3, "night": True},
        "c.json": {"weather": {"description": "sunny"}, "cams": [{"id": "front"}], "tags": []},
        "sub/d.json": {"cars": 5, "when": "2024-05-01T10:00:00Z", "night": None},
    }
    for rel, m in meta.items():
        _write(tmp_path, rel, {"file_name": rel.replace(".json", ".png"), "type": "image", "metadata": m})
    _write(tmp_path, "broken.json", '{"file_name": "x.png", "metadata": {"cars": 1,}}')
    _write(tmp_path, "schema.json", [{"name": "cars", "path": "cars", "defaultValue": 0,
                                      "valueDataType": "NUMERIC_INT"}])
    return tmp_path


def test_collect_counts_paths_examples_and_kinds(datasource):
    stats = collect_leaf_stats(scan(datasource))
    assert list(stats) == [
        "weather.description", "weather.temperature", "cars", "night", "cams[0].id", "tags", "when",
    ]
    assert stats["cars"].count == 3  # the broken file is skipped, schema.json is not data
    assert stats["cars"].examples == [3, 5]
    assert stats["cars"].values == {3: 2, 5: 1}
    assert stats["weather.description"].count == 3
    assert stats["weather.description"].examples == ["sunny", "rain"]
    assert stats["weather.temperature"].type_counts == {"number": 1, "integer": 1}
    assert stats["night"].type_counts == {"boolean": 2, "null": 1}
    assert stats["tags"].only_containers and stats["tags"].values == {}
    assert stats["cams[0].id"].examples == ["front"]


def test_collect_uses_read_and_rels_and_reports_progress(datasource):
    index = scan(datasource)
    overrides = {"a.json": {"metadata": {"cars": 9, "new": "x"}}, "new.json": {"metadata": {"new": "y"}}}
    seen = []

    def read(rel):
        return overrides[rel] if rel in overrides else jsonio.read_json(
            datasource / ".lightly" / "metadata" / rel)

    stats = collect_leaf_stats(index, read=read, rels=sorted(set(index.metadata) | set(overrides)),
                               progress=lambda d, t, m: seen.append((d, t)))
    assert stats["new"].count == 2 and stats["new"].examples == ["x", "y"]
    assert stats["cars"].values == {9: 1, 3: 1, 5: 1}
    assert seen[-1] == (6, 6)


def test_collect_can_be_cancelled(datasource):
    with pytest.raises(Cancelled):
        collect_leaf_stats(scan(datasource), cancel=lambda: True)


def test_values_are_capped_and_guess_follows_the_data():
    st = LeafStats("n")
    for i in range(MAX_DISTINCT + 50):
        st.add(i)
    assert len(st.values) == MAX_DISTINCT and st.capped and st.count == MAX_DISTINCT + 50
    assert st.guessed_type() is V.NUMERIC_INT

    def guessed(*values):
        s = LeafStats("x")
        for v in values:
            s.add(v)
        return s.guessed_type()

    assert guessed(1, 2, 1, 2) is V.CATEGORICAL_INT
    assert guessed(1, 2, 3) is V.NUMERIC_INT
    assert guessed(1, 2.5) is V.NUMERIC_FLOAT
    assert guessed(1, 1.0) is V.NUMERIC_FLOAT  # 1 and 1.0 share a Counter key; kinds still tell
    assert guessed(True, None, False) is V.CATEGORICAL_BOOLEAN
    assert guessed("2024-01-01T00:00:00Z") is V.CATEGORICAL_DATETIME
    assert guessed("a", 1) is V.CATEGORICAL_STRING
    assert guessed(None) is V.CATEGORICAL_STRING


def test_propose_skips_existing_and_container_paths_and_names_by_last_key(datasource):
    stats = collect_leaf_stats(scan(datasource))
    existing = (SchemaEntry("description", "scene.description", None, "CATEGORICAL_STRING"),
                SchemaEntry("Cars", "cars", 0, "NUMERIC_INT"))
    proposed = propose_entries(stats, existing)
    assert [(e.name, e.path, e.value_type, e.default) for e in proposed] == [
        ("description 2", "weather.description", "CATEGORICAL_STRING", None),
        ("temperature", "weather.temperature", "NUMERIC_FLOAT", None),
        ("night", "night", "CATEGORICAL_BOOLEAN", None),
        ("id", "cams[0].id", "CATEGORICAL_STRING", None),
        ("when", "when", "CATEGORICAL_DATETIME", None),
    ]


def test_known_values_are_sorted_distinct_and_fit_the_type(datasource):
    stats = collect_leaf_stats(scan(datasource))
    stats["cars"].add("seven")  # a wrong-typed value is not offered
    specs = compile_schema([
        SchemaEntry("cars", "cars", 0, "CATEGORICAL_INT"),
        SchemaEntry("d", "weather.description", None, "CATEGORICAL_STRING"),
        SchemaEntry("t", "weather.temperature", None, "NUMERIC_FLOAT"),
        SchemaEntry("night", "night", None, "CATEGORICAL_BOOLEAN"),
        SchemaEntry("absent", "nowhere", None, "CATEGORICAL_STRING"),
    ])
    assert known_values(stats, specs) == {
        "cars": [3, 5],
        "weather.description": ["rain", "sunny"],
        "weather.temperature": [12, 21.5],
        "night": [False, True],
    }


@pytest.mark.parametrize(("vt", "value", "expected"), [
    (V.NUMERIC_INT, "3", 3),
    (V.NUMERIC_INT, 3.0, 3),
    (V.NUMERIC_INT, 2.5, None),
    (V.NUMERIC_INT, "three", None),
    (V.NUMERIC_FLOAT, "2.5", 2.5),
    (V.NUMERIC_FLOAT, 4, 4),
    (V.CATEGORICAL_STRING, 3, "3"),
    (V.CATEGORICAL_BOOLEAN, "true", True),
    (V.CATEGORICAL_BOOLEAN, "maybe", None),
    (V.CATEGORICAL_DATETIME, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"),
    (V.CATEGORICAL_DATETIME, "soon", None),
    (V.CATEGORICAL_STRING, None, None),
    (V.CATEGORICAL_STRING, [1], None),
])
def test_convert_value_for_type_changes(vt, value, expected):
    got = convert_value(vt, value)
    assert got == expected and type(got) is type(expected)


def test_the_values_counted_during_validation_equal_a_pass_of_their_own(datasource):
    from core.dataset.index import scan as scan_index
    from core.dataset.leaf_stats import add_leaves
    from core.schema.entries import read_schema
    from core.validation.validate import validate

    index = scan_index(datasource, datasource)
    seen: dict = {}
    findings = validate(index, read_schema(datasource), seen=lambda data: add_leaves(seen, data))
    alone = collect_leaf_stats(index)
    assert findings == validate(index, read_schema(datasource))  # counting changes no finding
    assert {p: (s.count, s.values, s.type_counts) for p, s in seen.items()} == \
        {p: (s.count, s.values, s.type_counts) for p, s in alone.items()}
    assert seen["cars"].values == {3: 2, 5: 1}  # the broken file and schema.json are not data


@pytest.mark.parametrize("seed", range(20))
def test_merged_parts_give_the_stats_of_one_pass(monkeypatch, seed):
    """Workers count chunks of the files each (capped too); merging them in order gives the
    paths, counts, kinds, kept values, examples and `capped` of one pass."""
    import random

    from core.dataset.leaf_stats import add_leaves, merge_leaf_stats

    monkeypatch.setattr(leaf_stats, "MAX_DISTINCT", 6)
    rng = random.Random(seed)
    pool = [1, 1.0, True, False, 0, 2, 2.5, "a", "b", "c", None, [], {}, "d", 3, "e", 4, 5, "f"]
    docs = [{"metadata": {"x": rng.choice(pool), "y": {"z": rng.choice(pool[:rng.randint(1, 19)])}}}
            for _ in range(rng.randint(0, 60))]
    one: dict = {}
    for d in docs:
        add_leaves(one, d)
    merged: dict = {}
    cuts = sorted(rng.sample(range(len(docs) + 1), min(len(docs) + 1, rng.randint(1, 6))))
    for a, b in zip([0, *cuts], [*cuts, len(docs)]):
        part: dict = {}
        for d in docs[a:b]:
            add_leaves(part, d)
        merge_leaf_stats(merged, part)
    assert list(merged) == list(one)
    for path, st in one.items():
        m = merged[path]
        assert (m.count, m.type_counts, m.examples, list(m.values), m.capped) == \
            (st.count, st.type_counts, st.examples, list(st.values), st.capped)
        if not st.capped:
            assert m.values == st.values
