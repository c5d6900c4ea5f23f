"""Choose fields and values to set on every frame of a range (the form's editors, by registry)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.format.keypath import MISSING
from core.schema.entries import FieldSpec
from gui.editors.registry import create_editor


class ApplyRangeDialog(QDialog):
    """Fields to set (checked ones only) and the frame range; `values()` after acceptance.

    `known_values(spec)` offers the values already used (the form's KnownValues.values_for).
    """

    def __init__(self, specs: Sequence[FieldSpec], video: str, start: int, end: int, n_frames: int,
                 parent: QWidget | None = None, known_values: Callable[[FieldSpec], list] | None = None):
        super().__init__(parent)
        self.setObjectName("applyRangeDialog")
        self.setWindowTitle("Apply values to range")
        self.specs = list(specs)
        self.checks: dict[str, QCheckBox] = {}
        self.editors: dict[str, Any] = {}

        intro = QLabel(f"Set values on frames of <b>{video}</b>. Only the checked fields are written; "
                       "every other key of existing frame files is kept, missing files are created.", self)
        intro.setWordWrap(True)
        self.start_box, self.end_box = QSpinBox(self), QSpinBox(self)
        for box, value, name in ((self.start_box, start, "rangeStart"), (self.end_box, end, "rangeEnd")):
            box.setObjectName(name)
            box.setRange(0, max(n_frames - 1, 0))
            box.setValue(value)
            box.valueChanged.connect(self._update_count)
        self.count_label = QLabel(self)
        span = QHBoxLayout()
        span.addWidget(QLabel("Frames", self))
        span.addWidget(self.start_box)
        span.addWidget(QLabel("to", self))
        span.addWidget(self.end_box)
        span.addWidget(self.count_label, 1)

        fields = QWidget(self)
        grid = QGridLayout(fields)
        grid.setColumnStretch(1, 1)
        for row, spec in enumerate(self.specs):
            check = QCheckBox(spec.label, fields)
            check.setObjectName(f"set:{spec.path}")
            check.setToolTip(f"{spec.path} ({spec.type.value})")
            editor = create_editor(spec, fields)
            if known_values is not None:
                editor.set_known_values(list(known_values(spec) or []))
            editor.edited.connect(lambda _v, c=check: c.setChecked(True))
            check.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab walks the editors
            grid.addWidget(check, row, 0)
            grid.addWidget(editor, row, 1)
            self.checks[spec.path], self.editors[spec.path] = check, editor
        if not self.specs:
            grid.addWidget(QLabel("The schema has no usable fields yet: add fields in the Schema tab.",
                                  fields), 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("applyRangeError")
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(span)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(520, min(180 + 34 * len(self.specs), 560))
        self._values: dict[str, Any] = {}
        self._update_count()
        if self.specs:
            self.editors[self.specs[0].path].setFocus()

    def selected_range(self) -> tuple[int, int]:
        a, b = self.start_box.value(), self.end_box.value()
        return min(a, b), max(a, b)

    def values(self) -> dict[str, Any]:
        """Schema path -> value for the checked fields (valid after `accept`)."""
        return dict(self._values)

    def _update_count(self) -> None:
        a, b = self.selected_range()
        n = b - a + 1
        self.count_label.setText(f"({n} frame{'s' if n != 1 else ''})")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(f"Apply to {n} frame{'s' if n != 1 else ''}")

    def accept(self) -> None:
        values: dict[str, Any] = {}
        for spec in self.specs:
            editor = self.editors[spec.path]
            if not editor.commit_pending():  # typed text that does not fit the type
                self._fail(f"{spec.label}: {editor.error() or 'not a valid value'}", editor)
                return
            if not self.checks[spec.path].isChecked():
                continue
            try:
                value = editor.value()
            except ValueError as e:
                self._fail(f"{spec.label}: {e}", editor)
                return
            if value is MISSING:
                self._fail(f"{spec.label}: enter a value, or uncheck the field", editor)
                return
            values[spec.path] = value
        if not values:
            self._fail("Check at least one field (typing a value checks it)", None)
            return
        self._values = values
        super().accept()

    def _fail(self, message: str, editor: QWidget | None) -> None:
        self.error_label.setText(message)
        if editor is not None:
            editor.setFocus()
