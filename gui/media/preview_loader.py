"""Loading for the preview, off the GUI thread: the newest request wins, one video open at a time.

One background job at a time holds one `FrameReader` (with its frame cache) for the
video being looked at; a request that arrives while it decodes replaces the pending one,
so scrubbing through 300 frames decodes a handful, never 300. Images are read with
QImageReader (a QImage may be made in any thread; the QPixmap only in the GUI thread).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QImageReader

from core.storage import BucketPath
from core.storage.object_cache import local_copy
from core.video.counting import FrameReader, VideoReadError
from gui.common.workers import start_task

MAX_IMAGE_SIDE = 8192  # larger images are scaled down while reading (memory, not looks)


@dataclass(frozen=True)
class PreviewRequest:
    generation: int
    path: Path
    label: str
    frame: int | None = None  # None: an image
    n_frames: int | None = None


class PreviewLoader(QObject):
    """Runs the newest pending request in the thread pool; older pending ones are dropped."""

    loaded = Signal(int, object, str)  # generation, QImage (None on error), error text

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._pending: PreviewRequest | None = None
        self._running = False
        self._closed = False
        self._reader: FrameReader | None = None  # used only inside _drain (one at a time)
        self._reader_key: tuple[Path, int | None] | None = None
        self.decodes = 0  # requests actually decoded (tests check that scrubbing skips some)

    def request(self, req: PreviewRequest) -> None:
        with self._lock:
            self._pending = req
            if self._running or self._closed:
                return
            self._running = True
        start_task(self._drain)

    def shutdown(self) -> None:
        """Drop pending work and close the video once the running decode (if any) ends."""
        with self._lock:
            self._pending, self._closed = None, True
            if self._running:
                return
        self._close_reader()

    def _drain(self, progress=None, cancel=None) -> None:
        while True:
            with self._lock:
                req, self._pending = self._pending, None
                if req is None:
                    self._running = False
                    if self._closed:
                        self._close_reader()
                    return
            image, error = self._load(req)
            self.decodes += 1
            self.loaded.emit(req.generation, image, error)

    def _load(self, req: PreviewRequest) -> tuple[QImage | None, str]:
        if req.frame is None:
            return _read_image(req.path)
        key = (req.path, req.n_frames)
        try:
            if self._reader_key != key:
                self._close_reader()
                self._reader = FrameReader(req.path, req.n_frames, cache_size=48, label=req.label)
                self._reader_key = key
            w, h, rgb = self._reader.read(req.frame)
        except VideoReadError as e:
            self._close_reader()
            return None, str(e)
        except Exception as e:  # a preview never takes the editor down
            self._close_reader()
            return None, f"{req.label}: cannot show frame {req.frame} ({e})"
        return QImage(rgb, w, h, 3 * w, QImage.Format.Format_RGB888).copy(), ""

    def _close_reader(self) -> None:
        if self._reader is not None:
            try:
                self._reader.close()
            except Exception:  # closing a broken file must not raise out of a worker
                pass
        self._reader, self._reader_key = None, None


def _read_image(path: Path) -> tuple[QImage | None, str]:
    if isinstance(path, BucketPath):  # an object: its local copy (kept by version, size-capped)
        try:
            path = local_copy(path)
        except OSError as e:
            return None, str(e)
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > MAX_IMAGE_SIDE:
        reader.setScaledSize(size.scaled(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        reason = reader.errorString() if path.exists() else "file not found"
        return None, f"{path.name}: cannot show this image ({reason})"
    return image, ""
