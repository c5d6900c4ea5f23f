"""Hostile values in the window: shown as text, never handed to Qt as numbers it cannot hold.

Integers past 64 bits and floats near the limits of a double travel through the known-values
signal, the form's editors and combo boxes, the Dataset tab and the Distribution chart.
Python exceptions inside Qt callbacks fail the test (pytest-qt); the window is then driven
across every file and a frame of a video, as a user switching through them would.
"""

from __future__ import annotations

import json

import pytest

import main
from gui.common import settings
from gui.common.workers import wait_all
from gui.editors.registry import CategoricalEditor
from tests.datasets import write_datasource
from tests.videos import encode_video

SCHEMA = [
    {"name": "Count", "path": "count", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},
    {"name": "Temp", "path": "w.temp", "defaultValue": 0.5, "valueDataType": "NUMERIC_FLOAT"},
    {"name": "Ts", "path": "ts", "defaultValue": 0, "valueDataType": "CATEGORICAL_TIMESTAMP"},
    {"name": "Cat", "path": "cat", "defaultValue": 0, "valueDataType": "CATEGORICAL_INT"},
    {"name": "Label", "path": "label", "defaultValue": "a", "valueDataType": "CATEGORICAL_STRING"},
]
HUGE = 10**40
VALUES = [2**63, -(2**63) - 1, 2**64, HUGE, -HUGE, 9 * 10**98]


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    settings.use_file(str(tmp_path / "settings.ini"))
    yield
    settings.use_file(None)


@pytest.fixture
def ds(tmp_path):
    media = {f"h{i}.png": b"x" for i in range(len(VALUES))}
    files = {"schema.json": SCHEMA}
    for i, v in enumerate(VALUES):
        meta = f'{{"count": {v}, "ts": {v}, "cat": {v}, "w": {{"temp": 1e308}}}}'
        files[f"h{i}.json"] = f'{{"file_name": "h{i}.png", "type": "image", "metadata": {meta}}}'

    files["v-00-mp4.json"] = json.dumps({"file_name": "v-00-mp4.png", "type": "frame",
                                         "metadata": {"count": 2**64, "cat": -(2**70)}})
    root = write_datasource(tmp_path / "ds", media=media, files=files)
    encode_video(root / "v.mp4", 12)
    return root


def test_ints_past_64_bits_are_shown_as_text_everywhere(ds, qtbot):
    w = main.build_window(ds)
    qtbot.addWidget(w)
    w.errors = []
    w.show_error = lambda title, text: w.errors.append(text)
    w.ask_save_discard_cancel = lambda action: "discard"
    w.show()
    qtbot.waitUntil(lambda: w.index is not None and w.loader.validated and not w.loader.busy, timeout=30000)
    for _round in range(3):
        for i in range(len(VALUES)):
            w.select_media(f"h{i}.png")
        w.select_media("v.mp4", 0)
    w.select_media("h3.png")
    assert w.form.editor("count").text() == str(HUGE)
    cat = w.form.editor("cat")
    assert isinstance(cat, CategoricalEditor) and cat.currentText() == str(HUGE)
    # Past 64 bits is a finding (Lightly stores these types as int64): shown as invalid text.
    invalid = {f.path for f in w.findings.all() if f.file == "h3.json" and f.code == "value-type"}
    assert invalid == {"count", "ts", "cat"}
    w.select_media("v.mp4", 0)
    assert w.form.editor("count").text() == str(2**64)

    w.tabs.setCurrentIndex(2)
    panel = w.inspect.dataset
    qtbot.waitUntil(panel.is_ready, timeout=30000)
    texts = {panel.model.index(r, c).data() for r in range(panel.model.rowCount())
             for c in range(panel.model.columnCount())}
    assert str(HUGE) in texts and str(-(2**63) - 1) in texts
    dist = w.inspect.distribution
    for spec in w.workspace.specs:
        dist.set_path(spec.path)
        dist.flush()
        dist.grab()
        dist.click_bar(0)
    assert w.errors == []
    w.close()
    wait_all()
