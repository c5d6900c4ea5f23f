"""A big local datasource is read by worker processes from the window (validation, the values
used, the table): the window then shows exactly what it shows when it reads in one process.

The thresholds (PARALLEL_MIN: 20,000 files) are lowered so a small datasource takes the
worker path; the answers of both paths are compared on files with every kind of problem.
"""

from __future__ import annotations

import pytest

import main
from core.dataset import processes
from core.effective import fill_pool
from core.validation import parallel
from gui.common.workers import wait_all
from tests.datasets import WEATHER_SCHEMA, write_datasource
from tests.videos import encode_video

pytestmark = pytest.mark.timeout(300)

WEATHERS = ("sunny", "rain", "fog", 7, None)


def _files() -> dict:
    files: dict = {"schema.json": WEATHER_SCHEMA}
    for i in range(60):
        meta = {"weather": {"description": WEATHERS[i % 5], "temperature": i / 3 if i % 4 else "hot"},
                "count": i if i % 6 else 2**70}
        files[f"img_{i:02}.json"] = {"file_name": f"img_{i:02}.png" if i % 9 else f"x{i}.png",
                                     "type": "image", "metadata": meta}
    files["img_10.json"] = '{"file_name": "img_10.png", "type": "image", "metadata": {,}}'
    files["img_11.json"] = "[1, 2]"
    files["img_12.json"] = '{"file_name": "img_12.png", "type": "image", "metadata": {"count": NaN}}'
    del files["img_13.json"]  # no file: defaults
    files["clip.json"] = {"file_name": "clip.mp4", "type": "video", "metadata": {"count": 3}}
    files["clip-05-mp4.json"] = {"file_name": "clip-05-mp4.png", "type": "frame", "metadata": {"count": 4}}
    files["orphan.json"] = {"file_name": "orphan.png", "type": "image", "metadata": {}}
    return files


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    root = write_datasource(tmp_path_factory.mktemp("workers") / "ds",
                            media={f"img_{i:02}.png": b"png" for i in range(60)}, files=_files())
    encode_video(root / "clip.mp4", 12)
    return root


def _open(qtbot, root) -> dict:
    w = main.build_window(root)
    qtbot.addWidget(w)
    got: dict = {}
    w.loader.findingsReady.connect(lambda f: got.__setitem__("findings", f))
    w.loader.knownValuesReady.connect(lambda v: got.__setitem__("known", v))
    w.inspect.show_dataset()
    with qtbot.waitSignal(w.settled, timeout=120000):
        pass
    table = w.inspect.dataset.model.table
    got["rows"] = [(table.file_name(r), table.row_values(r)) for r in range(table.row_count)]
    got["status"] = w.statusBar().currentMessage()
    w.close()
    wait_all()
    return got


def test_the_window_shows_the_same_whether_workers_read_the_files_or_not(qtbot, ds, monkeypatch):
    alone = _open(qtbot, ds)
    pools = []
    real_init = processes.Pool.__init__

    def counting_init(self, fn, *args, **kwargs):
        pools.append(getattr(fn, "__name__", type(fn).__name__))
        real_init(self, fn, *args, **kwargs)

    monkeypatch.setattr(processes.Pool, "__init__", counting_init)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 0)
    monkeypatch.setattr(fill_pool, "PARALLEL_MIN", 0)
    monkeypatch.setattr(parallel, "CHUNK", 7)
    monkeypatch.setattr(fill_pool, "CHUNK", 5)
    workers = _open(qtbot, ds)
    assert sorted(pools) == ["_Task", "cells_chunk"]  # both reads went to worker processes
    assert {f.code for f in alone["findings"]} >= {"invalid-json", "wrong-file-name", "orphan"}
    assert workers["findings"] == alone["findings"]
    assert alone["known"]["weather.description"] == ["fog", "rain", "sunny"]
    assert workers["known"] == alone["known"]
    assert len(alone["rows"]) == 61 and workers["rows"] == alone["rows"]
    assert workers["status"] == alone["status"]
