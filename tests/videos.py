"""Test helper: real videos encoded with PyAV whose frames say their own index.

Frame i shows the Gray code of i as a grid of 16x16 blocks (light = 1, dark = 0), so
consecutive frames differ in one block (cheap P/B-frames, like a real video) and any
decoded frame can be identified despite lossy compression: see `frame_index_of`.
"""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np

BLOCK = 16
DARK, LIGHT = 16, 240

# Codecs tried in order for each extension (the first one PyAV can encode wins).
CODECS: dict[str, tuple[str, ...]] = {
    "mp4": ("libx264", "mpeg4"),
    "mov": ("libx264", "mpeg4"),
    "m4v": ("libx264", "mpeg4"),
    "avi": ("mpeg4",),
    "webm": ("libvpx", "libvpx-vp9"),
    "mkv": ("libx264", "mpeg4", "ffv1"),
}

# Fast settings; libvpx in its default "good" mode is ~100x slower than libx264 here.
OPTIONS: dict[str, dict[str, str]] = {
    "libvpx": {"deadline": "realtime", "cpu-used": "8"},
    "libvpx-vp9": {"deadline": "realtime", "cpu-used": "8"},
}


def _grid(width: int, height: int) -> tuple[int, int]:
    return width // BLOCK, height // BLOCK


def _frame_pixels(index: int, width: int, height: int) -> np.ndarray:
    cols, rows = _grid(width, height)
    gray = index ^ (index >> 1)
    image = np.full((height, width, 3), 128, dtype=np.uint8)
    for bit in range(cols * rows):
        y, x = divmod(bit, cols)
        level = LIGHT if gray >> bit & 1 else DARK
        image[y * BLOCK : (y + 1) * BLOCK, x * BLOCK : (x + 1) * BLOCK] = level
    return image


def frame_index_of(width: int, height: int, rgb: bytes) -> int:
    """The index drawn into a frame by `encode_video`, read back from packed RGB24 bytes."""
    image = np.frombuffer(rgb, dtype=np.uint8).reshape(height, width, 3)
    cols, rows = _grid(width, height)
    gray = 0
    for bit in range(cols * rows):
        y, x = divmod(bit, cols)
        # Inner 8x8 of each block: compression blurs the edges between blocks.
        inner = image[y * BLOCK + 4 : (y + 1) * BLOCK - 4, x * BLOCK + 4 : (x + 1) * BLOCK - 4]
        if inner.mean() > (DARK + LIGHT) / 2:
            gray |= 1 << bit
    index = 0
    while gray:  # Gray code back to binary
        index ^= gray
        gray >>= 1
    return index


def available_codec(ext: str) -> str:
    """The first codec of CODECS[ext] this PyAV build can encode."""
    for name in CODECS[ext.lower()]:
        try:
            av.Codec(name, "w")
        except Exception:
            continue
        return name
    raise RuntimeError(f"no encoder for .{ext} among {CODECS[ext.lower()]}")


def encode_video(
    path: str | os.PathLike,
    n_frames: int,
    width: int = 64,
    height: int = 48,
    fps: int = 25,
    *,
    codec: str | None = None,
    gop: int | None = None,
    options: dict[str, str] | None = None,
) -> Path:
    """Write a real `n_frames`-frame video, codec chosen from the extension (or `codec`)."""
    path = Path(path)
    cols, rows = _grid(width, height)
    if n_frames > 2 ** (cols * rows):
        raise ValueError(f"{width}x{height} can number {2 ** (cols * rows)} frames, not {n_frames}")
    codec = codec or available_codec(path.suffix.lstrip("."))
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = 1_000_000
        stream.options = {**OPTIONS.get(codec, {}), **(options or {})}
        if gop is not None:
            stream.codec_context.gop_size = gop
        for i in range(n_frames):
            frame = av.VideoFrame.from_ndarray(_frame_pixels(i, width, height), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def write_garbage_video(path: str | os.PathLike) -> Path:
    """Write bytes that no demuxer recognises as a video, under a video's name."""
    path = Path(path)
    path.write_bytes(b"this is not a video, only text pretending to be one\n" * 200)
    return path
