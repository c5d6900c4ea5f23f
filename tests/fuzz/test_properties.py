"""Property tests: whatever bytes, text, paths or CSV the strategies make, the core answers with
findings or its own errors, never another exception; what it accepts is within the limits."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.csv_io.importer import CsvReadError, plan_import
from core.dataset.index import MetaFileInfo
from core.effective.values import effective_row
from core.format import jsonio, limits
from core.format.keypath import PathSyntaxError, get_value, parse_path, remove_value, set_value
from core.format.metadata_file import read_disk_state
from core.schema.entries import SchemaEntry, compile_schema
from core.validation.validate import validate_document
from tests.fuzz.corpus import SCHEMA, must_report

pytestmark = pytest.mark.timeout(120)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.function_scoped_fixture])
SPECS = compile_schema([SchemaEntry.from_json(e) for e in SCHEMA])
INFO = MetaFileInfo("x.json", "image", "x.png")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
nasty = st.sampled_from(['"', "\\", "[", "]", "{", "}", ",", ":", "1e999", "-1e999", "1e-999", "NaN",
                         "Infinity", "\\ud800", "\\udc00", "9" * 120, "\x00", "[" * 150, "]" * 150,
                         "\\u00", "\ufeff", '"' + "x" * 70000 + '"'])


@st.composite
def damaged_documents(draw) -> bytes:
    """A metadata document as text, with pieces of hostile JSON spliced in at random places."""
    meta = draw(st.dictionaries(st.sampled_from(["label", "count", "weather", "cams", "x"]), json_values,
                                max_size=4))
    text = json.dumps({"file_name": "x.png", "type": "image", "metadata": meta})
    for _ in range(draw(st.integers(0, 4))):
        pos = draw(st.integers(0, len(text)))
        text = text[:pos] + draw(nasty) + text[pos:]
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        pos = draw(st.integers(0, len(raw)))
        raw = raw[:pos] + draw(st.binary(max_size=3)) + raw[pos:]
    return raw


def depth(value) -> int:
    best, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            best = max(best, d)
            stack += [(x, d + 1) for x in (v.values() if isinstance(v, dict) else v)]
    return best


@FUZZ
@given(st.one_of(damaged_documents(), st.binary(max_size=200)))
def test_reading_any_bytes_gives_data_within_the_limits_or_a_finding(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("f") / "x.json"
    path.write_bytes(raw)
    state = read_disk_state(path)
    findings = validate_document("x.json", INFO, state, SPECS)
    if must_report(raw):
        assert findings, raw[:200]
    if state.error is None:
        data = state.data
        assert depth(data) <= limits.MAX_DEPTH
        text = jsonio.dumps(data)  # strict: no NaN/Infinity, and encodable below
        text.encode("utf-8")
        assert jsonio.loads(text) == data
        effective_row(SPECS, data)
    else:
        assert findings and findings[0].code == state.error.code


@FUZZ
@given(st.text(max_size=300))
def test_loads_raises_only_its_own_error(text):
    try:
        jsonio.loads(text)
    except jsonio.JsonSyntaxError as e:
        assert e.code in ("invalid-json", *{limits.TOO_DEEP, limits.NUMBER_TOO_LONG, limits.STRING_TOO_LONG,
                                              limits.NON_FINITE, limits.UNDERFLOW, limits.INVALID_UNICODE})


paths = st.one_of(
    st.text(alphabet="ab.[]0123456789", max_size=30),
    st.builds(lambda k, i: f"{k}[{i}]", st.sampled_from(["a", "b.c"]), st.integers(0, 10**12)),
)


@FUZZ
@given(paths, json_values)
def test_any_schema_path_is_refused_or_set_within_bounds(path, value):
    try:
        tokens = parse_path(path)
    except PathSyntaxError:
        return
    assert all(t <= limits.MAX_PATH_INDEX for t in tokens if isinstance(t, int))
    data: dict = {}
    set_value(data, tokens, value)
    assert get_value(data, tokens) == value or value != value  # NaN is never equal
    cur = data
    for t in tokens[:-1]:  # every array on the way is at most as long as the largest index allows
        cur = cur[t]
        assert not isinstance(cur, list) or len(cur) <= limits.MAX_PATH_INDEX + 1
    remove_value(data, tokens)


class _NoMedia:
    """An index with no media: every row is unmatched, but the CSV is still parsed in full."""

    metadata: dict = {}
    frame_counts: dict = {}
    videos: list = []

    def media_kind(self, rel):
        return "image" if rel.endswith(".png") else None

    def has_own_file(self, sample):
        return False


@FUZZ
@given(st.text(alphabet='ab,;\t"\'\n\r=+-@ 0123456789.\\', max_size=200))
def test_planning_any_csv_never_raises(text):
    body = "file_name,Label,Count\n" + text + "\n"
    try:
        plan = plan_import(_NoMedia(), SPECS, body, read=lambda rel: None)
    except CsvReadError:
        return
    plan.skip_invalid_rows()
    plan.report_text()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(damaged_documents())
def test_validate_export_import_over_a_generated_file(tmp_path_factory, raw):
    """One generated file in a datasource: validate reports it if it must, export writes valid
    UTF-8, import with --skip-invalid never writes a file the editor cannot parse."""
    import io

    from core.csv_io.export import export_rows, write_csv, write_json
    from core.csv_io.importer import apply_plan
    from core.dataset.index import scan
    from core.validation.validate import validate_datasource
    from core.workspace import Workspace
    from tests.datasets import metadata_dir, write_datasource

    root = write_datasource(tmp_path_factory.mktemp("ds") / "ds", media={"x.png": b"png", "y.png": b"png"},
                            files={"schema.json": SCHEMA})
    target = metadata_dir(root) / "x.json"
    target.write_bytes(raw)
    _, findings = validate_datasource(root, confirm_frames=False)
    if must_report(raw):
        assert any(f.file == "x.json" for f in findings)
    index = scan(root)
    for write in (write_csv, write_json):
        out = io.StringIO()
        write(export_rows(index, SPECS), SPECS, out)
        out.getvalue().encode("utf-8")
    ws = Workspace(root)
    ws.index = index
    plan = plan_import(index, SPECS, "file_name,Label\nx.png,imported\ny.png,imported\n", read=ws.data_of)
    plan.skip_invalid_rows()
    broken = read_disk_state(target).error is not None
    result = apply_plan(ws, plan)
    if broken:  # never overwritten
        assert target.read_bytes() == raw and "x.json" not in result.written
    else:  # what the editor writes it can read back
        assert read_disk_state(target).error is None
    assert "y.json" in result.written
