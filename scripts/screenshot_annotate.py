"""Drive the real editor window through the annotator's keyboard flow and save screenshots.

Opens a fresh copy of the demo datasource with a `batch/` folder of 20 demo pictures
(copies), then annotates every batch image's Scene and Weather with keys only: Ctrl+PgDown
(first file), Ctrl+E (into the form), then per file Alt+n (Scene), Alt+m (Weather),
Ctrl+Return (save, next file, back to Scene). Prints the keystrokes per file; writes PNGs.

    .venv/bin/python scripts/screenshot_annotate.py [--out /tmp] [--docs docs/screenshot-annotate.png]
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

N_FILES = 20
DEMO_PICTURES = ("street_0.png", "street_1.jpg", "highway/car_2.png", "park/tree_5.png",
                 "night/lamp_8.png", "park/fountain_7.png")


def add_batch(demo: Path, n: int = N_FILES) -> list[str]:
    """`batch/img_01.png` … copies of the demo pictures, with no metadata files yet."""
    (demo / "batch").mkdir()
    rels = []
    for i in range(n):
        src = demo / DEMO_PICTURES[i % len(DEMO_PICTURES)]
        rel = f"batch/img_{i + 1:02d}{src.suffix}"
        shutil.copyfile(src, demo / rel)
        rels.append(rel)
    return rels


class Driver:
    """Sends key clicks to the focused widget of a window and counts them."""

    def __init__(self, app, window):
        self.app, self.w, self.count = app, window, 0

    def key(self, key, mods=None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        target = QApplication.focusWidget() or self.w
        QTest.keyClick(target, key, mods or Qt.KeyboardModifier.NoModifier)
        self.count += 1
        self.settle()

    def settle(self, ms: int = 30) -> None:
        end = time.perf_counter() + ms / 1000
        while time.perf_counter() < end:
            self.app.processEvents()

    def wait(self, cond, timeout: float = 60) -> None:
        end = time.perf_counter() + timeout
        while not cond():
            if time.perf_counter() > end:
                raise TimeoutError
            self.app.processEvents()


def annotate(driver: Driver, rels: list[str], shots: Path | None = None) -> dict:
    """The keyboard flow over the batch; returns {"keys": total, "per_file": [...], "files": n}."""
    from PySide6.QtCore import Qt

    w = driver.w
    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
    scene_values = w.form.editor("scene").known_values()
    weather_values = w.form.editor("weather.description").known_values()
    start = driver.count
    driver.key(Qt.Key.Key_PageDown, ctrl)  # Next File from nothing: the first file of the tree
    driver.key(Qt.Key.Key_E, ctrl)  # Edit Fields: the keyboard into the form's first field
    per_file = []
    for i, rel in enumerate(rels):
        assert [s.media for s in w.form.samples()] == [rel], (rel, w.form.samples())
        before = driver.count
        scene_n, weather_n = i % len(scene_values) % 9 + 1, i % len(weather_values) + 1
        if shots is not None and i == 0:
            save_shot(w, shots / "annotate-1-first-file.png")
        driver.key(getattr(Qt.Key, f"Key_{scene_n}"), alt)
        if shots is not None and i == 0:
            save_shot(w, shots / "annotate-2-scene-picked.png")
        driver.key(getattr(Qt.Key, f"Key_{weather_n}"), alt)
        driver.key(Qt.Key.Key_Return, ctrl)
        if shots is not None and i == 0:
            save_shot(w, shots / "annotate-3-next-file.png")
        per_file.append(driver.count - before)
    return {"keys": driver.count - start, "per_file": per_file, "files": len(rels)}


def save_shot(window, path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    window.grab().save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--docs", type=Path, help="also save the second screenshot here")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from core.dataset.demo import demo_copy
    from gui.common import settings
    from gui.window.app import application, build_window

    app = application()
    tmp = Path(tempfile.mkdtemp(prefix="annotate-demo-"))
    settings.use_file(str(tmp / "settings.ini"))
    try:
        demo = demo_copy(dest_root=tmp)
        rels = add_batch(demo)
        w = build_window(demo, remember=False)
        w.ask_save_discard_cancel = lambda action: "discard"
        w.resize(1360, 860)
        w.show()
        w.activateWindow()
        driver = Driver(app, w)
        driver.wait(lambda: w.index is not None and w.loader.validated and not w.loader.busy)
        driver.wait(lambda: len(w.form.editor("scene").known_values()) > 1)
        driver.wait(w.isActiveWindow)
        result = annotate(driver, rels, args.out)
        save_shot(w, args.out / "annotate-4-after-20-files.png")
        meta = demo / ".lightly" / "metadata" / "batch"
        written = sorted(p.name for p in meta.glob("*.json"))
        print(f"{result['files']} files, {result['keys']} keystrokes "
              f"({result['keys'] / result['files']:.2f} per file; per file: {set(result['per_file'])}); "
              f"{len(written)} metadata files written, e.g. {json.loads((meta / written[0]).read_text())}")

        from PySide6.QtGui import QAction

        w.findChild(QAction, "actionKeyboardShortcuts").trigger()
        dialog = w.annotate.dialog
        dialog.resize(820, 700)
        driver.settle(100)
        dialog.grab().save(str(args.out / "annotate-5-shortcuts.png"))
        dialog.close()

        w.select_media(rels[:6])
        driver.settle(100)
        save_shot(w, args.out / "annotate-6-bulk-mixed.png")
        if args.docs is not None:
            shutil.copyfile(args.out / "annotate-2-scene-picked.png", args.docs)
        w.close()
    finally:
        settings.use_file(None)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
