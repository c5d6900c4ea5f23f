"""One line under the dataset table saying what the cell styles mean, in those styles."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget

from core.effective.values import DEFAULT, FILE, INVALID, VIDEO
from gui.dataset.model import CellLook


class SourceLegend(QLabel):
    """"Values: set in the file · inherited from the video · the schema's default · invalid"."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("datasetLegend")
        look = CellLook(QGuiApplication.palette())

        def styled(source: str, text: str) -> str:
            css = []
            if source in look.foreground:
                css.append(f"color:{look.foreground[source].color().name()}")
            if source in look.background:
                css.append(f"background-color:{look.background[source].color().name()}")
            if source in look.font and look.font[source].italic():
                css.append("font-style:italic")
            return f"<span style='{';'.join(css)}'>&nbsp;{text}&nbsp;</span>"

        parts = [styled(FILE, "set in its file"), styled(VIDEO, "inherited from the video"),
                 styled(DEFAULT, "the schema's default"), styled(INVALID, "invalid (hover for why)")]
        self.setText("Values: " + " · ".join(parts))
        self.setToolTip("Where each value comes from — what Lightly will use for that sample")
