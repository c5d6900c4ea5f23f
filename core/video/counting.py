"""Video frame counts and frame previews with PyAV; no Qt, so workers and tests can use it.

A video's frame count is what decoding the whole video yields (FORMAT.md): that fixes the
padding of its frames' metadata names. Decoding is slow, so a packet count (about 100x
faster) serves at once while the decode confirms it, and confirmed counts are cached.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from core.storage.location import stat_of
from core.video.base import Cancelled, VideoReadError, label_of, open_video, reading, scan_packets
from core.video.cache import FrameCountCache, default_cache_path
from core.video.frames import FrameReader, read_frame_rgb

__all__ = [
    "Cancelled",
    "FrameCountCache",
    "FrameCountResult",
    "FrameReader",
    "VideoReadError",
    "confirm_frame_counts",
    "count_decoded",
    "count_packets",
    "default_cache_path",
    "quick_frame_count",
    "read_frame_rgb",
]

log = logging.getLogger(__name__)

CancelCheck = Callable[[], bool]
Progress = Callable[[int, int, str], None]

_CANCEL_EVERY = 16  # frames between two calls of cancel()


def count_packets(path: str | os.PathLike) -> int:
    """Fast frame-count estimate: the first video stream's packets that carry data."""
    return len(scan_packets(path, label_of(path)).packets)


def _count_decoded(path: str | os.PathLike, label: str, cancel: CancelCheck | None) -> int:
    container, stream = open_video(path, label)
    try:
        stream.thread_type = "AUTO"
        n = 0
        with reading(label):
            for _ in container.decode(stream):
                n += 1
                if cancel is not None and n % _CANCEL_EVERY == 0 and cancel():
                    raise Cancelled(label)
        return n
    finally:
        container.close()


def count_decoded(path: str | os.PathLike, cancel: CancelCheck | None = None) -> int:
    """Authoritative frame count: the frames that decoding the whole video yields.

    The count stored in the container is not used (it can be 0 or wrong).
    Raises VideoReadError, or Cancelled when `cancel()` returns True.
    """
    if cancel is not None and cancel():
        raise Cancelled(label_of(path))
    return _count_decoded(path, label_of(path), cancel)


@dataclass
class FrameCountResult:
    """One video's confirmed count; `mismatch` (packets != frames) hints at a damaged file."""

    video: str
    frames: int | None
    packets: int | None
    confirmed: bool
    error: str | None
    mismatch: bool


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def _confirm_one(
    label: str, path: str | os.PathLike, cache: FrameCountCache | None, cancel: CancelCheck | None
) -> FrameCountResult:
    cached = cache.get(path) if cache is not None else None
    if cached is not None:
        return FrameCountResult(label, cached, None, True, None, False)
    packets = None
    try:
        with reading(label):
            before = stat_of(path)
        scan = scan_packets(path, label)
        packets = len(scan.packets)
        frames = _count_decoded(path, label, cancel)
        with reading(label):
            unchanged = _same_file(before, stat_of(path))
    except VideoReadError as e:
        return FrameCountResult(label, None, packets, False, str(e), False)
    mismatch = packets != frames or scan.corrupt > 0
    # A damaged file is not cached, so it is checked (and reported) again next time.
    if cache is not None and unchanged and not mismatch:
        cache.put(path, frames, before)
    return FrameCountResult(label, frames, packets, True, None, mismatch)


def confirm_frame_counts(
    items: Iterable[tuple[str, str | os.PathLike]],
    cache: FrameCountCache | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> Iterator[FrameCountResult]:
    """Yield the decoded frame count of each (label, path), from the cache when still valid.

    Unreadable videos yield a result with `error` set. `progress(done, total, label)` is
    called after each video. Raises Cancelled when `cancel()` returns True; the cache is
    saved in any case.
    """
    items = list(items)
    try:
        for done, (label, path) in enumerate(items, 1):
            if cancel is not None and cancel():
                raise Cancelled(label)
            result = _confirm_one(label, path, cache, cancel)
            if progress is not None:
                progress(done, len(items), label)
            yield result
    finally:
        if cache is not None:
            try:
                cache.save()
            except OSError as e:  # the cache only saves time; counting still worked
                log.warning("cannot save the frame count cache %s: %s", cache.path, e)


def quick_frame_count(path: str | os.PathLike, cache: FrameCountCache | None = None) -> int:
    """Count to use at once: the cached decoded count if valid, else the packet count."""
    if cache is not None:
        cached = cache.get(path)
        if cached is not None:
            return cached
    return count_packets(path)
