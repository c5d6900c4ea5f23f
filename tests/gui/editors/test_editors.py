"""Field editors: registry lookup, value()/set_value(), and `edited` only on user commits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from core.format.keypath import MISSING
from core.format.value_types import ValueType
from core.schema.entries import SchemaEntry, compile_schema
from gui.editors.registry import (
    EDITORS,
    BoolEditor,
    CategoricalEditor,
    DateTimeEditor,
    FloatEditor,
    IntEditor,
    StringEditor,
    create_editor,
)


def spec(vt: ValueType, path: str = "a.b", default=None):
    return compile_schema([SchemaEntry("Field", path, default, vt.value)])[0]


def make(qtbot, vt: ValueType, **kw):
    ed = create_editor(spec(vt, **kw))
    qtbot.addWidget(ed)
    edited, errors = [], []
    ed.edited.connect(edited.append)
    ed.inputError.connect(errors.append)
    return ed, edited, errors


def type_and_enter(qtbot, widget, text: str) -> None:
    target = widget.lineEdit() if isinstance(widget, CategoricalEditor) else widget
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def click_box(qtbot, box) -> None:
    """Click the check box's indicator (the widget's centre may be past its label)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


def test_registry_covers_every_type():
    assert set(EDITORS) == set(ValueType)
    expected = {
        ValueType.NUMERIC_INT: IntEditor,
        ValueType.NUMERIC_FLOAT: FloatEditor,
        ValueType.CATEGORICAL_INT: CategoricalEditor,
        ValueType.CATEGORICAL_STRING: CategoricalEditor,
        ValueType.CATEGORICAL_BOOLEAN: BoolEditor,
        ValueType.CATEGORICAL_DATETIME: DateTimeEditor,
        ValueType.CATEGORICAL_TIMESTAMP: IntEditor,
        ValueType.OTHER_STRING: StringEditor,
    }
    for vt, cls in expected.items():
        assert EDITORS[vt] is cls


@pytest.mark.parametrize("vt", list(ValueType))
def test_editor_named_after_path_and_set_value_emits_nothing(qtbot, vt):
    ed, edited, _ = make(qtbot, vt, path="weather.wind.speed")
    assert ed.objectName() == "field:weather.wind.speed"
    sample = {ValueType.NUMERIC_INT: 5, ValueType.NUMERIC_FLOAT: 2.5, ValueType.CATEGORICAL_INT: 3,
              ValueType.CATEGORICAL_STRING: "x", ValueType.CATEGORICAL_BOOLEAN: True,
              ValueType.CATEGORICAL_DATETIME: "2024-05-01T10:00:00",
              ValueType.CATEGORICAL_TIMESTAMP: 1700000000, ValueType.OTHER_STRING: "note"}[vt]
    ed.set_value(sample)
    assert ed.value() == sample and type(ed.value()) is type(sample)
    ed.set_value(MISSING)
    assert ed.value() is MISSING
    ed.set_mixed(True)
    assert ed.is_mixed() and ed.value() is MISSING
    ed.set_known_values([sample])
    assert edited == []


def test_int_editor_commits_once_and_handles_64_bit(qtbot):
    ed, edited, errors = make(qtbot, ValueType.NUMERIC_INT)
    type_and_enter(qtbot, ed, str(2**40))
    assert edited == [2**40]
    ed.clearFocus()  # leaving the field after Enter does not commit again
    assert edited == [2**40]
    qtbot.keyClicks(ed, "abc")  # letters never reach an integer field
    assert ed.text() == str(2**40)


def test_int_editor_refuses_a_lone_sign_with_a_reason(qtbot):
    ed, edited, errors = make(qtbot, ValueType.NUMERIC_INT)
    type_and_enter(qtbot, ed, "-")
    assert edited == []
    assert "not an integer" in errors[-1] and "not an integer" in ed.error()
    qtbot.keyClick(ed, Qt.Key.Key_Escape)  # Esc restores the shown value
    assert ed.text() == "" and ed.error() == "" and not ed.is_dirty()


def test_float_editor_keeps_ints_as_ints_and_refuses_infinity(qtbot):
    ed, edited, errors = make(qtbot, ValueType.NUMERIC_FLOAT)
    type_and_enter(qtbot, ed, "3")
    ed.selectAll()
    type_and_enter(qtbot, ed, "2.5")
    assert edited == [3, 2.5] and type(edited[0]) is int
    ed.selectAll()
    type_and_enter(qtbot, ed, "1e999")
    assert edited == [3, 2.5]
    assert "finite" in errors[-1]


