"""Event-loop stalls of the GUI thread, with where they happened. Used by bench_window.py.

A 10 ms QTimer ticks on the GUI thread; the gap between two ticks is how long the event
loop was blocked. A watchdog thread samples the GUI thread's Python stack
(faulthandler's dump) every few milliseconds while a gap is growing past 50 ms, so the
longest gap of each phase comes with the code it was spent in (the most frequent sample).
A stall inside Qt's C++ shows the Python frame that called into Qt (often `exec`).
"""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STALL = 0.050


@dataclass
class PhaseStalls:
    name: str
    worst: float = 0.0
    over: int = 0  # gaps over STALL
    stack: list[str] = field(default_factory=list)


def _short(filename: str) -> str:
    p = Path(filename)
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        parts = p.parts
        return "/".join(parts[parts.index("site-packages") + 1:]) if "site-packages" in parts else p.name


class StallMeter:
    def __init__(self, interval_ms: int = 10):
        from PySide6.QtCore import QTimer

        self._gui = threading.get_ident()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.phases: list[PhaseStalls] = []
        self._phase: PhaseStalls | None = None
        self._last = time.perf_counter()
        self._samples: collections.Counter[tuple[str, ...]] = collections.Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._watchdog, daemon=True, name="stall-watchdog")

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()
        self._watch.start()

    def stop(self) -> None:
        self.timer.stop()
        self._stop.set()

    def phase(self, name: str) -> PhaseStalls:
        """Start attributing gaps to a new phase (the previous one ends)."""
        self._tick()
        self._phase = PhaseStalls(name)
        self.phases.append(self._phase)
        return self._phase

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self._last
        self._last = now
        with self._lock:
            samples, self._samples = self._samples, collections.Counter()
        phase = self._phase
        if phase is None:
            return
        if gap > STALL:
            phase.over += 1
        if gap > phase.worst:
            phase.worst = gap
            phase.stack = list(samples.most_common(1)[0][0]) if samples else ["(no sample: GIL held in C)"]

    def _watchdog(self) -> None:
        # faulthandler reads the GUI thread's frames as they are. (sys._current_frames() makes
        # frame objects of another thread's running frames: on CPython 3.11 that corrupted
        # memory now and then, and the window crashed in Qt's timer dispatch, 3 runs in 8.)
        import faulthandler
        import tempfile

        header = f"Thread 0x{self._gui:016x}"
        with tempfile.TemporaryFile("w+") as out:
            while not self._stop.wait(0.005):
                if time.perf_counter() - self._last < STALL * 0.6:
                    continue
                out.seek(0)
                out.truncate()
                faulthandler.dump_traceback(out, all_threads=True)
                out.seek(0)
                key = _stack_of(out.read(), header)
                if key:
                    with self._lock:
                        self._samples[key] += 1


def _stack_of(dump: str, header: str) -> tuple[str, ...]:
    """The last 8 frames (outermost first) of one thread in a faulthandler dump."""
    frames: list[str] = []
    inside = False
    for line in dump.splitlines():
        if line.startswith(("Thread 0x", "Current thread 0x")):
            if inside:
                break
            inside = header in line
        elif inside and line.startswith("  File "):
            path, _, rest = line[len('  File "'):].partition('", line ')
            lineno, _, name = rest.partition(" in ")
            frames.append(f"{_short(path)}:{lineno} {name}")
    return tuple(reversed(frames))[-8:]


_wake = None


def pump(app) -> None:
    """One turn of a benchmark's wait loop: handle the events there are, else sleep in Qt until
    the next one (a 20 ms timer wakes it to look at the loop's condition). Calling
    processEvents() in a loop instead spins one of the two cores the workers need (measured:
    500,000 empty turns a second): it slowed every 'settled' figure."""
    global _wake
    from PySide6.QtCore import QEventLoop, QTimer

    if _wake is None:
        _wake = QTimer()
        _wake.setInterval(20)
        _wake.timeout.connect(lambda: None)
        _wake.start()
    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
