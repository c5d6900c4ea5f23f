"""The schema fields of the form, grouped by nested path (`weather.description` under "weather")."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStyle, QVBoxLayout, QWidget

from core.schema.entries import FieldSpec
from gui.editors import look
from gui.form.field_row import FieldRow

#: Horizontal offset of a nested group's rows: 2 px border + 10 px margin.
INDENT = 12
_BORDER = 2


def group_tree(specs: tuple[FieldSpec, ...]) -> list:
    """Specs as a tree in first-appearance order: items are FieldSpec or (key, [items])."""
    root: list = []
    groups: dict[tuple[str, ...], list] = {(): root}
    for spec in specs:
        keys = spec.group
        for depth in range(1, len(keys) + 1):
            prefix = keys[:depth]
            if prefix not in groups:
                children: list = []
                groups[prefix] = children
                groups[prefix[:-1]].append((prefix[-1], children))
        groups[keys].append(spec)
    return root


class FieldsPanel(QWidget):
    """Builds one FieldRow per spec; `rows` maps schema path to row, in display order."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fieldsPanel")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.rows: dict[str, FieldRow] = {}
        self._content: QWidget | None = None

    def build(self, specs: tuple[FieldSpec, ...]) -> None:
        if self._content is not None:
            self._layout.removeWidget(self._content)
            self._content.deleteLater()
        self.rows = {}
        self._content = QWidget(self)
        box = QVBoxLayout(self._content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(5)
        if not specs:
            hint = QLabel(
                "The schema has no usable fields yet. Add entries in the schema panel; "
                "keys already in the file are listed under Other metadata.", self._content)
            hint.setWordWrap(True)
            hint.setObjectName("noFieldsHint")
            box.addWidget(hint)
        else:
            fm = QFontMetrics(self.font())
            need = max(fm.horizontalAdvance(s.label) + INDENT * len(s.group) for s in specs)
            self._label_width = min(max(need + 8, 110), 260)
            self._badge_width = max(fm.horizontalAdvance(t) for t in look.BADGE_TEXT.values()) + 18
            self._fill(box, group_tree(specs), 0)
        self._layout.addWidget(self._content)
        editors = [row.editor for row in self.rows.values()]
        for a, b in zip(editors, editors[1:]):
            QWidget.setTabOrder(a, b)

    def editors(self) -> list[QWidget]:
        return [row.editor for row in self.rows.values()]

    def _fill(self, box: QVBoxLayout, items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, FieldSpec):
                row = FieldRow(item, self._label_width - INDENT * depth, self._badge_width, self._content)
                self.rows[item.path] = row
                box.addWidget(row)
            else:
                key, children = item
                box.addWidget(self._group(key, children, depth))

    def _group(self, key: str, children: list, depth: int) -> QWidget:
        section = QWidget(self._content)
        section.setObjectName(f"group:{key}")
        lay = QVBoxLayout(section)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(2)
        title = QLabel(key, section)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        lay.addWidget(title)
        body = QFrame(section)
        body.setObjectName("groupBody")
        line = look.mix(self.palette().color(QPalette.ColorRole.Base),
                        self.palette().color(QPalette.ColorRole.Highlight), 0.45)
        body.setStyleSheet(
            f"QFrame#groupBody {{ border: none; border-left: {_BORDER}px solid {line.name()}; }}")
        inner = QVBoxLayout(body)
        inner.setContentsMargins(INDENT - _BORDER, 2, 0, 2)
        inner.setSpacing(5)
        self._fill(inner, children, depth + 1)
        lay.addWidget(body)
        return section


class FieldsScrollArea(QScrollArea):
    """Scrolls the fields up and down only: its minimum width is what the rows need.

    Beside a large preview (a splitter) the form used to be narrower than its rows, so it
    scrolled sideways and cut group headings ("amera") and values; with this minimum the
    splitter gives the preview less instead.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        width = content.minimumSizeHint().width() + bar + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())
