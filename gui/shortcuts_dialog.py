"""Help ▸ Keyboard Shortcuts: every action's shortcut, read from the actions themselves, plus
the form's keys (Enter, Alt+1…9) — so the list can never drift from what the keys do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.metadata_form.form_keys import FORM_KEYS

#: Keys of panels that are not actions (key, what it does), by section.
PANEL_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "Files panel": (
        ("Enter (on a file)", "Put the keyboard in the form's first field"),
        ("Down (in the filter box)", "Move to the file tree"),
        ("Shift/Ctrl + click or arrows", "Select several files: the form edits them together"),
    ),
}
FORM_SECTION = "Metadata form (while a field has the keyboard)"


def plain_text(action: QAction) -> str:
    return action.text().split("\t", 1)[0].replace("&&", "\x00").replace("&", "").replace("\x00", "&")


def keys_text(action: QAction) -> str:
    fmt = QKeySequence.SequenceFormat.NativeText
    return ", ".join(k.toString(fmt) for k in action.shortcuts() if not k.isEmpty())


def _section(action: QAction) -> str:
    for obj in action.associatedObjects():
        if isinstance(obj, QMenu) and obj.title():
            return obj.title().replace("&", "") + " menu"
    if action.shortcutContext() in (Qt.ShortcutContext.WidgetShortcut,
                                    Qt.ShortcutContext.WidgetWithChildrenShortcut):
        parent = action.parent()
        if parent is not None and parent.objectName() == "metadataForm":
            return FORM_SECTION
        name = parent.accessibleName() or parent.objectName() if isinstance(parent, QWidget) else ""
        return f"While {name or 'its panel'} has the keyboard"
    return "Window"


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str, str]]:
    """(section, keys, action, description) for every action with a shortcut, then the form keys."""
    rows: list[tuple[str, str, str, str]] = []
    seen: set[int] = set()
    for action in window.findChildren(QAction):
        keys = keys_text(action)
        if not keys or id(action) in seen:
            continue
        seen.add(id(action))
        tip = action.statusTip() or action.toolTip()
        if tip == plain_text(action) or tip.startswith(plain_text(action) + " ("):
            tip = ""
        rows.append((_section(action), keys, plain_text(action), tip))
    rows.sort(key=lambda r: (r[0] == FORM_SECTION, r[0], r[2]))
    rows += [(FORM_SECTION, k, d, "") for k, d in FORM_KEYS]
    for section, keys in PANEL_KEYS.items():
        rows += [(section, k, d, "") for k, d in keys]
    return rows


class ShortcutsDialog(QDialog):
    """A searchable list of the keys, grouped by menu or panel."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(760, 620)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("shortcutsFilter")
        self.filter.setPlaceholderText("Filter by key or action…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutsList")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Keys", "Action", "What it does"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setWordWrap(True)
        note = QLabel("Generated from the window's actions: what is listed here is what the keys do. "
                      "Keys of the form act on the field that has the keyboard.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (self.filter, note):
            lay.addWidget(w)
        lay.addWidget(self.tree, 1)
        lay.addWidget(buttons)
        self.rows = shortcut_rows(window)
        self._fill()

    def _fill(self) -> None:
        sections: dict[str, QTreeWidgetItem] = {}
        for section, keys, text, tip in self.rows:
            head = sections.get(section)
            if head is None:
                head = QTreeWidgetItem(self.tree, [section])
                head.setFirstColumnSpanned(True)
                font = head.font(0)
                font.setBold(True)
                head.setFont(0, font)
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                sections[section] = head
            item = QTreeWidgetItem(head, [keys, text, tip])
            item.setToolTip(2, tip)
        self.tree.expandAll()

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            shown = 0
            for j in range(head.childCount()):
                item = head.child(j)
                hit = not needle or any(needle in item.text(c).lower() for c in range(3))
                item.setHidden(not hit)
                shown += hit
            head.setHidden(shown == 0)
