"""The form's keys for fast entry: Enter commits and moves on; Alt+1…Alt+9 picks a listed value.

Typing never changes a value through a hotkey: value hotkeys need Alt, which no editor uses
for input (a CATEGORICAL_INT value is typed with plain digits), and the form claims
Alt+digits (ShortcutOverride) before a menu or window shortcut could take them — a test
checks that no action uses them either. List fields show their numbered values under the
editor, so the numbers need not be remembered. A field's context menu offers "copy from the
previous file" and reset.
"""

from __future__ import annotations

import html
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMenu, QWidget

from core.format.keypath import MISSING
from core.format.value_types import ValueType, format_value
from gui.editors import look
from gui.editors.base import same_value
from gui.form.copy_previous import sample_name
from gui.form.field_row import RESET_SHORTCUT, FieldRow

MAX_HOTKEYS = 9
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, MAX_HOTKEYS + 1)}
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_ELIDE = 24

#: The form's keys that are not actions, for the Keyboard Shortcuts window: (keys, action, details).
FORM_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Tab / Shift+Tab", "Next / previous field", "Leaving a field commits what was typed"),
    ("Enter", "Commit and go to the next field", "On the last field: commit and stay"),
    ("Alt+1 … Alt+9", "Pick a numbered value", "Value n of the focused list field (the numbers are shown "
     "under it), then go to the next field. Digits without Alt are always typed as text."),
    ("Alt+Down / F4", "Open the list", "All values of the focused list field"),
    ("Esc", "Drop what was typed", "The field shows its value again"),
    ("Ctrl+Return (in Other metadata)", "Apply the JSON", "Write the keys the schema does not name"),
)
HINT_LINE = "Enter: commit, next field  ·  Alt+1…9: pick a numbered value  ·  digits alone are typed"


def choices(editor: QWidget) -> list:
    """The values Alt+1…Alt+9 pick for `editor`: known values of a list field, true/false."""
    spec = getattr(editor, "spec", None)
    if spec is None:
        return []
    if spec.type is ValueType.CATEGORICAL_BOOLEAN:
        return [True, False]
    if spec.type in (ValueType.CATEGORICAL_STRING, ValueType.CATEGORICAL_INT):
        return list(editor.known_values())
    return []


def _elide(text: str) -> str:
    return text if len(text) <= _ELIDE else text[:_ELIDE - 1] + "…"


def hint_text(values: list) -> str:
    """'Alt+  1 day · 2 night · 3 dusk' (up to nine), '' without values."""
    if not values:
        return ""
    shown = "  ·  ".join(f"{i} {_elide(format_value(v))}" for i, v in enumerate(values[:MAX_HOTKEYS], 1))
    more = len(values) - MAX_HOTKEYS
    tail = f"  ·  +{more} more in the list (Alt+Down)" if more > 0 else ""
    return f"Alt+  {shown}{tail}"


def hint_html(values: list, key_background: str, key_text: str) -> str:
    """hint_text as rich text: each number drawn like a key cap, so `1 1` (a number value) reads."""
    if not values:
        return ""
    cap = f'<span style="background-color:{key_background}; color:{key_text};">&nbsp;{{}}&nbsp;</span>'
    items = [f"{cap.format(i)}&nbsp;{html.escape(_elide(format_value(v))).replace(' ', '&nbsp;')}"
             for i, v in enumerate(values[:MAX_HOTKEYS], 1)]
    more = len(values) - MAX_HOTKEYS
    tail = f"&nbsp;&nbsp; +{more} more in the list (Alt+Down)" if more > 0 else ""
    return "Alt +&nbsp;" + "&nbsp;&nbsp; ".join(items) + tail


