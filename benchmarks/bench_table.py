"""How the dataset table behaves at 100k rows: build, sort, filter, memory. Prints figures; not a test.

A synthetic datasource is generated in a temporary folder: N tiny `.png` files with
metadata files (a 10-field schema of every type, some values missing so defaults show,
a few invalid), plus two videos whose frame counts are set to F each so the "Show frames"
table has 2*F frame rows (a few frames with their own file). Then:

- build: EffectiveTable.build over images+videos, and again with frames;
- memory: tracemalloc's growth while building (the table's retained size), per 100k rows;
- sort: EffectiveTable.sort_order for each column type, and through the Qt proxy;
- filter: a source filter, a value filter, a range, the quick text filter (as typed);
- Qt: the panel's model and proxy over the table, first paint of the view.

    .venv/bin/python benchmarks/bench_table.py [--n 100000] [--frames 100000] [--dir D]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from synthetic import write_images  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCHEMA = [
    {"name": "Scene", "path": "scene", "defaultValue": "unknown", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Weather", "path": "weather.description", "defaultValue": "nothing",
     "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Temperature", "path": "weather.temperature", "defaultValue": 0.0,
     "valueDataType": "NUMERIC_FLOAT"},
    {"name": "Vehicles", "path": "vehicles.count", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},
    {"name": "Camera", "path": "camera.id", "defaultValue": 0, "valueDataType": "CATEGORICAL_INT"},
    {"name": "Daytime", "path": "daytime", "defaultValue": True, "valueDataType": "CATEGORICAL_BOOLEAN"},
    {"name": "Captured", "path": "capture.datetime", "defaultValue": None,
     "valueDataType": "CATEGORICAL_DATETIME"},
    {"name": "Epoch", "path": "capture.timestamp", "defaultValue": 0,
     "valueDataType": "CATEGORICAL_TIMESTAMP"},
    {"name": "Exposure", "path": "sensors[0].exposure", "defaultValue": None,
     "valueDataType": "NUMERIC_FLOAT"},
    {"name": "Notes", "path": "notes", "defaultValue": "", "valueDataType": "OTHER_STRING"},
]
WEATHER = ("sunny", "cloudy", "rain", "snow", "fog")
VIDEOS = ("videos/drive_a.mp4", "videos/drive_b.mp4")


def metadata(rng: random.Random, i: int) -> dict:
    second = rng.randrange(86400 * 365)
    meta = {
        "scene": rng.choice(("street", "highway", "park", "parking lot")),
        "weather": {"description": rng.choice(WEATHER), "temperature": round(rng.uniform(-10, 35), 1)},
        "vehicles": {"count": rng.randrange(20)},
        "camera": {"id": i % 7},
        "daytime": rng.random() < 0.7,
        "capture": {
            "datetime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_700_000_000 + second)),
            "timestamp": 1_700_000_000 + second,
        },
        "sensors": [{"exposure": round(rng.uniform(0.001, 0.05), 4)}],
        "notes": "" if rng.random() < 0.8 else "checked",
    }
    if rng.random() < 0.2:
        del meta["weather"]["description"]  # falls back to the default
    if rng.random() < 0.01:
        meta["vehicles"]["count"] = "many"  # invalid
    return meta


def generate(root: Path, n: int, seed: int = 0) -> None:
    rng, meta_dir = write_images(root, n, SCHEMA, metadata, seed)
    (root / "videos").mkdir()
    (meta_dir / "videos").mkdir()
    for k, v in enumerate(VIDEOS):
        (root / v).write_bytes(b"not decoded by this benchmark")
        meta = metadata(rng, 0)
        if k == 1:  # so this video's frames have the default weather
            meta["weather"].pop("description", None)
        doc = {"file_name": v, "type": "video", "metadata": meta}
        (meta_dir / f"{v[:-4]}.json").write_text(json.dumps(doc) + "\n", encoding="utf-8")


def add_frame_files(root: Path, n_frames: int) -> None:
    from core.format.naming import frame_file_name, frame_metadata_rel

    rng = random.Random(1)
    for v in VIDEOS:
        for i in range(0, n_frames, max(1, n_frames // 50)):
            doc = {"file_name": frame_file_name(v, i, n_frames), "type": "frame",
                   "metadata": {"weather": {"description": rng.choice(WEATHER)}}}
            (root / ".lightly" / "metadata" / frame_metadata_rel(v, i, n_frames)).write_text(json.dumps(doc))


def timed(fn, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def measure_build(index, specs, frames: bool):
    """(table, build seconds, bytes the table retains); memory from a second, traced build."""
    from core.effective.table import EffectiveTable

    t0 = time.perf_counter()
    table = EffectiveTable.build(index, specs, frames=frames)
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    EffectiveTable(index, specs, frames, table.read)
    rows_s = time.perf_counter() - t0
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    traced = EffectiveTable.build(index, specs, frames=frames)
    gc.collect()
    retained = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del traced
    return table, seconds, retained, rows_s


def report_table(table, label: str) -> None:
    from core.effective.table import EQUALS, FILE_NAME, RANGE, SOURCE, TYPE, ColumnFilter

    rows = table.row_count
    print(f"\n{label}: {rows:,} rows")
    print("  sort (best of 3, ascending / descending; text columns from a cold cache):")
    columns = [(FILE_NAME, "file_name"), (TYPE, "type")] + [(s.path, f"{s.label} ({s.type.value})")
                                                            for s in table.specs]
    for key, name in columns:
        up, _ = timed(lambda key=key: (table.text_cache.clear(), table.sort_order(key)))
        down, _ = timed(lambda key=key: (table.text_cache.clear(), table.sort_order(key, descending=True)))
        print(f"    {name:<40} {up * 1000:7.0f} ms {down * 1000:7.0f} ms")
    print("  filter (best of 3):")
    filters = [
        ("Weather is default", [ColumnFilter("weather.description", SOURCE, "default")]),
        ("Weather inherited", [ColumnFilter("weather.description", SOURCE, "inherited")]),
        ("Vehicles invalid", [ColumnFilter("vehicles.count", SOURCE, "invalid")]),
        ("Weather = rain", [ColumnFilter("weather.description", EQUALS, "rain")]),
        ("Temperature 10..20", [ColumnFilter("weather.temperature", RANGE, (10, 20))]),
        ("frames, weather default", [ColumnFilter("weather.description", SOURCE, "default"),
                                     ColumnFilter(TYPE, EQUALS, "frame")]),
    ]
    for name, fs in filters:
        seconds, mask = timed(lambda fs=fs: table.filter_mask(fs))
        print(f"    {name:<40} {seconds * 1000:7.0f} ms  ({int(mask.sum()):,} rows)")
    table.text_cache.clear()
    t0 = time.perf_counter()
    table.filter_mask(text="x")
    print(f"    quick filter, first keystroke (indexes texts) {(time.perf_counter() - t0) * 1000:4.0f} ms")
    for text in ("r", "ra", "rai", "rain", "img_0999"):
        seconds, mask = timed(lambda text=text: table.filter_mask(text=text))
        print(f"    quick filter {text!r:<27} {seconds * 1000:7.0f} ms  ({int(mask.sum()):,} rows)")


def report_qt(table, workspace) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication, QTableView

    from gui.common.workspace_signals import WorkspaceSignals
    from gui.dataset.model import EffectiveTableModel  # noqa: I001 - after PySide6
    from gui.dataset.proxy import DatasetProxy

    app = QApplication.instance() or QApplication([])
    signals = WorkspaceSignals(workspace)
    model = EffectiveTableModel(workspace, signals, QUndoStack())
    proxy = DatasetProxy()
    proxy.setSourceModel(model)
    t0 = time.perf_counter()
    model.set_table(table)
    set_s = time.perf_counter() - t0
    view = QTableView()
    view.setModel(proxy)
    view.resize(1400, 900)
    t0 = time.perf_counter()
    view.show()
    app.processEvents()
    view.viewport().grab()
    paint_s = time.perf_counter() - t0
    print(f"\nQt over {table.row_count:,} rows: set_table {set_s * 1000:.0f} ms,"
          f" first paint {paint_s * 1000:.0f} ms")
    for col in (0, 4, 5, 3):
        name = model.headerData(col, Qt.Orientation.Horizontal)
        seconds, _ = timed(lambda col=col: proxy.sort(col, Qt.SortOrder.DescendingOrder))
        print(f"    proxy.sort {name:<29} {seconds * 1000:7.0f} ms")
    for text in ("r", "ra", "rai", "rain"):  # as typed: each keystroke once
        seconds, _ = timed(lambda text=text: proxy.set_text_filter(text), repeat=1)
        print(f"    proxy quick filter {text!r:<18} {seconds * 1000:7.0f} ms  ({proxy.rowCount():,} rows)")
    proxy.set_text_filter("")
    seconds, _ = timed(lambda: proxy.set_column_filter("weather.description", "source", "default"), repeat=1)
    print(f"    proxy source filter (default)        {seconds * 1000:7.0f} ms  ({proxy.rowCount():,} rows)")
    seconds, _ = timed(lambda: proxy.sort(4, Qt.SortOrder.AscendingOrder), repeat=1)
    print(f"    proxy sort Temperature, filtered     {seconds * 1000:7.0f} ms")
    proxy.clear_filters()
    t0 = time.perf_counter()
    view.scrollToBottom()
    app.processEvents()
    view.viewport().grab()
    print(f"    scroll to bottom + paint             {(time.perf_counter() - t0) * 1000:7.0f} ms")
    view.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="images (default 100000)")
    parser.add_argument("--frames", type=int, default=100_000, help="frames per video (2 videos)")
    parser.add_argument("--dir", type=Path, default=None, help="where to generate; default: temp")
    args = parser.parse_args(argv)

    from core.dataset.index import scan
    from core.schema.entries import compile_schema, read_schema
    from core.workspace import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="bench-table-", dir=args.dir))
    try:
        t0 = time.perf_counter()
        generate(tmp, args.n)
        add_frame_files(tmp, args.frames)
        print(f"generated {args.n:,} images + {len(VIDEOS)} videos in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        index = scan(tmp)
        for v in VIDEOS:
            index.set_frame_count(v, args.frames)
        print(f"scan: {time.perf_counter() - t0:.1f} s")
        specs = compile_schema(read_schema(tmp).entries)

        table, seconds, retained, rows_s = measure_build(index, specs, frames=False)
        rows = table.row_count
        print(f"table rows shown (before values are read): {rows_s * 1000:.0f} ms")
        print(f"build (images+videos): {seconds:.2f} s for {rows:,} rows, {len(specs)} columns;"
              f" memory {retained / 2**20:.1f} MB = {retained / 2**20 / rows * 1e5:.1f} MB per 100k rows"
              f" (per-row arrays {table.nbytes() / 2**20:.1f} MB, the rest is the values themselves)")
        report_table(table, "images and videos")

        ftable, seconds, fretained, rows_s = measure_build(index, specs, frames=True)
        frows = ftable.row_count
        print(f"\nbuild (with frames): rows in {rows_s * 1000:.0f} ms, values {seconds:.2f} s"
              f" for {frows:,} rows;"
              f" memory {fretained / 2**20:.1f} MB = {fretained / 2**20 / frows * 1e5:.1f} MB per 100k rows"
              f" ({len(ftable._own)} frames with their own file)")
        report_table(ftable, "with frames")

        report_qt(table, Workspace(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
