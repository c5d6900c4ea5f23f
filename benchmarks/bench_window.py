"""The editor window at 100k-1M files: first paint, event-loop stalls, time to settled, memory.

Prints figures; not a test. For each size a synthetic datasource is generated once and
cached (benchmarks/datasets.py; `--dir`, default ~/.cache/lightly-editor-bench). Each
measurement runs in a fresh child process, paired in the same run:

- bare: a PySide6 QMainWindow process, spawn to first paint (the floor of goal 1);
- window: the editor, spawn to first paint; then, with a 10 ms timer ticking and a
  watchdog sampling the GUI thread's stack, these flows, each until `MainWindow.settled`:
  open (index, validation, table values, frame counts; the Dataset tab shown), sort
  (file_name, a datetime), quick filter, select all rows of the table, Ctrl+A in the
  expanded file tree (until the form shows them: "condition met"), select 10k files
  in the tree, bulk edit of those 10k files, Save All, undo it, Save All, a schema change saved
  and re-validated,
  a CSV import of 10k rows applied and undone. Per flow: elapsed, longest gap, gaps over
  50 ms, and the stack at the longest gap. Memory: RSS with the Dataset tab shown, peak RSS;
- cli: `main.py validate` of the same folder (goal 3's floor).

The datasource is left as it was: every edit is undone and schema.json is restored. The
printed table of results is made by window_report.py.

    .venv/bin/python benchmarks/bench_window.py [--sizes 100000,1000000] [--dir D] [--repeat 1]
        [--flows open,sort,...] [--timeout 1200]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLOWS = ("open", "sort", "filter", "select-all", "tree-select-all", "select-10k", "bulk-edit", "save-all",
         "undo", "save-undo", "schema", "csv-import")


def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB."""
    cur = peak = 0.0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                cur = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return cur, peak


def _first_paint_filter(target, on_paint):
    from PySide6.QtCore import QEvent, QObject

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and obj is target:
                target.removeEventFilter(self)
                on_paint()
            return False

    watch = PaintWatch()
    target.installEventFilter(watch)
    return watch


# --- children ------------------------------------------------------------------------------
def child_bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    w = QMainWindow()
    w.resize(1360, 860)
    w.setWindowTitle("bare")

    def painted():
        print(json.dumps({"paint": time.time()}), flush=True)
        app.quit()

    keep = _first_paint_filter(w, painted)  # noqa: F841 - kept alive while the loop runs
    w.show()
    app.exec()


