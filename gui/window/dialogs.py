"""The main window's questions and messages, as methods a test can replace on the instance.

Each `ask_*` returns one of the answer constants of gui.session.saver.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.storage import is_url
from core.storage.remote import configure as configure_storage
from gui.common import settings
from gui.session.saver import CANCEL, DISCARD, OVERWRITE, RELOAD, SAVE
from gui.window.open_dialog import OpenDatasourceDialog, OpenUrlDialog

APP_TITLE = "Lightly Metadata Editor"


class WindowDialogs:
    """Mixed into MainWindow (a QMainWindow with `workspace`, `_lightly_arg()` and a status bar)."""

    def ask_save_discard_cancel(self, action: str) -> str:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self, action, "There are unsaved changes. Save them first?",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        return {buttons.Save: SAVE, buttons.Discard: DISCARD}.get(answer, CANCEL)

    def ask_conflict(self, rel: str) -> str:
        box = QMessageBox(QMessageBox.Icon.Warning, "File changed on disk",
                          f"{rel} was changed outside the editor since it was loaded.\n\n"
                          "Reload it (your changes to it are dropped), overwrite the outside "
                          "edit, or cancel saving?", parent=self)
        reload = box.addButton("Reload", QMessageBox.ButtonRole.DestructiveRole)
        overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return RELOAD if clicked is reload else OVERWRITE if clicked is overwrite else CANCEL

    def ask_save_schema_with_errors(self, errors: list) -> bool:
        from gui.schema.panel_dialogs import ask_save_with_errors  # the Schema tab's question

        return ask_save_with_errors(self, errors)

    def open_url_dialog(self) -> None:
        """File ▸ Open URL…: a bucket datasource (the scan runs in the background)."""
        answer = self.ask_open_url()
        if answer is None:
            return
        url, lightly, endpoint = answer
        settings.set("cloud/endpoint", endpoint)
        configure_storage(endpoint_url=endpoint or None)
        self.open_datasource(url, lightly)

    def ask_open_url(self) -> tuple[str, str, str] | None:
        """The URL dialog's answer (tests replace this method)."""
        ws = self.workspace
        current = str(ws.media_root) if ws is not None and is_url(ws.media_root) else ""
        dialog = OpenUrlDialog(current, None, self)
        return dialog.result() if dialog.exec() else None

    def ask_settings(self) -> bool:
        """Edit ▸ Settings… (modal; tests replace this method or drive the dialog)."""
        from gui.preferences.dialog import open_settings

        return open_settings(self)

    def ask_open_datasource(self) -> tuple[str, str | None] | None:
        ws = self.workspace
        lightly = self._lightly_arg() if ws is not None else None
        media = str(ws.media_root) if ws is not None else ""
        dialog = OpenDatasourceDialog(media, str(lightly) if lightly else None, self)
        return dialog.result_roots() if dialog.exec() else None

    def show_error(self, title: str, text: str) -> None:
        self.show_status(text.splitlines()[0] if text else title, 8000)
        QMessageBox.warning(self, title, text)

    def show_status(self, text: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def about(self) -> QMessageBox:
        """Help ▸ About (version; Qt, PyAV, Python versions), shown without blocking the caller."""
        from gui.window.menus import about_html

        box = QMessageBox(QMessageBox.Icon.NoIcon, f"About {APP_TITLE}", about_html(), parent=self)
        box.setObjectName("aboutBox")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # for bug reports
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box
