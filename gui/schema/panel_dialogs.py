"""The Schema tab's questions and messages, as small methods that tests replace."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from core.dataset.leaf_stats import LeafStats
from core.schema.entries import SchemaEntry
from gui.schema.propose_dialog import ProposeDialog


class SchemaDialogs:
    """Mixed into SchemaPanel (a QWidget): every modal question of the tab."""

    def ask_proposals(self, proposals: list[SchemaEntry], stats: dict[str, LeafStats],
                      n_files: int) -> list[SchemaEntry] | None:
        return ProposeDialog.ask(proposals, stats, n_files, self)

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def confirm_save_with_errors(self, errors: list) -> bool:
        """Saving a schema Lightly would reject or misread: ask first (default: don't save).

        Inside the editor window the window asks (`ask_save_schema_with_errors`, which tests
        replace like its other questions).
        """
        ask = getattr(self.window(), "ask_save_schema_with_errors", None)
        return ask(errors) if ask is not None else ask_save_with_errors(self, errors)


def ask_save_with_errors(parent, errors: list) -> bool:
    """The question itself, a modal message box: Save or Cancel (the default)."""
    shown = "\n".join(f"• {f.message}" for f in errors[:8])
    more = f"\n… and {len(errors) - 8} more" if len(errors) > 8 else ""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.warning(
        parent, "Save schema.json with errors?",
        f"The schema has {len(errors)} error{'s' if len(errors) != 1 else ''}:\n\n{shown}{more}\n\n"
        "Lightly may reject this schema or read its values wrongly. Save anyway?",
        buttons.Save | buttons.Cancel, buttons.Cancel)
    return answer == buttons.Save
