"""The index stored by column: string columns, hash lookups, and the index's views and updates
on real files (images, a real video with frame files, orphans, collisions)."""

from __future__ import annotations

import os
import pickle
import sys

import pytest

from core.dataset.columns import HashIndex, StrColumn
from core.dataset.index import MetaFileInfo, scan
from core.format.naming import metadata_rel
from core.format.samples import SampleRef
from tests.datasets import meta, touch
from tests.videos import encode_video

# --- StrColumn and HashIndex ---------------------------------------------------------------

NAMES = ["a.png", "", "dir/ünïcode.png", "emoji/🎥.mp4", "caf\udce9.png", "x" * 5000, "lone\ud800.png"]


def test_str_column_round_trips_every_string():
    col = StrColumn(NAMES)
    assert len(col) == len(NAMES)
    assert [col[i] for i in range(len(NAMES))] == NAMES
    assert list(col) == NAMES and col == NAMES and NAMES == col
    assert col[-1] == NAMES[-1] and col[1:3] == NAMES[1:3]
    with pytest.raises(IndexError):
        col[len(NAMES)]
    assert col + ["z"] == [*NAMES, "z"]
    assert StrColumn() == [] and list(StrColumn()) == []


def test_str_column_with_nul_in_a_string_falls_back_and_still_round_trips():
    names = ["a\0b", "c", "\0"]
    col = StrColumn(names)
    assert list(col) == names and col[0] == "a\0b"


def test_str_column_iterates_across_chunks_and_views():
    names = [f"cam_{i % 7}/img_{i:06d}.png" for i in range(10_000)]
    col = StrColumn(names)
    assert list(col) == names
    view = col.view(4000, 9000)
    assert len(view) == 5000 and view[0] == names[4000] and view[-1] == names[8999]
    assert list(view) == names[4000:9000] and view[10:12] == names[4010:4012]


def test_str_column_contains_and_is_at():
    col = StrColumn(["abc", "bcd", "xyz", "", "ab"])
    assert col.contains("bc").tolist() == [True, True, False, False, False]
    assert col.contains("ab").tolist() == [True, False, False, False, True]
    assert col.contains("cb").tolist() == [False] * 5  # never across two strings
    assert col.contains("").tolist() == [True] * 5
    assert col.contains("abcd").tolist() == [False] * 5
    assert col.is_at(0, b"abc") and not col.is_at(0, b"ab") and col.is_at(3, b"")


def test_hash_index_finds_every_row_and_groups_duplicates():
    keys = [f"k{i % 1500}" for i in range(3000)]  # each key twice
    ix = HashIndex(keys, len(keys))
    for i in (0, 1, 1499, 1500, 2999):
        assert sorted(r for r in ix.candidates(keys[i]) if keys[r] == keys[i]) == [i % 1500, i % 1500 + 1500]
    assert [r for r in ix.candidates("absent") if keys[r] == "absent"] == []
    groups = ix.duplicates(keys.__getitem__)
    assert len(groups) == 1500 and all(g == [g[0], g[0] + 1500] for g in groups)
    assert HashIndex().duplicates(keys.__getitem__) == [] and list(HashIndex().candidates("x")) == []


# --- the index on real files --------------------------------------------------------------


@pytest.fixture
def datasource(tmp_path):
    """Images in folders (most with a file), a 12-frame video with frame files (one misnamed,
    one past the end), an orphan, and a collision (a.png + a.jpg)."""
    for i in range(30):
        touch(tmp_path, f"cam_{i % 3}/img_{i:03d}.png")
        if i % 5:
            meta(tmp_path, f"cam_{i % 3}/img_{i:03d}.json", {"file_name": f"cam_{i % 3}/img_{i:03d}.png"})
    touch(tmp_path, "a.png")
    touch(tmp_path, "a.jpg")
    meta(tmp_path, "a.json")
    (tmp_path / "videos").mkdir()
    encode_video(tmp_path / "videos" / "v.mp4", 12)
    meta(tmp_path, "videos/v.json")
    for name in ("v-03-mp4.json", "v-07-mp4.json", "v-5-mp4.json", "v-15-mp4.json"):
        meta(tmp_path, f"videos/{name}")
    meta(tmp_path, "ghost.json")
    return tmp_path


