"""Frame counts, the count cache and frame previews, on real videos encoded by PyAV."""

from __future__ import annotations

import json
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import av
import pytest

from core.video.counting import (
    Cancelled,
    FrameCountCache,
    FrameReader,
    VideoReadError,
    confirm_frame_counts,
    count_decoded,
    count_packets,
    default_cache_path,
    quick_frame_count,
    read_frame_rgb,
)
from tests.videos import encode_video, frame_index_of, write_garbage_video


@dataclass(frozen=True)
class Spec:
    name: str
    frames: int
    kwargs: tuple = ()  # extra encode_video keyword arguments, as (key, value) pairs


# One video per container and the frame counts where the name padding changes.
COUNTED = [
    Spec("nine.mp4", 9),
    Spec("ten.mov", 10),
    Spec("ninety_nine.avi", 99),
    Spec("hundred.webm", 100),
    Spec("ten.m4v", 10),
    Spec("nine_nine_nine.mkv", 999),
    Spec("thousand.mp4", 1000),
]
# Many keyframes, B-frames, open GOPs, timestamps that lie: where seeking can go wrong.
SEEKING = [
    Spec("gop10.mp4", 100, (("gop", 10),)),
    Spec("open_gop.mp4", 100, (("gop", 10), ("options", {"x264-params": "open-gop=1"}))),
    Spec("gop7.mkv", 100, (("gop", 7),)),
    Spec("gop10.mov", 60, (("gop", 10),)),
    Spec("gop10.avi", 60, (("gop", 10),)),
    Spec("vp9_gop10.webm", 60, (("gop", 10), ("codec", "libvpx-vp9"))),
    Spec("h264_in.avi", 60, (("gop", 10), ("codec", "libx264"))),  # AVI has no B-frame pts
    Spec("odd_width.mp4", 40, (("width", 50),)),  # RGB rows are padded in memory
]
SPECS = {s.name: s for s in COUNTED + SEEKING}


