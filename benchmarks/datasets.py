"""Large synthetic datasources for the window benchmark, generated once and cached.

`ensure(n, folder)` returns `folder/images-<n>`: N tiny `.png` files with one metadata
file each (the 10-field schema of bench_table: every type, some defaults, ~1% invalid),
plus two real videos (encoded with PyAV, so frame counting decodes something) with a
few frame files. A `.complete` marker says the folder is whole; a half-written folder
(an interrupted run) is deleted and written again.

    .venv/bin/python benchmarks/datasets.py --sizes 100000,1000000 [--dir ~/.cache/lme-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

from bench_table import SCHEMA, metadata  # benchmarks/ is on sys.path when run as a script
from synthetic import write_images

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "lightly-editor-bench"
VIDEOS = ("videos/drive_a.mp4", "videos/drive_b.mp4")
VIDEO_FRAMES = 60
MARKER = ".complete"


def _write_videos(root: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from core.format.naming import frame_file_name, frame_metadata_rel
    from tests.videos import encode_video

    rng = random.Random(7)
    meta_dir = root / ".lightly" / "metadata"
    (root / "videos").mkdir(exist_ok=True)
    (meta_dir / "videos").mkdir(exist_ok=True)
    for v in VIDEOS:
        encode_video(root / v, VIDEO_FRAMES)
        doc = {"file_name": v, "type": "video", "metadata": metadata(rng, 0)}
        (meta_dir / f"{v[:-4]}.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        for i in range(0, VIDEO_FRAMES, 10):
            frame = {"file_name": frame_file_name(v, i, VIDEO_FRAMES), "type": "frame",
                     "metadata": {"weather": {"description": "fog"}}}
            (meta_dir / frame_metadata_rel(v, i, VIDEO_FRAMES)).write_text(
                json.dumps(frame, indent=2) + "\n", encoding="utf-8")


def ensure(n: int, folder: Path = DEFAULT_DIR, quiet: bool = False) -> Path:
    """The cached datasource of `n` images under `folder`, generated when missing."""
    root = Path(folder).expanduser() / f"images-{n}"
    if (root / MARKER).exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    t0 = time.perf_counter()
    if not quiet:
        print(f"generating {n:,} images in {root} (once; cached for later runs)…", file=sys.stderr)
    write_images(root, n, SCHEMA, metadata)
    _write_videos(root)
    (root / MARKER).write_text(f"{n}\n")
    if not quiet:
        print(f"  done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        print(ensure(n, args.dir))


if __name__ == "__main__":
    main()
