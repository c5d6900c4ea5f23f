"""The Schema tab's cell editors: one per type, null allowed, lint while typing."""

from __future__ import annotations

from PySide6.QtWidgets import QStyleOptionViewItem

from gui.schema.delegates import (
    INVALID,
    BoolComboBox,
    JsonLine,
    NullableEditor,
    NumberBox,
    TextLine,
    TypeComboBox,
)
from gui.schema.table_model import DEFAULT, NAME, TYPE
from tests.gui.schema.support import entries_of as _entries


def _editor(panel, row, col):
    index = panel.model.index(row, col)
    editor = panel.delegate.createEditor(panel.table.viewport(), QStyleOptionViewItem(), index)
    panel.delegate.setEditorData(editor, index)
    return editor, index


def test_editors_follow_the_row_type(panel):
    panel.model.fix_type(2)
    kinds = {
        (0, DEFAULT): (NullableEditor, TextLine),
        (1, DEFAULT): (NullableEditor, NumberBox),
        (2, DEFAULT): (NullableEditor, NumberBox),
        (3, DEFAULT): (BoolComboBox, None),
        (0, TYPE): (TypeComboBox, None),
        (0, NAME): (TextLine, None),
    }
    for (row, col), (cls, inner) in kinds.items():
        editor, _ = _editor(panel, row, col)
        assert type(editor) is cls
        if inner:
            assert type(editor.inner) is inner
    panel.model.set_cell(0, TYPE, "NOT_A_TYPE")
    assert type(_editor(panel, 0, DEFAULT)[0]) is JsonLine


def test_type_combo_lists_documented_types_then_advanced(panel):
    combo, _ = _editor(panel, 2, TYPE)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts[0] == "NUMERICAL_INT (unknown)" and combo.currentIndex() == 0
    assert texts[1:6] == ["NUMERIC_INT", "NUMERIC_FLOAT", "CATEGORICAL_INT", "CATEGORICAL_STRING",
                          "CATEGORICAL_BOOLEAN"]
    assert texts[-3:] == ["CATEGORICAL_DATETIME (advanced)", "CATEGORICAL_TIMESTAMP (advanced)",
                          "OTHER_STRING (advanced)"]


def test_int_editor_takes_any_json_integer_and_null(panel, qtbot):
    panel.model.fix_type(2)
    editor, index = _editor(panel, 2, DEFAULT)
    edited = []
    editor.valueEdited.connect(lambda: edited.append(1))
    editor.set_value(10**30)  # beyond 64 bits; set from code: no user-edit signal
    assert editor.value() == 10**30 and not edited
    panel.delegate.setModelData(editor, panel.model, index)
    assert _entries(panel)[2].default == 10**30
    editor.inner.stepBy(1)
    assert editor.value() == 10**30 + 1 and edited
    editor.inner.lineEdit().setText("12x")
    assert editor.value() is INVALID
    panel.delegate.setModelData(editor, panel.model, index)  # not committed
    assert _entries(panel)[2].default == 10**30
    editor.null_button.click()
    assert editor.value() is None
    panel.delegate.setModelData(editor, panel.model, index)
    assert _entries(panel)[2].default is None


def test_number_editor_accepts_any_json_number(panel):
    box = NumberBox(integer=False)
    for text, value in (("1e-3", 0.001), ("-2", -2), ("3.25", 3.25), ("", None)):
        box.lineEdit().setText(text)
        assert box.value() == value
    from PySide6.QtGui import QValidator

    assert box.validate("1e", 2) == QValidator.State.Intermediate
    assert box.validate("abc", 3) == QValidator.State.Invalid


def test_string_editor_distinguishes_empty_string_and_null(panel):
    editor, index = _editor(panel, 0, DEFAULT)
    assert editor.value() == "sunny"
    editor.inner.setText("")
    panel.delegate.setModelData(editor, panel.model, index)
    assert _entries(panel)[0].default == ""
    editor.null_button.click()
    panel.delegate.setModelData(editor, panel.model, index)
    assert _entries(panel)[0].default is None


def test_bool_editor_offers_true_false_null(panel):
    editor, index = _editor(panel, 3, DEFAULT)
    assert [editor.itemText(i) for i in range(3)] == ["true", "false", "null"]
    assert editor.value() is False
    editor.setCurrentIndex(2)
    panel.delegate.setModelData(editor, panel.model, index)
    assert _entries(panel)[3].default is None


def test_findings_show_in_the_editor_while_typing(panel, qtbot):
    panel.show()
    editor, _ = _editor(panel, 1, NAME)
    editor.show()
    editor.clear()
    qtbot.keyClicks(editor, "Weather")
    assert "already used by entry 0" in editor.toolTip()
    qtbot.keyClicks(editor, "2")
    assert editor.toolTip() == ""
    assert panel.undo_stack.count() == 0  # nothing is committed while typing


# --- propose from data ------------------------------------------------------------------------
