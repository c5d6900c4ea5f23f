"""The picture beside the form: the selected image, or a video frame decoded with PyAV.

Reading and decoding happen off the GUI thread (gui.media.preview_loader: the newest request
wins, so scrubbing never queues hundreds of decodes); only the QPixmap is made here.
Errors are shown as text in the view, never as a traceback.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.format.naming import FRAME, VIDEO
from core.format.samples import SampleRef
from core.storage import location
from gui.media.preview_loader import PreviewLoader, PreviewRequest

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 32.0


class PreviewView(QWidget):
    """Preview of one sample, scaled to fit, zoomable (Ctrl+wheel, +/-, F = fit), pannable."""

    frameShown = Signal(int)  # a video frame is now on screen

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("previewView")
        self._loader = PreviewLoader()
        self._loader.loaded.connect(self._on_loaded)
        self.destroyed.connect(self._loader.shutdown)
        self._generation = 0
        self._image_generation = 0  # the request whose result is on screen
        self._media_root: Path | None = None
        self._sample: SampleRef | None = None
        self._n_frames: int | None = None
        self._frame: int | None = None  # the frame requested (video/frame samples)
        self.shown_frame: int | None = None  # the frame on screen
        self._image: QImage | None = None
        self._fit = True
        self._zoom = 1.0
        self.error_text = ""

        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._item)
        self.view = QGraphicsView(self._scene, self)
        self.view.setObjectName("previewCanvas")
        self.view.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.view.setBackgroundBrush(QColor("#2b2b2b"))
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(self)

        self.message = QLabel(self)
        self.message.setObjectName("previewMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet("background: #2b2b2b; color: #d8d8d8; padding: 16px;")
        self._stack = QStackedLayout()
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.message)

        self.caption = QLabel(self)
        self.caption.setObjectName("previewCaption")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(70)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.zoom_label)
        for text, tip, slot in (("−", "Zoom out (-, Ctrl+wheel)", self.zoom_out),
                                ("Fit", "Scale to fit the view (F)", self.zoom_fit),
                                ("1:1", "Actual size, one image pixel per screen pixel", self.zoom_actual),
                                ("+", "Zoom in (+, Ctrl+wheel)", self.zoom_in)):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._stack, 1)
        layout.addLayout(bar)
        self._show_message("Select an image, a video or a frame to see it here.")

    def sizeHint(self) -> QSize:
        # Modest, so that beside the form the form's fields get their width first.
        return QSize(420, 320)

    # --- API ------------------------------------------------------------------------------
    def show_sample(self, media_root: Path, sample: SampleRef | None, n_frames: int | None = None) -> None:
        """Show an image, a video's first frame, or a frame; None clears the view."""
        same_media = self._sample is not None and sample is not None and sample.media == self._sample.media
        if sample is not None and sample == self._sample and location(media_root) == self._media_root:
            return
        self._media_root = location(media_root)
        self._sample = sample
        if sample is None:
            self._generation += 1
            self._image, self._frame, self.shown_frame = None, None, None
            self._item.setPixmap(QPixmap())
            self._show_message("Select an image, a video or a frame to see it here.")
            return
        if not same_media:
            self._fit = True
        if sample.kind in (VIDEO, FRAME):
            self._n_frames = sample.n_frames or n_frames
            self._request_frame(sample.frame or 0)
        else:
            self._n_frames = self._frame = None
            self._request(None)

    def show_frame(self, frame: int) -> None:
        """Show another frame of the video on screen (timeline scrubbing); ignored otherwise."""
        if self._sample is None or self._sample.kind not in (VIDEO, FRAME) or frame == self._frame:
            return
        self._request_frame(frame)

    def sample(self) -> SampleRef | None:
        return self._sample

    def current_image(self) -> QImage | None:
        """The image on screen (None while nothing or an error is shown)."""
        return self._image

    def is_loading(self) -> bool:
        return self._image_generation != self._generation

    def zoom(self) -> float:
        return self.view.transform().m11()

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom() / ZOOM_STEP)

    def zoom_actual(self) -> None:
        self._set_zoom(1.0)

    def zoom_fit(self) -> None:
        self._fit = True
        self._apply_fit()

    # --- loading -----------------------------------------------------------------------------
    def _request_frame(self, frame: int) -> None:
        self._frame = frame
        self._request(frame)

    def _request(self, frame: int | None) -> None:
        self._generation += 1
        sample = self._sample
        path = self._media_root.joinpath(*sample.media.split("/"))
        self._loader.request(PreviewRequest(self._generation, path, sample.media, frame, self._n_frames))
        self._update_caption(loading=True)

    def _on_loaded(self, generation: int, image: QImage | None, error: str) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        self._image_generation = generation
        if image is None:
            self._image, self.shown_frame = None, None
            self.error_text = error
            self._item.setPixmap(QPixmap())
            what = "frame" if self._sample.kind == FRAME else self._sample.kind
            self._show_message(f"Cannot show this {what}\n\n{error}")
            self.caption.setText(self._sample.media)
            return
        self.error_text = ""
        self._image = image
        self._item.setPixmap(QPixmap.fromImage(image))
        self._scene.setSceneRect(QRectF(self._item.boundingRect()))
        self._stack.setCurrentWidget(self.view)
        if self._fit:
            self._apply_fit()
        self._update_caption()
        if self._frame is not None:
            self.shown_frame = self._frame
            self.frameShown.emit(self._frame)
        else:
            self.shown_frame = None

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self._stack.setCurrentWidget(self.message)
        self.caption.setText("")
        self.zoom_label.setText("")

    def _update_caption(self, loading: bool = False) -> None:
        sample = self._sample
        if sample is None:
            return
        parts = [sample.media]
        if self._frame is not None:
            n = self._n_frames
            width = len(str(n)) if n else 1
            total = f" / {n}" if n else ""
            parts.append(f"frame {self._frame:0{width}d}{total}")
            if sample.kind == VIDEO:
                parts[-1] += " (video)"
        if self._image is not None and not loading:
            parts.append(f"{self._image.width()}×{self._image.height()}")
        if loading:
            parts.append("loading…")
        self.caption.setText("  ·  ".join(parts))
        self.caption.setToolTip(sample.media)
        self._update_zoom_label()

    def _update_zoom_label(self) -> None:
        if self._image is None:
            self.zoom_label.setText("")
            return
        percent = f"{round(self.zoom() * 100)}%"
        self.zoom_label.setText(f"Fit {percent}" if self._fit else percent)

    # --- zoom ------------------------------------------------------------------------------------
    def _set_zoom(self, factor: float, anchor: QPoint | None = None) -> None:
        """Scale to `factor`, keeping the scene point under `anchor` (default: the centre) in place."""
        if self._image is None:
            return
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        port = self.view.viewport()
        anchor = anchor if anchor is not None else port.rect().center()
        fixed = self.view.mapToScene(anchor)
        self._fit = False
        self.view.resetTransform()
        self.view.scale(factor, factor)
        # Move the view so that `fixed` is under `anchor` again.
        moved = self.view.mapFromScene(fixed) - anchor
        for bar, delta in ((self.view.horizontalScrollBar(), moved.x()),
                           (self.view.verticalScrollBar(), moved.y())):
            bar.setValue(bar.value() + delta)
        self._update_drag_mode()
        self._update_zoom_label()

    def _apply_fit(self) -> None:
        if self._image is None:
            return
        self.view.resetTransform()
        rect = self._item.boundingRect()
        viewport = self.view.viewport().rect()
        if rect.width() > 0 and rect.height() > 0 and viewport.width() > 2 and viewport.height() > 2:
            scale = min((viewport.width() - 2) / rect.width(), (viewport.height() - 2) / rect.height())
            self.view.scale(scale, scale)
            self.view.centerOn(self._item)
        self._update_drag_mode()
        self._update_zoom_label()

    def _update_drag_mode(self) -> None:
        rect = self.view.mapFromScene(self._item.boundingRect()).boundingRect()
        port = self.view.viewport()
        pannable = rect.width() > port.width() or rect.height() > port.height()
        mode = QGraphicsView.DragMode.ScrollHandDrag if pannable else QGraphicsView.DragMode.NoDrag
        self.view.setDragMode(mode)
        # Enlarged far beyond fit, pixels are what the annotator wants to see.
        smooth = self.zoom() < 3
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation if smooth
                                         else Qt.TransformationMode.FastTransformation)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.view.viewport():
            if kind == QEvent.Type.Wheel and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                delta = event.angleDelta().y()
                if delta:
                    self._set_zoom(self.zoom() * (ZOOM_STEP ** (delta / 120)), event.position().toPoint())
                return True
            if kind == QEvent.Type.Resize and self._fit:
                self._apply_fit()
        elif watched is self.view and kind == QEvent.Type.KeyPress and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            key = event.key()
            if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
                self.zoom_in()
                return True
            if key == Qt.Key.Key_Minus:
                self.zoom_out()
                return True
            if key == Qt.Key.Key_F:
                self.zoom_fit()
                return True
        return super().eventFilter(watched, event)
