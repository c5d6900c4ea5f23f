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
- undo: the same for undoing and saving every file back.

    .venv/bin/python benchmarks/bench_bulk.py [--n 1000 10000] [--dir D]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
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


def run(n: int, base: Path) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop

    from gui.common import settings
    from gui.window.app import application, build_window

    app = application()
    root = base / f"bulk_{n}"
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
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    wait(lambda: window.index is not None and window.loader.validated and not window.loader.busy)
    out: dict[str, float] = {}
    t = time.perf_counter()
    window.select_media(paths)
    wait(lambda: window.form.editor("scene").is_mixed())
    app.processEvents()
    out["select"] = time.perf_counter() - t

    form, meter = window.form, StallMeter()
    done = []
    form.bulkWritten.connect(done.append)
    for phase, act in (("edit", lambda: form.editor("scene").commit_value("beach")),
                       ("undo", window.undo_stack.undo)):
        done.clear()
        t = time.perf_counter()
        act()
        out[f"{phase} blocking"] = time.perf_counter() - t
        meter.start()
        wait(lambda: bool(done))
        if not window.save_all():
            print(f"  {phase}: Save All did not write everything")
        out[f"{phase} written"] = time.perf_counter() - t
        wait(lambda: not window.saver._debounce._timer.isActive() and not window.loader.busy)
        out[f"{phase} settled"] = time.perf_counter() - t
        out[f"{phase} stall"] = meter.stop()
        out[f"{phase} files"] = done[-1].changed_count()
    window.answer = "discard"
    window.ask_save_discard_cancel = lambda action: "discard"
    window.close()
    from gui.common.workers import wait_all

    wait_all()
    settings.use_file(None)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--dir", type=Path, help="where to generate (default: a temporary folder)")
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="bench-bulk-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.n:
            r = run(n, base)
            print(f"{n:>6} files: select {r['select']:.2f} s")
            for phase in ("edit", "undo"):
                print(f"        {phase}: GUI blocked {r[phase + ' blocking']:.2f} s, "
                      f"{int(r[phase + ' files'])} files written in {r[phase + ' written']:.2f} s "
                      f"(settled {r[phase + ' settled']:.2f} s), longest GUI stall meanwhile "
                      f"{r[phase + ' stall'] * 1000:.0f} ms")
    finally:
        if args.dir is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
