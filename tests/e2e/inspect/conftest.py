"""Fixtures: a real datasource with an encoded video, and the editor window opened on it."""

from __future__ import annotations

import pytest

import main
from gui.common import settings
from gui.common.workers import wait_all
from tests.datasets import write_datasource
from tests.e2e.inspect.support import N_FRAMES, SCHEMA, WRONG_NAME_TEXT
from tests.videos import encode_video


@pytest.fixture(scope="module")
def video_bytes(tmp_path_factory):
    return encode_video(tmp_path_factory.mktemp("videos") / "drive.mp4", N_FRAMES).read_bytes()


@pytest.fixture
def ds(tmp_path, video_bytes):
    """An image with values, one without a file, one whose file_name is wrong; a 30-frame video
    whose frame 5 sets a weather and frame 12 sets it to the default value explicitly."""
    media = dict.fromkeys(("img.png", "plain.jpg", "bad.png"), b"not decoded here")
    media["clips/drive.mp4"] = video_bytes
    root = write_datasource(tmp_path / "ds", media=media, files={"schema.json": SCHEMA}, indent=2, end="\n")
    return write_datasource(root, end="\n", files={
        "img.json": {"file_name": "img.png", "type": "image",
                     "metadata": {"weather": {"description": "fog"}, "count": 1}},
        "bad.json": WRONG_NAME_TEXT,
        "clips/drive.json": {"file_name": "clips/drive.mp4", "type": "video", "metadata": {"count": 3}},
        "clips/drive-05-mp4.json": {"file_name": "clips/drive-05-mp4.png", "type": "frame",
                                    "metadata": {"weather": {"description": "rain"}}},
        "clips/drive-12-mp4.json": {"file_name": "clips/drive-12-mp4.png", "type": "frame",
                                    "metadata": {"weather": {"description": "sunny"}}},
    })


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    settings.use_file(str(tmp_path / "settings.ini"))
    yield
    settings.use_file(None)


@pytest.fixture
def open_window(qtbot):
    opened = []

    def _open(root):
        w = main.build_window(root)
        qtbot.addWidget(w)
        w.show()
        w.errors = []
        w.show_error = lambda title, text: w.errors.append(f"{title}: {text}")
        w.ask_save_discard_cancel = lambda action: "discard"  # no modal question when the test closes it
        w.ask_save_schema_with_errors = lambda errors: True
        opened.append(w)
        with qtbot.waitSignal(w.loaded, timeout=30000):
            pass
        qtbot.waitUntil(lambda: w.loader.validated and not w.loader.busy, timeout=30000)
        qtbot.waitUntil(lambda: w.inspect.dataset.is_ready(), timeout=10000)
        return w

    yield _open
    for w in opened:
        assert w.errors == []
        w.close()
    wait_all(10000)


@pytest.fixture
def window(ds, open_window):
    return open_window(ds)

