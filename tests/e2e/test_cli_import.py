"""`python main.py import DATASOURCE FILE.csv [--dry-run] [--lightly-root DIR]`, run as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.datasets import LABEL_SCHEMA, copy_datasource, write_datasource
from tests.datasets import metadata_bytes as files

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"

SCHEMA = LABEL_SCHEMA
FILES = {
    "schema.json": SCHEMA,
    "images/a.json": {"file_name": "images/a.png", "type": "image", "metadata": {"label": "cat", "keep": 1}},
    "videos/v.json": {"file_name": "videos/v.mp4", "type": "video", "metadata": {"label": "road"}},
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return write_datasource(tmp_path_factory.mktemp("cli-import") / "ds",
                            media={"images/a.png": b"png", "images/b.jpg": b"jpg"},
                            videos={"videos/v.mp4": 120},  # 3-digit frame names
                            files=FILES, indent=4)  # not the editor's formatting


@pytest.fixture
def ds(template, tmp_path):
    return copy_datasource(template, tmp_path)


def run(*args, tmp_path=None):
    env = dict(os.environ)
    if tmp_path is not None:
        env["LIGHTLY_EDITOR_CACHE_DIR"] = str(tmp_path / "cache")
    return subprocess.run([sys.executable, str(MAIN), *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def write_csv(tmp_path, text, name="values.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


CSV = (
    "file_name,type,Label,Night,Speed\n"
    "images/a.png,image,dog,,\n"
    "images/b.jpg,image,,true,\n"
    "videos/v-007-mp4.png,frame,road,,1.5\n"  # road is inherited: only Speed is written
    "videos/v.mp4,video,road,false,\n"  # both equal: nothing for the video
)


def test_dry_run_reports_and_writes_nothing(ds, tmp_path):
    before = files(ds)
    proc = run("import", ds, write_csv(tmp_path, CSV), "--dry-run", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "key column: file_name · delimiter: comma · 4 rows (4 matched)" in out
    assert "images/b.jpg  (new file images/b.json)" in out
    assert "videos/v-007-mp4.png  (new file videos/v-007-mp4.json)" in out
    assert "Label: cat (file) -> dog" in out
    assert "Ready: 3 values in 3 files, 2 of them new." in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert files(ds) == before


def test_apply_writes_only_differing_cells(ds, tmp_path):
    before = files(ds)
    proc = run("import", ds, write_csv(tmp_path, CSV), tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Wrote 3 files (2 created)." in proc.stdout
    after = files(ds)
    assert set(after) == set(before) | {"images/b.json", "videos/v-007-mp4.json"}
    assert after["videos/v.json"] == before["videos/v.json"] and after["schema.json"] == before["schema.json"]
    assert json.loads(after["images/a.json"]) == {"file_name": "images/a.png", "type": "image",
                                                  "metadata": {"label": "dog", "keep": 1}}
    assert after["videos/v-007-mp4.json"] == (
        b'{\n  "file_name": "videos/v-007-mp4.png",\n  "type": "frame",\n'
        b'  "metadata": {\n    "motion": {\n      "speed": 1.5\n    }\n  }\n}\n')
    # Running it again changes nothing.
    proc = run("import", ds, tmp_path / "values.csv", tmp_path=tmp_path)
    assert proc.returncode == 0 and "Nothing to change" in proc.stdout
    assert files(ds) == after


def test_bad_csv_exit_1_and_nothing_written(ds, tmp_path):
    before = files(ds)
    bad = write_csv(tmp_path, "file_name;Label;Night;Colour\nimages/a.png;dog;maybe;red\n"
                              "images/a.png;dog;;\nnothere.png;x;;\n")
    proc = run("import", ds, bad, tmp_path=tmp_path)
    assert proc.returncode == 1
    out = " ".join(proc.stdout.split())
    assert "expected CATEGORICAL_BOOLEAN: 'maybe' is not true or false" in out
    assert "line 3: images/a.png: already on line 2: neither row is applied" in out
    assert "column 'Colour': matches no schema entry name or path: ignored" in out
    assert "line 4: nothere.png: no media file" in out
    assert "Nothing was written." in proc.stdout
    assert files(ds) == before
    wrong = write_csv(tmp_path, "file_name|Label\nimages/a.png|dog\n", "pipes.csv")
    proc = run("import", ds, wrong, "--dry-run", tmp_path=tmp_path)
    assert proc.returncode == 1 and "single column 'file_name|Label'" in proc.stdout


def test_export_then_import_changes_nothing(ds, tmp_path):
    exported = tmp_path / "export.csv"
    proc = run("export", ds, "--frames", "-o", exported, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    before = files(ds)
    proc = run("import", ds, exported, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "123 rows (123 matched)" in proc.stdout and "Nothing to change" in proc.stdout
    assert files(ds) == before


def test_separate_lightly_root(ds, tmp_path):
    lightly = tmp_path / "out"
    shutil.copytree(ds / ".lightly", lightly / ".lightly")
    shutil.rmtree(ds / ".lightly")
    proc = run("import", ds, write_csv(tmp_path, "file_name,Label\nimages/b.jpg,owl\n"),
               "--lightly-root", lightly, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(files(lightly)["images/b.json"])["metadata"] == {"label": "owl"}
    assert not (ds / ".lightly").exists()


def test_cannot_open_exit_2(ds, tmp_path):
    proc = run("import", ds, tmp_path / "missing.csv", tmp_path=tmp_path)
    assert proc.returncode == 2 and "error:" in proc.stderr and "Traceback" not in proc.stderr
    good = write_csv(tmp_path, "file_name,Label\nimages/a.png,dog\n")
    proc = run("import", tmp_path / "no-such-folder", good, tmp_path=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    (tmp_path / "latin.csv").write_bytes("file_name,Label\nimages/a.png,caf\xe9\n".encode("latin-1"))
    proc = run("import", ds, tmp_path / "latin.csv", tmp_path=tmp_path)
    assert proc.returncode == 2 and "not UTF-8" in proc.stderr
