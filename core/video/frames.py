"""Frames of a video as RGB24 by index, for previews: seek when timestamps are reliable."""

from __future__ import annotations

import os
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from core.video.base import VideoReadError, label_of, open_video, read_errors, reading, scan_packets

Rgb = tuple[int, int, bytes]

_TRUST_CHECK_FRAMES = 16  # frames decoded from the start before pts are trusted for seeking
_SEEK_ATTEMPTS = 3  # keyframes tried, from the nearest back, before decoding from the start
_LANDED_LATE = object()
_CONTINUE_MAX = 16  # frames decoded onward from the last read rather than seeking again


def _to_rgb(frame: Any) -> Rgb:
    """(width, height, packed RGB24 bytes) of a decoded frame (row padding removed)."""
    rgb = frame.reformat(format="rgb24")
    width, height = rgb.width, rgb.height
    plane = rgb.planes[0]
    data = bytes(plane)
    row, stride = width * 3, plane.line_size
    if stride != row:
        data = b"".join(data[y * stride : y * stride + row] for y in range(height))
    return width, height, data


class FrameReader:
    """Frames of one video as RGB24 by index, for previews; keeps the file open.

    Frame i is the i-th frame that decoding from the start yields. Reads seek to the
    keyframe before the frame's timestamp when the timestamps prove reliable (sorted packet
    timestamps equal the decoded ones), else decode sequentially. The last `cache_size`
    frames read are kept. Meant for one worker thread (a lock guards against misuse).
    """

    def __init__(
        self,
        path: str | os.PathLike,
        n_frames: int | None = None,
        cache_size: int = 32,
        label: str | None = None,
    ):
        self.path = path
        self.label = label if label is not None else label_of(path)
        self._given_count = n_frames
        self._count = n_frames  # decoded count, when known
        self._cache: OrderedDict[int, Rgb] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._container: Any = None
        self._stream: Any = None
        self._prepared = False
        self._table: list[int] | None = None  # pts of frame i, only while seeking is trusted
        self._index_of: dict[int, int] = {}
        self._key_pts: list[int] = []  # keyframe pts, ascending
        self._key_seek: list[int] = []  # timestamp to seek to for that keyframe
        self._seq: Iterator[Any] | None = None  # sequential decoding in progress
        self._seq_pos = 0
        #: After a seeking read: (decoder positioned after it, index of the next frame), so
        #: stepping forward continues decoding instead of seeking back to the keyframe.
        self._ahead: tuple[Iterator[Any], int] | None = None
        self.seek_count = 0  # seeks done (stepping forward should need few)

    @property
    def frame_count(self) -> int | None:
        """Decoded frame count if known (given, or learnt by reading), else None."""
        return self._count

    @property
    def seeks(self) -> bool:
        """Whether reads seek rather than decode from the start (known after the first read)."""
        return self._table is not None

    def __enter__(self) -> FrameReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; a later read reopens it."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        self._seq = None
        self._ahead = None
        if self._container is not None:
            self._container.close()
            self._container = self._stream = None

    def _reopen(self) -> None:
        self._close()
        self._container, self._stream = open_video(self.path, self.label)
        self._stream.thread_type = "AUTO"

    def read(self, index: int) -> Rgb:
        """(width, height, RGB24 bytes) of frame `index`; VideoReadError if out of range."""
        with self._lock:
            hit = self._cache.get(index)
            if hit is not None:
                self._cache.move_to_end(index)
                return hit
            if not self._prepared:
                self._prepare()
            if index < 0 or (self._count is not None and index >= self._count):
                count = "unknown" if self._count is None else self._count
                raise VideoReadError(self.label, f"has no frame {index} (frames: {count})")
            if self._container is None:
                self._reopen()
            try:
                image = self._read_seeking(index) if self._table is not None else None
                if image is None:
                    with reading(self.label):
                        image = self._read_sequential(index)
            except VideoReadError:
                self._close()  # a decoder that failed is not reused
                raise
            self._cache[index] = image
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return image

    def _prepare(self) -> None:
        """Build the pts table from the packets and decide whether seeking can be trusted."""
        scan = scan_packets(self.path, self.label)
        pts = sorted(p for p, _, _ in scan.packets if p is not None)
        trusted = (
            scan.corrupt == 0
            and len(pts) == len(scan.packets)
            and len(set(pts)) == len(pts)
            and (self._count is None or self._count == len(pts))
        )
        if trusted:
            trusted = self._starts_with(pts[:_TRUST_CHECK_FRAMES])
        if trusted:
            self._table = pts
            self._index_of = {p: i for i, p in enumerate(pts)}
            keys = sorted((p, p if d is None else d) for p, d, k in scan.packets if k)
            self._key_pts = [p for p, _ in keys]
            self._key_seek = [s for _, s in keys]
            if self._count is None:
                self._count = len(pts)
        self._prepared = True

    def _starts_with(self, expected: list[int]) -> bool:
        """Whether decoding from the start yields frames with exactly these pts first.

        Catches containers whose pts do not follow the decoded order (AVI with B-frames).
        """
        container, stream = open_video(self.path, self.label)
        seen: list[int | None] = []
        try:
            with reading(self.label):
                for frame in container.decode(stream):
                    if len(seen) == len(expected):
                        break
                    seen.append(frame.pts)
        finally:
            container.close()
        return seen == expected

    def _read_seeking(self, index: int) -> Rgb | None:
        """Seek to the keyframe before frame `index` and decode up to it; None if unsure.

        When the seek lands after the frame (leading frames of an open GOP are dropped),
        the keyframe before that one is tried.
        """
        assert self._table is not None
        if self._ahead is not None:
            image = self._continue(index)
            if image is not None or self._table is None:
                return image
        last = bisect_right(self._key_pts, self._table[index]) - 1
        for k in range(last, max(last - _SEEK_ATTEMPTS, -1), -1):
            image = self._decode_from_key(k, index)
            if image is not _LANDED_LATE:
                return image
        return None

    def _decode_from_key(self, k: int, index: int) -> Any:
        """Frame `index` decoded from keyframe k, _LANDED_LATE, or None to stop seeking."""
        assert self._table is not None
        self._seq = self._ahead = None  # the decoding position is lost
        try:
            self.seek_count += 1
            self._container.seek(self._key_seek[k], stream=self._stream, backward=True)
            expected: int | None = None
            frames = self._container.decode(self._stream)
            for frame in frames:
                if expected is None:  # first frame after the seek: where did we land?
                    j = self._index_of.get(frame.pts)
                    if j is None:
                        return None
                    if j > index:
                        return _LANDED_LATE
                elif frame.pts == self._table[expected]:
                    j = expected
                else:  # decoded pts do not follow the table: stop trusting it
                    self._distrust()
                    return None
                if j == index:
                    self._ahead = (frames, index + 1)
                    return _to_rgb(frame)
                expected = j + 1
        except read_errors():  # seeking failed: sequential decoding will tell
            self._distrust()
            self._close()
        return None

    def _continue(self, index: int) -> Rgb | None:
        """Frame `index` decoded onward from the previous read, or None to seek instead."""
        assert self._table is not None and self._ahead is not None
        frames, expected = self._ahead
        self._ahead = None
        if index < expected:
            return None
        key = self._index_of.get(self._key_pts[bisect_right(self._key_pts, self._table[index]) - 1])
        if index - expected > _CONTINUE_MAX and (key is None or key > expected):
            return None  # a keyframe lies between: seeking to it decodes less
        try:
            for frame in frames:
                if frame.pts != self._table[expected]:  # same check as after a seek
                    self._distrust()
                    return None
                if expected == index:
                    self._ahead = (frames, index + 1)
                    return _to_rgb(frame)
                expected += 1
        except read_errors():
            self._distrust()
            self._close()
        return None

    def _distrust(self) -> None:
        self._table = None
        self._count = self._given_count

    def _read_sequential(self, index: int) -> Rgb:
        if self._seq is None or index < self._seq_pos:
            self._reopen()
            self._seq = iter(self._container.decode(self._stream))
            self._seq_pos = 0
        for frame in self._seq:
            self._seq_pos += 1
            if self._seq_pos - 1 == index:
                return _to_rgb(frame)
        self._count = self._seq_pos
        raise VideoReadError(self.label, f"has no frame {index} (frames: {self._count})")


def read_frame_rgb(path: str | os.PathLike, index: int) -> Rgb:
    """(width, height, RGB24 bytes) of frame `index` (decode order from 0), for a preview."""
    with FrameReader(path) as reader:
        return reader.read(index)
