"""Starting the editor: the QApplication, the main window, and `--screenshot` rendering.

`main.py` parses the command line and calls `run(args)`; tests and scripts call
`build_window(...)`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.storage import is_url, location

APP_TITLE = "Lightly Metadata Editor"  # gui.window.dialogs says the same; this module stays light

EXIT_USAGE = 2
_HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay")
SCREENSHOT_SIZE = (1360, 860)
SCREENSHOT_TIMEOUT_MS = 120_000


def has_display() -> bool:
    """Whether Qt can open windows here (on Linux: an X11 or Wayland display, or a headless platform)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform in _HEADLESS_PLATFORMS:
        return True
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY_MESSAGE = (
    "error: no display to open the editor window on (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
    "  - run it on a desktop session (or with X forwarding: ssh -X),\n"
    "  - or render the window to an image: main.py [DATASOURCE] --screenshot out.png,\n"
    "  - or use the command line: main.py validate DATASOURCE / main.py export DATASOURCE."
)


def application():
    """The running QApplication, created (with name, organisation and icon) if needed."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        # Workers are Python threads: with the default 5 ms switch interval, the GUI thread waits
        # up to 5 ms for the GIL after each call into Qt, and a repaint makes hundreds of them.
        sys.setswitchinterval(0.0005)
        from core.dataset.columns import tune_allocator

        tune_allocator()  # memory of a million-file scan and fill goes back to the OS when freed
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Lightly Metadata Editor")
        app.setOrganizationName("lightly-metadata-editor")  # the icon is set by MainWindow (QtSvg: 0.1 s)
    forget_source_lines_when_settled()
    return app


_forgetting = False


def forget_source_lines_when_settled() -> None:
    """Each time background work settles, drop the source lines Python keeps (`_drop_source_lines`)."""
    global _forgetting
    if not _forgetting:
        from gui.common.workers import activity

        activity().settled.connect(_drop_source_lines)
        _forgetting = True


def _drop_source_lines() -> None:
    """Forget the source lines Python keeps for tracebacks. PySide6's import hook (its
    `__feature__` support) reads the source of every module imported after it through
    `inspect`, which keeps every line in `linecache`: 170,000 lines, 17 MB, measured with
    tracemalloc in the window at 100k files. A traceback reads the lines it needs again."""
    import linecache

    linecache.clearcache()


def default_datasource() -> tuple[Path, Path | None]:
    """The last datasource opened if it still exists, else the user's copy of the demo."""
    from gui.common import settings

    last = settings.get("recent/last")
    if last:
        media, lightly = settings.split_recent(last)
        if all(r is None or is_url(r) or Path(r).is_dir() for r in (media, lightly)):
            return location(media), location(lightly) if lightly else None
    from core.dataset.demo import demo_copy

    return demo_copy(), None


def build_window(media_root=None, lightly_root=None, *, remember: bool = True):
    """The main window on `media_root` (default: last datasource, else the demo); not shown yet.

    `remember=False` leaves the user's settings alone (window layout, recent folders).
    """
    application()
    from gui.preferences.dialog import apply_saved
    from gui.window.main_window import MainWindow

    apply_saved()  # the cache cap and network options of File ▸ Settings…

    if media_root is None:
        media_root, default_lightly = default_datasource()
        lightly_root = lightly_root or default_lightly
    return MainWindow(media_root, lightly_root, remember=remember)


def _check_folder(path, what: str) -> str | None:
    if path is None or is_url(path):
        return None  # a bucket is checked (with a clear message) by the scan
    p = Path(path)
    if not p.exists():
        return f"error: {what} {p} does not exist"
    if not p.is_dir():
        return f"error: {what} {p} is not a folder"
    return None


def run(args) -> int:
    """Open the editor (args: .datasource, .lightly_root, .screenshot); returns the exit code."""
    screenshot = getattr(args, "screenshot", None)
    lightly_root = getattr(args, "lightly_root", None)
    for path, what in ((args.datasource, "datasource"), (lightly_root, "Lightly root")):
        problem = _check_folder(path, what)
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_USAGE
    if not has_display():
        if not screenshot:
            print(NO_DISPLAY_MESSAGE, file=sys.stderr)
            return EXIT_USAGE
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from gui.window.platform_check import problem

    widgets = sys.modules.get("PySide6.QtWidgets")
    started = widgets is not None and widgets.QApplication.instance() is not None
    blocker = None if started else problem()  # before Qt loads its platform plugin: Qt would abort
    if blocker and screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a picture needs no window system
        blocker = problem()
    if blocker:
        print(blocker, file=sys.stderr)
        return EXIT_USAGE
    app = application()
    if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        _quiet_offscreen_warnings()
    if screenshot:
        # Reproducible pictures (README): the demo unless a datasource is named; settings untouched.
        if args.datasource is None:
            from core.dataset.demo import demo_copy

            args.datasource = str(demo_copy())
        window = build_window(args.datasource, lightly_root, remember=False)
        return save_screenshot(window, Path(screenshot))
    start_editor(args.datasource, lightly_root)
    return app.exec()


