"""Videos in buckets: PyAV reads the object through an fsspec file object (ranged GETs), the
frame count equals the local one, a second open reads no video bytes (the count is cached by
the object's version), and a changed object is read again.

Bytes are counted where fsspec fetches them: each provider's file class `_fetch_range` and
the filesystem's `_cat_file`, wrapped (they still fetch from the real server)."""

from __future__ import annotations

import os

import pytest

from core.storage import location, remote
from core.video.counting import FrameCountCache, FrameReader, confirm_frame_counts, count_decoded
from tests.videos import encode_video, frame_index_of


class Fetches:
    """Every ranged read fsspec sends for an object: (start, end) per GET."""

    def __init__(self, monkeypatch, fs, key: str):
        self.ranges: list[tuple[int, int]] = []
        self.whole: list[str] = []
        with fs.open(key, "rb", cache_type="readahead") as f:
            cls = type(f)
        fetch = cls._fetch_range

        def counted(f, start, end):
            if f.path.endswith(key.split("/", 1)[1]):
                self.ranges.append((start, end))
            return fetch(f, start, end)

        monkeypatch.setattr(cls, "_fetch_range", counted)
        cat = fs._cat_file

        async def counted_cat(path, start=None, end=None, **kw):
            if path.endswith(key.split("/", 1)[1]) and start is None:
                self.whole.append(path)
            return await cat(path, start=start, end=end, **kw)

        monkeypatch.setattr(fs, "_cat_file", counted_cat)

    @property
    def nbytes(self) -> int:
        return sum(e - s for s, e in self.ranges)


@pytest.fixture
def video(bucket, tmp_path, monkeypatch):
    """A real 60-frame video, locally and as an object; reads of 4 KiB (the video is small)."""
    local = encode_video(tmp_path / "v.mp4", 60, 320, 240, gop=1, options={"crf": "0", "preset": "ultrafast"})
    bucket.put("ds/videos/v.mp4", local.read_bytes())
    monkeypatch.setattr(remote, "READ_BLOCK", 4 << 10)
    remote._stores.clear()
    url = location(bucket.url("ds/videos/v.mp4"))
    return local, url, Fetches(monkeypatch, url.store.fs, url.fs_path)


def test_frame_count_from_a_bucket_equals_the_local_one_by_ranged_reads(video):
    local, url, fetches = video
    size = local.stat().st_size
    assert count_decoded(url) == count_decoded(local) == 60
    assert len(fetches.ranges) > 2 and not fetches.whole  # streamed by ranges, never downloaded whole
    assert all(e - s < size for s, e in fetches.ranges)


def test_second_open_reads_no_video_bytes(video, tmp_path):
    local, url, fetches = video
    first = list(confirm_frame_counts([("v", url)], FrameCountCache(tmp_path / "counts.json")))
    assert [r.frames for r in first] == [60] and fetches.nbytes > 0
    fetches.ranges.clear()
    again = list(confirm_frame_counts([("v", url)], FrameCountCache(tmp_path / "counts.json")))
    assert [(r.frames, r.confirmed) for r in again] == [(60, True)]
    assert fetches.ranges == [] and fetches.whole == []


def test_changed_object_is_counted_again(video, bucket, tmp_path):
    local, url, fetches = video
    cache = FrameCountCache(tmp_path / "counts.json")
    assert [r.frames for r in confirm_frame_counts([("v", url)], cache)] == [60]
    bucket.put("ds/videos/v.mp4", encode_video(tmp_path / "w.mp4", 30, 160, 120).read_bytes())
    fetches.ranges.clear()
    assert [r.frames for r in confirm_frame_counts([("v", url)], FrameCountCache(cache.path))] == [30]
    assert fetches.nbytes > 0


def test_preview_frame_from_a_bucket(video):
    local, url, fetches = video
    with FrameReader(url, 60) as reader:
        w, h, rgb = reader.read(41)
    assert frame_index_of(w, h, rgb) == 41
    assert fetches.ranges and not fetches.whole


def test_a_video_on_a_dead_store_is_one_error_naming_it(video, monkeypatch, short_network):
    from core.video.counting import VideoReadError

    local, url, fetches = video
    for var in ("AWS_ENDPOINT_URL", "STORAGE_EMULATOR_HOST", "AZURE_STORAGE_CONNECTION_STRING"):
        value = os.environ.get(var)
        if value:  # nothing listens on port 9
            monkeypatch.setenv(var, value.replace(value.split(":")[2].split("/")[0], "9"))
    with pytest.raises(VideoReadError) as e:
        count_decoded(url)
    assert str(url) in str(e.value) and "cannot be read" in str(e.value)
