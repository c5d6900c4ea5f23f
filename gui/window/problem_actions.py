"""What the problems list does in the window: jump to a finding's file, field or schema cell, and fix it.

A fix goes through the shared undo stack as an edit like any other (pending until saved).
Fixing a file without other unsaved edits is "fix and save": the edit, then a Save of that
one file (asking if it changed on disk), so the problem is gone from the list at once;
Undo takes the fix back as an unsaved edit. With other unsaved edits the fix waits for
Save with them. A rename is a file operation: it is asked first and done at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from core.format.findings import Finding
from core.format.naming import SCHEMA_FILE
from core.schema.lint import entry_location
from core.validation import fixes
from gui.common.commands import DocumentsCommand
from gui.problems.fix_command import fix_command
from gui.schema.table_model import COLUMNS


class ProblemActions:
    """Owned by the window's inspect panels; `w` is the MainWindow."""

    def __init__(self, window, problems):
        self.w = window
        self.problems = problems

    # --- jumping ------------------------------------------------------------------------
    def go_to_finding(self, finding: Finding) -> bool:
        """Show where `finding` is: schema cell, orphan row, or the sample and its field in the form."""
        w = self.w
        index = w.index
        if index is None:
            return False
        if finding.file == SCHEMA_FILE:
            w.tabs.setCurrentWidget(w.schema_panel)
            where = entry_location(finding)
            if where is not None:
                row, key = where
                w.schema_panel.select_cell(row, COLUMNS.index(key) if key in COLUMNS else 0)
            return True
        if finding.code == "orphan" or finding.file in index.orphans:
            w.tabs.setCurrentIndex(0)
            return w.files.select_orphan(finding.file)
        sample = w.saver.sample_of(finding.file)
        if sample is None and finding.media and index.media_kind(finding.media):
            sample = index.sample(finding.media)  # e.g. a misnamed frame file: its video
        if sample is None:
            w.show_status(f"{finding.file}: no image, video or frame to show for this file", 5000)
            return False
        w.select_samples([sample])
        if finding.path and any(s.path == finding.path for s in w.workspace.specs):
            self.focus_field(finding.path)
        return True

    def go_to_file(self, rel: str) -> bool:
        """A file row of the problems list was activated: show that file."""
        findings = self.problems.model.findings_of(rel)
        if findings:
            return self.go_to_finding(Finding(findings[0].severity, findings[0].code, rel, "",
                                              media=findings[0].media))
        return False

    def focus_field(self, path: str) -> None:
        """Scroll the form to the field `path` and put the keyboard in it."""
        form = self.w.form
        row, editor = form.row(path), form.editor(path)
        if row is None or editor is None:
            return
        form.tabs.setCurrentIndex(0)
        form.scroll.ensureWidgetVisible(row)
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- fixing -------------------------------------------------------------------------
    def fix(self, finding: Finding) -> bool:
        """Apply the finding's fix as one undo step (asking first when it renames); True when applied."""
        w = self.w
        fix = self.problems.fix_for(finding)
        if fix is None or w.workspace is None:
            return False
        if fix.question and not self.ask_fix(fix.question):
            return False
        try:
            if fix.kind == fixes.DOCUMENT:
                return self._fix_document(fix)
            command = fix_command(w.workspace, fix, w.index)
        except fixes.FixError as e:
            w.show_error("Cannot fix this problem", str(e))
            return False
        w.undo_stack.push(command)
        if fix.kind == fixes.RENAME:
            if command.error:
                w.show_error("Cannot rename the file", command.error)
                return False
            w.saver.revalidate([fix.rel, fix.new_rel])
            w.show_status(f"Renamed {fix.rel} to {fix.new_rel} (Undo renames it back)", 6000)
        else:
            self.go_to_finding(finding)
            w.show_status(f"{fix.label}: save schema.json (Ctrl+S on the Schema tab) to apply it", 8000)
        return True

    def _fix_document(self, fix: fixes.Fix) -> bool:
        w, ws = self.w, self.w.workspace
        doc = ws.document(fix.rel)
        data = fix.new_data(doc.data)  # FixError when the file cannot take it
        at_once = not doc.modified
        command = DocumentsCommand(ws, [fix.rel], lambda: ws.replace_data(fix.rel, data),
                                   f"{fix.label} in {fix.rel}")
        w.undo_stack.push(command)
        if at_once:
            if not w.saver.save_documents([doc]):  # reports a failure or a conflict itself
                return False
            w.show_status(f"{fix.label} in {fix.rel}: saved (Undo takes it back)", 6000)
        else:
            w.show_status(f"{fix.label} in {fix.rel}: the file has other unsaved edits, "
                          "save it to write the fix", 8000)
        return True

    # --- dialogs (replaced in tests) ----------------------------------------------------
    def ask_fix(self, question: str) -> bool:
        parent: QWidget = self.w
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(parent, "Fix problem", question, buttons.Yes | buttons.Cancel,
                                      buttons.Yes)
        return answer == buttons.Yes