@pytest.fixture(scope="session")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each test video, encoded once per session."""
    folder = tmp_path_factory.mktemp("videos")
    return {s.name: encode_video(folder / s.name, s.frames, **dict(s.kwargs)) for s in SPECS.values()}


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LIGHTLY_EDITOR_CACHE_DIR", str(folder))
    return folder


def copy_video(videos: dict[str, Path], name: str, folder: Path) -> Path:
    """A private copy, for tests that change or damage the file."""
    return Path(shutil.copy2(videos[name], folder / name))


# Counting


@pytest.mark.parametrize("spec", COUNTED + SEEKING, ids=lambda s: s.name)
def test_packet_and_decoded_counts_agree_on_intact_videos(videos, spec):
    assert count_packets(videos[spec.name]) == spec.frames
    assert count_decoded(videos[spec.name]) == spec.frames


def test_count_ignores_the_frame_count_the_container_declares(videos):
    with av.open(str(videos["hundred.webm"])) as container:
        assert container.streams.video[0].frames == 0  # WebM stores no frame count
    assert count_decoded(videos["hundred.webm"]) == 100


def test_count_decoded_can_be_cancelled(videos):
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(Cancelled):
        count_decoded(videos["thousand.mp4"], cancel=cancel)
    assert len(asked) == 4  # stopped early, long before 1000 frames


def test_confirm_reports_each_video_and_progress(videos):
    items = [("a/nine.mp4", videos["nine.mp4"]), ("b/ten.mov", videos["ten.mov"])]
    calls = []
    results = list(confirm_frame_counts(items, None, progress=lambda *a: calls.append(a)))
    assert [(r.video, r.frames, r.packets, r.confirmed, r.error, r.mismatch) for r in results] == [
        ("a/nine.mp4", 9, 9, True, None, False),
        ("b/ten.mov", 10, 10, True, None, False),
    ]
    assert calls == [(1, 2, "a/nine.mp4"), (2, 2, "b/ten.mov")]


def test_confirm_can_be_cancelled_and_still_saves_the_cache(videos, tmp_path):
    cache = FrameCountCache(tmp_path / "counts.json")
    items = [("nine.mp4", videos["nine.mp4"]), ("ten.mov", videos["ten.mov"])]
    done = []
    results = confirm_frame_counts(
        items, cache, progress=lambda *a: done.append(a), cancel=lambda: bool(done)
    )
    assert next(results).frames == 9
    with pytest.raises(Cancelled):
        next(results)
    assert FrameCountCache(tmp_path / "counts.json").get(videos["nine.mp4"]) == 9


# The cache


def test_cache_hit_decodes_nothing(videos, tmp_path):
    video = copy_video(videos, "ninety_nine.avi", tmp_path)
    cache_file = tmp_path / "counts.json"
    [first] = confirm_frame_counts([("v.avi", video)], FrameCountCache(cache_file))
    assert (first.frames, first.packets, first.confirmed) == (99, 99, True)

    # Same size and mtime, but no longer a video: only a cached count can still say 99.
    st = video.stat()
    video.write_bytes(b"\0" * st.st_size)
    os.utime(video, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(VideoReadError):
        count_decoded(video)

    cache = FrameCountCache(cache_file)  # loaded from disk
    [again] = confirm_frame_counts([("v.avi", video)], cache)
    assert (again.frames, again.packets, again.confirmed, again.error) == (99, None, True, None)
    assert quick_frame_count(video, cache) == 99


@pytest.mark.parametrize("change", ["mtime", "size"])
def test_cache_is_invalid_once_the_file_changes(videos, tmp_path, change):
    video = copy_video(videos, "ten.mov", tmp_path)
    cache = FrameCountCache(tmp_path / "counts.json")
    cache.put(video, 10)
    assert cache.get(video) == 10
    st = video.stat()
    if change == "mtime":
        os.utime(video, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    else:
        with video.open("ab") as f:
            f.write(b"\0")
        os.utime(video, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.get(video) is None
    [result] = confirm_frame_counts([("ten.mov", video)], cache)
    assert result.packets is not None  # counted again, not taken from the cache


def test_cache_keys_are_absolute_paths(videos, tmp_path, monkeypatch):
    video = copy_video(videos, "nine.mp4", tmp_path)
    cache = FrameCountCache(tmp_path / "counts.json")
    monkeypatch.chdir(tmp_path)
    cache.put("nine.mp4", 9)
    cache.save()
    data = json.loads((tmp_path / "counts.json").read_text())
    assert data == {
        str(video): {"size": video.stat().st_size, "mtime_ns": video.stat().st_mtime_ns, "frames": 9}
    }
    assert cache.get(video) == 9


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[1, 2]", b'{"/x.mp4": {"size": "1", "mtime_ns": 2, "frames": 3}}', b"\xff\xfe\x00"],
)
def test_corrupt_cache_file_gives_an_empty_cache(videos, tmp_path, content):
    path = tmp_path / "counts.json"
    path.write_bytes(content)
    cache = FrameCountCache(path)
    assert len(cache) == 0
    assert cache.get(videos["nine.mp4"]) is None
    cache.put(videos["nine.mp4"], 9)
    cache.save()  # replaces the corrupt file
    assert FrameCountCache(path).get(videos["nine.mp4"]) == 9


def test_save_is_atomic_and_keeps_what_another_editor_saved(videos, tmp_path):
    path = tmp_path / "sub" / "counts.json"
    one, two = FrameCountCache(path), FrameCountCache(path)
    one.put(videos["nine.mp4"], 9)
    two.put(videos["ten.mov"], 10)
    one.save()
    two.save()
    merged = FrameCountCache(path)
    assert (merged.get(videos["nine.mp4"]), merged.get(videos["ten.mov"])) == (9, 10)
    assert os.listdir(path.parent) == ["counts.json"]  # no temporary file left behind


def test_default_cache_path(monkeypatch, tmp_path):
    monkeypatch.delenv("LIGHTLY_EDITOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_path() == tmp_path / "xdg" / "lightly-metadata-editor" / "frame_counts.json"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert (
        default_cache_path() == tmp_path / "home" / ".cache" / "lightly-metadata-editor" / "frame_counts.json"
    )
    monkeypatch.setenv("LIGHTLY_EDITOR_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_path() == tmp_path / "mine" / "frame_counts.json"
    assert FrameCountCache().path == tmp_path / "mine" / "frame_counts.json"


def test_unwritable_cache_does_not_stop_counting(videos, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = FrameCountCache(blocker / "counts.json")  # its folder cannot be created
    [result] = confirm_frame_counts([("nine.mp4", videos["nine.mp4"])], cache)
    assert result.frames == 9


# Broken videos


def test_garbage_is_a_read_error_naming_the_file(tmp_path):
    garbage = write_garbage_video(tmp_path / "bad.mp4")
    for call in (count_packets, count_decoded, quick_frame_count, lambda p: read_frame_rgb(p, 0)):
        with pytest.raises(VideoReadError) as info:
            call(garbage)
        message = str(info.value)
        assert message.startswith(f"{garbage}: cannot be decoded (") and "\n" not in message
    [result] = confirm_frame_counts([("videos/bad.mp4", garbage)], None)
    assert result.frames is None and not result.confirmed
    assert result.error == "videos/bad.mp4: cannot be decoded (Invalid data found when processing input)"


def test_missing_file_and_folder_are_read_errors(tmp_path):
    with pytest.raises(VideoReadError, match=r"missing\.mp4: cannot be read \(No such file"):
        count_packets(tmp_path / "missing.mp4")
    [missing, folder] = confirm_frame_counts([("missing.mp4", tmp_path / "missing.mp4"), ("dir", tmp_path)])
    assert missing.error.startswith("missing.mp4: cannot be read")
    assert folder.error.startswith("dir: cannot be read")


def test_audio_only_file_has_no_video_stream(tmp_path):
    path = tmp_path / "sound.wav"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=8000)
        frame = av.AudioFrame(format="s16", layout="mono", samples=800)
        frame.planes[0].update(bytes(1600))
        frame.sample_rate = 8000
        container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    with pytest.raises(VideoReadError, match="sound.wav: has no video stream"):
        count_decoded(path)


@pytest.mark.parametrize("name", ["thousand.mp4", "ten.mov", "ninety_nine.avi"])
def test_video_cut_in_half_is_reported(videos, tmp_path, name):
    video = copy_video(videos, name, tmp_path)
    data = video.read_bytes()
    video.write_bytes(data[: len(data) // 2])
    cache = FrameCountCache(tmp_path / "counts.json")
    [result] = confirm_frame_counts([(name, video)], cache)
    assert result.error is not None or result.mismatch
    assert cache.get(video) is None  # a damaged count is checked again next time


def test_webm_cut_in_half_counts_what_is_left(videos, tmp_path):
    # Matroska has no index to compare with: the damage cannot be seen, only not crash.
    video = copy_video(videos, "hundred.webm", tmp_path)
    data = video.read_bytes()
    video.write_bytes(data[: len(data) // 2])
    [result] = confirm_frame_counts([("hundred.webm", video)], None)
    assert result.error is None and 0 < result.frames < 100
    assert result.packets == result.frames


# Frames for previews


def frame_shown(image: tuple[int, int, bytes]) -> int:
    width, height, rgb = image
    assert len(rgb) == width * height * 3
    return frame_index_of(width, height, rgb)


@pytest.mark.parametrize("spec", COUNTED, ids=lambda s: s.name)
def test_read_frame_rgb_returns_the_requested_frame(videos, spec):
    n = spec.frames
    for index in sorted({0, 1, n // 2, n - 2, n - 1}):
        width, height, rgb = image = read_frame_rgb(videos[spec.name], index)
        assert (width, height) == (64, 48)
        assert frame_shown(image) == index


@pytest.mark.parametrize("spec", SEEKING, ids=lambda s: s.name)
def test_frame_reader_matches_sequential_decoding_in_any_order(videos, spec):
    order = list(range(spec.frames))
    random.Random(spec.name).shuffle(order)
    with FrameReader(videos[spec.name]) as reader:
        shown = {index: frame_shown(reader.read(index)) for index in order}
        # AVI stores no presentation times for B-frames: the reader must not trust them,
        # and learns the count only by decoding to the end.
        assert reader.seeks is (spec.name != "h264_in.avi")
        assert reader.frame_count == (spec.frames if reader.seeks else None)
    assert shown == {index: index for index in order}


def test_frame_reader_on_a_long_video_jumps_both_ways(videos):
    with FrameReader(videos["thousand.mp4"]) as reader:
        for index in [999, 0, 500, 499, 998, 3, 750, 251]:
            assert frame_shown(reader.read(index)) == index
        assert reader.seeks


def test_frame_reader_keeps_recent_frames(videos):
    with FrameReader(videos["gop10.mp4"], cache_size=2) as reader:
        first = reader.read(5)
        assert reader.read(5) is first
        reader.read(6)
        reader.read(7)
        again = reader.read(5)
        assert again is not first and again == first


def test_frame_reader_with_a_wrong_frame_count_decodes_sequentially(videos):
    with FrameReader(videos["gop10.mp4"], n_frames=99) as reader:
        assert frame_shown(reader.read(98)) == 98
        assert not reader.seeks
        with pytest.raises(VideoReadError, match="has no frame 99"):
            reader.read(99)


@pytest.mark.parametrize("name", ["nine.mp4", "thousand.mp4", "h264_in.avi"])
def test_frame_out_of_range_is_a_read_error(videos, name):
    n = SPECS[name].frames
    with FrameReader(videos[name]) as reader:
        for index in (n, n + 7, -1):
            with pytest.raises(VideoReadError, match=rf"{name}: has no frame {index} "):
                reader.read(index)
        assert frame_shown(reader.read(n - 1)) == n - 1  # still usable afterwards
    with pytest.raises(VideoReadError, match=f"has no frame {n} "):
        read_frame_rgb(videos[name], n)
