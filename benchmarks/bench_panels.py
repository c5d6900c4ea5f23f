"""Timings that used to be assertions in tests (tests never assert timings): the Problems panel
with 100,000 findings, painting a 20,000-frame timeline, stepping through a 100,000-file index.
Prints min / median of 3 runs, each beside a floor measured in the same run; not a test.

- problems: set_findings + sort + quick filter + one file's update (tests/gui/problems) against
  the floor of sorting the same 100k (file, code, message) tuples in Python;
- timeline: 5 repaints of the frame strip with 10,000 marked frames, recomputing the marker runs
  (tests/gui/media), against the floor of one `numpy.unique` over those frames per repaint;
- navigation: 1,000 "next file" steps over 100,000 images (tests/core/dataset), against the
  floor of 1,000 dict look-ups plus list indexing.

    .venv/bin/python benchmarks/bench_panels.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _times(fn, runs: int = 3) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _line(what: str, times: list[float], floor: list[float]) -> str:
    t_min, t_med, f_min = min(times), statistics.median(times), min(floor)
    return (f"{what:<44} min {t_min * 1000:8.1f} ms  median {t_med * 1000:8.1f} ms   floor "
            f"{f_min * 1000:7.1f} ms   ratio {t_min / f_min:6.1f}")


def bench_problems() -> str:
    from PySide6.QtCore import Qt

    from core.format.findings import ERROR, WARNING, Finding
    from gui.problems.panel import ProblemsPanel

    many = [Finding(ERROR if i % 3 else WARNING, "value-type" if i % 3 else "orphan",
                    f"d{i % 997}/f{i // 7}.json", f"message {i}", path=f"p{i % 5}") for i in range(100_000)]

    def run():
        panel = ProblemsPanel()
        panel.set_findings(many)
        panel.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        panel.filter_edit.setText("message 99")
        panel._debouncer.flush()
        panel.update_file("d0/f0.json", [])
        assert panel.model.visible_count() == 1111
        panel.deleteLater()

    tuples = [(f.file, f.code, f.message) for f in many]
    floor = _times(lambda: sorted(tuples))
    return _line("problems: 100k findings set/sort/filter/update", _times(run), floor)


def bench_timeline() -> str:
    import numpy as np
    from PySide6.QtWidgets import QApplication

    from gui.media.timeline import FrameTimeline

    timeline = FrameTimeline()
    timeline.resize(900, 110)
    timeline.show()
    QApplication.processEvents()
    frames = set(range(0, 20_000, 3)) | set(range(5_000, 9_000))
    timeline.set_video("long.mp4", 20_000, frames, set(range(0, 20_000, 97)))
    arr = np.fromiter(frames, dtype=np.int64)

    def run():
        for _ in range(5):
            timeline.strip._runs.clear()
            timeline.strip.repaint()
        assert timeline.strip._runs  # painted (the runs were computed again)

    def floor():
        for _ in range(5):
            np.unique(arr // 20)

    return _line("timeline: 5 repaints, 20k frames", _times(run), _times(floor))


def bench_navigation() -> str:
    from core.dataset.index import scan
    from core.dataset.navigation import next_sample
    from core.format.samples import SampleRef

    with tempfile.TemporaryDirectory() as tmp:
        index = scan(Path(tmp))
    files = [f"{i:06d}.png" for i in range(100_000)]
    index._set_media(files, [])
    index.dirs = {"": ([], files)}
    next_sample(index, SampleRef.image(files[0]))  # builds and caches the order once

    def run():
        current = SampleRef.image(files[0])
        for _ in range(1000):
            current = next_sample(index, current).sample

    position = {m: i for i, m in enumerate(files)}

    def floor():
        current = files[0]
        for _ in range(1000):
            current = files[position[current] + 1]

    return _line("navigation: 1,000 next-file steps of 100k", _times(run), _times(floor))


def main() -> None:
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    for bench in (bench_problems, bench_timeline, bench_navigation):
        print(bench(), flush=True)


if __name__ == "__main__":
    main()
