"""Help ▸ Keyboard Shortcuts: every action's shortcut, read from the actions themselves, plus
the form's keys (Enter, Alt+1…9) — so the list can never drift from what the keys do."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gui.form.form_keys import FORM_KEYS

#: Keys of panels that are not actions: section -> (keys, action, details).
PANEL_KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Files panel": (
        ("Enter (on a file)", "Edit its fields", "Puts the keyboard in the form's first field"),
        ("Down (in the filter box)", "Go to the file tree", ""),
        ("Shift / Ctrl + arrows or click", "Select several files", "The form then edits them together"),
    ),
}
FORM_SECTION = "Metadata form (while a field has the keyboard)"
#: Dedicated keys of some keyboards (XF86 Undo/Redo...): not worth listing.
_SPECIAL_KEYS = {Qt.Key.Key_Undo, Qt.Key.Key_Redo, Qt.Key.Key_Copy, Qt.Key.Key_Cut, Qt.Key.Key_Paste,
                 Qt.Key.Key_Open, Qt.Key.Key_Save, Qt.Key.Key_Find, Qt.Key.Key_Close, Qt.Key.Key_Refresh}
#: Actions whose text changes with the state (Undo "Set Scene"): listed under a fixed name.
_FIXED_NAMES = {"actionUndo": "Undo", "actionRedo": "Redo"}


def plain_text(action: QAction) -> str:
    if action.objectName() in _FIXED_NAMES:
        return _FIXED_NAMES[action.objectName()]
    return action.text().split("\t", 1)[0].replace("&&", "\x00").replace("&", "").replace("\x00", "&")


def keys_text(action: QAction) -> str:
    fmt = QKeySequence.SequenceFormat.NativeText
    keys = [k for k in action.shortcuts() if not k.isEmpty() and k[0].key() not in _SPECIAL_KEYS]
    return ", ".join(k.toString(fmt) for k in keys)


def _words(name: str) -> str:
    """'schemaPanel' -> 'Schema panel'."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
    return spaced[:1].upper() + spaced[1:]


def _section(action: QAction) -> tuple[str, int]:
    """(section title, position in it): the menu and the action's place in it, or its panel."""
    for obj in action.associatedObjects():
        if isinstance(obj, QMenu) and obj.title():
            return obj.title().replace("&", "") + " menu", obj.actions().index(action)
    if action.shortcutContext() in (Qt.ShortcutContext.WidgetShortcut,
                                    Qt.ShortcutContext.WidgetWithChildrenShortcut):
        parent = action.parent()
        if isinstance(parent, QWidget) and parent.objectName() == "metadataForm":
            return FORM_SECTION, 0
        name = (parent.accessibleName() or _words(parent.objectName())) if isinstance(parent, QWidget) else ""
        return f"{name or 'Panel'} (while it has the keyboard)", 0
    return "Window", 0


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str, str]]:
    """(section, keys, action, details) for every action with a shortcut, then the form's keys.

    Sections follow the menu bar (actions in menu order), then the form, then panels.
    """
    found: list[tuple[str, int, str, str, str]] = []
    for action in dict.fromkeys(window.findChildren(QAction)):
        keys = keys_text(action)
        if not keys:
            continue
        name = plain_text(action)
        tip = action.statusTip() or action.toolTip()
        if action.objectName() in _FIXED_NAMES or tip == name or tip.startswith(name + " ("):
            tip = ""
        section, position = _section(action)
        found.append((section, position, keys, name, tip))
    found += [(FORM_SECTION, 1000 + i, k, a, d) for i, (k, a, d) in enumerate(FORM_KEYS)]
    for section, keys in PANEL_KEYS.items():
        found += [(section, 1000 + i, k, a, d) for i, (k, a, d) in enumerate(keys)]
    menus = [a.text().replace("&", "") + " menu" for a in window.menuBar().actions()]
    order = {title: i for i, title in enumerate(menus + [FORM_SECTION])}
    found.sort(key=lambda r: (order.get(r[0], len(order)), r[0], r[1]))
    return [(section, keys, name, tip) for section, _pos, keys, name, tip in found]


class ShortcutsDialog(QDialog):
    """The keys grouped by menu or panel, as a wrapped table; the filter box narrows it."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(820, 680)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("shortcutsFilter")
        self.filter.setPlaceholderText("Filter by key or action…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._show)
        self.view = QTextBrowser(self)
        self.view.setObjectName("shortcutsList")
        self.view.setOpenLinks(False)
        note = QLabel("Read from the window's actions, so this is what the keys do. Keys of the form act on "
                      "the field that has the keyboard.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (self.filter, note):
            lay.addWidget(w)
        lay.addWidget(self.view, 1)
        lay.addWidget(buttons)
        self.rows = shortcut_rows(window)
        self._show()

    def shown_rows(self) -> list[tuple[str, str, str, str]]:
        needle = self.filter.text().strip().lower()
        return [r for r in self.rows if not needle or any(needle in part.lower() for part in r[1:])]

    def _show(self) -> None:
        pal = self.palette()
        muted = pal.color(QPalette.ColorRole.PlaceholderText).name()
        key_bg = pal.color(QPalette.ColorRole.AlternateBase).name()
        out: list[str] = []
        section = None
        for sec, keys, name, tip in self.shown_rows():
            if sec != section:
                if section is not None:
                    out.append("</table>")
                out.append(f"<h4 style='margin-top:10px; margin-bottom:2px'>{html.escape(sec)}</h4>"
                           "<table cellspacing='0' cellpadding='3' width='100%'>")
                section = sec
            out.append(f"<tr><td width='30%' style='background-color:{key_bg}'><b>{html.escape(keys)}</b>"
                       "</td>"
                       f"<td width='28%'>{html.escape(name)}</td>"
                       f"<td style='color:{muted}'>{html.escape(tip)}</td></tr>")
        if section is not None:
            out.append("</table>")
        else:
            out.append("<p>No key matches the filter.</p>")
        self.view.setHtml("".join(out))
