"""The CLI's answers to hostile and sloppy input, run as a user would: --strict, the media lists,
formula-safe export, skip-invalid import, and an import killed half-way that is simply run again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.datasets import LABEL_SCHEMA, metadata_dir, write_datasource

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
pytestmark = pytest.mark.timeout(180)


def run(*args, tmp_path):
    env = {**os.environ, "LIGHTLY_EDITOR_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run([sys.executable, str(MAIN), *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=150)


@pytest.fixture
def ds(tmp_path):
    return write_datasource(tmp_path / "ds", media={"a.png": b"png", "b.webp": b"webp"},
                            files={"schema.json": LABEL_SCHEMA,
                                   "a.json": {"file_name": "a.png", "type": "image",
                                              "metadata": {"label": "=cmd|' /C calc'!A0"}}})


def test_strict_fails_on_warnings_and_the_lightly_list_is_configurable(ds, tmp_path):
    plain = run("validate", ds, tmp_path=tmp_path)
    assert plain.returncode == 0 and "warning unread-media" in plain.stdout and "b.webp" in plain.stdout
    assert run("validate", ds, "--strict", tmp_path=tmp_path).returncode == 1
    told = run("validate", ds, "--strict", "--lightly-extensions", "png,webp", tmp_path=tmp_path)
    assert told.returncode == 0 and told.stdout == ""
    no_webp = run("validate", ds, "--image-extensions", "png", "--format", "json", tmp_path=tmp_path)
    assert no_webp.returncode == 0 and json.loads(no_webp.stdout) == []  # webp is no media at all now
    both = run("validate", ds, "--image-extensions", "png", "--video-extensions", "png", tmp_path=tmp_path)
    assert both.returncode == 2 and "both image and video" in both.stderr and "Traceback" not in both.stderr


def test_export_neutralizes_formulas_unless_asked_and_imports_back_unchanged(ds, tmp_path):
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert run("export", ds, "-o", safe, tmp_path=tmp_path).returncode == 0
    assert run("export", ds, "-o", raw, "--raw-formulas", tmp_path=tmp_path).returncode == 0
    assert "a.png,image,'=cmd|' /C calc'!A0," in safe.read_text()
    assert "a.png,image,=cmd|' /C calc'!A0," in raw.read_text()
    before = (metadata_dir(ds) / "a.json").read_bytes()
    back = run("import", ds, safe, tmp_path=tmp_path)
    assert back.returncode == 0 and "Nothing to change" in back.stdout
    assert (metadata_dir(ds) / "a.json").read_bytes() == before


def test_skip_invalid_applies_the_valid_rows(ds, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text('file_name,Label\na.png,"sun"ny\nb.webp,owl\n')
    refused = run("import", ds, table, tmp_path=tmp_path)
    assert refused.returncode == 1 and "bad-quote" not in refused.stdout  # kinds are not shown, reasons are
    assert "cannot be read as CSV" in refused.stdout and "--skip-invalid" in refused.stdout
    done = run("import", ds, table, "--skip-invalid", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Skipped" in done.stdout and "Wrote 1 file" in done.stdout
    assert json.loads((metadata_dir(ds) / "b.json").read_text())["metadata"] == {"label": "owl"}


def test_an_import_killed_half_way_tears_nothing_and_running_it_again_finishes(tmp_path):
    n = 3000
    ds = write_datasource(tmp_path / "big", media={f"img_{i:05d}.png": b"png" for i in range(n)},
                          files={"schema.json": LABEL_SCHEMA})
    table = tmp_path / "t.csv"
    table.write_text("file_name,Label\n" + "".join(f"img_{i:05d}.png,label {i}\n" for i in range(n)))
    env = {**os.environ, "LIGHTLY_EDITOR_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, str(MAIN), "import", str(ds), str(table)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    md = metadata_dir(ds)
    deadline = time.monotonic() + 120
    while proc.poll() is None and len(list(md.glob("img_*.json"))) < 50 and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the import to be half-way, not asserting a time
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = sorted(md.glob("img_*.json"))
    assert 0 < len(written) < n, "the import finished before it could be killed"
    for p in written:  # every file is complete: the atomic rename never exposes a torn one
        assert json.loads(p.read_text())["metadata"]["label"].startswith("label ")
    again = run("import", ds, table, tmp_path=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"Wrote {n - len(written)} files" in again.stdout  # the rest, and only the rest
    assert len(list(md.glob("img_*.json"))) == n
    assert [p.name for p in md.iterdir() if p.name.endswith(".tmp")] == []  # killed writes cleaned up
