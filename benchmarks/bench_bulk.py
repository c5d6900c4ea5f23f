"""How a bulk edit of N files behaves in the real editor window. Prints figures; not a test.

A synthetic datasource is generated in a temporary folder: N tiny `.png` files, half of
them with a metadata file (values differ, so the form shows "mixed", plus a key the schema
does not know). The window opens it, selects all N files (as the file tree or the dataset
table would) and sets one field through the form, as a user's Alt+digit would. Measured:

- select: selecting N files until the form shows them (bulk state of every field);
- edit (blocking): the GUI thread is busy applying the edit in memory (one undo step; like
  every edit it is unsaved until saved);
- write: Save All until every file is on disk (a worker behind a progress dialog above
  SYNC_LIMIT, the GUI thread in an event loop meanwhile);
- longest GUI stall while writing (a 10 ms timer's largest gap): how responsive it stays;
- undo: the same for undoing and saving every file back;
- floor: the atomic-write floor of the same files in the same run: for each, its bytes
  written to a temporary file in its folder, fsync'ed, renamed over it (what
  core.format.jsonio.write_atomic does, with the same fsync-per-file policy), so the ratio
  "written / floor" is the editor's overhead (reading to compare content, serialising,
  re-validating) over the bare cost of durable atomic writes.

Each size runs `--repeat` times (fresh datasource each); figures are min / median.

    .venv/bin/python benchmarks/bench_bulk.py [--n 1000 10000] [--repeat 3] [--dir D]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCHEMA = [
    {"name": "Scene", "path": "scene", "defaultValue": "unknown", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Count", "path": "count", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},
]


def make_datasource(root: Path, n: int) -> list[str]:
    md = root / ".lightly" / "metadata"
    (root / "imgs").mkdir(parents=True)
    (md / "imgs").mkdir(parents=True)
    (md / "schema.json").write_text(json.dumps(SCHEMA, indent=2) + "\n")
    paths = []
    for i in range(n):
        rel = f"imgs/img_{i:06d}.png"
        (root / rel).write_bytes(b"pixels are not decoded here")
        if i % 2 == 0:
            doc = {"file_name": rel, "type": "image",
                   "metadata": {"scene": ("city", "park")[i % 4 // 2], "count": i, "keep": [i]}}
            (md / "imgs" / f"img_{i:06d}.json").write_text(json.dumps(doc, indent=2) + "\n")
        paths.append(rel)
    return paths


class StallMeter:
    """The largest gap between ticks of a 10 ms timer: how long the GUI thread was busy."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.worst


def atomic_write_floor(root: Path, rels: list[str]) -> float:
    """Seconds to rewrite these metadata files atomically (temp + fsync + rename), bytes unchanged."""
    md = root / ".lightly" / "metadata"
    paths = [md / (rel.rsplit(".", 1)[0] + ".json") for rel in rels]
    blobs = [(p, p.read_bytes()) for p in paths if p.exists()]
    t = time.perf_counter()
    for p, data in blobs:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    return time.perf_counter() - t


