"""The annotator's fast path in the editor window: the Go menu, copy from the previous file,
auto-save when leaving a file, and Help ▸ Keyboard Shortcuts.

Navigation follows core.dataset.navigation (the file tree's order); every move goes through the
window's `select_samples`, so the LeaveGuard saves (or asks about) the file left behind.
"Commit and Next File" puts the keyboard back on the field the annotator started with on
the file before, so a file takes: pick, pick, Ctrl+Return.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from core.dataset.navigation import (
    NavigationOrder,
    Step,
    next_sample,
    next_with_problems,
    next_without_metadata,
)
from core.format.samples import SampleRef
from gui.common import settings
from gui.form.bulk_writer import failure_text
from gui.form.copy_previous import sample_name
from gui.form.form_keys import HINT_LINE
from gui.session.leave_guard import AUTOSAVE_KEY, LeaveGuard
from gui.window.shortcuts_dialog import ShortcutsDialog

#: objectName -> (menu text, shortcuts, tip). The first shortcut is the one menus show.
GO_ACTIONS = {
    "actionNextFile": ("&Next File", ("Ctrl+PgDown", "Alt+Right"),
                       "Show the next image, video or frame in the file tree's order"),
    "actionPreviousFile": ("&Previous File", ("Ctrl+PgUp", "Alt+Left"),
                           "Show the previous image, video or frame in the file tree's order"),
    "actionNextWithoutMetadata": ("Next File &Without Metadata", ("Ctrl+Shift+PgDown",),
                                  "Show the next file that has no metadata file of its own yet"),
    "actionNextWithProblems": ("Next File with &Problems", ("F8",),
                               "Show the next file with errors or warnings"),
    "actionCommitAndNext": ("&Commit and Next File", ("Ctrl+Return", "Ctrl+Enter"),
                            "Commit the field being typed, go to the next file (saving this one when "
                            "auto-save is on) and put the keyboard back on the field you started with"),
}


def _tooltip(tip: str, action: QAction) -> str:
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f"{tip} ({keys})" if keys else tip


def _inside(widget, focus) -> bool:
    return focus is not None and widget.isAncestorOf(focus)


class AnnotateActions(QObject):
    """Created once by the MainWindow (after its menus); `open_session` per datasource."""

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.guard = LeaveGuard(window)
        self._start: tuple[SampleRef, str] | None = None  # (file, first field edited in it)
        self.dialog: ShortcutsDialog | None = None
        menus = window.menu_actions.menus
        bar = window.menuBar()
        go = QMenu("&Go", window)
        go.setObjectName("menuGo")
        bar.insertMenu(menus["help"].menuAction(), go)
        menus["go"] = go
        self.actions: dict[str, QAction] = {}
        slots = {"actionNextFile": lambda: self.go_next(1), "actionPreviousFile": lambda: self.go_next(-1),
                 "actionNextWithoutMetadata": self.go_without_metadata,
                 "actionNextWithProblems": self.go_with_problems, "actionCommitAndNext": self.commit_and_next}
        for name, (text, keys, tip) in GO_ACTIONS.items():
            act = self._action(name, text, slots[name], keys, tip)
            if name == "actionCommitAndNext":
                go.addSeparator()
            go.addAction(act)

        edit = menus["edit"]
        edit.addSeparator()
        self.copy_all = self._action("actionCopyAllFromPrevious", "Copy All from &Previous File",
                                     lambda: self._copy(False), ("Ctrl+Shift+V",),
                                     "Copy every value the previously edited file sets into the fields "
                                     "this file does not set yet (one undo step)")
        self.copy_all_overwrite = self._action(
            "actionCopyAllFromPreviousOverwrite", "Copy All from Previous File (&Overwrite)",
            lambda: self._copy(True), (), "Copy every value the previously edited file sets, replacing "
            "this file's own values (one undo step)")
        edit.addAction(self.copy_all)
        edit.addAction(self.copy_all_overwrite)
        edit.addSeparator()
        self.autosave = self._action("actionAutoSave", "&Auto-save When Leaving a File", self._set_autosave,
                                     (), "Save a file when moving to another one; when off, you are asked")
        self.autosave.setCheckable(True)
        self.autosave.setChecked(bool(settings.get(AUTOSAVE_KEY)))
        edit.addAction(self.autosave)

        help_menu = menus["help"]
        self.shortcuts = self._action("actionKeyboardShortcuts", "&Keyboard Shortcuts", self.show_shortcuts,
                                      ("F1",), "Every key of the editor, read from its actions")
        help_menu.insertAction(window.menu_actions.about, self.shortcuts)
        help_menu.insertSeparator(window.menu_actions.about)

    def _action(self, name: str, text: str, slot, keys, tip: str) -> QAction:
        act = QAction(text, self.w)
        act.setObjectName(name)
        if keys:
            act.setShortcuts([QKeySequence(k) for k in keys])
        act.setStatusTip(tip)
        act.setToolTip(_tooltip(tip, act))
        act.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = act
        return act

    # --- per datasource -------------------------------------------------------------------------
    def open_session(self) -> None:
        form = self.w.form
        self._start = None
        form.valueEdited.connect(self._on_value_edited)
        form.bulkWritten.connect(self._on_bulk_written)
        keys = self.actions["actionCommitAndNext"].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        help_keys = self.shortcuts.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        form.keys.set_hint_line(f"{HINT_LINE}  ·  {keys}: next file  ·  {help_keys}: all keys")

    def _on_value_edited(self, path: str, _value) -> None:
        samples = self.w.form.samples()
        if len(samples) == 1 and (self._start is None or self._start[0] != samples[0]):
            self._start = (samples[0], path)

    def _on_bulk_written(self, command) -> None:
        if command.failed:
            self.w.show_error("Some files could not be written", failure_text(command))

    # --- navigation --------------------------------------------------------------------------------
    def _current(self) -> SampleRef | None:
        samples = self.w.form.samples() if self.w.form is not None else []
        return samples[0] if samples else self.w.current_sample

    def _go(self, find, nothing: str) -> bool:
        index = self.w.index
        if index is None:
            self.w.show_status("The datasource is still being read", 3000)
            return False
        step: Step = find(index, self._current())
        if step.sample is None:
            self.w.show_status(nothing, 5000)
            return False
        self.w.select_samples([step.sample])
        if self.w.form.samples() != [step.sample]:
            return False  # the file left could not be saved, or the user cancelled
        order = NavigationOrder.of(index)
        parts = [f"{sample_name(step.sample)} (file {order.number(step.sample)} of {len(order.media)})"]
        saved = self.w.statusBar().currentMessage()
        if saved.startswith("Saved "):
            parts.insert(0, saved)  # what auto-save did to the file left
        if step.wrapped:
            parts.append("wrapped around to the start of the list")
        self.w.show_status("  ·  ".join(parts), 6000)
        return True

    def go_next(self, step: int = 1) -> bool:
        return self._go(lambda index, cur: next_sample(index, cur, step), "The datasource has no files")

    def go_without_metadata(self) -> bool:
        ws = self.w.workspace

        def has_own_file(sample: SampleRef) -> bool:
            doc = ws.loaded_document(sample.metadata_rel)
            if doc is None:
                return self.w.index.has_own_file(sample)
            return doc.data is not None or doc.broken

        return self._go(lambda index, cur: next_without_metadata(index, cur, has_own_file),
                        "Every file has its own metadata file")

    def go_with_problems(self) -> bool:
        findings = self.w.findings
        def has_problems(sample: SampleRef) -> bool:
            return bool(findings.for_sample(sample))

        nothing = "No file has problems" if self.w.loader.validated else "Still validating…"
        return self._go(lambda index, cur: next_with_problems(index, cur, has_problems), nothing)

    def commit_and_next(self) -> bool:
        """Commit the field, go to the next file, and return the keyboard to the starting field."""
        form = self.w.form
        current = self._current()
        start = self._start[1] if self._start is not None and self._start[0] == current else None
        focus = QApplication.focusWidget()
        in_form = _inside(form, focus)
        if not self.go_next(1):
            return False
        editor = form.editor(start) if start else None
        if editor is not None and editor.isEnabled() and form.fields_content.isEnabled():
            self._start = None
            editor.setFocus(Qt.FocusReason.TabFocusReason)
            form.scroll.ensureWidgetVisible(form.row(start))
        elif in_form and not _inside(form, QApplication.focusWidget()):
            self.w.focus_form()
        return True

    # --- copy from previous, auto-save, shortcuts -------------------------------------------------
    def _copy(self, overwrite: bool) -> None:
        if self.w.form is not None:
            self.w.tabs.setCurrentIndex(0)
            self.w.form.copier.copy(None, overwrite=overwrite)

    def _set_autosave(self) -> None:
        on = self.autosave.isChecked()
        settings.set(AUTOSAVE_KEY, bool(on))
        self.w.show_status("Auto-save on: a file is saved when you move to another one" if on else
                           "Auto-save off: moving away from a changed file asks first", 5000)

    def show_shortcuts(self) -> ShortcutsDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = ShortcutsDialog(self.w)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
