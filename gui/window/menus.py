"""The main window's menus and actions (File, Edit, View, Help), with standard shortcuts.

Actions keep stable objectNames (`actionSave`, `actionUndo`...) for tests and scripts;
later features add their own actions to `MainActions.menus[...]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from core.storage import is_url
from gui.common import settings


@dataclass
class MainActions:
    open: QAction
    save: QAction
    save_all: QAction
    reload: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    about: QAction
    recent_menu: QMenu
    save_schema: QAction | None = None
    menus: dict[str, QMenu] = field(default_factory=dict)


def _action(window: QMainWindow, name: str, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_menus(window) -> MainActions:
    """Create the menu bar of `window` (a gui.window.main_window.MainWindow)."""
    bar = window.menuBar()
    std = QKeySequence.StandardKey

    file_menu = bar.addMenu("&File")
    open_ = _action(window, "actionOpen", "&Open Datasource…", window.open_dialog, std.Open,
                    "Open a media folder (and optionally a separate Lightly root)")
    open_url = _action(window, "actionOpenUrl", "Open &URL…", window.open_url_dialog, "Ctrl+Shift+O",
                       "Open a datasource in a bucket: s3://, gs://, az:// or abfs://")
    recent = QMenu("Open &Recent", window)
    recent.setObjectName("menuRecent")
    recent.aboutToShow.connect(lambda: fill_recent_menu(window, recent))
    save = _action(window, "actionSave", "&Save", window.save_current, std.Save,
                   "Save the metadata file shown in the form (or schema.json on the Schema tab)")
    save_schema = _action(window, "actionSaveSchema", "Save Sc&hema", lambda: window.saver.save_schema(),
                          tip="Write schema.json (asks first when it has errors); every file is then "
                              "validated again")
    save_all = _action(window, "actionSaveAll", "Save &All", window.save_all, "Ctrl+Shift+S",
                       "Save every changed metadata file and schema.json")
    reload = _action(window, "actionReload", "Re&load from Disk", window.reload_datasource, std.Refresh,
                     "Scan the datasource again, reading every file from disk")
    quit_keys = std.Quit if not QKeySequence(std.Quit).isEmpty() else "Ctrl+Q"  # none on some platforms
    quit_ = _action(window, "actionQuit", "&Quit", window.close, quit_keys, "Close the editor")
    for item in (open_, open_url, recent, None, save, save_schema, save_all, None, reload, None, quit_):
        if item is None:
            file_menu.addSeparator()
        elif isinstance(item, QMenu):
            file_menu.addMenu(item)
        else:
            file_menu.addAction(item)

    edit_menu = bar.addMenu("&Edit")
    undo = window.undo_group.createUndoAction(window, "&Undo")
    undo.setObjectName("actionUndo")
    undo.setShortcut(QKeySequence(std.Undo))
    redo = window.undo_group.createRedoAction(window, "&Redo")
    redo.setObjectName("actionRedo")
    redo_keys = QKeySequence.keyBindings(std.Redo)
    for extra in ("Ctrl+Shift+Z", "Ctrl+Y"):  # both are common; offer both everywhere
        if QKeySequence(extra) not in redo_keys:
            redo_keys.append(QKeySequence(extra))
    redo.setShortcuts(redo_keys)
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    edit_menu.addSeparator()
    find = _action(window, "actionFindFile", "&Find File…", window.files.focus_filter, std.Find,
                   "Type part of a file or folder name to narrow the file tree")
    edit_menu.addAction(find)
    edit_menu.addSeparator()
    prefs_keys = std.Preferences if not QKeySequence(std.Preferences).isEmpty() else "Ctrl+,"
    prefs = _action(window, "actionSettings", "Se&ttings…", lambda: window.ask_settings(), prefs_keys,
                    "The bucket cache folder and its size cap, network timeout and tries")
    prefs.setMenuRole(QAction.MenuRole.PreferencesRole)
    edit_menu.addAction(prefs)

    view_menu = bar.addMenu("&View")
    view_menu.setObjectName("menuView")
    tabs = (("actionShowMetadata", "&Metadata Tab"), ("actionShowSchema", "&Schema Tab"))
    for i, (name, text) in enumerate(tabs):
        show_tab = lambda i=i: window.tabs.setCurrentIndex(i)  # noqa: E731
        view_menu.addAction(_action(window, name, text, show_tab, f"Ctrl+{i + 1}"))
    view_menu.addAction(_action(window, "actionFocusForm", "Edit &Fields", window.focus_form, "Ctrl+E",
                                "Move the keyboard to the first field of the form"))
    view_menu.addSeparator()

    help_menu = bar.addMenu("&Help")
    about = _action(window, "actionAbout", "&About", window.about, tip="About this program")
    help_menu.addAction(about)

    menus = {"file": file_menu, "edit": edit_menu, "view": view_menu, "help": help_menu}
    return MainActions(open_, save, save_all, reload, quit_, undo, redo, about, recent, save_schema, menus)


def about_html() -> str:
    """Help ▸ About: what the program is, its version, and the versions of what it runs on."""
    import platform

    import av
    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    from core.bundled import __version__

    rows = (("Version", __version__), ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__}, "
                                            f"platform {QGuiApplication.platformName()})"),
            ("PyAV", f"{av.__version__} (FFmpeg {av.ffmpeg_version_info})"),
            ("Python", f"{platform.python_version()} ({platform.platform(terse=True)})"))
    table = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
    return ("<h3>Lightly Metadata Editor</h3><p>Edit and validate the metadata of Lightly datasources "
            "(<code>.lightly/metadata</code>): per-file metadata, frames of videos, and "
            f"<code>schema.json</code>.</p><table>{table}</table>")


def recent_label(entry: str) -> str:
    media, lightly = settings.split_recent(entry)
    return f"{media}  (Lightly root: {lightly})" if lightly else media


def fill_recent_menu(window, menu: QMenu) -> None:
    menu.clear()
    entries = settings.get("recent/folders")
    for entry in entries:
        media, lightly = settings.split_recent(entry)
        action = menu.addAction(recent_label(entry))
        action.setEnabled(all(r is None or is_url(r) or Path(r).is_dir() for r in (media, lightly)))
        action.triggered.connect(lambda _c=False, m=media, lr=lightly: window.open_datasource(m, lr))
    if not entries:
        menu.addAction("(no recent datasources)").setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction("Clear List")
    clear.setEnabled(bool(entries))
    clear.triggered.connect(lambda: settings.set("recent/folders", []))