class StartupShell:
    """What a user sees at once: a plain window at the editor's place saying what it opens.

    Importing and building the editor's panels takes longer than a bare Qt window (0.5-1 s on a
    busy laptop); the shell paints first, then the editor is built on the next event-loop turn
    and shown in its place (same geometry), and the shell closes. `window` is the editor once
    built; `on_ready(window)` runs then.
    """

    def __init__(self, media_root, lightly_root=None, *, remember: bool = True, on_ready=None):
        from PySide6.QtCore import QEvent, QObject, Qt, QTimer
        from PySide6.QtWidgets import QLabel, QMainWindow

        from gui.common import settings

        self.window = None
        self._args = (media_root, lightly_root, remember)
        self._on_ready = on_ready
        self.frame = frame = QMainWindow()
        frame.setWindowTitle(APP_TITLE)
        name = Path(str(media_root).rstrip("/")).name if media_root is not None else ""
        frame.setWindowTitle(f"Opening {name} — {APP_TITLE}" if name else APP_TITLE)
        label = QLabel(f"Opening {name}…" if name else "Opening…", frame)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setEnabled(False)
        frame.setCentralWidget(label)
        geometry = settings.get("window/geometry") if remember else None
        if not geometry or geometry.isEmpty() or not frame.restoreGeometry(geometry):
            available = frame.screen().availableGeometry()  # as MainWindow's first start
            frame.resize(min(1280, int(available.width() * 0.9)), min(820, int(available.height() * 0.9)))
        shell = self

        class _Painted(QObject):
            def eventFilter(self, watched, event) -> bool:
                if event.type() == QEvent.Type.Paint:
                    watched.removeEventFilter(self)
                    QTimer.singleShot(0, shell._build)  # after this paint has reached the screen
                return False

        self._watch = _Painted(frame)
        frame.installEventFilter(self._watch)
        frame.show()
        QTimer.singleShot(2000, self._build)  # a platform that never paints it (started minimised)

    def _build(self) -> None:
        from PySide6.QtCore import QTimer

        if self.window is not None or self._args is None:
            return
        (media_root, lightly_root, remember), self._args = self._args, None
        window = build_window(media_root, lightly_root, remember=remember)
        if not remember:
            window.setGeometry(self.frame.geometry())
        window.show()
        self.window = window
        # Closed once the editor is on screen (no empty moment between the two); kept, not deleted,
        # so a paint already queued for it finds it.
        QTimer.singleShot(0, self.frame.close)
        if self._on_ready is not None:
            self._on_ready(window)


def start_editor(media_root=None, lightly_root=None, *, remember: bool = True, on_ready=None) -> StartupShell:
    """The interactive start: a shell window paints at once, the editor replaces it when built."""
    return StartupShell(media_root, lightly_root, remember=remember, on_ready=on_ready)


def _quiet_offscreen_warnings() -> None:
    """The offscreen platform warns about window features it lacks; that is noise for a screenshot."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:
        if "does not support propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def save_screenshot(window, path: Path) -> int:
    """Render `window` once loaded and validated, with an item selected, to a PNG file."""
    from PySide6.QtCore import QEventLoop, QTimer

    window.resize(*SCREENSHOT_SIZE)
    window.show()
    loop = QEventLoop()
    timer = QTimer(singleShot=True)
    timer.timeout.connect(loop.quit)
    timer.start(SCREENSHOT_TIMEOUT_MS)

    def wait_for(ready) -> None:
        if not ready() and timer.isActive():
            poll = QTimer(interval=50)
            poll.timeout.connect(lambda: ready() and loop.quit())
            poll.start()
            loop.exec()
            poll.stop()

    wait_for(lambda: window.index is not None)
    wait_for(lambda: not window.loader.busy)
    if window.index is None:
        print(f"error: the datasource did not load within {SCREENSHOT_TIMEOUT_MS // 1000} s", file=sys.stderr)
        return 1
    target = pick_showcase_item(window)
    if target is not None:
        window.select_media(*target)
    for _ in range(5):  # let deferred layouts and debounced updates run
        QTimer.singleShot(30, loop.quit)
        loop.exec()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        print(f"error: cannot write {path}", file=sys.stderr)
        return 1
    print(f"saved {path}")
    window.close()
    return 0


def pick_showcase_item(window) -> tuple[str, int | None] | None:
    """What a screenshot shows: an image with its own, problem-free file (root folder first).

    The folder of the first video is expanded too, so video rows and their badges show.
    """
    index = window.index
    if index.videos:
        folder = index.videos[0].rpartition("/")[0]
        if folder:
            window.files.view.expand(window.files.proxy.mapFromSource(window.files.model.index_of(folder)))
    candidates = sorted(index.images, key=lambda m: ("/" in m, m))
    for media in candidates:
        if media in index.by_media and not window.findings.for_sample(index.sample(media)):
            return media, None
    for video, files in sorted(index.frame_files.items()):
        for frame in sorted(files):
            return video, frame
    media = index.media[:1]
    return (media[0], None) if media else None
