"""The editor window on a bucket: File ▸ Open URL…, a dropped URL, Open Recent; an edit saved
as an object under its frame-padded key; an outside change of the object is asked about."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QMenu

import main
from core.format.samples import SampleRef
from gui.common import settings
from gui.common.commands import set_value_command
from gui.common.workers import wait_all
from gui.window.menus import fill_recent_menu

META = "ds/.lightly/metadata"


@pytest.fixture
def window(qtbot, tmp_path, template):
    settings.use_file(str(tmp_path / "settings.ini"))
    w = main.build_window(template)
    qtbot.addWidget(w)
    w.ask_save_discard_cancel = lambda action: "discard"
    w.conflicts = []
    w.ask_conflict = lambda rel: (w.conflicts.append(rel), "cancel")[1]
    w.errors = []
    w.show_error = lambda title, text: w.errors.append(text)
    qtbot.waitUntil(lambda: w.loader.validated and not w.loader.busy, timeout=30000)
    yield w
    w.close()
    wait_all()
    settings.use_file(None)


def wait_loaded(qtbot, w):
    qtbot.waitUntil(lambda: w.workspace.index is not None and w.loader.validated and not w.loader.busy,
                    timeout=60000)


def test_open_url_edit_save_and_conflict(bucket, template, window, qtbot):
    url = bucket.upload(template, "ds")
    window.ask_open_url = lambda: (url, None, "")
    window.findChild(QAction, "actionOpenUrl").trigger()
    wait_loaded(qtbot, window)
    ws = window.workspace
    assert str(ws.media_root) == url and ws.index.images == ["images/a.png", "images/b.jpg", "images/bad.png"]
    assert window.files.model.index_of("images/a.png").isValid()
    codes = {f.code for f in window.findings.for_rel("images/bad.json")}
    assert "invalid-json" in codes

    frame = ws.index.sample("videos/v.mp4", 3)
    window.undo_stack.push(set_value_command(ws, frame, "label", "bus"))
    window.select_samples([frame])
    assert window.save_current()
    written = json.loads(bucket.get(f"{META}/videos/v-03-mp4.json"))
    assert written == {"file_name": "videos/v-03-mp4.png", "type": "frame", "metadata": {"label": "bus"}}

    a = SampleRef.image("images/a.png")
    window.select_samples([a])
    ws.document(a)
    bucket.put(f"{META}/images/a.json", b'{"file_name": "images/a.png", "type": "image", "metadata": {}}\n')
    window.undo_stack.push(set_value_command(ws, a, "label", "dog"))
    window.save_current()
    assert window.conflicts == ["images/a.json"]  # asked, not overwritten
    assert json.loads(bucket.get(f"{META}/images/a.json"))["metadata"] == {}
    assert ws.document(a).modified

    recent = window.findChild(QMenu, "menuRecent")
    fill_recent_menu(window, recent)
    entries = [act for act in recent.actions() if act.text().startswith(url)]
    assert entries and entries[0].isEnabled()


def test_dropped_url_opens(bucket, template, window, qtbot):
    url = bucket.upload(template, "ds")
    mime = QMimeData()
    mime.setText(url)
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: str(window.workspace.media_root) == url, timeout=10000)
    wait_loaded(qtbot, window)
    assert window.workspace.index.videos == ["videos/v.mp4"]


@pytest.mark.parametrize("bucket", ["s3"], indirect=True)  # the workspace test covers every store
def test_failed_save_keeps_the_edit_in_the_window_and_save_retries(bucket, template, window, qtbot,
                                                                   monkeypatch, short_network):
    url = bucket.upload(template, "ds")
    window.ask_open_url = lambda: (url, None, "")
    window.findChild(QAction, "actionOpenUrl").trigger()
    wait_loaded(qtbot, window)
    ws = window.workspace
    a = SampleRef.image("images/a.png")
    window.select_samples([a])
    window.undo_stack.push(set_value_command(ws, a, "label", "dog"))
    endpoint = bucket.server.env["AWS_ENDPOINT_URL"]
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # the network is gone
    assert not window.save_current()
    assert window.errors and "images/a.json" in window.errors[-1]
    assert ws.document(a).modified and not window.undo_stack.isClean()
    assert ws.document(a).value("label") == "dog"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)  # back
    assert window.save_current()
    assert json.loads(bucket.get(f"{META}/images/a.json"))["metadata"]["label"] == "dog"
    assert not ws.document(a).modified
