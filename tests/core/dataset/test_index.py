"""The datasource index: walking media, classifying metadata files, incremental updates."""

from __future__ import annotations

import os
import sys

import pytest

from core.dataset import index as index_mod
from core.dataset.index import DatasourceError, MetaFileInfo, scan
from core.format.media import Extensions
from core.format.samples import SampleRef
from tests.datasets import meta, touch
from tests.videos import encode_video, write_garbage_video


@pytest.fixture
def counts(monkeypatch):
    """Fake quick frame counts by video name (no decoding): tests of pure classification."""
    table: dict[str, int] = {}

    def quick(path, cache=None):
        name = os.path.basename(path)
        if name not in table:
            raise index_mod.video_mod.VideoReadError(name, "not a video")
        return table[name]

    monkeypatch.setattr(index_mod.video_mod, "quick_frame_count", quick)
    return table


# --- media ---------------------------------------------------------------------------


def test_extensions_default_parse_and_case():
    ext = Extensions.default()
    assert ext.kind_of("a/B.PNG") == "image"
    assert ext.kind_of("clip.MP4") == "video"
    assert ext.kind_of("notes.txt") is None and ext.kind_of("png") is None
    custom = Extensions.parse(".PNG, raw", "")
    assert custom.images == frozenset({"png", "raw"})
    assert custom.videos == Extensions.default().videos
    with pytest.raises(ValueError):
        Extensions.parse("png", "png")


def test_walk_skips_hidden_and_builds_dir_tree(tmp_path, counts):
    counts["v.MOV"] = 3
    for rel in ("b.png", "a.JPG", "sub/deep/x.png", "sub/v.MOV", "only_text/readme.txt",
                ".hidden/h.png", "sub/.h.png", "notes.txt"):
        touch(tmp_path, rel)
    meta(tmp_path, "a.json", {})
    idx = scan(tmp_path)
    assert idx.images == ["a.JPG", "b.png", "sub/deep/x.png"]
    assert idx.videos == ["sub/v.MOV"]
    assert idx.dirs == {
        "": (["sub"], ["a.JPG", "b.png"]),
        "sub": (["deep"], ["v.MOV"]),
        "sub/deep": ([], ["x.png"]),
    }
    assert idx.frame_counts == {"sub/v.MOV": 3}
    assert idx.media_kind("sub/v.MOV") == "video" and idx.media_kind("notes.txt") is None


def test_deep_nesting_and_link_loops(tmp_path, counts):
    depth = 1100  # deeper than Python's recursion limit
    rel = "/".join(["d"] * depth) + "/x.png"
    folder = str(tmp_path)
    for _ in range(depth):  # os.makedirs recurses per level
        folder += "/d"
        os.mkdir(folder)
    try:
        touch(tmp_path, rel)
        if hasattr(os, "symlink"):
            os.symlink(tmp_path, tmp_path / "loop")
        idx = scan(tmp_path)
        assert idx.images == [rel]
        assert len(idx.dirs) == depth + 1
    finally:  # shutil.rmtree (pytest's cleanup) recurses per level too: remove bottom-up here
        os.remove(folder + "/x.png")
        for _ in range(depth):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


def test_datasource_errors(tmp_path):
    with pytest.raises(DatasourceError, match="no such folder"):
        scan(tmp_path / "missing")
    f = touch(tmp_path, "file.png")
    with pytest.raises(DatasourceError, match="not a folder"):
        scan(f)
    with pytest.raises(DatasourceError, match="no such Lightly root folder"):
        scan(tmp_path, tmp_path / "nope")
    if sys.platform != "win32" and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0)
        try:
            with pytest.raises(DatasourceError, match="permission denied"):
                scan(locked)
        finally:
            locked.chmod(0o755)
    assert "\n" not in str(DatasourceError("x"))


# --- classification ---------------------------------------------------------------------


