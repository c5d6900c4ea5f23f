"""Icons loaded by name from resources/icons/*.svg (no .qrc build step), plus badged variants.

A badged icon draws a small state icon (own file, inherits, problem...) over the
lower-right corner of a base icon (image, video, frame), so one tree column shows both.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from core.bundled import resource

ICON_DIR = resource("icons")
_SIZES = (16, 20, 24, 32, 48)


def icon_path(name: str) -> Path:
    return ICON_DIR / f"{name}.svg"


@cache
def _renderer(name: str) -> QSvgRenderer:
    path = icon_path(name)
    if not path.is_file():
        raise FileNotFoundError(f"no icon named {name!r} in {ICON_DIR}")
    return QSvgRenderer(str(path))


def _pixmap(size: int, layers: tuple[tuple[str, QRectF], ...]) -> QPixmap:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for name, rect in layers:
        _renderer(name).render(painter, QRectF(rect.x() * size, rect.y() * size,
                                               rect.width() * size, rect.height() * size))
    painter.end()
    return pm


@cache
def icon(name: str) -> QIcon:
    """The icon `resources/icons/<name>.svg`, rendered crisply at the usual sizes."""
    whole = QRectF(0, 0, 1, 1)
    result = QIcon()
    for size in _SIZES:
        result.addPixmap(_pixmap(size, ((name, whole),)))
    return result


@cache
def badged(base: str, badge: str | None) -> QIcon:
    """`base` with `badge` drawn over its lower-right corner (just `base` when badge is None)."""
    if badge is None:
        return icon(base)
    layers = ((base, QRectF(0, 0, 0.85, 0.85)), (badge, QRectF(0.42, 0.42, 0.58, 0.58)))
    result = QIcon()
    for size in _SIZES:
        result.addPixmap(_pixmap(size, layers))
    return result
