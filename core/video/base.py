"""What the video modules share: their errors, opening a video, and scanning its packets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from core.storage.errors import Cancelled, StorageError  # one Cancelled for listing, scans, decoding
from core.storage.location import BucketPath

__all__ = [
    "Cancelled", "PacketScan", "VideoReadError",
    "describe", "label_of", "open_video", "read_errors", "reading", "scan_packets",
]


class VideoReadError(Exception):
    """A video cannot be opened or decoded; str() is one line naming the file."""

    def __init__(self, label: str, reason: str):
        super().__init__(f"{label}: {reason}")
        self.label = label
        self.reason = reason


def label_of(path) -> str:
    """How a video is named in messages: its path, or its URL in a bucket."""
    return str(path) if isinstance(path, BucketPath) else os.fsdecode(path)


@cache
def read_errors() -> tuple[type[BaseException], ...]:
    """What PyAV and the OS raise for unreadable or broken files (av errors subclass these too).

    A function, so PyAV (with FFmpeg) loads when a video is first read, not at start-up.
    """
    import av

    return (av.error.FFmpegError, OSError, EOFError, ValueError, RuntimeError)


def describe(error: BaseException) -> str:
    """Short reason for a failure, e.g. "cannot be decoded (Invalid data found ...)"."""
    detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
    if isinstance(error, (FileNotFoundError, PermissionError, IsADirectoryError, StorageError)):
        return f"cannot be read ({detail})"
    return f"cannot be decoded ({detail})"


@contextmanager
def reading(label: str) -> Iterator[None]:
    """Turn any av/OS error raised inside into a one-line VideoReadError."""
    try:
        yield
    except read_errors() as e:
        raise VideoReadError(label, describe(e)) from e


def open_video(path: str | os.PathLike, label: str) -> tuple[Any, Any]:
    """(container, first video stream), or VideoReadError."""
    import av

    with reading(label):
        if isinstance(path, BucketPath):  # ranged GETs through a file object, nothing downloaded whole
            container = av.open(path.store.open(path), metadata_errors="ignore")
        else:
            container = av.open(os.fspath(path), metadata_errors="ignore")
    if not container.streams.video:
        container.close()
        raise VideoReadError(label, "has no video stream")
    return container, container.streams.video[0]


@dataclass
class PacketScan:
    """The frame packets of a video's first video stream, from demuxing only."""

    packets: list[tuple[int | None, int | None, bool]]  # (pts, dts, keyframe), decode order
    corrupt: int  # packets the demuxer flagged as damaged (e.g. cut off by truncation)


def scan_packets(path: str | os.PathLike, label: str) -> PacketScan:
    """Demux (without decoding) the first video stream: one entry per frame packet."""
    container, stream = open_video(path, label)
    packets: list[tuple[int | None, int | None, bool]] = []
    corrupt = 0
    try:
        with reading(label):
            for p in container.demux(stream):
                # Flush packets carry no data; discarded ones (outside an edit list)
                # are dropped by the decoder, so neither becomes a frame.
                if p.size > 0 and not p.is_discard:
                    packets.append((p.pts, p.dts, p.is_keyframe))
                    corrupt += p.is_corrupt
    finally:
        container.close()
    return PacketScan(packets, corrupt)
