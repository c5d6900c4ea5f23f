"""Where metadata lives: media path <-> metadata path for images, videos and frames.

All relative paths use `/`. Frame names carry the frame number zero-padded to
`len(str(n_frames))` and the video's extension (case kept): frame 99 of the
200-frame `subdir/video_1.mp4` is `subdir/video_1-099-mp4.png`, its metadata
`subdir/video_1-099-mp4.json`.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from core.storage.location import BucketPath, location

METADATA_DIR = ".lightly/metadata"
SCHEMA_FILE = "schema.json"

IMAGE = "image"
VIDEO = "video"
FRAME = "frame"


class UnsafePathError(ValueError):
    """A relative path that would leave `.lightly/metadata/` (or is not relative)."""


def to_posix(rel: str) -> str:
    return rel.replace("\\", "/")


def split_ext(name: str) -> tuple[str, str]:
    """('subdir/a.b', 'MP4') for 'subdir/a.b.MP4': the extension is after the last dot."""
    head, _, base = name.rpartition("/")
    if "." not in base.lstrip(".") or base.endswith("."):
        return name, ""
    stem, _, ext = base.rpartition(".")
    return (f"{head}/{stem}" if head else stem), ext


def frame_padding(n_frames: int) -> int:
    return len(str(n_frames))


def metadata_rel(media_rel: str) -> str:
    """Metadata file (relative to .lightly/metadata) of an image or whole video."""
    dot = media_rel.rfind(".")
    start = media_rel.rfind("/") + 1
    # The common name (`dir/name.ext`: a base not starting with a dot, an extension) without
    # calls: the index makes this for every media file.
    if start < dot < len(media_rel) - 1 and media_rel[start] != "." and start != 1 and "\\" not in media_rel:
        return media_rel[:dot] + ".json"
    stem, _ = split_ext(to_posix(media_rel))
    return f"{stem}.json"


def frame_stem(video_rel: str, index: int, n_frames: int) -> str:
    stem, ext = split_ext(to_posix(video_rel))
    return f"{stem}-{index:0{frame_padding(n_frames)}d}-{ext}"


def frame_file_name(video_rel: str, index: int, n_frames: int) -> str:
    """Lightly's `file_name` of a frame: the virtual frame image, ending in `.png`."""
    return frame_stem(video_rel, index, n_frames) + ".png"


def frame_metadata_rel(video_rel: str, index: int, n_frames: int) -> str:
    return frame_stem(video_rel, index, n_frames) + ".json"


@dataclass(frozen=True)
class FrameName:
    """A parsed frame file name: `<video stem>-<digits>-<ext>` (+ .json or .png)."""

    video_stem: str  # relative, without extension, e.g. "subdir/video_1"
    ext: str  # the video's extension, case kept, e.g. "mp4"
    digits: str  # as written, e.g. "099"

    @property
    def index(self) -> int:
        return int(self.digits)

    def video_rel(self) -> str:
        return f"{self.video_stem}.{self.ext}"


_FRAME_RE = re.compile(r"^(?P<stem>.+)-(?P<digits>\d+)-(?P<ext>[^./\-]+)\.(?:json|png)$")


def parse_frame_name(rel: str) -> FrameName | None:
    """Parse a frame metadata path or frame file_name; None when it has no frame shape."""
    rel = to_posix(rel)
    m = _FRAME_RE.match(rel)
    if not m or m.group("stem").endswith("/"):
        return None
    return FrameName(m.group("stem"), m.group("ext"), m.group("digits"))


def check_relative(rel: str) -> str:
    """Normalise a relative path and refuse anything that escapes its root."""
    rel = to_posix(rel)
    if not rel or rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
        raise UnsafePathError(f"{rel!r} is not a relative path")
    norm = posixpath.normpath(rel)
    if norm == "." or norm.startswith("../") or norm == ".." or "\x00" in norm:
        raise UnsafePathError(f"{rel!r} leaves {METADATA_DIR}/")
    return norm


def metadata_dir(lightly_root: str | Path | BucketPath) -> Path | BucketPath:
    return location(lightly_root) / METADATA_DIR


def metadata_path(lightly_root: str | Path, rel: str) -> Path:
    """Absolute path of metadata file `rel`, guaranteed to be inside .lightly/metadata/."""
    base = metadata_dir(lightly_root)
    if isinstance(base, BucketPath):  # keys have no links to leave the folder through
        return base / check_relative(rel)
    target = base / PurePosixPath(check_relative(rel))
    resolved_base = _resolved(str(base))
    resolved = target.resolve()
    if resolved != resolved_base and resolved_base not in resolved.parents:
        raise UnsafePathError(f"{rel!r} is a link that leads outside {METADATA_DIR}/")
    return target


def metadata_paths(lightly_root: str | Path, rels: list[str]) -> list[Path | BucketPath | UnsafePathError]:
    """`metadata_path` of many files at once (a bulk edit of 10k files): each folder is
    resolved once and each file only checked for being a link (a link gets the full check).
    Per rel: its path, or the UnsafePathError `metadata_path` would raise."""
    base = metadata_dir(lightly_root)
    resolved_base = None if isinstance(base, BucketPath) else _resolved(str(base))
    inside: dict[str, bool] = {}
    out: list[Path | BucketPath | UnsafePathError] = []
    for rel in rels:
        try:
            if resolved_base is None:
                out.append(base / check_relative(rel))
                continue
            target = base / PurePosixPath(check_relative(rel))
            folder = str(target.parent)
            ok = inside.get(folder)
            if ok is None:
                real = Path(os.path.realpath(folder))
                ok = inside[folder] = real == resolved_base or resolved_base in real.parents
            out.append(target if ok and not os.path.islink(target) else metadata_path(lightly_root, rel))
        except UnsafePathError as e:
            out.append(e)
    return out


@lru_cache(maxsize=16)
def _resolved(folder: str) -> Path:
    """The metadata folder with links resolved, once per folder (bulk edits ask per file)."""
    return Path(folder).resolve()


def metadata_locator(lightly_root) -> Callable[[str], str | BucketPath]:
    """Path maker for index-made rels (relative, `/`-separated) under `.lightly/metadata/`:
    plain string concatenation for a folder (100k files in one pass), joins for a bucket."""
    base = metadata_dir(lightly_root)
    if isinstance(base, BucketPath):
        return base.joinpath
    prefix = str(base) + "/"
    return prefix.__add__


def schema_path(lightly_root: str | Path) -> Path:
    return metadata_dir(lightly_root) / SCHEMA_FILE
