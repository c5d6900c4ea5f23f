"""A larger fuzz run than the test suite's: the named hostile files plus N random mutants, through
`validate`, `export` (CSV and JSON) and `import --skip-invalid`. Prints figures; not a test.

Each command runs in a child process with its address space capped (3 GiB) and its peak RSS
measured. Printed: cases, cases that must be reported (judged by Python's own strict JSON, see
tests/fuzz/corpus.must_report) and how many were, findings, crashes (a traceback, or an exit
code other than 0/1), files changed by the read-only commands, files the import wrote that had
a parse-level finding (must be 0), and validate's time (min/median of 3).

    .venv/bin/python benchmarks/fuzz_corpus.py [--mutants 3000] [--seed 1] [--dir D]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.conftest import run_cli  # noqa: E402  (after sys.path)
from tests.fuzz.corpus import CASES, limits_table, must_report, mutants, snapshot, write_corpus  # noqa: E402

#: Findings that mean "the editor does not parse or use this file": import must never write it.
PARSE_LEVEL = {"invalid-json", "too-deep", "number-too-long", "string-too-long", "non-finite-number",
               "number-underflow", "invalid-unicode", "file-too-large", "link-outside"}


def crashed(run) -> bool:
    return run.code not in (0, 1) or "Traceback" in run.err or "Traceback" in run.out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutants", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", help="where to build the corpus (default: a temporary folder)")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="fuzz-", dir=args.dir))
    try:
        ds, outside = base / "ds", base / "outside"
        cases = write_corpus(ds, CASES + mutants(args.mutants, args.seed), outside)
        md = ds / ".lightly" / "metadata"
        must = {rel for rel, c in cases.items()
                if c.codes or (not (md / rel).is_symlink() and must_report((md / rel).read_bytes()))}
        print(f"limits: {limits_table()}")
        print(f"cases: {len(cases)} ({len(CASES)} named, {args.mutants} mutants); "
              f"must be reported: {len(must)}")
        before = snapshot(ds, outside)
        times, crashes, peak = [], 0, 0
        for _ in range(3):
            t0 = time.perf_counter()
            run = run_cli("validate", ds, "--format", "json", cwd=base)
            times.append(time.perf_counter() - t0)
            crashes += crashed(run)
            peak = max(peak, run.maxrss_kb)
        findings = json.loads(run.out)
        by_file: dict[str, set[str]] = {}
        for f in findings:
            by_file.setdefault(f["file"], set()).add(f["code"])
        missed = sorted(rel for rel in must if not by_file.get(rel))
        wrong = sorted(rel for rel, c in cases.items() if c.codes and not (by_file.get(rel, set()) & c.codes))
        print(f"validate: {len(findings)} findings; reported {len(must) - len(missed)}/{len(must)} that "
              f"must be (missed: {missed[:5]}); named cases with the wrong code: {wrong}")
        print(f"validate time: min {min(times):.2f} s, median {statistics.median(times):.2f} s")
        for fmt in ("csv", "json"):
            out = base / f"out.{fmt}"
            run = run_cli("export", ds, "--format", fmt, "-o", out, cwd=base)
            crashes += crashed(run)
            peak = max(peak, run.maxrss_kb)
            print(f"export {fmt}: exit {run.code}, {out.stat().st_size if out.exists() else 0} bytes, "
                  f"{run.err.count('left out')} rows left out")
        now = snapshot(ds, outside)
        changed_ro = sum(1 for p in set(before) | set(now) if before.get(p) != now.get(p))
        table = base / "values.csv"
        table.write_text("file_name,Label\n" + "".join(f"{c.name}.{c.media_ext},fuzzed\n"
                                                       for c in cases.values()))
        run = run_cli("import", ds, table, "--skip-invalid", cwd=base)
        crashes += crashed(run)
        peak = max(peak, run.maxrss_kb)
        after = snapshot(ds, outside)
        written = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
        broken_written = sorted(p for p in written if by_file.get(Path(p).relative_to(md).as_posix()
                                                                  if p.startswith(str(md)) else "", set())
                                & PARSE_LEVEL)
        print(f"import --skip-invalid: exit {run.code}, {len(written)} files written, "
              f"{len(broken_written)} of them unparseable/over a limit (must be 0)")
        print(f"crashes: {crashes}; files changed by validate/export: {changed_ro}; "
              f"peak RSS of any command: {peak / 1024:.0f} MB")
        return 1 if crashes or changed_ro or broken_written or missed else 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