def child_window(root: Path, flows: list[str], timeout: float) -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt
    from stall_meter import pump
    from window_report import fmt_stack

    from gui.common import settings
    from gui.window.app import application, start_editor

    app = application()
    settings.use_file(str(Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-window-{os.getpid()}.ini"))
    out: dict = {"flows": {}}
    painted: list[float] = []  # the start-up shell's first paint, then the editor's
    watches = []

    def on_ready(window) -> None:
        window.show_error = lambda title, text: print(f"  error: {title}: {text[:300]}", file=sys.stderr)
        window.ask_save_discard_cancel = lambda _action: "discard"
        window.form.bulk_writer.make_progress_dialog = lambda title, total: None
        watches.append(_first_paint_filter(window, lambda: painted.append(time.time())))
        window.resize(1360, 860)

    # The program's own start (gui.window.app.run): a light shell paints, the editor replaces it.
    shell = start_editor(root, remember=False, on_ready=on_ready)
    watches.append(_first_paint_filter(shell.frame, lambda: painted.append(time.time())))
    while shell.window is None:
        pump(app)
    window = shell.window

    from stall_meter import StallMeter

    meter = StallMeter()
    meter.start()
    settled = [False]
    window.settled.connect(lambda: settled.__setitem__(0, True))

    def wait(cond, limit=timeout) -> bool:
        end = time.perf_counter() + limit
        while not cond():
            if time.perf_counter() > end:
                return False
            pump(app)
        return True

    def until_settled(limit=timeout) -> bool:
        for _ in range(3):  # work started from timers of this turn is counted by then
            pump(app)
        return wait(lambda: not window.is_busy(), limit)

    def flow(name, act, done=None):
        if name not in flows:
            return
        settled[0] = False
        phase = meter.phase(name)
        t = time.perf_counter()
        act()
        ok = wait(done, timeout) if done else True
        shown = time.perf_counter() - t  # the flow's condition met (say, the form shows the selection)
        if not ok:
            print(f"  [{name}] condition not met; form has {len(window.form.samples())} samples",
                  file=sys.stderr)
        ok = ok and until_settled()
        if not ok:
            from gui.common.workers import _running, activity

            print(f"  [{name}] still busy: {activity().pending} pending,"
                  f" tasks {[t.objectName() or t._fn for t in _running]}", file=sys.stderr)
        elapsed = time.perf_counter() - t
        meter.phase("idle")
        out["flows"][name] = {"s": elapsed, "shown": shown, "worst": phase.worst, "over": phase.over,
                              "stack": phase.stack, "ok": ok}
        print(f"  [{name}] {elapsed:.2f} s, longest gap {phase.worst * 1000:.0f} ms"
              f"{'' if ok else ' (TIMED OUT)'}", file=sys.stderr, flush=True)
        if phase.worst > 0.05:
            print(fmt_stack(phase.stack), file=sys.stderr, flush=True)

    # open: index, validation, frame counts, the Dataset tab filled
    phase = meter.phase("open")
    t_open = time.perf_counter()
    wait(lambda: len(painted) >= 2, 120)
    out["paint"] = painted[0] if painted else None
    out["editor_paint"] = painted[1] if len(painted) > 1 else None
    window.inspect.show_dataset()
    wait(lambda: window.index is not None)
    out["index_s"] = time.perf_counter() - t_open
    ok = until_settled()
    out["settled"] = time.time()
    out["flows"]["open"] = {"s": time.perf_counter() - t_open, "worst": phase.worst, "over": phase.over,
                            "stack": phase.stack, "ok": ok}
    meter.phase("idle")
    out["rss_dataset_mb"], _ = _rss_mb()
    print(f"  [open] settled {out['flows']['open']['s']:.1f} s, longest gap {phase.worst * 1000:.0f} ms,"
          f" RSS {out['rss_dataset_mb']:.0f} MB", file=sys.stderr, flush=True)
    print(fmt_stack(phase.stack), file=sys.stderr, flush=True)
    if not ok:
        flows = []

    panel = window.inspect.dataset
    header = panel.view.horizontalHeader()
    timings = out.setdefault("table", {})

    def sort_by(col_name: str):
        col = panel.model.column_of(col_name)
        t = time.perf_counter()
        panel.view.sortByColumn(col, Qt.SortOrder.AscendingOrder)
        timings[f"sort {col_name}"] = time.perf_counter() - t

    def sorts():
        sort_by("file_name")
        sort_by("capture.datetime")
        sort_by("scene")
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    flow("sort", sorts)

    def quick_filter():
        for text in ("c", "ca", "cam_3/day_0", ""):
            t = time.perf_counter()
            panel.filter_box.setText(text)
            panel.flush_filter()
            timings[f"quick filter {text!r}"] = time.perf_counter() - t

    flow("filter", quick_filter)

    n_rows = panel.model.rowCount()
    def editable(n: int) -> bool:
        """The form shows `n` samples, its fields enabled (their values read)."""
        form = window.form
        return len(form.samples()) >= n and form.editor("scene") is not None \
            and form.fields_content.isEnabled()

    flow("select-all", lambda: panel.view.selectAll(), lambda: editable(n_rows))

    # Ctrl+A in the whole expanded file tree (frames of the videos included), until the form
    # shows them all, editable; then the tree is collapsed again.
    index = window.index
    if "tree-select-all" in flows and index is not None:
        window.files.view.expandAll()
        for _ in range(5):
            pump(app)
    before = window.form.samples()  # the table's select all: as many samples, but not these
    flow("tree-select-all", lambda: window.files.select_all(),
         lambda: window.form.samples() is not before and editable(len(index.media)))
    if "tree-select-all" in flows:
        window.files.view.collapseAll()
    targets = [index.sample(m) for m in index.images[:10_000]] if index is not None else []
    flow("select-10k", lambda: window.select_samples(targets), lambda: editable(len(targets)))

    # A bulk edit stays unsaved until Save All writes it (in the background); undo, then Save All
    # again, writes every file's original bytes back.
    flow("bulk-edit", lambda: window.form.editor("scene").commit_value("beach"))
    flow("save-all", window.save_all)
    flow("undo", window.undo_stack.undo)
    flow("save-undo", window.save_all)

    schema_path = root / ".lightly" / "metadata" / "schema.json"

    def schema_change():
        from core.schema.entries import SchemaEntry

        entries = list(window.workspace.schema_entries)
        first = entries[0]
        entries[0] = SchemaEntry(first.name, first.path, "nowhere", first.value_type)
        window.workspace.set_schema(tuple(entries))
        window.saver.save_schema()

    original_schema = schema_path.read_bytes()
    try:
        flow("schema", schema_change)
    finally:
        schema_path.write_bytes(original_schema)

    def csv_import():
        from gui.csv_import.dialog import ImportDialog

        csv = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-window-{os.getpid()}.csv"
        with open(csv, "w", encoding="utf-8") as f:
            f.write("file_name,Scene\n")
            for m in index.images[-10_000:]:
                f.write(f"{m},imported\n")
        dialog = ImportDialog(window.workspace, window.index, window.undo_stack, window)
        dialog.writer.make_progress_dialog = lambda title, total: None
        plans: list = []
        dialog.planReady.connect(plans.append)
        dialog.load_csv(csv)
        csv_import.dialog = dialog
        csv_import.plans = plans

    def csv_apply():
        dialog = csv_import.dialog
        dialog.apply()

    if "csv-import" in flows:
        flow("csv-import", csv_import, lambda: bool(csv_import.plans))
        flows.append("csv-apply")
        flow("csv-apply", csv_apply)
        flows.append("csv-undo")
        flow("csv-undo", window.undo_stack.undo)
        try:
            window.save_all()  # whatever the undo left unsaved: the datasource stays as generated
            until_settled()
        except RuntimeError as e:  # reported, the figures are still printed
            print(f"  [csv-undo] saving after the undo: {e}", file=sys.stderr)
        csv_import.dialog.deleteLater()

    meter.stop()
    out["rss_end_mb"], out["rss_peak_mb"] = _rss_mb()
    out["rows"] = n_rows
    print(json.dumps(out), flush=True)  # before closing: the figures are what matters
    window.close()
    from gui.common.workers import wait_all

    wait_all()
    os._exit(0)  # no teardown of half-deleted Qt objects after the last flow


# --- parent ----------------------------------------------------------------------------------
def _spawn(args: list[str], timeout: float) -> tuple[dict, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHONPATH": f"{HERE}{os.pathsep}{ROOT}"}
    # As installed (pip compiles to .pyc): without bytecode the editor compiles ~180 modules per start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.time()
    proc = subprocess.run([sys.executable, str(Path(__file__)), *args], env=env, stdout=subprocess.PIPE,
                          timeout=timeout, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"child {args} failed ({proc.returncode})")
    return json.loads(lines[-1]), t0


def _cli_validate(root: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "validate", str(root)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def run_size(n: int, base: Path, flows: list[str], timeout: float) -> dict:
    from datasets import ensure

    root = ensure(n, base)
    bare, t_bare = _spawn(["--child", "bare"], 120)
    res, t_win = _spawn(["--child", "window", "--root", str(root), "--flows", ",".join(flows),
                         "--timeout", str(timeout)], timeout * (len(flows) + 2) + 600)
    cli = _cli_validate(root)
    res["bare_paint_s"] = bare["paint"] - t_bare
    res["paint_s"] = res["paint"] - t_win if res.get("paint") else float("nan")
    res["editor_paint_s"] = res["editor_paint"] - t_win if res.get("editor_paint") else float("nan")
    res["settled_s"] = res["settled"] - t_win
    res["cli_validate_s"] = cli
    return res


def main() -> None:
    from window_report import report

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--dir", type=Path, default=None, help="where the datasources are cached")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--flows", default=",".join(FLOWS))
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per flow")
    parser.add_argument("--child", choices=("bare", "window"))
    parser.add_argument("--root", type=Path)
    args = parser.parse_args()
    flows = [f for f in args.flows.split(",") if f]
    if args.child == "bare":
        return child_bare()
    if args.child == "window":
        return child_window(args.root, flows, args.timeout)
    from datasets import DEFAULT_DIR

    base = args.dir or DEFAULT_DIR
    for n in (int(s) for s in args.sizes.split(",")):
        runs = []
        for k in range(args.repeat):
            print(f"{n:,} images, run {k + 1}/{args.repeat}…", file=sys.stderr, flush=True)
            runs.append(run_size(n, base, flows, args.timeout))
        report(n, runs)


if __name__ == "__main__":
    main()
