"""The CLI at 100k and 1M files against the sequential floor of the same run. Prints figures; not a test.

Datasources: benchmarks/datasets.py (generated once, cached in ~/.cache/lightly-editor-bench).
Each measurement is a fresh child process, run as a user runs it (`main.py ...`, stdout to
a file); rounds interleave the floor and the commands so the machine's load hits them alike:

- floor: one process walks the whole tree with os.scandir and reads + json.loads every
  `.json` once, sequentially (the least any command over the files must do);
- validate: `main.py validate DS` (text report);
- export: `main.py export DS` (CSV to stdout) and `--format json`;
- import --dry-run: `main.py import DS FILE.csv --dry-run` with an export of the datasource
  in which 1% of the rows have a changed value (made once, cached beside the datasource).

Printed per size and command: min and median of the rounds, the ratio to the floor's
(min/min and median/median), peak RSS of the main process and the largest child's ru_maxrss
("RSS child"). The latter counts the pages a child shares with its parent between fork and
exec, so workers started after the index is built (export) show the parent's size there;
their own RSS (ps) stays at 25-100 MB.

    .venv/bin/python benchmarks/bench_cli.py [--sizes 100000,1000000] [--rounds 3] [--dir D]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from datasets import DEFAULT_DIR, ensure  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("validate", "export csv", "export json", "import --dry-run")

#: Runs a command in this process and reports its peak RSS and its largest child's (the workers).
_RUNNER = (
    "import resource, sys, time; t0 = time.perf_counter(); sys.path.insert(0, sys.argv[1]); import main\n"
    "if __name__ == '__main__':\n"
    "    rc = main.main(sys.argv[2:])\n"
    "    s, c = (resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "    sys.stderr.write('\\nBENCH %f %d %d %d\\n' % (time.perf_counter() - t0, s, c, rc))\n"
)
_FLOOR = (
    "import json, os, resource, sys, time; t0 = time.perf_counter(); n = 0; stack = [sys.argv[1]]\n"
    "while stack:\n"
    "    with os.scandir(stack.pop()) as it:\n"
    "        for e in it:\n"
    "            if e.is_dir(follow_symlinks=False):\n"
    "                stack.append(e.path)\n"
    "            elif e.name.endswith('.json'):\n"
    "                with open(e.path, 'rb') as f:\n"
    "                    json.loads(f.read())\n"
    "                n += 1\n"
    "s = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "sys.stderr.write('\\nBENCH %f %d 0 0\\n' % (time.perf_counter() - t0, s))\n"
)


def _run(argv: list[str], out: Path) -> dict:
    t0 = time.perf_counter()
    with open(out, "wb") as stdout:
        proc = subprocess.run(argv, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT, check=False)
    wall = time.perf_counter() - t0
    line = [ln for ln in proc.stderr.decode(errors="replace").splitlines() if ln.startswith("BENCH ")]
    if not line:
        raise SystemExit(f"{argv} failed:\n{proc.stderr.decode(errors='replace')[-3000:]}")
    _, inner, main_kib, child_kib, rc = line[-1].split()
    return {"wall": wall, "inner": float(inner), "main_mib": int(main_kib) / 1024,
            "child_mib": int(child_kib) / 1024, "rc": int(rc)}


def command_argv(name: str, ds: Path, csv_path: Path) -> list[str]:
    base = [sys.executable, "-c", _RUNNER, str(ROOT)]
    return base + {
        "validate": ["validate", str(ds)],
        "export csv": ["export", str(ds)],
        "export json": ["export", str(ds), "--format", "json"],
        "import --dry-run": ["import", str(ds), str(csv_path), "--dry-run"],
    }[name]


def import_csv(ds: Path, scratch: Path) -> Path:
    """An export of `ds` with one row in 100 changed (cached beside the datasource)."""
    path = ds.parent / f"{ds.name}.import.csv"
    if path.exists() and path.stat().st_mtime > (ds / ".complete").stat().st_mtime:
        return path
    full = scratch / "full.csv"
    _run(command_argv("export csv", ds, full), full)
    tmp = path.with_suffix(".tmp")
    with open(full, newline="", encoding="utf-8") as src, open(tmp, "w", newline="", encoding="utf-8") as dst:
        rows = csv.reader(src)
        out = csv.writer(dst, lineterminator="\n")
        header = next(rows)
        out.writerow(header)
        col = header.index("Vehicles")
        for i, row in enumerate(rows):
            if i % 100 == 0 and row[col].isdigit():
                row[col] = str(int(row[col]) + 1)
            out.writerow(row)
    os.replace(tmp, path)
    full.unlink()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--commands", default=",".join(COMMANDS),
                        help="comma-separated, of: " + ", ".join(COMMANDS))
    args = parser.parse_args(argv)
    commands = [c.strip() for c in args.commands.split(",") if c.strip()]
    print(f"load before: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} "
          f"on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as scratch:
        scratch = Path(scratch)
        for n in (int(s.replace("_", "")) for s in args.sizes.split(",")):
            ds = ensure(n, args.dir)
            csv_path = import_csv(ds, scratch) if "import --dry-run" in commands else Path()
            floor_argv = [sys.executable, "-c", _FLOOR, str(ds)]
            _run(floor_argv, scratch / "floor.out")  # warm the page cache
            runs: dict[str, list[dict]] = {c: [] for c in ["floor", *commands]}
            for r in range(args.rounds):
                runs["floor"].append(_run(floor_argv, scratch / "floor.out"))
                for c in commands:
                    runs[c].append(_run(command_argv(c, ds, csv_path), scratch / "cmd.out"))
                print(f"  {n:,} round {r + 1}: " + ", ".join(
                    f"{k} {v[-1]['wall']:.1f}s" for k, v in runs.items()), file=sys.stderr, flush=True)
            fl = [x["wall"] for x in runs["floor"]]
            f_min, f_med = min(fl), statistics.median(fl)
            print(f"\n{n:,} files (load now {os.getloadavg()[0]:.1f}): floor {f_min:.2f} s min / "
                  f"{f_med:.2f} s median, peak RSS {max(x['main_mib'] for x in runs['floor']):.0f} MiB")
            print(f"{'command':18} {'min':>8} {'median':>8} {'ratio min':>10} {'ratio med':>10} "
                  f"{'RSS main':>9} {'RSS child':>11} {'exit':>5}")
            for c in commands:
                w = [x["wall"] for x in runs[c]]
                print(f"{c:18} {min(w):>7.2f}s {statistics.median(w):>7.2f}s {min(w) / f_min:>10.2f} "
                      f"{statistics.median(w) / f_med:>10.2f} {max(x['main_mib'] for x in runs[c]):>7.0f}MB "
                      f"{max(x['child_mib'] for x in runs[c]):>9.0f}MB {runs[c][0]['rc']:>5}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