def run(n: int, base: Path, k: int = 0) -> dict[str, float]:
    from stall_meter import pump

    from gui.common import settings
    from gui.window.app import application, build_window

    app = application()
    root = base / f"bulk_{n}_{k}"  # a run's closed window must not see the next run's files
    shutil.rmtree(root, ignore_errors=True)
    paths = make_datasource(root, n)
    settings.use_file(str(base / f"settings_{n}.ini"))
    window = build_window(root, remember=False)
    window.show_error = lambda title, text: print(f"  error: {title}: {text[:200]}")
    window.show()

    def wait(cond, timeout=600.0) -> None:
        end = time.perf_counter() + timeout
        while not cond():
            if time.perf_counter() > end:
                raise TimeoutError
            pump(app)

    wait(lambda: window.index is not None and window.loader.validated and not window.loader.busy)
    out: dict[str, float] = {}
    t = time.perf_counter()
    window.select_media(paths)
    wait(lambda: window.form.editor("scene").is_mixed())
    app.processEvents()
    out["select"] = time.perf_counter() - t

    from stall_meter import StallMeter as StackMeter

    form, meter, stacks = window.form, StallMeter(), StackMeter()
    stacks.start()
    form.bulk_writer.make_progress_dialog = lambda title, total: None
    done = []
    form.bulkWritten.connect(done.append)

    def settled() -> None:
        for _ in range(3):
            pump(app)
        wait(lambda: not window.is_busy())

    for phase, act in (("edit", lambda: form.editor("scene").commit_value("beach")),
                       ("undo", window.undo_stack.undo)):
        done.clear()
        meter.start()
        where = stacks.phase(phase)
        t = time.perf_counter()
        act()
        out[f"{phase} blocking"] = time.perf_counter() - t
        wait(lambda: bool(done))
        settled()
        out[f"{phase} applied"] = time.perf_counter() - t
        out[f"{phase} stall"] = meter.stop()
        out[f"{phase} where"] = where.stack
        where = stacks.phase(phase + " save")
        meter.start()
        t = time.perf_counter()
        if not window.save_all():
            print(f"  {phase}: Save All did not write everything")
        out[f"{phase} written"] = time.perf_counter() - t
        settled()
        out[f"{phase} settled"] = time.perf_counter() - t
        out[f"{phase} save stall"] = meter.stop()
        out[f"{phase} save where"] = where.stack
        out[f"{phase} files"] = done[-1].changed_count()
        if phase == "edit":  # every file exists now, as the editor wrote it
            out["floor"] = atomic_write_floor(root, paths)
    window.answer = "discard"
    window.ask_save_discard_cancel = lambda action: "discard"
    stacks.stop()
    window.close()
    window.outside.close_session()  # stop watching (a window closed here lives on)
    from gui.common.workers import wait_all

    wait_all()
    settings.use_file(None)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stacks", action="store_true", help="the GUI thread's stack at the longest stalls")
    parser.add_argument("--dir", type=Path, help="where to generate (default: a temporary folder)")
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="bench-bulk-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.n:
            runs = [run(n, base, k) for k in range(args.repeat)]

            def mm(key: str, scale: float = 1.0, fmt: str = "{:.2f}", runs=runs) -> str:
                values = [r[key] * scale for r in runs]
                return f"{fmt.format(min(values))}/{fmt.format(statistics.median(values))}"

            ratio = [r["edit written"] / r["floor"] for r in runs]
            ratio_undo = [r["undo written"] / r["floor"] for r in runs]
            print(f"{n:>6} files, {len(runs)} runs (min/median), load {os.getloadavg()[0]:.1f}: "
                  f"select {mm('select')} s")
            for phase in ("edit", "undo"):
                stall = mm(phase + " stall", 1000, "{:.0f}")
                print(f"        {phase}: GUI blocked {mm(phase + ' blocking', 1000, '{:.0f}')} ms, applied "
                      f"in {mm(phase + ' applied')} s (longest stall {stall} ms);"
                      f" Save All wrote {int(runs[0][phase + ' files'])} files in {mm(phase + ' written')} s"
                      f" (settled {mm(phase + ' settled')} s, longest stall "
                      f"{mm(phase + ' save stall', 1000, '{:.0f}')} ms)")
            if args.stacks:
                worst = max(runs, key=lambda r: r["edit stall"])
                for key in ("edit", "edit save", "undo", "undo save"):
                    print(f"        stack at the longest {key} stall:", *worst[key + " where"][-6:],
                          sep="\n          ")
            print(f"        atomic-write floor (temp + fsync + rename, same files) {mm('floor')} s: "
                  f"Save All / floor {min(ratio):.2f}/{statistics.median(ratio):.2f} after the edit, "
                  f"{min(ratio_undo):.2f}/{statistics.median(ratio_undo):.2f} after the undo (goal <= 1.5)")
    finally:
        if args.dir is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