def test_lookups_match_the_files_on_disk(datasource):
    idx = scan(datasource)
    assert len(idx.images) == 32 and list(idx.videos) == ["videos/v.mp4"]
    assert list(idx.media) == [*idx.images, *idx.videos]
    for i, m in enumerate(idx.media):
        assert idx.media_id(m) == i
        assert idx.media_kind(m) == ("video" if m.endswith(".mp4") else "image")
    assert idx.media_kind("cam_0/img_001.png") is None and idx.media_id("nope.png") is None
    img = "cam_1/img_001.png"
    assert idx.metadata["cam_1/img_001.json"] == MetaFileInfo("cam_1/img_001.json", "image", img)
    assert idx.metadata["videos/v.json"].kind == "video"
    frame = MetaFileInfo("videos/v-5-mp4.json", "frame", "videos/v.mp4", 5, "5")
    assert idx.metadata["videos/v-5-mp4.json"] == frame
    assert "cam_0/img_000.json" not in idx.metadata and idx.metadata.get("cam_0/img_000.json") is None
    assert sorted(idx.metadata) == sorted(
        str(p.relative_to(datasource / ".lightly/metadata")).replace(os.sep, "/")
        for p in (datasource / ".lightly/metadata").rglob("*.json"))
    assert len(idx.metadata) == 24 + 1 + 1 + 4 + 1
    assert idx.by_media["cam_1/img_001.png"] == "cam_1/img_001.json"
    assert "cam_0/img_000.png" not in idx.by_media and len(idx.by_media) == 24 + 2 + 1
    assert idx.frame_files == {"videos/v.mp4": {3: "videos/v-03-mp4.json", 7: "videos/v-07-mp4.json"}}
    assert idx.video_files("videos/v.mp4") == [f"videos/v-{n}-mp4.json" for n in ("03", "07", "15", "5")]
    assert idx.orphans == ["ghost.json"]
    assert idx.collisions == {"a.json": ["a.jpg", "a.png"]}
    assert idx.media_for_metadata("a.json") == ["a.jpg", "a.png"]
    codes = sorted((f.code, f.file) for f in idx.findings)
    assert codes == [("collision", "a.json"), ("collision", "a.json"),
                     ("frame-padding", "videos/v-5-mp4.json"), ("frame-range", "videos/v-15-mp4.json"),
                     ("orphan", "ghost.json")]
    assert idx.has_own_file(SampleRef.frame_of("videos/v.mp4", 3, 12))
    assert not idx.has_own_file(SampleRef.frame_of("videos/v.mp4", 5, 12))  # only misnamed
    assert idx.has_own_file(SampleRef("cam_1/img_001.png", "image"))


def test_incremental_updates_keep_every_view_consistent(datasource):
    idx = scan(datasource)
    n = len(idx.metadata)
    img = SampleRef("cam_0/img_000.png", "image")
    meta(datasource, "cam_0/img_000.json")
    idx.note_written(img)
    assert idx.has_own_file(img) and idx.by_media[img.media] == "cam_0/img_000.json"
    assert list(idx.metadata)[-1] == "cam_0/img_000.json" and len(idx.metadata) == n + 1
    idx.note_written(img)  # twice: still one file
    assert len(idx.metadata) == n + 1

    idx.note_removed("cam_1/img_001.json")  # a file found by the scan
    assert "cam_1/img_001.json" not in idx.metadata and "cam_1/img_001.png" not in idx.by_media
    idx.note_written(SampleRef("cam_1/img_001.png", "image"))  # ... and written again: a new row
    assert idx.metadata["cam_1/img_001.json"].media == "cam_1/img_001.png"
    assert len(idx.metadata) == n + 1

    frame = SampleRef.frame_of("videos/v.mp4", 9, 12)
    idx.note_written(frame)
    assert idx.frame_files["videos/v.mp4"] == {3: "videos/v-03-mp4.json", 7: "videos/v-07-mp4.json",
                                               9: "videos/v-09-mp4.json"}
    idx.note_removed("videos/v-03-mp4.json")
    idx.note_removed("videos/v-07-mp4.json")
    idx.note_removed("videos/v-09-mp4.json")
    assert idx.frame_files == {} and not idx.has_own_file(frame)

    idx.note_file("videos/v-5-mp4.json")  # known already: nothing changes
    idx.note_removed("ghost.json")
    assert idx.orphans == [] and "ghost.json" not in idx.metadata
    idx.note_file("new-orphan.json")
    assert idx.orphans == ["new-orphan.json"] and idx.metadata["new-orphan.json"].kind == "orphan"
    assert [f.file for f in idx.findings if f.code == "orphan"] == ["new-orphan.json"]

    idx.set_frame_count("videos/v.mp4", 100)  # every candidate is placed again
    assert idx.frame_files == {}  # the two-digit names are misnamed for 100 frames now
    assert {f.code for f in idx.findings if f.media == "videos/v.mp4"} == {"frame-padding"}
    idx.set_frame_count("videos/v.mp4", 6)
    assert idx.frame_files == {"videos/v.mp4": {5: "videos/v-5-mp4.json"}}
    assert {f.file for f in idx.findings if f.code == "frame-range"} == {"videos/v-15-mp4.json"}
    assert len(idx.metadata) == sum(1 for _ in idx.metadata.items())


