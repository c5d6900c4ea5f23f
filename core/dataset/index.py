"""The datasource index: which media exist, which metadata files belong to which sample.

`scan()` walks both roots once and classifies every metadata file (a media file's,
a frame's, or an orphan), in time linear in the number of files. The index is then
updated incrementally (`set_frame_count`, `note_written`, `note_removed`) instead of
rescanned after each save.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.dataset.bucket_walk import check_bucket_folder, list_bucket_metadata, list_bucket_root
from core.dataset.walk import (
    Cancel,
    Cancelled,
    DatasourceError,
    Progress,
    check_cancel,
    check_folder,
    walk_media,
    walk_metadata,
)
from core.format.findings import ERROR, LINK_OUTSIDE, WARNING, Finding
from core.format.media import Extensions
from core.format.naming import FRAME, IMAGE, VIDEO, frame_metadata_rel, metadata_rel, parse_frame_name
from core.format.samples import SampleRef
from core.storage.location import BucketPath, location
from core.video import counting as video_mod

__all__ = ["Cancelled", "DatasourceError", "DatasourceIndex", "MetaFileInfo", "ORPHAN", "scan"]

ORPHAN = "orphan"


@dataclass(frozen=True)
class MetaFileInfo:
    """One metadata file (rel to .lightly/metadata): what it belongs to.

    kind is "image", "video", "frame" or "orphan"; for a frame, `media` is the video,
    `frame` the index and `digits` the number as written in the name.
    """

    rel: str
    kind: str
    media: str | None = None
    frame: int | None = None
    digits: str | None = None


class DatasourceIndex:
    """Media and metadata files of one datasource, as plain data the GUI and checks share."""

    def __init__(self, media_root: Path, lightly_root: Path, extensions: Extensions):
        self.media_root = location(media_root)
        self.lightly_root = location(lightly_root)
        self.extensions = extensions
        self.images: list[str] = []
        self.videos: list[str] = []
        self.dirs: dict[str, tuple[list[str], list[str]]] = {"": ([], [])}
        self.frame_counts: dict[str, int | None] = {}
        self.metadata: dict[str, MetaFileInfo] = {}
        self.by_media: dict[str, str] = {}
        self.frame_files: dict[str, dict[int, str]] = {}
        self.orphans: list[str] = []
        self.collisions: dict[str, list[str]] = {}
        self._kinds: dict[str, str] = {}
        self._media_of_meta: dict[str, list[str]] = {}
        self._frame_candidates: dict[str, set[str]] = {}
        self._collision_findings: list[Finding] = []
        self._file_findings: dict[str, Finding] = {}  # orphan / frame-padding / frame-range
        self._video_findings: dict[str, Finding] = {}  # unreadable-video
        self._findings: list[Finding] | None = None
        #: Temporary files of atomic writes found by the scan (core.format.jsonio.remove_stale_temps).
        self.temp_files: list[str] = []
        #: Metadata rels that are links leading outside .lightly/metadata/ (never read or written).
        self.links_outside: set[str] = set()

    # --- building ------------------------------------------------------------------
    def _set_media(self, images: list[str], videos: list[str]) -> None:
        self.images, self.videos = images, videos
        self._kinds = {m: IMAGE for m in images}
        self._kinds.update((m, VIDEO) for m in videos)
        by_meta: dict[str, list[str]] = {}
        for m in images + videos:
            by_meta.setdefault(metadata_rel(m), []).append(m)
        self._media_of_meta = by_meta
        self.collisions = {rel: sorted(ms) for rel, ms in by_meta.items() if len(ms) > 1}
        self._collision_findings = []
        for rel, ms in sorted(self.collisions.items()):
            for m in ms:
                others = " and ".join(o for o in ms if o != m)
                msg = f"{m} and {others} map to the same metadata file {rel}: rename one of them"
                self._collision_findings.append(Finding(ERROR, "collision", rel, msg, media=m))
        self._findings = None

    def _classify(self, rel: str) -> MetaFileInfo:
        media = self._media_of_meta.get(rel)
        if media:
            for m in media:
                self.by_media[m] = rel
            return MetaFileInfo(rel, self._kinds[media[0]], media[0])
        fn = parse_frame_name(rel)
        if fn is not None:
            video = fn.video_rel()
            if self._kinds.get(video) == VIDEO:
                info = MetaFileInfo(rel, FRAME, video, fn.index, fn.digits)
                self._frame_candidates.setdefault(video, set()).add(rel)
                self._place_frame(info)
                return info
        bisect.insort(self.orphans, rel)
        msg = f"no media file for {rel}"
        self._file_findings[rel] = Finding(WARNING, "orphan", rel, msg)
        return MetaFileInfo(rel, ORPHAN)

    def _place_frame(self, info: MetaFileInfo) -> None:
        """File a frame candidate under its video, or report why its name is wrong."""
        video, index, digits = info.media, info.frame, info.digits
        n = self.frame_counts.get(video)
        if n is None:
            return  # count unknown: neither usable nor provably wrong
        if index >= n:
            msg = f"frame {index} is past the last frame of {video} ({n} frames)"
            self._file_findings[info.rel] = Finding(ERROR, "frame-range", info.rel, msg, media=video)
        elif len(digits) != len(str(n)):
            fix = frame_metadata_rel(video, index, n)
            msg = (
                f"frame number {digits!r} must have {len(str(n))} digits for a {n}-frame video:"
                f" name it {fix}"
            )
            finding = Finding(ERROR, "frame-padding", info.rel, msg, media=video, fix=fix)
            self._file_findings[info.rel] = finding
        else:
            self.frame_files.setdefault(video, {})[index] = info.rel

    # --- queries -------------------------------------------------------------------
    @property
    def findings(self) -> list[Finding]:
        """Scan-level findings: orphan, collision, frame-padding, frame-range, unreadable-video."""
        if self._findings is None:
            found = self._collision_findings + list(self._file_findings.values())
            found += self._video_findings.values()
            found.sort(key=lambda f: (f.file, f.code, f.media or ""))
            self._findings = found
        return self._findings

    def media_kind(self, rel: str) -> str | None:
        """"image", "video" or None when `rel` is not a media file of this datasource."""
        return self._kinds.get(rel)

    def sample(self, media_rel: str, frame: int | None = None) -> SampleRef:
        """The sample of an image, a video, or (with `frame`) a frame of a video of known length."""
        kind = self._kinds.get(media_rel)
        if kind is None:
            raise ValueError(f"{media_rel} is not a media file of this datasource")
        if frame is None:
            return SampleRef(media_rel, kind)
        if kind != VIDEO:
            raise ValueError(f"{media_rel} is not a video: it has no frames")
        n = self.frame_counts.get(media_rel)
        if n is None:
            raise ValueError(f"{media_rel}: frame count unknown")
        return SampleRef.frame_of(media_rel, frame, n)

    def samples(self, frames: bool = False) -> Iterator[SampleRef]:
        """Images, then videos, each video followed by its frames when `frames`."""
        for m in self.images:
            yield SampleRef(m, IMAGE)
        for v in self.videos:
            yield SampleRef(v, VIDEO)
            n = self.frame_counts.get(v) if frames else None
            for i in range(n or 0):
                yield SampleRef(v, FRAME, i, n)

    def n_samples(self, frames: bool = False) -> int:
        n = len(self.images) + len(self.videos)
        if frames:
            n += sum(c for c in self.frame_counts.values() if c)
        return n

    def has_own_file(self, sample: SampleRef) -> bool:
        """Whether the sample's metadata file exists (under its correct name)."""
        if sample.kind == FRAME:
            return self.frame_files.get(sample.media, {}).get(sample.frame) == sample.metadata_rel
        return sample.media in self.by_media

    def media_for_metadata(self, rel: str) -> list[str]:
        """The image/video files whose metadata file is `rel` (more than one: a collision)."""
        return list(self._media_of_meta.get(rel, ()))

    def video_files(self, video: str) -> list[str]:
        """Every metadata file named as a frame of `video`, misnamed ones included."""
        return sorted(self._frame_candidates.get(video, ()))

    # --- incremental updates ---------------------------------------------------------
    def set_frame_count(
        self, video: str, n: int | None, problem: str | None = None, severity: str = ERROR
    ) -> None:
        """Record `video`'s frame count and re-derive its frame files and their findings.

        `problem` (e.g. a decode failure) becomes its `unreadable-video` finding; a known
        count without a problem clears an earlier one.
        """
        if self._kinds.get(video) != VIDEO:
            raise ValueError(f"{video} is not a video of this datasource")
        self.frame_counts[video] = n
        self.frame_files.pop(video, None)
        candidates = sorted(self._frame_candidates.get(video, ()))
        for rel in candidates:
            self._file_findings.pop(rel, None)
        for rel in candidates:
            self._place_frame(self.metadata[rel])
        if problem is not None:
            self._video_findings[video] = Finding(
                severity, "unreadable-video", metadata_rel(video), f"{video}: {problem}", media=video
            )
        elif n is not None:
            self._video_findings.pop(video, None)
        self._findings = None

    def note_written(self, sample: SampleRef) -> None:
        """The sample's metadata file now exists on disk (after a save)."""
        rel = sample.metadata_rel
        if rel not in self.metadata:
            self.metadata[rel] = self._classify(rel)
            self._findings = None

    def note_removed(self, metadata_rel: str) -> None:
        """Metadata file `metadata_rel` was deleted from disk."""
        info = self.metadata.pop(metadata_rel, None)
        if info is None:
            return
        self._file_findings.pop(metadata_rel, None)
        if info.kind in (IMAGE, VIDEO):
            for m in self._media_of_meta.get(metadata_rel, ()):
                self.by_media.pop(m, None)
        elif info.kind == FRAME:
            self._frame_candidates.get(info.media, set()).discard(metadata_rel)
            files = self.frame_files.get(info.media)
            if files and files.get(info.frame) == metadata_rel:
                del files[info.frame]
                # Another (misnamed) candidate can't take its place: names are exact.
        else:
            i = bisect.bisect_left(self.orphans, metadata_rel)
            if i < len(self.orphans) and self.orphans[i] == metadata_rel:
                del self.orphans[i]
        self._findings = None

    def path_of_media(self, media_rel: str) -> Path:
        return self.media_root.joinpath(*media_rel.split("/"))


