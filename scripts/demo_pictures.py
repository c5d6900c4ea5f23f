"""Pictures for the demo datasources: synthetic road scenes drawn with numpy, saved as real
PNG/JPEG (QImage) and H.264 videos (PyAV) whose frames show their own number."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PySide6.QtGui import QImage

W, H = 160, 120
FPS = 25

# A 3x5 pixel font for digits, so frames show their own number without needing system fonts.
_DIGITS = {
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111", "3": "111001111001111",
    "4": "101101111001001", "5": "111100111001111", "6": "111100111101111", "7": "111001001001001",
    "8": "111101111101111", "9": "111101111001111",
}  # fmt: skip

SKIES = {
    "sunny": ((70, 130, 230), (170, 210, 255)),
    "cloudy": ((120, 125, 135), (190, 195, 200)),
    "rain": ((60, 65, 80), (120, 125, 140)),
    "night": ((5, 5, 25), (30, 30, 70)),
}


def draw_number(img: np.ndarray, text: str, x: int, y: int, scale: int = 3) -> None:
    """Black-on-white digits at (x, y), readable in frame previews."""
    w = (4 * len(text) + 1) * scale
    img[y : y + 7 * scale, x : x + w] = 255
    for i, ch in enumerate(text):
        bits = np.array([int(b) for b in _DIGITS[ch]], dtype=bool).reshape(5, 3)
        glyph = np.kron(bits, np.ones((scale, scale), dtype=bool))
        gx, gy = x + (1 + 4 * i) * scale, y + scale
        img[gy : gy + 5 * scale, gx : gx + 3 * scale][glyph] = 0


def scene(weather: str, cars: int, seed: int, car_shift: float = 0.0) -> np.ndarray:
    """Sky gradient, sun or moon, a road and `cars` coloured boxes (the image's vehicle count)."""
    rng = np.random.default_rng(seed)
    top, bottom = (np.array(c, dtype=np.float32) for c in SKIES[weather])
    t = np.linspace(0, 1, H * 2 // 3, dtype=np.float32)[:, None]
    img = np.empty((H, W, 3), dtype=np.uint8)
    img[: H * 2 // 3] = (top + (bottom - top) * t)[:, None, :].astype(np.uint8)
    img[H * 2 // 3 :] = (90, 140, 70) if weather != "night" else (20, 35, 20)
    img[H * 3 // 4 : H * 3 // 4 + 14] = (60, 60, 64)
    img[H * 3 // 4 + 6 : H * 3 // 4 + 8, ::8] = (230, 230, 230)
    yy, xx = np.mgrid[0:H, 0:W]
    cx, cy = int(rng.integers(20, W - 20)), int(rng.integers(12, 30))
    disc = (xx - cx) ** 2 + (yy - cy) ** 2 < 100
    img[disc] = (250, 220, 80) if weather != "night" else (230, 230, 210)
    if weather in ("cloudy", "rain"):
        for _ in range(3):
            ex, ey = int(rng.integers(10, W - 10)), int(rng.integers(8, 40))
            img[((xx - ex) / 22) ** 2 + ((yy - ey) / 8) ** 2 < 1] = (215, 215, 220)
    if weather == "rain":
        streaks = ((xx + yy * 2 + seed) % 23 == 0) & ((yy // 3) % 3 == 0) & (yy < H * 3 // 4)
        img[streaks] = (200, 205, 230)
    for i in range(cars):
        colour = rng.integers(40, 255, size=3)
        x = int((rng.integers(0, W - 24) + car_shift * (i + 1)) % (W - 24))
        y = H * 3 // 4 + 2
        img[y : y + 8, x : x + 22] = colour
        img[y + 8 : y + 10, x + 3 : x + 7] = 10
        img[y + 8 : y + 10, x + 15 : x + 19] = 10
    return img


def save_image(img: np.ndarray, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = np.ascontiguousarray(img)
    qimg = QImage(data.data, W, H, 3 * W, QImage.Format.Format_RGB888)
    fmt, quality = ("PNG", -1) if path.suffix.lower() == ".png" else ("JPG", 80)
    if not qimg.save(str(path), fmt, quality):
        raise RuntimeError(f"could not write {path}")


def save_video(path: Path, n_frames: int, weather: str, cars: int, seed: int) -> None:
    """A real H.264 MP4; each frame shows its number, so previews can be checked by eye."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        stream.time_base = Fraction(1, FPS)
        # One thread: x264's output is then the same on every run.
        stream.options = {"crf": "30", "preset": "medium", "threads": "1"}
        for i in range(n_frames):
            img = scene(weather, cars, seed, car_shift=2.0 * i)
            draw_number(img, f"{i:0{len(str(n_frames))}d}", 4, 4)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
