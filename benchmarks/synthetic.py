"""Synthetic datasources for the benchmarks: N tiny images with one metadata file each."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

PNG_BYTES = b"\x89PNG\r\n\x1a\n"  # a signature only: nothing here decodes images


def media_rel(i: int) -> str:
    """1 in 10 in the root, the rest in camera/day folders of at most 500 files."""
    if i % 10 == 0:
        return f"img_{i:06d}.png"
    return f"cam_{i % 7}/day_{i // 3500:03d}/img_{i:06d}.png"


def write_images(root: Path, n: int, schema: list, metadata: Callable[[random.Random, int], dict],
                 seed: int = 0, indent: int | None = 2) -> tuple[random.Random, Path]:
    """Write schema.json and N images with their metadata files; returns (rng, metadata folder)."""
    rng = random.Random(seed)
    meta_dir = root / ".lightly" / "metadata"
    meta_dir.mkdir(parents=True)
    (meta_dir / "schema.json").write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    made: set[Path] = set()
    for i in range(n):
        rel = media_rel(i)
        for folder in (root / rel).parent, (meta_dir / rel).parent:
            if folder not in made:
                folder.mkdir(parents=True, exist_ok=True)
                made.add(folder)
        (root / rel).write_bytes(PNG_BYTES)
        doc = {"file_name": rel, "type": "image", "metadata": metadata(rng, i)}
        (meta_dir / f"{rel[:-4]}.json").write_text(json.dumps(doc, indent=indent) + "\n", encoding="utf-8")
    return rng, meta_dir
