"""The protocol every field editor shares, mixed into a Qt input widget (see editors.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from core.format.keypath import MISSING
from core.format.value_types import format_value, same_value
from core.schema.entries import FieldSpec
from gui.editors import look

MIXED_TEXT = "mixed — type to set all"


#: Returned by FieldEditor._value_from_text when typed text commits nothing.
REFUSED: Any = object()


def shown_text(value: Any) -> str:
    return "" if value is MISSING or value is None else format_value(value)


def leaves_field(event: QFocusEvent) -> bool:
    """Focus moved to another widget (not to a pop-up list, not to another window)."""
    return event.reason() not in (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)


class FieldEditor:
    """The protocol shared by all editors (mixed into a Qt input widget)."""

    spec: FieldSpec

    def _init_editor(self, spec: FieldSpec) -> None:
        self.spec = spec
        self._shown: Any = MISSING  # the value last set from code
        self._effective: Any = MISSING  # shown (greyed) when not set here
        self._mixed = False
        self._source = look.DEFAULT
        self._error = ""
        self.setObjectName(f"field:{spec.path}")

    # --- protocol -----------------------------------------------------------------
    def value(self) -> Any:
        """The value shown: MISSING when not set here; ValueError for text that does not fit."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_effective(self, value: Any) -> None:
        """The value that applies when the file has none (default or inherited)."""
        self._effective = value
        self._show_effective()

    def set_mixed(self, mixed: bool = True) -> None:
        """Bulk edit: the selected files disagree; nothing is shown until the user edits."""
        self.set_value(MISSING)
        self._mixed = mixed
        self._show_effective()

    def is_mixed(self) -> bool:
        return self._mixed

    def is_dirty(self) -> bool:
        """Whether the user typed something not committed yet (refreshes leave it alone)."""
        return False

    def revert(self) -> None:
        """Drop uncommitted typing and show the last value set from code again."""
        mixed = self._mixed
        self.set_value(self._shown)
        if mixed:
            self.set_mixed(True)

    def commit_value(self, value: Any) -> None:
        """Set `value` as if the user chose it (hotkeys, copy from previous): emits `edited`."""
        self.set_value(value)
        self.edited.emit(value)

    def commit_pending(self) -> bool:
        """Commit uncommitted typing now; False when it does not fit the type."""
        return True

    def set_source(self, source: str) -> None:
        """Where the shown value comes from (look.SET, INHERITED, DEFAULT, INVALID, MIXED)."""
        self._source = source
        self._restyle()

    def set_known_values(self, values: list) -> None:
        """Values already used in the dataset (offered by categorical editors)."""

    def known_values(self) -> list:
        return []

    def error(self) -> str:
        return self._error

    # --- helpers ----------------------------------------------------------------------
    def _placeholder(self) -> str:
        if self._mixed:
            return MIXED_TEXT
        return shown_text(self._effective)

    def _show_effective(self) -> None:
        self._restyle()

    def _set_error(self, reason: str) -> None:
        if reason != self._error:
            self._error = reason
            self.inputError.emit(reason)
        self._restyle()

    def _value_from_text(self, text: str) -> Any:
        """The value typed text commits to (MISSING when erased), or REFUSED.

        REFUSED when the text does not fit (the error is shown) or when erasing a
        "mixed" field, which changes no file (the editor is reverted).
        """
        if not text.strip():
            if self._mixed:
                self.revert()
                return REFUSED
            return MISSING
        try:
            return self.parse(text)
        except ValueError as e:
            self._set_error(str(e))
            return REFUSED

    def _emit_if_changed(self, value: Any) -> None:
        self._set_error("")
        if same_value(value, self._shown) and not self._mixed:
            return
        self._shown, self._mixed = value, False
        self.edited.emit(value)

    def _restyle(self) -> None:
        """Italic while showing an inherited/default value; error colour for bad values."""
        for target in self._style_targets():
            font = target.font()
            font.setItalic(self._showing_effective())
            target.setFont(font)
        pal = self.palette()
        default_pal = QApplication.palette(self)
        bad = self._error or (self._source == look.INVALID and not self.is_dirty())
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
            if bad:
                color = look.error_color(default_pal)
            elif self._showing_effective() and role is not QPalette.ColorRole.Text:
                color = look.muted_color(default_pal)
            else:
                color = default_pal.color(role)
            pal.setColor(role, color)
        for target in self._style_targets():
            target.setPalette(pal)

    def _style_targets(self) -> list[QWidget]:
        return [self]

    def _showing_effective(self) -> bool:
        return self._shown is MISSING or self._shown is None


__all__ = ["MIXED_TEXT", "FieldEditor", "leaves_field", "same_value", "shown_text"]
