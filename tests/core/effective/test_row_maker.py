"""row_maker (the export workers' fast effective rows) gives what effective_row gives, on
hostile and random documents, for files of their own and frames falling back to a video."""

from __future__ import annotations

import random

from core.effective.values import Broken, effective_row, row_maker
from core.format import jsonio
from core.schema.entries import SchemaEntry, compile_schema
from tests.fuzz.corpus import CASES, SCHEMA, mutants

ENTRIES = [*SCHEMA,
           {"name": "I", "path": "n", "defaultValue": 2**70, "valueDataType": "NUMERIC_INT"},
           {"name": "B", "path": "b", "defaultValue": 1, "valueDataType": "CATEGORICAL_BOOLEAN"},
           {"name": "D", "path": "d.t", "defaultValue": "2024-01-01T00:00:00Z",
            "valueDataType": "CATEGORICAL_DATETIME"},
           {"name": "T", "path": "ts", "defaultValue": None, "valueDataType": "CATEGORICAL_TIMESTAMP"},
           {"name": "O", "path": "o[1]", "defaultValue": "x", "valueDataType": "OTHER_STRING"}]
SPECS = compile_schema([SchemaEntry.from_json(e) for e in ENTRIES])
VALUES = [None, True, False, 0, 1, -5, 2**63, -(2**63) - 1, 1.5, 0.0, -2.0, float("inf"), "", "x",
          "2024-05-01T10:00:00Z", "not a date", [], [1, "a"], {}, {"id": "q"}]


def documents():
    for case in [*CASES, *mutants(800, seed=3)]:
        if case.content is None or case.name == "file-50mb":
            continue
        try:
            yield jsonio.loads(jsonio.decode_text(case.content("a.png")))
        except jsonio.JsonSyntaxError as e:
            yield Broken(str(e))
    rng = random.Random(4)
    for _ in range(1500):
        meta = {}
        for key in ("label", "count", "n", "b", "ts", "weather", "cams", "d", "o"):
            if rng.random() < 0.7:
                meta[key] = rng.choice(VALUES)
        if rng.random() < 0.3:
            meta["weather"] = {"temperature": rng.choice(VALUES)}
        if rng.random() < 0.3:
            meta["cams"] = [{"id": rng.choice(VALUES)}]
        if rng.random() < 0.2:
            meta["d"] = {"t": rng.choice(VALUES)}
        yield rng.choice([{"metadata": meta}, {"file_name": "a.png", "metadata": meta}, {"metadata": None},
                          meta, None, [meta]])


def test_rows_are_those_of_effective_row():
    row = row_maker(SPECS)
    docs = list(documents())
    rng = random.Random(9)
    videos = [None, Broken("video broken"), *rng.sample(docs, 40)]
    for own in docs:
        assert row(own) == effective_row(SPECS, own)
        for video in rng.sample(videos, 3):
            assert row(own, video) == effective_row(SPECS, own, video)
