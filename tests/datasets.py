"""Test helper: small datasources written to disk (media files, encoded videos, metadata JSON)
and their metadata read back as bytes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.videos import encode_video

# The schema several GUI and end-to-end tests share: a nested string and float, and an int.
WEATHER_SCHEMA = [
    {"name": "Weather", "path": "weather.description", "defaultValue": "sunny",
     "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Temperature", "path": "weather.temperature", "defaultValue": 20.0,
     "valueDataType": "NUMERIC_FLOAT"},
    {"name": "Count", "path": "count", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},
]

# The schema of the CLI tests: a string, a boolean and a nested float.
LABEL_SCHEMA = [
    {"name": "Label", "path": "label", "defaultValue": "none", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Night", "path": "night", "defaultValue": False, "valueDataType": "CATEGORICAL_BOOLEAN"},
    {"name": "Speed", "path": "motion.speed", "defaultValue": 0.5, "valueDataType": "NUMERIC_FLOAT"},
]


def metadata_dir(root) -> Path:
    return Path(root) / ".lightly" / "metadata"


def touch(root, rel: str, data: bytes = b"x") -> Path:
    """A file at `rel` ("/"-separated) under `root` holding `data`, creating its folders."""
    p = Path(root).joinpath(*rel.split("/"))
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def meta(root, rel: str, obj=None) -> Path:
    """Metadata file `rel` under `root`'s .lightly/metadata/ holding `obj` as JSON (default {})."""
    return touch(root, ".lightly/metadata/" + rel, json.dumps(obj or {}).encode())


def write_json(path, data, *, indent: int | None = None, end: str = "") -> Path:
    """`data` as JSON (a str is written as it is) at `path`, creating its folders.
    `indent` and `end` choose the exact bytes, so tests can use formats other than the editor's."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=indent) + end)
    return path


def write_datasource(root, *, media: dict[str, bytes] | None = None, videos: dict[str, int] | None = None,
                     files: dict | None = None, indent: int | None = None, end: str = "") -> Path:
    """A datasource at `root`: `media` {rel: bytes}, `videos` {rel: frame count} encoded for real,
    and `files` {rel under .lightly/metadata: JSON data or raw text} written with `write_json`."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in (media or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    for rel, frames in (videos or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        encode_video(root / rel, frames)
    for rel, data in (files or {}).items():
        write_json(metadata_dir(root) / rel, data, indent=indent, end=end)
    return root


def copy_datasource(template, tmp_path, name: str = "ds") -> Path:
    """A fresh copy of a module's template datasource, for one test to change."""
    root = Path(tmp_path) / name
    shutil.copytree(template, root)
    return root


def metadata_bytes(root) -> dict[str, bytes]:
    """Every metadata file's bytes by its path under .lightly/metadata."""
    base = metadata_dir(root)
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}
