"""The headless CLI, run as a user would (`python main.py ...`): exit codes, output formats,
frame rows with their sources, and proof that validate/export write nothing."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.datasets import LABEL_SCHEMA, copy_datasource, write_datasource

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"

SCHEMA = LABEL_SCHEMA
FILES = {
    "schema.json": SCHEMA,
    "images/a.json": {"file_name": "images/a.png", "type": "image", "metadata": {"label": "cat"}},
    "videos/v.json": {"file_name": "videos/v.mp4", "type": "video",
                      "metadata": {"label": "road", "night": True}},
    "videos/v-099-mp4.json": {"file_name": "videos/v-099-mp4.png", "type": "frame",
                              "metadata": {"label": "car", "unknown": {"kept": 1}}},
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return write_datasource(tmp_path_factory.mktemp("cli") / "ds",
                            media={"images/a.png": b"png", "images/b.jpg": b"jpg"},
                            videos={"videos/v.mp4": 120},  # 3-digit frame names
                            files=FILES, indent=2, end="\n")


@pytest.fixture
def ds(template, tmp_path):
    return copy_datasource(template, tmp_path)


def snapshot(root: Path) -> dict:
    """Every file's bytes and mtime, and every folder, under `root`."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        out[dirpath] = ("dir", sorted(dirnames))
        for name in filenames:
            p = os.path.join(dirpath, name)
            with open(p, "rb") as f:
                out[p] = (f.read(), os.stat(p).st_mtime_ns)
    return out


def run(*args, cwd=ROOT, tmp_cache=None):
    env = dict(os.environ)
    if tmp_cache is not None:
        env["LIGHTLY_EDITOR_CACHE_DIR"] = str(tmp_cache)
    return subprocess.run([sys.executable, str(MAIN), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def run_readonly(root, *args, **kw):
    """Run a command and assert it changed nothing in the datasource."""
    before = snapshot(root)
    proc = run(*args, **kw)
    assert snapshot(root) == before, "the command wrote into the datasource"
    return proc


def test_validate_clean_exit_0(template, tmp_path):
    proc = run_readonly(template, "validate", template, tmp_cache=tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "counting frames 1/1: videos/v.mp4" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "0 errors, 0 warnings in 3 metadata files"
    assert (tmp_path / "cache" / "frame_counts.json").exists()  # the cache lives outside the datasource


def test_validate_warnings_exit_0_errors_exit_1(ds):
    md = ds / ".lightly" / "metadata"
    gone = {"file_name": "images/gone.png", "type": "image", "metadata": {}}
    (md / "images" / "gone.json").write_text(json.dumps(gone))
    proc = run_readonly(ds, "validate", ds)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "images/gone.json: warning orphan: no media file for images/gone.json"]
    bad = {"file_name": "images/a.png", "type": "image", "metadata": {"night": 1}}
    (md / "images" / "a.json").write_text(json.dumps(bad))
    (md / "videos" / "v-99-mp4.json").write_text("{\n  \"type\": \"frame\",\n}\n")
    proc = run_readonly(ds, "validate", ds)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert "images/a.json: error value-type: Night (CATEGORICAL_BOOLEAN): expected true or false, " \
           "got the number 1" in lines
    assert any(line.startswith("videos/v-99-mp4.json:3:1: error invalid-json:") for line in lines)
    assert any(line.startswith("videos/v-99-mp4.json: error frame-padding:") for line in lines)
    assert "3 errors, 1 warning in 5 metadata files" in proc.stderr


def test_validate_json_format(ds):
    (ds / "images" / "a.jpg").write_bytes(b"jpg")
    proc = run_readonly(ds, "validate", ds, "--format", "json")
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)
    assert {(f["code"], f["file"], f["media"]) for f in findings} == {
        ("collision", "images/a.json", "images/a.jpg"), ("collision", "images/a.json", "images/a.png")}
    assert all(f["severity"] == "error" and "path" not in f for f in findings)


def test_validate_exit_2(tmp_path):
    proc = run("validate", tmp_path / "missing")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"error: {tmp_path / 'missing'}: no such folder"]
    (tmp_path / "file.png").write_bytes(b"")
    proc = run("export", tmp_path / "file.png")
    assert proc.returncode == 2 and "not a folder" in proc.stderr and "Traceback" not in proc.stderr
    for bad in (["validate"], ["validate", tmp_path, "--format", "xml"], ["export", tmp_path, "--nope"]):
        proc = run(*bad)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_export_csv(template):
    proc = run_readonly(template, "export", template)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows == [
        ["file_name", "type", "Label", "Night", "Speed"],
        ["images/a.png", "image", "cat", "false", "0.5"],
        ["images/b.jpg", "image", "none", "false", "0.5"],
        ["videos/v.mp4", "video", "road", "true", "0.5"],
    ]
    assert "counting frames" not in proc.stderr


def test_export_frames_csv_and_json(template, tmp_path):
    proc = run_readonly(template, "export", template, "--frames")
    assert proc.returncode == 0, proc.stderr
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(proc.stdout))}
    assert len(rows) == 1 + 3 + 120
    assert rows["videos/v-099-mp4.png"] == ["frame", "car", "true", "0.5"]
    assert rows["videos/v-000-mp4.png"] == ["frame", "road", "true", "0.5"]
    assert "counting frames 1/1: videos/v.mp4" in proc.stderr

    out = tmp_path / "rows.json"
    proc = run_readonly(template, "export", template, "--frames", "--format", "json", "-o", out)
    assert proc.returncode == 0, proc.stderr
    data = {r["file_name"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    frame = data["videos/v-099-mp4.png"]
    assert frame["type"] == "frame"
    assert frame["values"] == {"Label": "car", "Night": True, "Speed": 0.5}
    assert frame["sources"] == {"Label": "file", "Night": "video", "Speed": "default"}
    assert data["images/b.jpg"]["sources"] == {"Label": "default", "Night": "default", "Speed": "default"}
    assert list(data)[:4] == ["images/a.png", "images/b.jpg", "videos/v.mp4", "videos/v-000-mp4.png"]


def test_export_separate_lightly_root(template, tmp_path):
    out_root = tmp_path / "lightly"
    shutil.copytree(template / ".lightly", out_root / ".lightly")
    media = tmp_path / "media"
    shutil.copytree(template, media, ignore=shutil.ignore_patterns(".lightly"))
    proc = run_readonly(out_root, "export", media, "--lightly-root", out_root, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["values"]["Label"] == "cat"


def test_cli_never_imports_qt(template):
    code = (
        "import sys, main\n"
        f"code = main.main(['validate', {str(template)!r}])\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_gui_form_of_the_arguments(monkeypatch, capsys):
    import main

    seen = []
    monkeypatch.setattr(main, "run_gui", lambda args: seen.append(args) or 0)
    assert main.main(["ds", "--lightly-root", "out", "--screenshot", "shot.png"]) == 0
    assert main.main([]) == 0
    assert [(a.datasource, a.lightly_root, a.screenshot) for a in seen] == [
        ("ds", "out", "shot.png"), (None, None, None)]
    assert main.main(["--nope"]) == 2 and main.main(["validate"]) == 2
    assert main.main(["-h"]) == 0 and "validate" in capsys.readouterr().out
