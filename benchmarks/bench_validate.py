"""How fast is `validate` compared with the least any validator must do? Prints figures; not a test.

For each size N a synthetic datasource is generated (deterministically, in a temporary
folder): N tiny `.png` files, N metadata files with nested values, a 10-field schema.
Then, each in a fresh child process so peak RSS is its own:

- floor: list the tree with os.scandir (recursive) and json.loads every JSON file once;
- validate: core.validation.validate.validate_datasource (scan + schema lint + every file's checks).

The ratio validate/floor should stay <= 2.0 at 100k files. Peak RSS is shown as
floor/validate. On a slow file system, generating 100k files takes minutes; `--dir
/dev/shm` generates in memory.

    .venv/bin/python benchmarks/bench_validate.py [--sizes 10000,100000] [--repeat 2] [--dir D] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import write_images  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent

_FIELDS = [
    ("Scene", "scene", "unknown", "CATEGORICAL_STRING"),
    ("Weather", "weather.description", "nothing", "CATEGORICAL_STRING"),
    ("Temperature", "weather.temperature", 0.0, "NUMERIC_FLOAT"),
    ("Vehicles", "vehicles.count", 0, "NUMERIC_INT"),
    ("Camera", "camera.id", 0, "CATEGORICAL_INT"),
    ("Daytime", "daytime", True, "CATEGORICAL_BOOLEAN"),
    ("Captured", "capture.datetime", None, "CATEGORICAL_DATETIME"),
    ("Epoch", "capture.timestamp", 0, "CATEGORICAL_TIMESTAMP"),
    ("Exposure", "sensors[0].exposure", None, "NUMERIC_FLOAT"),
    ("Notes", "notes", "", "OTHER_STRING"),
]
SCHEMA = [{"name": n, "path": p, "defaultValue": d, "valueDataType": t} for n, p, d, t in _FIELDS]

WEATHER = ("sunny", "cloudy", "rain", "snow", "fog")


def metadata(rng: random.Random, i: int) -> dict:
    """Nested values for every schema entry, plus a key the schema does not name."""
    second = rng.randrange(86400 * 365)
    return {
        "scene": rng.choice(("street", "highway", "park", "parking lot")),
        "weather": {
            "description": rng.choice(WEATHER),
            "temperature": round(rng.uniform(-10, 35), 1),
        },
        "vehicles": {"count": rng.randrange(20)},
        "camera": {"id": i % 7},
        "daytime": rng.random() < 0.7,
        "capture": {
            "datetime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_700_000_000 + second)),
            "timestamp": 1_700_000_000 + second,
        },
        "sensors": [{"exposure": round(rng.uniform(0.001, 0.05), 4), "gain": rng.randrange(1, 8)}],
        "notes": "" if rng.random() < 0.8 else "checked",
        "annotator": rng.choice(("ana", "ben", "chi")),  # not in the schema
    }


def generate(root: Path, n: int, seed: int = 0) -> None:
    write_images(root, n, SCHEMA, metadata, seed)


# --- what the child processes run -------------------------------------------------------------


def floor(root: Path) -> int:
    """List every entry with os.scandir and parse every JSON file once: the least a validator does."""
    parsed = 0
    stack = [str(root)]
    while stack:
        with os.scandir(stack.pop()) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.name.endswith(".json"):
                    with open(entry.path, "rb") as f:
                        json.loads(f.read())
                    parsed += 1
    return parsed


def validate(root: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from core.validation.validate import validate_datasource

    _, findings = validate_datasource(root)
    return len(findings)


def child(kind: str, root: Path, profile: bool) -> None:
    fn = {"floor": floor, "validate": validate}[kind]
    if kind == "validate":
        sys.path.insert(0, str(ROOT))
        import core.validation.validate  # noqa: F401 - import time is not what we measure

    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn(root)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    if profile:
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(20)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "cpu": cpu, "result": result, "peak_mib": peak_kib / 1024}))


def run_child(kind: str, root: Path, profile: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, str(root)] + (["--profile"] if profile else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{proc.stderr}")
    if profile:
        sys.stderr.write(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated N (default: 10000,100000)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement; the best is shown")
    parser.add_argument(
        "--dir", type=Path, default=None, help="where to generate (e.g. /dev/shm); default: temp"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one validate run (to stderr)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]), args.profile)
        return 0

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    # Wall time is what a user waits; CPU time is steadier when other work shares the machine.
    print("floor = os.scandir walk + json.loads of every JSON file; best of", args.repeat, "runs each")
    head = ("N", "generate", "floor", "validate", "ratio", "floor cpu", "valid. cpu", "ratio", "peak RSS")
    print("{:>7} {:>8} {:>7} {:>8} {:>6} {:>9} {:>10} {:>6} {:>17}".format(*head))
    for n in sizes:
        tmp = Path(tempfile.mkdtemp(prefix=f"bench-validate-{n}-", dir=args.dir))
        try:
            t0 = time.perf_counter()
            generate(tmp, n)
            gen = time.perf_counter() - t0
            run_child("floor", tmp)  # warm the page cache so both measure the same disk state
            fl = [run_child("floor", tmp) for _ in range(args.repeat)]
            va = [run_child("validate", tmp) for _ in range(args.repeat)]
            assert fl[0]["result"] == n + 1, fl[0]  # every metadata file and the schema
            f_wall, v_wall = (min(r["seconds"] for r in rs) for rs in (fl, va))
            f_cpu, v_cpu = (min(r["cpu"] for r in rs) for rs in (fl, va))
            rss = f"{max(r['peak_mib'] for r in fl):.0f}/{max(r['peak_mib'] for r in va):.0f} MiB"
            print(
                f"{n:>7} {gen:>7.1f}s {f_wall:>6.2f}s {v_wall:>7.2f}s {v_wall / f_wall:>6.2f}"
                f" {f_cpu:>8.2f}s {v_cpu:>9.2f}s {v_cpu / f_cpu:>6.2f} {rss:>17}"
                f"   ({va[0]['result']} findings)",
                flush=True,
            )
            if args.profile:
                run_child("validate", tmp, profile=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