def test_classification(tmp_path, counts):
    counts.update({"v.mp4": 12, "clip.MP4": 1000})
    for rel in ("img.png", "sub/v.mp4", "clip.MP4", "a.png", "a.jpg"):
        touch(tmp_path, rel)
    for rel in ("img.json", "sub/v.json", "sub/v-03-mp4.json", "sub/v-3-mp4.json", "sub/v-12-mp4.json",
                "clip-0099-MP4.json", "clip-0099-mp4.json", "ghost.json", "a.json", "schema.json",
                "sub/schema.json"):
        meta(tmp_path, rel)
    idx = scan(tmp_path)
    assert "schema.json" not in idx.metadata
    assert idx.metadata["img.json"] == MetaFileInfo("img.json", "image", "img.png")
    assert idx.metadata["sub/v.json"].kind == "video"
    assert idx.metadata["sub/v-3-mp4.json"] == MetaFileInfo("sub/v-3-mp4.json", "frame", "sub/v.mp4", 3, "3")
    assert idx.by_media == {"img.png": "img.json", "sub/v.mp4": "sub/v.json", "a.png": "a.json",
                            "a.jpg": "a.json"}
    assert idx.frame_files == {"sub/v.mp4": {3: "sub/v-03-mp4.json"}, "clip.MP4": {99: "clip-0099-MP4.json"}}
    assert idx.orphans == ["clip-0099-mp4.json", "ghost.json", "sub/schema.json"]
    assert idx.collisions == {"a.json": ["a.jpg", "a.png"]}
    got = {(f.code, f.file, f.media, f.fix) for f in idx.findings}
    assert got == {
        ("collision", "a.json", "a.jpg", None),
        ("collision", "a.json", "a.png", None),
        ("frame-padding", "sub/v-3-mp4.json", "sub/v.mp4", "sub/v-03-mp4.json"),
        ("frame-range", "sub/v-12-mp4.json", "sub/v.mp4", None),
        ("orphan", "clip-0099-mp4.json", None, None),
        ("orphan", "ghost.json", None, None),
        ("orphan", "sub/schema.json", None, None),
    }
    assert all("a.png" in f.message and "a.jpg" in f.message for f in idx.findings if f.code == "collision")


def test_samples_and_queries(tmp_path, counts):
    counts.update({"v.mp4": 3, "w.mp4": 0})
    for rel in ("b.png", "v.mp4", "w.mp4", "bad.avi"):
        touch(tmp_path, rel)
    meta(tmp_path, "v-1-mp4.json")
    meta(tmp_path, "b.json")
    idx = scan(tmp_path)
    assert [s.label() for s in idx.samples()] == ["b.png", "bad.avi", "v.mp4", "w.mp4"]
    assert [s.label() for s in idx.samples(frames=True)] == [
        "b.png", "bad.avi", "v.mp4", "v.mp4 frame 0", "v.mp4 frame 1", "v.mp4 frame 2", "w.mp4"]
    assert idx.n_samples() == 4 and idx.n_samples(frames=True) == 7
    assert idx.frame_counts["bad.avi"] is None
    bad = [f for f in idx.findings if f.code == "unreadable-video"]
    assert [(f.file, f.media, f.severity) for f in bad] == [("bad.json", "bad.avi", "error")]
    assert idx.sample("v.mp4", 1) == SampleRef.frame_of("v.mp4", 1, 3)
    assert idx.has_own_file(idx.sample("v.mp4", 1)) and not idx.has_own_file(idx.sample("v.mp4", 2))
    assert idx.has_own_file(idx.sample("b.png")) and not idx.has_own_file(idx.sample("v.mp4"))
    for args in (("bad.avi", 0), ("v.mp4", 3), ("b.png", 0), ("nope.png", None)):
        with pytest.raises(ValueError):
            idx.sample(*args)