def _check_root(root: Path | BucketPath, what: str) -> None:
    if isinstance(root, BucketPath):
        check_bucket_folder(root, what)
    else:
        check_folder(root, what)


def _note_links(index: DatasourceIndex, media_links: list[str], meta_links: list[str]) -> None:
    """Links out of the roots as findings: metadata behind one is never read nor written."""
    index.links_outside.update(meta_links)
    for rel in meta_links:
        msg = f"{rel} is a link that leads outside .lightly/metadata/: not read, never written through"
        media = index.media_for_metadata(rel)
        index._file_findings[rel] = Finding(ERROR, LINK_OUTSIDE, rel, msg, media=media[0] if media else None)
    for m in media_links:
        msg = (f"{m} is a link that leads outside the media folder: Lightly may not be able to "
               "follow it")
        rel = metadata_rel(m) if index.media_kind(m) else m + "/"
        index._file_findings.setdefault(rel, Finding(WARNING, LINK_OUTSIDE, rel, msg, media=m))
    index._findings = None


def scan(
    media_root: str | Path,
    lightly_root: str | Path | None = None,
    extensions: Extensions | None = None,
    frame_cache=None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> DatasourceIndex:
    """Index a datasource: walk the media, count frames quickly, classify metadata files.

    Raises DatasourceError when a root cannot be opened, Cancelled when `cancel()` is true.
    Frame counts here are packet counts (or cached decoded counts); see core.video.counting.
    """
    media_root = location(media_root)
    lroot = location(lightly_root) if lightly_root is not None else media_root
    _check_root(media_root, "folder")
    if lightly_root is not None:
        _check_root(lroot, "Lightly root folder")
    index = DatasourceIndex(media_root, lroot, extensions or Extensions.default())
    meta_rels = None
    media_links: list[str] = []
    try:
        if isinstance(media_root, BucketPath):  # one listing gives the media and, same root, metadata
            same = lroot == media_root
            tree, meta_rels = list_bucket_root(media_root, index.extensions, same, progress, cancel)
        else:
            tree = walk_media(media_root, index.extensions, progress, cancel, outside=media_links)
    except PermissionError:
        raise DatasourceError(f"{media_root}: permission denied") from None
    index._set_media(tree.images, tree.videos)
    index.dirs = tree.dirs
    total = len(index.videos)
    for i, v in enumerate(index.videos):
        check_cancel(cancel)
        if progress is not None:
            progress(i, total, f"reading video {i + 1}/{total}: {v}")
        try:
            index.frame_counts[v] = video_mod.quick_frame_count(index.path_of_media(v), cache=frame_cache)
        except video_mod.VideoReadError as e:
            index.frame_counts[v] = None
            index.set_frame_count(v, None, problem=getattr(e, "reason", str(e)))
    meta_links: list[str] = []
    if meta_rels is None:
        if isinstance(lroot, BucketPath):
            meta_rels = list_bucket_metadata(lroot, progress, cancel)
        else:
            meta_rels = walk_metadata(lroot, cancel, outside=meta_links, temps=index.temp_files)
    for rel in meta_rels:
        index.metadata[rel] = index._classify(rel)
    _note_links(index, media_links, meta_links)
    if progress is not None:
        progress(total, total, f"indexed {len(index.images)} images, {total} videos")
    return index
