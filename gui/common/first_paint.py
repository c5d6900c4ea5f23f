"""Run something once the window has painted for the first time (or at once if it has).

Opening a datasource starts the scan after the first paint, so the window shows at once
and the scan's thread does not compete with the first layout and paint for the GIL.
A window that is not shown (tests, scripts) starts on the next event-loop turn.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from gui.common.workers import activity


class AfterFirstPaint(QObject):
    """`call(fn)`: fn runs after `window`'s first paint; later calls run on the next event-loop turn."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self.painted = False
        self._pending: list[Callable[[], None]] = []
        window.installEventFilter(self)

    def call(self, fn: Callable[[], None]) -> None:
        self._pending.append(fn)
        activity().begin()  # pending work: the window is busy until it has run
        QTimer.singleShot(0, self._maybe_run)

    def _maybe_run(self) -> None:
        if self.painted or not self._window.isVisible():
            self._run()
        # else: shown and not painted yet; the Paint event runs it

    def _run(self) -> None:
        pending, self._pending = self._pending, []
        for fn in pending:
            try:
                fn()
            finally:
                activity().end()

    def eventFilter(self, watched, event) -> bool:
        if watched is self._window and not self.painted and event.type() == QEvent.Type.Paint:
            self.painted = True
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._run)  # after this paint has finished
        return False
