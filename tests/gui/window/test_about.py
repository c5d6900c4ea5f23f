"""The program says which version it is: `--version` and Help ▸ About (with Qt, PyAV, Python)."""

from __future__ import annotations

import platform

import av
import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

import main
from core.bundled import __version__
from gui.common.workers import wait_all
from tests.gui.window.test_main_window import make_datasource


def test_version_prints_the_program_python_qt_and_pyav(capsys):
    assert main.main(["--version"]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first == f"lightly-metadata-editor {__version__}"
    assert f"Python {platform.python_version()}" in second
    assert f"PySide6 (Qt) {PySide6.__version__}" in second and f"PyAV {av.__version__}" in second


def test_help_about_shows_the_versions(tmp_path, qtbot):
    window = main.build_window(make_datasource(tmp_path / "ds"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=20000):
        pass
    about = window.findChild(QAction, "actionAbout")
    assert about in window.menu_actions.menus["help"].actions()
    about.trigger()  # opens without blocking
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None and box.isVisible()
    text = box.text()
    for expected in (__version__, qVersion(), PySide6.__version__, av.__version__, platform.python_version()):
        assert expected in text
    box.close()
    window.close()
    wait_all()
