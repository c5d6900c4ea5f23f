"""Child process for tests/fuzz: open the editor window on a datasource and visit every media file.

Run as `python -m tests.fuzz.window_walk DATASOURCE OUT.json` with QT_QPA_PLATFORM=offscreen. Writes
{"visited", "exceptions", "errors", "finding_files"}; a crash shows as the child's exit status.
"""

from __future__ import annotations

import faulthandler
import json
import sys
import time
import traceback

#: Each wait's bound; past it the walk prints every thread's stack and what it waited for, and fails.
WAIT_SECONDS = 300.0


def main(root: str, out: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import main as app_main
    from gui.common import settings

    # A hang inside a Qt call never returns to a wait below: past this bound every thread's stack
    # is printed and the process exits, so the test reports where it stuck.
    faulthandler.dump_traceback_later(3 * WAIT_SECONDS, exit=True)
    exceptions: list[str] = []
    sys.excepthook = lambda t, v, tb: exceptions.append("".join(traceback.format_exception(t, v, tb)))
    settings.use_file(out + ".settings.ini")
    qapp = QApplication.instance() or QApplication([])
    w = app_main.build_window(root)
    errors: list[str] = []
    w.show_error = lambda title, text: errors.append(f"{title}: {text}")
    w.ask_save_discard_cancel = lambda action: "discard"
    w.show()

    def close_modals() -> None:  # a dialog nobody answers would hang the walk: report it, close it
        modal = QApplication.activeModalWidget()
        if modal is not None:
            text = modal.text() if hasattr(modal, "text") else ""
            errors.append(f"modal {type(modal).__name__} {modal.windowTitle()!r}: {text}")
            print(f"walk: closing {errors[-1]}", file=sys.stderr, flush=True)
            modal.close()

    modal_watch = QTimer(interval=250)
    modal_watch.timeout.connect(close_modals)
    modal_watch.start()

    def wait(what: str, cond) -> None:  # generous: a loaded CI machine is slow, not wrong
        print(f"walk: waiting for {what}", file=sys.stderr, flush=True)
        end = time.monotonic() + WAIT_SECONDS
        while not cond():
            if time.monotonic() > end:
                print(f"walk: gave up waiting for {what}; loader validated={w.loader.validated} "
                      f"busy={w.loader.busy} window busy={w.is_busy()}", file=sys.stderr, flush=True)
                faulthandler.dump_traceback(sys.stderr, all_threads=True)
                raise SystemExit(3)
            qapp.processEvents()
            time.sleep(0.005)

    wait("validation", lambda: w.loader.validated and not w.loader.busy)
    index = w.workspace.index
    visited = 0
    for media in index.images + index.videos:
        print(f"walk: visiting {media!r}", file=sys.stderr, flush=True)
        w.select_media(media)
        for _ in range(5):
            qapp.processEvents()
        visited += 1
    for video in index.videos:  # after all the hostile files: a frame (this once crashed Qt)
        wait(f"the frame count of {video}", lambda v=video: index.frame_counts.get(v) is not None)
        if index.frame_counts.get(video):
            w.select_media(video, frame=0)
            for _ in range(20):
                qapp.processEvents()
            visited += 1
    wait("every background task", lambda: not w.is_busy())
    result = {"visited": visited, "exceptions": exceptions, "errors": errors,
              "finding_files": sorted({f.file for f in w.findings.all()})}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f)
    w.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
