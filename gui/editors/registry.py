"""Field editors, one per value type, chosen by registry lookup (`EDITORS`, `create_editor`).

Every editor is the input widget itself (named `field:<schema path>`) and has the same
protocol (editor_base.FieldEditor): `value()`, `set_value(v)` from code (never emits),
`set_effective(v)` for the inherited/default value shown when the file has none,
`set_mixed(True)` for bulk edits, `commit_value(v)` (set and emit, for hotkeys and "copy
from previous"), and the one user signal `edited(value)`; a typed value that does not fit
emits `inputError(reason)` instead and is not committed. `MISSING` means "not set here".
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from core.format.value_types import ValueType
from core.schema.entries import FieldSpec
from gui.editors.base import FieldEditor, same_value
from gui.editors.choice import BoolEditor, CategoricalEditor
from gui.editors.text import DateTimeEditor, FloatEditor, IntEditor, StringEditor, TextFieldEditor

#: The registry: which editor edits which value type.
EDITORS: dict[ValueType, type] = {
    ValueType.NUMERIC_INT: IntEditor,
    ValueType.NUMERIC_FLOAT: FloatEditor,
    ValueType.CATEGORICAL_INT: CategoricalEditor,
    ValueType.CATEGORICAL_STRING: CategoricalEditor,
    ValueType.CATEGORICAL_BOOLEAN: BoolEditor,
    ValueType.CATEGORICAL_DATETIME: DateTimeEditor,
    ValueType.CATEGORICAL_TIMESTAMP: IntEditor,
    ValueType.OTHER_STRING: StringEditor,
}


def create_editor(spec: FieldSpec, parent: QWidget | None = None) -> QWidget:
    """The editor widget for `spec`, named `field:<path>`."""
    return EDITORS[spec.type](spec, parent)


__all__ = [
    "EDITORS", "BoolEditor", "CategoricalEditor", "DateTimeEditor", "FieldEditor", "FloatEditor",
    "IntEditor", "StringEditor", "TextFieldEditor", "create_editor", "same_value",
]
