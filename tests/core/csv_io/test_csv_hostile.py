"""CSV import and export against hostile and sloppy files: stray quotes, duplicate key columns,
formulas, text that is not text; "apply the valid rows, skip the rest"."""

from __future__ import annotations

import io
import json

import pytest

from core.csv_io.export import export_rows, write_csv, write_json
from core.csv_io.formulas import neutralize, restore
from core.csv_io.importer import apply_plan, plan_import
from core.dataset.index import scan
from core.effective.values import Effective
from core.format.samples import SampleRef
from core.schema.entries import compile_schema, read_schema
from core.workspace import Workspace
from tests.datasets import metadata_bytes as disk
from tests.datasets import write_datasource

SCHEMA = [
    {"name": "Label", "path": "label", "defaultValue": "none", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Count", "path": "count", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},
]


@pytest.fixture
def ds(tmp_path):
    return write_datasource(tmp_path / "ds", media={f"{n}.png": b"img" for n in "abc"},
                            files={"schema.json": SCHEMA})


def plan_of(root, text):
    index = scan(root)
    return index, plan_import(index, compile_schema(read_schema(root).entries), text)


def kinds(plan):
    return sorted({i.kind for i in plan.issues})


def test_an_unterminated_quote_is_an_error_not_a_swallowed_row(ds):
    _, plan = plan_of(ds, 'file_name,Label\na.png,"sunny\nb.png,rain\nc.png,fog\n')
    assert not plan.ok and kinds(plan) == ["unterminated-quote"]
    assert plan.errors[0].line == 2
    assert plan.skip_invalid_rows() == 0 and not plan.ok  # the whole file is in doubt: not skippable


def test_text_after_a_closing_quote_and_cells_with_line_breaks_are_errors(ds):
    _, plan = plan_of(ds, 'file_name,Label\na.png,"sun"ny\nb.png,"two\nlines"\nc.png,fog\n')
    assert kinds(plan) == ["bad-quote", "line-break"]
    assert [i.line for i in plan.errors] == [2, 3]
    assert plan.skip_invalid_rows() == 2 and plan.ok
    assert [(c.sample.media, c.new) for c in plan.value_changes] == [("c.png", "fog")]


def test_two_key_columns_of_one_name_are_an_error(ds):
    _, plan = plan_of(ds, "file_name,Label,file_name\na.png,x,b.png\n")
    assert kinds(plan) == ["duplicate-key-column"] and not plan.ok and not plan.value_changes


def test_skip_invalid_applies_the_valid_rows_and_reports_the_rest(ds):
    index, plan = plan_of(ds, "file_name,Label,Count\na.png,dog,1\nb.png,owl,many\nc.png,fox,3\nc.png,x,4\n")
    assert not plan.ok and {i.kind for i in plan.errors} == {"value-type", "duplicate-row"}
    assert plan.skip_invalid_rows() == 2
    assert plan.ok and [s.media for s in plan.changes] == ["a.png"]
    report = plan.report_text()
    assert "invalid rows skipped" in report and "line 3" in report and "many" in report
    ws = Workspace(ds)
    ws.index = index
    result = apply_plan(ws, plan)
    assert result.written == ["a.json"] and result.failed == []
    assert sorted(disk(ds)) == ["a.json", "schema.json"]


@pytest.mark.parametrize("text", ["=1+1", "+41", "-cmd", "@SUM(A1)", "\tx", "'=x", "''-y"])
def test_formulas_are_neutralized_and_restored_exactly(text):
    safe = neutralize(text)
    assert safe.startswith("'") and restore(safe) == text


@pytest.mark.parametrize("text", ["plain", "", "'quoted'", "5", "a=b"])
def test_other_text_is_left_alone(text):
    assert neutralize(text) == text and restore(text) == text


def test_export_neutralizes_text_cells_but_never_numbers_and_imports_back_unchanged(ds):
    md = ds / ".lightly" / "metadata"
    (md / "a.json").write_text(json.dumps({"file_name": "a.png", "type": "image",
                                           "metadata": {"label": "=HYPERLINK(\"x\")", "count": -5}}))
    index = scan(ds)
    specs = compile_schema(read_schema(ds).entries)
    out = io.StringIO()
    write_csv(export_rows(index, specs), specs, out)
    rows = out.getvalue().splitlines()
    assert rows[1] == "a.png,image,\"'=HYPERLINK(\"\"x\"\")\",-5"
    raw = io.StringIO()
    write_csv(export_rows(index, specs), specs, raw, raw_formulas=True)
    assert raw.getvalue().splitlines()[1] == 'a.png,image,"=HYPERLINK(""x"")",-5'
    before = disk(ds)
    plan = plan_import(index, specs, out.getvalue())
    assert plan.ok and plan.value_changes == []  # re-importing the export changes nothing
    assert disk(ds) == before


def test_rows_that_cannot_be_written_are_left_out_and_listed():
    from core.format.value_types import ValueType
    from core.schema.entries import FieldSpec

    spec = FieldSpec("Label", "label", ("label",), ValueType.CATEGORICAL_STRING, "")
    rows = [(SampleRef.image("\udcff.png"), [Effective("x", "file")]),
            (SampleRef.image("ok.png"), [Effective("fine", "file")]),
            (SampleRef.image("inf.png"), [Effective(float("inf"), "file")])]
    for write in (write_csv, write_json):
        skipped: list = []
        out = io.StringIO()
        n = write(rows, (spec,), out, skipped=skipped)
        out.getvalue().encode("utf-8")  # what was written is valid UTF-8
        assert n == (2 if write is write_csv else 1)
        assert skipped[0][0] == "\udcff.png"
