"""Where each metadata file lives: FORMAT.md's table, padding, and the safety of every write path."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.format.naming import (
    FrameName,
    UnsafePathError,
    check_relative,
    frame_file_name,
    frame_metadata_rel,
    frame_padding,
    metadata_dir,
    metadata_path,
    metadata_rel,
    parse_frame_name,
    schema_path,
    split_ext,
    to_posix,
)
from core.format.samples import SampleRef

# FORMAT.md, "Where each file lives": (sample, metadata file, file_name).
TABLE = [
    (SampleRef.image("image_0.png"), "image_0.json", "image_0.png"),
    (SampleRef.image("subdir/image_1.png"), "subdir/image_1.json", "subdir/image_1.png"),
    (SampleRef.video("subdir/video_1.mp4"), "subdir/video_1.json", "subdir/video_1.mp4"),
    (
        SampleRef.frame_of("subdir/video_1.mp4", 99, 200),
        "subdir/video_1-099-mp4.json",
        "subdir/video_1-099-mp4.png",
    ),
    (SampleRef.frame_of("clip.MP4", 99, 1000), "clip-0099-MP4.json", "clip-0099-MP4.png"),
]


@pytest.mark.parametrize("sample, meta, file_name", TABLE, ids=[row[1] for row in TABLE])
def test_where_each_file_lives(sample, meta, file_name):
    assert sample.metadata_rel == meta
    assert sample.file_name == file_name


def test_table_through_the_plain_functions():
    assert metadata_rel("image_0.png") == "image_0.json"
    assert metadata_rel("subdir\\image_1.png") == "subdir/image_1.json"  # `/` on every platform
    assert frame_metadata_rel("subdir/video_1.mp4", 99, 200) == "subdir/video_1-099-mp4.json"
    assert frame_file_name("clip.MP4", 99, 1000) == "clip-0099-MP4.png"
    parsed = parse_frame_name("subdir/video_1-099-mp4.json")
    assert parsed == FrameName("subdir/video_1", "mp4", "099")
    assert parsed.index == 99 and parsed.video_rel() == "subdir/video_1.mp4"


@pytest.mark.parametrize("n, width", [(1, 1), (9, 1), (10, 2), (99, 2), (100, 3), (999, 3), (1000, 4)])
def test_padding_width_is_the_digits_of_the_frame_count(n, width):
    assert frame_padding(n) == width
    assert frame_file_name("v.mp4", 0, n) == f"v-{'0' * width}-mp4.png"


def test_extension_is_after_the_last_dot_and_keeps_its_case():
    assert split_ext("a/b.c.MP4") == ("a/b.c", "MP4")
    assert split_ext("noext") == ("noext", "")
    assert split_ext("dir.v2/noext") == ("dir.v2/noext", "")
    assert split_ext(".hidden") == (".hidden", "")
    assert split_ext("trailing.") == ("trailing.", "")
    assert frame_metadata_rel("a.b.Mov", 3, 12) == "a.b-03-Mov.json"
    assert metadata_rel("x.tar.GZ") == "x.tar.json"


@pytest.mark.parametrize(
    "rel",
    ["image_0.json", "v-001.json", "v-001-.json", "subdir/-001-mp4.json", "v-01-mp4.txt", "v-x-mp4.json"],
)
def test_names_without_frame_shape_are_not_frames(rel):
    assert parse_frame_name(rel) is None


def test_parse_frame_name_accepts_file_names_and_backslashes():
    assert parse_frame_name("clip-0099-MP4.png") == FrameName("clip", "MP4", "0099")
    assert parse_frame_name("a\\b-7-avi.json") == FrameName("a/b", "avi", "7")
    assert to_posix("a\\b") == "a/b"


# Stems like real datasets have: hyphens, digits, dots, spaces, nested folders.
_segment = st.text(alphabet="abcXYZ019-_. ", min_size=1, max_size=12).filter(lambda s: s.strip("."))
_stem = st.lists(_segment, min_size=1, max_size=4).map("/".join)
_ext = st.text(alphabet="mp4MOVavikv", min_size=1, max_size=4)


@st.composite
def _frames(draw):
    n_frames = draw(st.integers(1, 10**6))
    return draw(_stem), draw(_ext), draw(st.integers(0, n_frames - 1)), n_frames


@given(_frames())
def test_frame_names_round_trip(frame):
    stem, ext, index, n_frames = frame
    video = f"{stem}.{ext}"
    assert split_ext(video) == (stem, ext)
    assert metadata_rel(video) == f"{stem}.json"
    for rel in (frame_metadata_rel(video, index, n_frames), frame_file_name(video, index, n_frames)):
        parsed = parse_frame_name(rel)
        assert parsed is not None, rel
        assert parsed.video_rel() == video
        assert parsed.index == index
        assert len(parsed.digits) == frame_padding(n_frames)
    ref = SampleRef.frame_of(video, index, n_frames)
    assert ref.metadata_rel == frame_metadata_rel(video, index, n_frames)


def test_check_relative_normalises_and_refuses_escapes():
    assert check_relative("a/./b/../c.json") == "a/c.json"
    assert check_relative("a\\b.json") == "a/b.json"
    for bad in ("", ".", "..", "../x.json", "a/../../x.json", "/etc/x.json", "C:/x.json", "..\\x.json"):
        with pytest.raises(UnsafePathError):
            check_relative(bad)


def test_metadata_path_stays_inside_the_metadata_folder(tmp_path):
    root = tmp_path / "ds"
    metadata_dir(root).mkdir(parents=True)
    assert metadata_path(root, "sub/a.json") == root / ".lightly" / "metadata" / "sub" / "a.json"
    assert schema_path(root) == root / ".lightly" / "metadata" / "schema.json"
    for bad in ("../x.json", "../../outside.json", str(tmp_path / "abs.json"), "/x.json"):
        with pytest.raises(UnsafePathError):
            metadata_path(root, bad)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_metadata_path_refuses_a_symlink_that_escapes(tmp_path):
    root = tmp_path / "ds"
    meta = metadata_dir(root)
    meta.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (meta / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="link"):
        metadata_path(root, "link/a.json")
    (meta / "file.json").symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(UnsafePathError):
        metadata_path(root, "file.json")
    # A link that stays inside is fine.
    (meta / "inner").mkdir()
    (meta / "alias").symlink_to(meta / "inner", target_is_directory=True)
    assert metadata_path(root, "alias/a.json") == meta / "alias" / "a.json"


@settings(max_examples=2000)
@given(st.text(alphabet="ab./\\P", max_size=12))
def test_the_fast_paths_of_metadata_rel_and_extension_of_agree_with_the_general_rule(name):
    from core.format.media import extension_of

    stem, _ = split_ext(name.replace("\\", "/"))
    assert metadata_rel(name) == f"{stem}.json"
    base = name.rpartition("/")[2]
    assert extension_of(name) == ("" if "." not in base.lstrip(".") else base.rpartition(".")[2].lower())
