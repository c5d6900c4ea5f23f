"""Undo commands for the problems panel's fixes (see core.validation.fixes for what each fix does)."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from core.validation import fixes
from core.workspace import Workspace
from gui.common.commands import SchemaCommand, replace_data_command


class RenameFileCommand(QUndoCommand):
    """Rename a metadata file on disk; undo renames it back. The workspace and index follow."""

    def __init__(self, workspace: Workspace, old_rel: str, new_rel: str, index=None, text: str = ""):
        super().__init__(text or f"Rename {old_rel}")
        self.ws, self.old, self.new, self.index = workspace, old_rel, new_rel, index
        #: The last failure (e.g. someone created the target meanwhile); None when it worked.
        self.error: str | None = None
        self._text: str | None = None  # the file's text before the rename (file_name not fitted yet)

    def redo(self) -> None:
        try:
            self._text = fixes.rename_in_workspace(self.ws, self.old, self.new, self.index)
            self.error = None
        except fixes.FixError as e:  # an exception must not cross into Qt's undo stack
            self.error = str(e)

    def undo(self) -> None:
        """Rename back and put the exact bytes of before (its old file_name) in place."""
        try:
            fixes.rename_in_workspace(self.ws, self.new, self.old, self.index, restore_text=self._text)
            self.error = None
        except fixes.FixError as e:
            self.error = str(e)


def fix_command(workspace: Workspace, fix: fixes.Fix, index=None) -> QUndoCommand:
    """The undo command applying `fix`; raises FixError when it cannot apply now.

    Typical use (main window, on ProblemsPanel.fixRequested)::

        fix = panel.fix_for(finding)
        if fix.question and not ask_yes_no(fix.question):
            return
        try:
            undo_stack.push(fix_command(workspace, fix, index))
        except FixError as e:
            show_error(str(e))
    """
    if fix.kind == fixes.SCHEMA:
        return SchemaCommand(workspace, fix.new_entries(workspace.schema_entries), fix.label)
    if fix.kind == fixes.DOCUMENT:
        data = fix.new_data(workspace.document(fix.rel).data)
        return replace_data_command(workspace, fix.rel, data, f"{fix.label} in {fix.rel}")
    if fix.kind == fixes.RENAME:
        fixes.check_rename(workspace.lightly_root, fix.rel, fix.new_rel)
        for rel in (fix.rel, fix.new_rel):
            if workspace.document(rel).modified:
                raise fixes.FixError(f"{rel} has unsaved changes: save or revert them first")
        return RenameFileCommand(workspace, fix.rel, fix.new_rel, index, f"Rename {fix.rel} to {fix.new_rel}")
    raise fixes.FixError(f"unknown fix kind {fix.kind!r}")
