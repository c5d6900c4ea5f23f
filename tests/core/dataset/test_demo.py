"""The bundled demos: copied (never edited in place) and showing every finding the validator has."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from core.dataset.demo import BROKEN_SCHEMA_DEMO, DEMO, bundled_demo, demo_copy, user_data_dir
from core.format.findings import CODES, HOSTILE_CODES
from core.format.naming import frame_padding
from core.validation.validate import validate_datasource

ROOT = Path(__file__).resolve().parents[3]

#: The deliberate problems of the main demo (resources/demo/README.md): code -> metadata file.
MAIN_PROBLEMS = {
    "invalid-json": "highway/car_3.json",
    "value-type": "street_1.json",
    "collision": "crossing.json",
    "extra-top-level-key": "highway/truck_4.json",
    "wrong-file-name": "park/tree_5.json",
    "missing-key": "park/bench_6.json",
    "wrong-type-field": "night/lamp_8.json",
    "orphan": "removed/old_9.json",
    "frame-padding": "videos/drive_long-42-mp4.json",
    "frame-range": "videos/drive_long-150-mp4.json",
    "unreadable-video": "videos/broken_upload.json",
}
SCHEMA_CODES = {"schema-structure", "unknown-type", "duplicate-name", "duplicate-path"}
SCHEMA_CODES |= {"path-conflict", "reserved-path", "default-type"}


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """Both demos copied and validated once (videos decoded) for the tests below."""
    dest = tmp_path_factory.mktemp("demos")
    out = {}
    for name in (DEMO, BROKEN_SCHEMA_DEMO):
        index, findings = validate_datasource(demo_copy(dest, name))
        out[name] = index, findings
    return out


def test_copy_is_made_once_and_the_bundled_tree_is_untouched(tmp_path):
    before = tree_digest(bundled_demo())
    copy = demo_copy(tmp_path)
    assert copy == tmp_path / "demo"
    assert tree_digest(copy) == before
    # The user's edits survive: the copy is reused, not refreshed.
    edited = copy / ".lightly" / "metadata" / "street_0.json"
    edited.write_text("{}\n", encoding="utf-8")
    assert demo_copy(tmp_path) == copy
    assert edited.read_text(encoding="utf-8") == "{}\n"
    assert demo_copy(tmp_path, fresh=True) == copy
    assert tree_digest(copy) == before
    assert tree_digest(bundled_demo()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]  # no temporary folder left


def test_default_copy_goes_to_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LIGHTLY_EDITOR_DATA_DIR", str(tmp_path / "data"))
    assert demo_copy(name=BROKEN_SCHEMA_DEMO) == tmp_path / "data" / BROKEN_SCHEMA_DEMO
    monkeypatch.delenv("LIGHTLY_EDITOR_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert user_data_dir() == tmp_path / "xdg" / "lightly-metadata-editor"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_data_dir() == tmp_path / "home" / ".local" / "share" / "lightly-metadata-editor"


def test_the_demos_are_small():
    size = sum(p.stat().st_size for d in (DEMO, BROKEN_SCHEMA_DEMO) for p in bundled_demo(d).rglob("*"))
    assert size < 2_000_000


def test_together_the_demos_show_every_finding_code(validated):
    seen = {f.code for _, findings in validated.values() for f in findings}
    shown = set(CODES) - HOSTILE_CODES  # hostile input is tests/fuzz's (test_every_hostile_code_is_found)
    assert seen >= shown, f"never shown: {sorted(shown - seen)}"


def test_each_deliberate_problem_is_where_the_readme_says(validated):
    _, findings = validated[DEMO]
    by_file: dict[str, set[str]] = {}
    for f in findings:
        by_file.setdefault(f.file, set()).add(f.code)
    for code, file in MAIN_PROBLEMS.items():
        assert code in by_file.get(file, set()), f"{file}: expected {code}, got {by_file.get(file)}"
    # Everything else in the main demo is clean, and its schema has no problem at all.
    allowed = set(MAIN_PROBLEMS.values())
    assert {f for f in by_file if f not in allowed} == set()
    assert not SCHEMA_CODES & {f.code for f in findings}


def test_frame_counts_and_padding(validated):
    index, findings = validated[DEMO]
    assert index.frame_counts["videos/drive_long.mp4"] == 150
    assert index.frame_counts["videos/clip_short.mp4"] == 48
    assert frame_padding(150) == 3 and frame_padding(48) == 2
    for n in ("000", "050", "099", "149"):
        info = index.metadata[f"videos/drive_long-{n}-mp4.json"]
        assert (info.kind, info.media, info.frame) == ("frame", "videos/drive_long.mp4", int(n))
    assert index.metadata["videos/clip_short-07-mp4.json"].frame == 7
    (padding,) = [f for f in findings if f.code == "frame-padding"]
    assert "3 digits" in padding.message and "drive_long-042-mp4.json" in padding.message


def test_the_broken_schema_demo_shows_every_schema_problem(validated):
    _, findings = validated[BROKEN_SCHEMA_DEMO]
    schema_findings = [f for f in findings if f.file == "schema.json"]
    assert {f.code for f in schema_findings} == SCHEMA_CODES
    fixes = {f.fix for f in schema_findings if f.code == "unknown-type"}
    assert fixes == {"NUMERIC_FLOAT", "NUMERIC_INT", "CATEGORICAL_DATETIME"}


def test_the_committed_demo_matches_its_generator(tmp_path):
    """Re-running scripts/make_demo.py gives the committed metadata and READMEs, byte for byte.

    Media bytes are left out: they depend on the codec library's version.
    """
    pytest.importorskip("PySide6")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_demo.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    for name in (DEMO, BROKEN_SCHEMA_DEMO):
        fresh, committed = tree_digest(tmp_path / name), tree_digest(bundled_demo(name))
        assert sorted(fresh) == sorted(committed)
        text = [rel for rel in fresh if rel.endswith((".json", ".md"))]
        assert {r: fresh[r] for r in text} == {r: committed[r] for r in text}