def test_clearing_a_set_value_means_not_set(qtbot):
    ed, edited, _ = make(qtbot, ValueType.OTHER_STRING)
    ed.set_value("old")
    ed.selectAll()
    qtbot.keyClick(ed, Qt.Key.Key_Delete)
    qtbot.keyClick(ed, Qt.Key.Key_Return)
    assert edited == [MISSING]


def test_retyping_the_same_value_is_no_edit(qtbot):
    ed, edited, _ = make(qtbot, ValueType.NUMERIC_INT)
    ed.set_value(12)
    ed.selectAll()
    type_and_enter(qtbot, ed, "12")
    assert edited == []


def test_datetime_editor_checks_iso_8601(qtbot):
    ed, edited, errors = make(qtbot, ValueType.CATEGORICAL_DATETIME)
    type_and_enter(qtbot, ed, "tomorrow")
    assert edited == [] and "ISO 8601" in errors[-1]
    ed.selectAll()
    type_and_enter(qtbot, ed, "2024-05-31T14:30:00Z")
    assert edited == ["2024-05-31T14:30:00Z"]


def test_effective_value_is_shown_as_placeholder(qtbot):
    ed, _, _ = make(qtbot, ValueType.NUMERIC_FLOAT)
    ed.set_effective(20.5)
    assert ed.text() == "" and ed.placeholderText() == "20.5" and ed.font().italic()
    ed.set_value(3.5)
    assert ed.text() == "3.5" and not ed.font().italic()


def test_categorical_offers_known_values_and_commits_a_pick(qtbot):
    ed, edited, _ = make(qtbot, ValueType.CATEGORICAL_STRING)
    ed.set_known_values(["cloudy", "rainy", "sunny"])
    assert ed.known_values() == ["cloudy", "rainy", "sunny"]
    assert [ed.itemText(i) for i in range(ed.count())] == ["cloudy", "rainy", "sunny"]
    ed.activated.emit(1)  # what a pick in the drop-down list emits
    assert edited == ["rainy"]
    ed.lineEdit().selectAll()
    type_and_enter(qtbot, ed, "foggy")
    assert edited == ["rainy", "foggy"]


def test_categorical_int_does_not_autocomplete_digits(qtbot):
    ed, edited, _ = make(qtbot, ValueType.CATEGORICAL_INT)
    ed.set_known_values([12, 3])
    type_and_enter(qtbot, ed, "1")
    assert edited == [1]


def test_categorical_known_values_keep_uncommitted_typing(qtbot):
    ed, edited, _ = make(qtbot, ValueType.CATEGORICAL_STRING)
    qtbot.keyClicks(ed.lineEdit(), "hal")
    ed.set_known_values(["a", "b"])
    assert ed.lineEdit().text() == "hal" and ed.is_dirty()
    assert edited == []


def test_bool_editor_click_sets_the_opposite_of_what_is_shown(qtbot):
    ed, edited, _ = make(qtbot, ValueType.CATEGORICAL_BOOLEAN)
    ed.set_effective(False)
    assert ed.checkState() == Qt.CheckState.Unchecked and ed.value() is MISSING
    click_box(qtbot, ed)
    assert edited == [True]
    ed.set_value(True)
    qtbot.keyClick(ed, Qt.Key.Key_Space)
    assert edited == [True, False]


def test_bool_editor_mixed_is_partially_checked_and_click_sets_true(qtbot):
    ed, edited, _ = make(qtbot, ValueType.CATEGORICAL_BOOLEAN)
    ed.set_mixed(True)
    assert ed.checkState() == Qt.CheckState.PartiallyChecked and ed.text() == "mixed"
    click_box(qtbot, ed)
    assert edited == [True]


def test_commit_value_sets_and_emits_for_hotkeys(qtbot):
    ed, edited, _ = make(qtbot, ValueType.CATEGORICAL_STRING)
    ed.commit_value("sunny")
    assert edited == ["sunny"] and ed.value() == "sunny"


def test_mixed_text_editor_commits_only_what_the_user_typed(qtbot):
    ed, edited, _ = make(qtbot, ValueType.NUMERIC_INT)
    ed.set_mixed(True)
    assert "mixed" in ed.placeholderText()
    qtbot.keyClicks(ed, "4")
    qtbot.keyClick(ed, Qt.Key.Key_Backspace)
    qtbot.keyClick(ed, Qt.Key.Key_Return)  # typed then erased: nothing to write
    assert edited == [] and ed.is_mixed()
    type_and_enter(qtbot, ed, "4")
    assert edited == [4]
