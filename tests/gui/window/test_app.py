"""Starting the editor: clear messages instead of Qt traces, and `--screenshot` rendering."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QImage

from gui.common.workers import wait_all
from gui.window import app

ROOT = Path(__file__).resolve().parents[3]


def _args(datasource=None, lightly_root=None, screenshot=None):
    return types.SimpleNamespace(datasource=datasource, lightly_root=lightly_root, screenshot=screenshot)


def test_missing_or_non_folder_datasource_is_one_clear_line(tmp_path, capsys):
    assert app.run(_args(str(tmp_path / "nope"))) == 2
    assert capsys.readouterr().err.strip() == f"error: datasource {tmp_path / 'nope'} does not exist"
    (tmp_path / "file.txt").write_text("x")
    assert app.run(_args(str(tmp_path / "file.txt"))) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert app.run(_args(str(tmp_path), lightly_root=str(tmp_path / "gone"))) == 2
    assert "Lightly root" in capsys.readouterr().err


def test_without_a_display_it_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    assert app.run(_args(str(tmp_path))) == 2
    err = capsys.readouterr().err
    assert "no display" in err and "--screenshot" in err and "validate" in err
    assert "qt.qpa" not in err


def test_screenshot_renders_a_loaded_window_without_a_display(tmp_path):
    from tests.gui.window.test_main_window import make_datasource

    ds = make_datasource(tmp_path / "ds")
    out = tmp_path / "shot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), str(ds), "--screenshot", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "propagateSizeHints" not in proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == app.SCREENSHOT_SIZE


def test_build_window_without_a_folder_opens_the_last_datasource(tmp_path, qtbot):
    from gui.common import settings

    settings.add_recent(str(tmp_path))
    window = app.build_window()
    qtbot.addWidget(window)
    assert window.workspace.media_root == tmp_path
    with qtbot.waitSignal(window.loaded, timeout=20000):
        pass
    window.close()
    wait_all()


def test_a_screenshot_leaves_the_users_settings_alone(tmp_path, qtbot, monkeypatch):
    from gui.common import settings
    from tests.gui.window.test_main_window import make_datasource

    ds = make_datasource(tmp_path / "ds")
    settings.set("recent/folders", ["/somewhere/else|"])
    settings.set("recent/last", "/somewhere/else|")
    settings.set("window/state", QByteArray(b"the user's dock layout"))
    built = []
    monkeypatch.setattr(app, "save_screenshot", lambda window, path: built.append(window) or 0)
    assert app.run(_args(str(ds), screenshot=str(tmp_path / "x.png"))) == 0
    window = built[0]
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=20000):
        pass
    window.close()
    wait_all()
    assert settings.get("recent/folders") == ["/somewhere/else|"]
    assert settings.get("window/state") == QByteArray(b"the user's dock layout")


def test_the_start_shows_a_light_shell_first_then_the_editor_in_its_place(tmp_path, qtbot):
    from tests.gui.window.test_main_window import make_datasource

    ds = make_datasource(tmp_path / "ds")
    ready = []
    shell = app.start_editor(str(ds), remember=False, on_ready=ready.append)
    assert shell.frame.isVisible() and shell.window is None  # nothing built before the first paint
    assert "Opening ds" in shell.frame.windowTitle()
    qtbot.waitUntil(lambda: bool(ready), timeout=20000)
    window = ready[0]
    qtbot.addWidget(window)
    assert shell.window is window and window.isVisible()
    assert window.pos() == shell.frame.pos()  # in the shell's place (with its own minimum size)
    qtbot.waitUntil(lambda: not shell.frame.isVisible(), timeout=5000)  # closed once the editor shows
    qtbot.waitUntil(lambda: window.index is not None, timeout=20000)  # `loaded` may have been emitted
    window.close()
    wait_all()