class FormKeys(QObject):
    """Installed on the form's editors by the form after each (re)build of its fields."""

    def __init__(self, form):
        super().__init__(form)
        self.form = form
        self._editors: dict[QObject, QWidget] = {}  # watched widget -> its field editor
        self.hint_line = QLabel(HINT_LINE, form)
        self.hint_line.setObjectName("formKeysHint")
        self.hint_line.setWordWrap(True)
        font = self.hint_line.font()
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        self.hint_line.setFont(font)

    def set_hint_line(self, text: str) -> None:
        """The line at the bottom of the form (the window adds its own keys)."""
        self.hint_line.setText(text)

    # --- installing ------------------------------------------------------------------------
    def attach(self, rows: dict[str, FieldRow]) -> None:
        self._editors = {}
        for row in rows.values():
            editor = row.editor
            targets = [editor]
            if isinstance(editor, QComboBox) and editor.lineEdit() is not None:
                targets.append(editor.lineEdit())
            for w in targets:
                self._editors[w] = editor
                w.installEventFilter(self)
            menu_target = targets[-1]
            menu_target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            menu_target.customContextMenuRequested.connect(partial(self._show_menu, editor, menu_target))
        self.refresh_hints()

    def refresh_hints(self) -> None:
        """Number the values of every list field (after the known values changed)."""
        pal = self.form.palette()
        key_bg = look.mix(pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text), 0.12).name()
        key_fg = pal.color(QPalette.ColorRole.Text).name()
        for row in self.form.fields.rows.values():
            values = choices(row.editor)
            tip = "\n".join(f"Alt+{i}: {format_value(v)}" for i, v in enumerate(values[:MAX_HOTKEYS], 1))
            row.set_hint(hint_html(values, key_bg, key_fg), tip)

    # --- keys -----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        editor = self._editors.get(watched)
        if editor is None or not isinstance(event, QKeyEvent):
            return False
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        n = _DIGITS.get(event.key())
        if n is not None and mods == Qt.KeyboardModifier.AltModifier:
            event.accept()  # for ShortcutOverride: the field takes Alt+digit, no shortcut does
            if kind == QEvent.Type.KeyPress:
                self.pick(editor, n)
            return True
        if kind == QEvent.Type.KeyPress and event.key() in _ENTER and mods == Qt.KeyboardModifier.NoModifier:
            self.enter(editor)
            return True
        return False

    def enter(self, editor: QWidget) -> bool:
        """Commit `editor`; if the value fits, move to the next field. True when it moved."""
        if not editor.commit_pending():
            return False  # the editor shows why; the keyboard stays in it
        return self.next_field(editor)

    def pick(self, editor: QWidget, n: int) -> bool:
        """Set value `n` (1-based) of the field's numbered values, then go to the next field."""
        label = editor.spec.label
        values = choices(editor)
        if not editor.isEnabled():
            return False
        if not values:
            what = "has no values to pick yet" if editor.spec.type.is_categorical else "is typed, not picked"
            self.form.statusMessage.emit(f"{label} {what}: Alt+{n} picks values of list fields")
            return False
        if n > len(values):
            self.form.statusMessage.emit(f"{label} has {len(values)} numbered values: Alt+{n} picks nothing")
            return False
        value = values[n - 1]
        own = editor.value() if not editor.is_dirty() else MISSING
        if editor.is_mixed() or editor.is_dirty() or own is MISSING or not same_value(own, value):
            editor.commit_value(value)
        self.next_field(editor)
        return True

    def next_field(self, editor: QWidget) -> bool:
        editors = self.form.fields.editors()
        if editor not in editors:
            return False
        for nxt in editors[editors.index(editor) + 1:]:
            if nxt.isVisibleTo(self.form) and nxt.isEnabled():
                nxt.setFocus(Qt.FocusReason.TabFocusReason)
                row = self.form.row(nxt.spec.path)
                if row is not None:
                    self.form.scroll.ensureWidgetVisible(row)
                return True
        return False  # the last field: stay

    # --- context menu ---------------------------------------------------------------------------
    def field_menu(self, editor: QWidget, target: QWidget | None = None) -> QMenu:
        """The context menu of a field: the text actions, copy from the previous file, reset."""
        target = target or editor
        menu = target.createStandardContextMenu() if isinstance(target, QLineEdit) else QMenu(target)
        menu.setObjectName("fieldMenu")
        menu.addSeparator()
        path = editor.spec.path
        copier = self.form.copier
        prev = copier.previous()
        value = copier.source_value(path)
        shown = "" if value is MISSING else f": {_elide(format_value(value))}"
        keys = self.form.copy_field_action.shortcut().toString()
        copy = menu.addAction(f"Copy from Previous File{shown}\t{keys}")
        copy.setObjectName("menuCopyFieldFromPrevious")
        copy.triggered.connect(lambda: copier.copy([path]))
        over = menu.addAction(f"Overwrite with Previous File's Value{shown}")
        over.setObjectName("menuCopyFieldFromPreviousOverwrite")
        over.triggered.connect(lambda: copier.copy([path], overwrite=True))
        can_copy = prev is not None and value is not MISSING and len(self.form.samples()) == 1
        copy.setEnabled(can_copy and copier.values([path]) != {})
        over.setEnabled(can_copy)
        if prev is not None:
            for act in (copy, over):
                act.setToolTip(f"From {sample_name(prev)}")
        menu.setToolTipsVisible(True)
        reset = menu.addAction(f"Reset Field\t{RESET_SHORTCUT}")
        row = self.form.row(path)
        reset.setEnabled(row is not None and row.reset_button.isEnabled())
        reset.triggered.connect(lambda: row.resetRequested.emit() if row is not None else None)
        return menu

    def _show_menu(self, editor: QWidget, target: QWidget, pos: QPoint) -> None:
        menu = self.field_menu(editor, target)
        menu.exec(target.mapToGlobal(pos))
        menu.deleteLater()


def first_value(values: list, value: Any) -> int | None:
    """1-based number of `value` among `values` (for tests and tooltips), or None."""
    for i, v in enumerate(values[:MAX_HOTKEYS], 1):
        if same_value(v, value):
            return i
    return None