def test_set_frame_count_rederives(tmp_path, counts):
    counts["v.mp4"] = 12
    touch(tmp_path, "v.mp4")
    for rel in ("v-03-mp4.json", "v-099-mp4.json", "v-99-mp4.json"):
        meta(tmp_path, rel)
    idx = scan(tmp_path)
    assert idx.frame_files == {"v.mp4": {3: "v-03-mp4.json"}}
    assert {f.code for f in idx.findings} == {"frame-range"}
    idx.set_frame_count("v.mp4", 120)
    assert idx.frame_files == {"v.mp4": {99: "v-099-mp4.json"}}
    assert {(f.code, f.file) for f in idx.findings} == {
        ("frame-padding", "v-03-mp4.json"), ("frame-padding", "v-99-mp4.json")}
    idx.set_frame_count("v.mp4", None, problem="cannot decode")
    assert idx.frame_files == {} and [f.code for f in idx.findings] == ["unreadable-video"]
    idx.set_frame_count("v.mp4", 100)
    assert idx.frame_files == {"v.mp4": {99: "v-099-mp4.json"}}
    assert idx.video_files("v.mp4") == ["v-03-mp4.json", "v-099-mp4.json", "v-99-mp4.json"]


def test_note_written_and_removed(tmp_path, counts):
    counts["v.mp4"] = 5
    touch(tmp_path, "img.png")
    touch(tmp_path, "v.mp4")
    meta(tmp_path, "old.json")
    idx = scan(tmp_path)
    img, frame = idx.sample("img.png"), idx.sample("v.mp4", 4)
    idx.note_written(img)
    idx.note_written(frame)
    assert idx.has_own_file(img) and idx.has_own_file(frame)
    assert idx.metadata["v-4-mp4.json"].kind == "frame"
    idx.note_removed("img.json")
    idx.note_removed("v-4-mp4.json")
    idx.note_removed("old.json")
    idx.note_removed("never-existed.json")
    assert not idx.has_own_file(img) and not idx.has_own_file(frame)
    assert idx.orphans == [] and idx.findings == [] and idx.metadata == {}


def test_separate_lightly_root(tmp_path, counts):
    media, out = tmp_path / "media", tmp_path / "out"
    touch(media, "x.png")
    meta(media, "x.json")  # ignored: not the Lightly root
    meta(out, "x.json")
    meta(out, "y.json")
    idx = scan(media, out)
    assert idx.lightly_root == out and idx.by_media == {"x.png": "x.json"} and idx.orphans == ["y.json"]


def test_real_videos(tmp_path):
    encode_video(tmp_path / "v.mp4", 12)
    write_garbage_video(tmp_path / "bad.mp4")
    meta(tmp_path, "v-05-mp4.json")
    idx = scan(tmp_path)
    assert idx.frame_counts == {"bad.mp4": None, "v.mp4": 12}
    assert idx.frame_files == {"v.mp4": {5: "v-05-mp4.json"}}
    assert [(f.code, f.file) for f in idx.findings] == [("unreadable-video", "bad.json")]


def test_large_datasource_indexes_every_file(tmp_path, counts):
    # File creation is the slow part here (about 1 ms per file on some disks): keep n modest.
    # The time is measured by benchmarks/bench_validate.py (100k files), never asserted here.
    n = 2_000
    md = tmp_path / ".lightly" / "metadata"
    for d in range(20):
        (tmp_path / f"d{d}").mkdir()
        (md / f"d{d}").mkdir(parents=True)
    for i in range(n):
        open(tmp_path / f"d{i % 20}" / f"img_{i}.png", "wb").close()
        if i % 2 == 0:
            (md / f"d{i % 20}" / f"img_{i}.json").write_bytes(b"{}")
        else:
            (md / f"d{i % 20}" / f"gone_{i}.json").write_bytes(b"{}")
    idx = scan(tmp_path)
    assert len(idx.images) == n and len(idx.by_media) == n // 2 and len(idx.orphans) == n // 2


def test_progress_and_cancel(tmp_path, counts):
    from core.dataset.walk import Cancelled

    counts["v.mp4"] = 2
    touch(tmp_path, "v.mp4")
    touch(tmp_path, "a/b.png")
    seen = []
    scan(tmp_path, progress=lambda done, total, label: seen.append((done, total, label)))
    assert ("reading video 1/1: v.mp4" in [s[2] for s in seen]) and seen[-1][:2] == (1, 1)
    with pytest.raises(Cancelled):
        scan(tmp_path, cancel=lambda: True)