def test_a_pickled_index_rebuilds_its_lookups(datasource):
    idx = scan(datasource)
    idx.note_file("later.json")
    copy = pickle.loads(pickle.dumps(idx))
    assert copy.media_kind("cam_2/img_002.png") == "image"
    assert copy.metadata["later.json"].kind == "orphan" and copy.by_media == idx.by_media
    assert copy.frame_files == idx.frame_files and copy.collisions == idx.collisions


@pytest.mark.skipif(sys.platform != "linux", reason="names that are not UTF-8 need a POSIX file system")
def test_a_media_name_that_is_not_utf8_is_found(tmp_path):
    (tmp_path / os.fsdecode(b"caf\xe9.png")).write_bytes(b"x")
    name = os.fsdecode(b"caf\xe9.png")
    meta_dir = tmp_path / ".lightly" / "metadata"
    meta_dir.mkdir(parents=True)
    (meta_dir / os.fsdecode(b"caf\xe9.json")).write_bytes(b"{}")
    idx = scan(tmp_path)
    assert list(idx.images) == [name] and idx.media_kind(name) == "image"
    assert idx.by_media[name] == metadata_rel(name) and idx.orphans == []


def test_many_files_each_found_under_its_name(tmp_path):
    """3,000 images in folders, every third without a file, 300 orphans: every lookup agrees
    with what was written (a hash table of a few thousand rows, many probes)."""
    written = {}
    for i in range(3000):
        m = f"d{i % 11}/sub{i % 3}/img_{i:05d}.jpg"
        touch(tmp_path, m)
        if i % 3:
            meta(tmp_path, metadata_rel(m))
            written[m] = metadata_rel(m)
    orphans = sorted(f"gone/o_{i:04d}.json" for i in range(300))
    for rel in orphans:
        meta(tmp_path, rel)
    idx = scan(tmp_path)
    assert dict(idx.by_media) == written and idx.orphans == orphans
    for m in idx.images:
        assert idx.media_kind(m) == "image" and idx.has_own_file(SampleRef(m, "image")) == (m in written)
    assert len(idx.metadata) == len(written) + 300
    names = idx.dirs["d3/sub1"][1]
    assert list(names) == sorted(n for n in names) and names[0].startswith("img_")


@pytest.mark.skipif(sys.platform == "win32", reason="a backslash in a file name needs a POSIX file system")
def test_a_media_name_with_a_backslash_maps_as_metadata_rel_says(tmp_path):
    name = "back\\slash.png"  # metadata_rel turns the backslash into a folder
    (tmp_path / name).write_bytes(b"x")
    meta(tmp_path, "back/slash.json")
    meta(tmp_path, "back\\slash.json")  # a file named with the backslash itself: not the image's
    idx = scan(tmp_path)
    assert idx.media_kind(name) == "image" and idx.by_media[name] == "back/slash.json"
    assert idx.media_for_metadata("back/slash.json") == [name]
    assert idx.media_for_metadata("back\\slash.json") == [] and idx.orphans == ["back\\slash.json"]


def test_sorted_rels_are_sorted_with_files_noted_later(datasource):
    idx = scan(datasource)
    assert list(idx.sorted_rels()) == sorted(idx.metadata)
    idx.note_file("aaa-first.json")
    idx.note_removed("videos/v.json")
    assert list(idx.sorted_rels()) == sorted(idx.metadata) and "videos/v.json" not in idx.sorted_rels()


def test_str_column_sort_order_is_python_order_with_ties_in_index_order():
    import random

    rng = random.Random(3)
    for _ in range(200):
        alpha = rng.choice(["ab", "aé€😀", "xyzXYZ0129-:"])
        names = ["".join(rng.choice(alpha) for _ in range(rng.choice([0, 1, 5, 23, 24, 25, 40])))
                 for _ in range(rng.randrange(0, 60))]
        expected = sorted(range(len(names)), key=lambda i: (names[i], i))
        assert StrColumn(names).sort_order().tolist() == expected


def test_str_column_and_view_slices_are_list_slices():
    names = [f"cam_{i % 7}/img_{i:06d}.png" for i in range(10_000)] + ["é", "a\udcff"]
    for col, want in ((StrColumn(names), names), (StrColumn(names).view(3000, 10_002), names[3000:])):
        for sl in (slice(None), slice(10, 5000), slice(-3, None), slice(5, 2), slice(0, 50, 7),
                   slice(9000, 99_999)):
            assert col[sl] == want[sl], sl
    nul = ["a\0b", "c", "\0"]
    assert StrColumn(nul)[1:] == nul[1:] and StrColumn(nul).view(0, 3)[:2] == nul[:2]
