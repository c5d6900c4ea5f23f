"""Edit ▸ Settings…: the cache folder shown, the cap and network options stored and applied to
core.storage (not only through the environment), Clear Cache empties the folder at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from core.storage import object_cache, remote
from gui.common import settings
from gui.preferences.dialog import SettingsDialog, apply_saved


@pytest.fixture
def prefs(tmp_path, monkeypatch):
    settings.use_file(str(tmp_path / "settings.ini"))
    monkeypatch.setenv("LIGHTLY_EDITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(object_cache.CAP_ENV, raising=False)
    yield
    settings.use_file(None)
    object_cache.set_cap_mb(None)
    remote.configure(timeout=None, attempts=None)


def test_values_are_stored_and_applied_to_storage(qtbot, prefs):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.folder.text() == str(object_cache.cache_dir())
    assert (dialog.cap.value(), dialog.timeout.value(), dialog.attempts.value()) == (2048, 20, 4)
    dialog.cap.setValue(300)
    dialog.timeout.setValue(5)
    dialog.attempts.setValue(2)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert object_cache.cap_mb() == 300 and remote.network_options() == (5.0, 2)
    assert [settings.get(k) for k in ("cloud/cache_mb", "cloud/timeout_s", "cloud/attempts")] == [300, 5, 2]
    # A new session: the stored values are applied again at start (app.build_window calls this).
    object_cache.set_cap_mb(None)
    remote.configure(timeout=None, attempts=None)
    apply_saved()
    assert object_cache.cap_mb() == 300 and remote.network_options() == (5.0, 2)


def test_cancel_changes_nothing(qtbot, prefs):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.cap.setValue(7)
    dialog.reject()
    assert object_cache.cap_mb() == 2048 and not settings.is_set("cloud/cache_mb")


def test_environment_cap_holds_until_the_user_sets_one(qtbot, prefs, monkeypatch):
    monkeypatch.setenv(object_cache.CAP_ENV, "64")
    apply_saved()
    assert object_cache.cap_mb() == 64
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.cap.value() == 64


def test_clear_cache_empties_the_folder(qtbot, prefs):
    folder = object_cache.cache_dir()
    folder.mkdir(parents=True)
    (folder / "a.png").write_bytes(b"x" * 5000)
    (folder / "b.jpg").write_bytes(b"y" * 3000)
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.usage.text().startswith("7.8 KB")
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert list(folder.iterdir()) == [] and dialog.usage.text().startswith("0 bytes")


def test_a_smaller_cap_trims_least_recently_used_copies(qtbot, prefs):
    import os

    folder = object_cache.cache_dir()
    folder.mkdir(parents=True)
    old, new = folder / "old.png", folder / "new.png"
    old.write_bytes(b"o" * (700 << 10))
    new.write_bytes(b"n" * (700 << 10))
    os.utime(old, (1, 1))
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.cap.setValue(1)
    dialog.accept()
    assert sorted(p.name for p in folder.iterdir()) == ["new.png"]
