"""Findings for the current file, at the top of the form: severity icon and message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QStyle, QWidget

from core.format.findings import ERROR, WARNING, Finding
from gui.editors import look

MAX_SHOWN = 8

_ICONS = {
    ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
}


class FindingsBanner(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("findingsBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(6, 4, 6, 4)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(2)
        self._labels: list[QWidget] = []
        self.messages: list[str] = []
        self._shown: list[Finding] = []
        self.hide()

    def set_findings(self, findings: list[Finding]) -> None:
        if findings == self._shown:
            return
        self._shown = list(findings)
        for w in self._labels:
            self._grid.removeWidget(w)
            w.hide()  # deleteLater runs later: until then it would still be painted
            w.deleteLater()
        self._labels = []
        order = {ERROR: 0, WARNING: 1}
        items = sorted(findings, key=lambda f: order.get(f.severity, 2))
        self.messages = [self._message(f) for f in items]
        icon_size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        for i, (f, msg) in enumerate(zip(items[:MAX_SHOWN], self.messages)):
            icon = QLabel(self)
            kind = _ICONS.get(f.severity, QStyle.StandardPixmap.SP_MessageBoxInformation)
            pix = self.style().standardIcon(kind)
            icon.setPixmap(pix.pixmap(icon_size, icon_size))
            icon.setToolTip(f.severity)
            text = QLabel(msg, self)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setToolTip(f"{f.code}: {f.text()}")
            if f.severity == ERROR:
                text.setStyleSheet(f"QLabel {{ color: {look.error_color(self.palette()).name()}; }}")
            self._grid.addWidget(icon, i, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(text, i, 1)
            self._labels += [icon, text]
        if len(items) > MAX_SHOWN:
            more = QLabel(f"… and {len(items) - MAX_SHOWN} more", self)
            self._grid.addWidget(more, MAX_SHOWN, 1)
            self._labels.append(more)
        self._grid.setColumnStretch(1, 1)
        self.setVisible(bool(items))

    @staticmethod
    def _message(f: Finding) -> str:
        where = f" (line {f.line}, column {f.column or 1})" if f.line is not None else ""
        field = f" [{f.path}]" if f.path and f.code != "value-type" else ""
        return f"{f.message}{where}{field}"
