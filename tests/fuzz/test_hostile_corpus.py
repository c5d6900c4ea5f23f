"""validate, export and import over the hostile corpus (tests/fuzz/corpus.py): every bad file has a
finding, no traceback, read-only commands write nothing, memory stays bounded (the child's
address space is capped and its peak measured), time is bounded by pytest-timeout."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from tests.fuzz.conftest import MEMORY_BOUND_KB, run_cli
from tests.fuzz.corpus import CASES, snapshot, write_corpus

pytestmark = pytest.mark.timeout(240)


def assert_clean_run(run, codes=(0, 1)):
    assert run.code in codes, run.err[-3000:]
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err[-3000:]
    assert 0 < run.maxrss_kb < MEMORY_BOUND_KB, f"peak memory {run.maxrss_kb} kB"


def test_validate_reports_every_hostile_file(corpus, tmp_path):
    ds, outside, cases = corpus
    before = snapshot(ds, outside)
    run = run_cli("validate", ds, "--format", "json", cwd=tmp_path)
    assert_clean_run(run)
    assert run.code == 1
    findings = json.loads(run.out)
    by_file: dict[str, set[str]] = {}
    for f in findings:
        by_file.setdefault(f["file"], set()).add(f["code"])
    for rel, case in cases.items():
        got = by_file.get(rel, set())
        assert got & case.codes, f"{case.name}: expected {set(case.codes)}, got {got}"
    assert "path-limit" in by_file["schema.json"]
    assert "clean.json" not in by_file
    assert any(f["code"] == "invalid-unicode" and "bad-name" in f.get("media", "") for f in findings) or \
        not any("bad-name" in p.name for p in ds.iterdir())
    line_codes = {"too-deep", "number-too-long", "non-finite-number", "number-underflow", "invalid-unicode",
                  "string-too-long", "invalid-json"}
    for f in findings:  # what the parser found has a line, except where the file has no text
        if f["code"] in line_codes and f["file"] in cases and f["file"] not in ("nul-bytes.json",
                                                                                 "empty.json"):
            assert f.get("line"), f
    assert snapshot(ds, outside) == before
    strict = run_cli("validate", ds, "--strict", cwd=tmp_path)
    assert_clean_run(strict)
    assert strict.code == 1


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_writes_what_is_safe_and_reports_the_rest(corpus, tmp_path, fmt):
    ds, outside, cases = corpus
    before = snapshot(ds, outside)
    out = tmp_path / "out" / f"values.{fmt}"
    out.parent.mkdir()
    run = run_cli("export", ds, "--format", fmt, "-o", out, cwd=tmp_path)
    assert_clean_run(run)
    assert snapshot(ds, outside) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temporary file left
    text = out.read_bytes().decode("utf-8")  # valid UTF-8 throughout
    if fmt == "json":
        rows = json.loads(text)
        names = {r["file_name"] for r in rows}
        invalid = {r["file_name"] for r in rows if "invalid" in r["sources"].values()}
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        names = {r["file_name"] for r in rows}
        invalid = set()
    assert {f"{c.name}.{c.media_ext}" for c in cases.values()} <= names
    assert "secret.png" not in text  # the file behind the link was never read
    if fmt == "json":  # a broken file's values are INVALID, never silently the defaults
        broken = {f"{c.name}.png" for c in cases.values()
                  if c.name in ("deep-1000", "file-50mb", "nan", "link-outside")}
        assert broken <= invalid
    bad_names = [p for p in ds.iterdir() if "bad-name" in p.name]
    assert run.code == (1 if bad_names else 0)
    assert ("left out" in run.err) == bool(bad_names)


def test_export_to_a_folder_that_fails_leaves_no_file(corpus, tmp_path):
    ds, _, _ = corpus
    run = run_cli("export", ds, "-o", tmp_path / "missing" / "x.csv", cwd=tmp_path)
    assert_clean_run(run, codes=(2,))
    assert not (tmp_path / "missing").exists()


def test_import_is_checked_first_then_skips_invalid_rows_and_never_touches_hostile_files(tmp_path):
    ds, outside = tmp_path / "ds", tmp_path / "outside"
    cases = write_corpus(ds, CASES, outside)
    stale = ds / ".lightly" / "metadata" / ".clean.json.999999999.dead00.tmp"
    stale.write_text("{")  # left by a killed write
    names = [f"{c.name}.{c.media_ext}" for c in cases.values()] + ["clean.png", "no-file.png"]
    table = tmp_path / "values.csv"
    table.write_text("file_name,Label,Count\n" + "".join(f"{n},fuzzed,7\n" for n in names))
    before = snapshot(ds, outside)
    refused = run_cli("import", ds, table, cwd=tmp_path)
    assert_clean_run(refused, codes=(1,))
    assert "Nothing was written" in refused.out and "--skip-invalid" in refused.out
    assert "temporary file" in refused.err
    del before[str(stale)]  # import is a write command: it cleans up stale temporary files on open
    assert snapshot(ds, outside) == before
    done = run_cli("import", ds, table, "--skip-invalid", cwd=tmp_path)
    assert_clean_run(done, codes=(0,))
    after = snapshot(ds, outside)
    md = ds / ".lightly" / "metadata"
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    # Files that parse take the values (the import even repairs a wrong value); files that do not
    # parse, break a limit, are not objects or are links out of the folder are never written.
    editable = {"value-type", "path-blocked", "unread-media", "wrong-file-name"}
    expected = {str(md / rel) for rel, case in cases.items() if case.codes <= editable}
    assert changed == expected | {str(md / "clean.json"), str(md / "no-file.json")}
    assert len(expected) < len(cases) // 2
    assert json.loads((md / "no-file.json").read_text())["metadata"] == {"label": "fuzzed", "count": 7}
    again = run_cli("import", ds, table, "--skip-invalid", cwd=tmp_path)  # resumable: nothing left to do
    assert_clean_run(again, codes=(0,))
    assert snapshot(ds, outside) == after
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
