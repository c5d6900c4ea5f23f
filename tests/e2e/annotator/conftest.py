"""Fixtures for the annotator flow tests: a small datasource and the real window on it."""

from __future__ import annotations

import pytest

from gui.common import settings
from gui.common.workers import wait_all
from gui.window.app import build_window
from tests.e2e.annotator.support import make_datasource


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    settings.use_file(str(tmp_path / "settings.ini"))  # auto-save toggles stay in this test
    yield
    settings.use_file(None)


@pytest.fixture
def ds(tmp_path):
    return make_datasource(tmp_path / "ds")


@pytest.fixture
def window(ds, qtbot):
    w = build_window(ds, remember=False)
    qtbot.addWidget(w)
    w.errors, w.asked = [], []
    w.show_error = lambda title, text: w.errors.append(f"{title}: {text}")
    w.answer = "cancel"
    w.ask_save_discard_cancel = lambda what: w.asked.append(what) or w.answer
    w.ask_save_schema_with_errors = lambda errors: True
    w.show()
    w.activateWindow()
    with qtbot.waitSignal(w.loaded, timeout=30000):
        pass
    qtbot.waitUntil(lambda: w.loader.validated and not w.loader.busy, timeout=30000)
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.waitUntil(lambda: w.form.editor("scene").known_values() == ["city", "park"])
    yield w
    w.answer = "discard"
    w.close()
    wait_all()
