"""What the index and the dataset table hold per file at 100k-1M files. Prints figures; not a test.

On the cached datasource of benchmarks/datasets.py (N images with one metadata file each,
a 10-entry schema), in this process:

- scan: `core.dataset.index.scan`, its time and the memory the index retains
  (tracemalloc with `--trace`, else the growth of RSS), per file, against the floor of the
  names alone (the UTF-8 bytes of every media path and metadata path: what any index
  must hold at least);
- table: `EffectiveTable` over the index, filled (every file read once), its time and the
  memory it retains, per row; then the quick-filter and sort caches the window computes;
- lookups: `media_kind`, `rel in index.metadata`, `index.metadata[rel]` for 100k names.

- ops (with `--ops`): sorts and filters of the filled table, min / median of 3;
- validate (with `--validate`): what the window's validation task does, and what it keeps.

    .venv/bin/python benchmarks/bench_memory.py [--n 1000000] [--dir D] [--trace] [--no-table] [--ops]
        [--validate]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Retained:
    """Memory retained by what a block builds: tracemalloc's growth, or RSS growth."""

    def __init__(self, trace: bool):
        self.trace = trace

    def __enter__(self):
        gc.collect()
        if self.trace:
            tracemalloc.start()
            self.base = tracemalloc.get_traced_memory()[0]
        else:
            self.base = _rss_mb() * 2**20
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        gc.collect()
        if self.trace:
            self.bytes = tracemalloc.get_traced_memory()[0] - self.base
            tracemalloc.stop()
        else:
            self.bytes = _rss_mb() * 2**20 - self.base


def _table_ops(table) -> None:
    """Sorts and filters of the filled table (issue 9 goal 5: sort <= 1 s, a quick-filter keystroke
    <= 0.2 s, equals/range/source <= 0.1 s at 1M rows), min / median of 3, caches warm."""
    import statistics

    from core.effective.table import EQUALS, FILE_NAME, RANGE, SOURCE, ColumnFilter

    def timed(fn) -> str:
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t0)
        return f"{min(runs):.3f} / {statistics.median(runs):.3f} s"

    for key in (FILE_NAME, "capture.datetime", "scene", "weather.temperature", "capture.timestamp"):
        print(f"sort        {key:<28} {timed(lambda key=key: table.sort_order(key))}")
    for text in ("c", "ca", "cam_3/day_0", "rain"):
        print(f"quick filter {text!r:<27} {timed(lambda text=text: table.filter_mask(text=text))}")
    filters = [("equals Scene = park", ColumnFilter("scene", EQUALS, "park")),
               ("range Temperature 10..20", ColumnFilter("weather.temperature", RANGE, (10, 20))),
               ("source Weather default", ColumnFilter("weather.description", SOURCE, "default"))]
    for name, f in filters:
        print(f"filter      {name:<28} {timed(lambda f=f: table.filter_mask([f]))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--trace", action="store_true", help="tracemalloc (slower) instead of RSS growth")
    parser.add_argument("--no-table", action="store_true")
    parser.add_argument("--validate", action="store_true", help="also validate (and leaf stats)")
    parser.add_argument("--ops", action="store_true", help="also time sorts and filters of the table")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from datasets import DEFAULT_DIR, ensure

    root = ensure(args.n, args.dir or DEFAULT_DIR)

    import numpy  # noqa: F401 - imported before measuring: not the index's memory

    from core.dataset.index import scan
    from core.effective.table import EffectiveTable, file_reader
    from core.format.naming import metadata_rel
    from core.schema.entries import compile_schema, read_schema

    how = "tracemalloc" if args.trace else "RSS growth"
    print(f"{root} (RSS at start {_rss_mb():.0f} MB; memory by {how})")
    with Retained(args.trace) as r:
        index = scan(root)
    n_media = len(index.images) + len(index.videos)
    n_meta = len(index.metadata)
    floor = sum(len(m.encode("utf-8", "surrogatepass")) for m in index.images) + sum(
        len(m.encode("utf-8", "surrogatepass")) for m in index.videos)
    floor += sum(len(rel.encode("utf-8", "surrogatepass")) for rel in index.metadata)
    per = r.bytes / max(1, n_media)
    print(f"scan        {r.seconds:7.1f} s   {n_media:,} media, {n_meta:,} metadata files")
    print(f"index       {r.bytes / 2**20:7.1f} MB = {per:.0f} bytes per media file with its metadata file;"
          f" floor (the names' UTF-8 bytes) {floor / max(1, n_media):.0f} bytes: ratio"
          f" {r.bytes / max(1, floor):.2f}")

    names = list(index.images[:: max(1, len(index.images) // 100_000)])[:100_000]
    rels = [metadata_rel(m) for m in names]
    t0 = time.perf_counter()
    for m in names:
        index.media_kind(m)
    t_kind = time.perf_counter() - t0
    t0 = time.perf_counter()
    for rel in rels:
        rel in index.metadata  # noqa: B015 - the lookup is what is timed
    t_in = time.perf_counter() - t0
    t0 = time.perf_counter()
    for rel in rels:
        index.metadata.get(rel)
    t_get = time.perf_counter() - t0
    t0 = time.perf_counter()
    for rel in rels:
        {}.get(rel)
    t_floor = time.perf_counter() - t0
    k = len(names)
    print(f"lookups     per name: media_kind {t_kind / k * 1e6:.2f} us, in metadata {t_in / k * 1e6:.2f} us,"
          f" metadata.get {t_get / k * 1e6:.2f} us (floor: a dict.get {t_floor / k * 1e6:.2f} us)")

    if not args.no_table:
        specs = compile_schema(read_schema(root).entries)
        with Retained(args.trace) as r:
            table = EffectiveTable(index, specs, False, file_reader(index))
            table.fill()
        print(f"table fill  {r.seconds:7.1f} s   {table.row_count:,} rows x {len(specs)} columns")
        print(f"table       {r.bytes / 2**20:7.1f} MB = {r.bytes / max(1, table.row_count):.0f} bytes per row"
              f" ({r.bytes / max(1, table.row_count) / max(1, len(specs)):.1f} per cell)")
        from core.effective.query import warm_text_codes

        with Retained(args.trace) as r:
            warm_text_codes(table)  # what the window does after the fill: quick filter and sort caches
        per_row = r.bytes / max(1, table.row_count)
        print(f"text caches {r.bytes / 2**20:7.1f} MB = {per_row:.0f} bytes per row,"
              f" in {r.seconds:.1f} s")
    if not args.no_table and args.ops:
        _table_ops(table)
    if args.validate:
        from core.dataset.leaf_stats import collect_leaf_stats
        from core.validation.validate import validate

        with Retained(args.trace) as r:
            findings = validate(index, read_schema(root))
            collect_leaf_stats(index)
        print(f"validate    {r.seconds:7.1f} s   {len(findings):,} findings (+ leaf stats, as the window's"
              f" validation task); retained {r.bytes / 2**20:.1f} MB")
    print(f"RSS at end  {_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
