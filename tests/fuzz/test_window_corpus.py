"""The editor window over the hostile corpus, in a child process (a crash of Qt would end the test
run otherwise): every media file is visited without an exception or an error dialog, and the
window lists a finding for every hostile file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.fuzz.conftest import ROOT
from tests.fuzz.corpus import CASES, snapshot, write_corpus
from tests.videos import encode_video

pytestmark = pytest.mark.timeout(1500)  # seconds alone; the bound is for a hang on a loaded machine


def test_the_window_visits_every_hostile_file(tmp_path):
    ds, outside = tmp_path / "ds", tmp_path / "outside"
    cases = write_corpus(ds, CASES, outside)
    encode_video(ds / "clip.mp4", 12)
    before = snapshot(ds, outside)
    out = tmp_path / "walk.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIGHTLY_EDITOR_CACHE_DIR": str(tmp_path / "cache"),
           "LIGHTLY_EDITOR_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-m", "tests.fuzz.window_walk", str(ds), str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, errors="backslashreplace", timeout=1400)
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-12000:]}"
    result = json.loads(out.read_text())
    assert result["exceptions"] == [] and result["errors"] == []
    assert result["visited"] >= len(cases) + 2  # and the video's frame 0
    assert set(cases) <= set(result["finding_files"])
    assert snapshot(ds, outside) == before  # visiting writes nothing
