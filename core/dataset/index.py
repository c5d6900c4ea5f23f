"""The datasource index: which media exist, which metadata files belong to which sample.

`scan()` walks both roots once and classifies every metadata file (a media file's,
a frame's, or an orphan), in time linear in the number of files. The index is then
updated incrementally (`set_frame_count`, `note_written`, `note_removed`) instead of
rescanned after each save.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator
from pathlib import Path

from core.dataset.bucket_walk import check_bucket_folder, list_bucket_metadata, list_bucket_root
from core.dataset.columns import HashIndex, StrColumn, release_free_memory
from core.dataset.index_columns import _K_FRAME, _K_IMAGE, _K_ORPHAN, _K_VIDEO, _MAX_I32, ORPHAN, IndexColumns
from core.dataset.index_views import DirsView, MetaFileInfo
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


class DatasourceIndex(IndexColumns):
    """Media and metadata files of one datasource, as plain data the GUI and checks share.

    Stored by column (core.dataset.index_columns), ~150 bytes per file with its metadata
    file; `metadata`, `by_media` and `frame_files` are read-only mapping views of them.
    """

    def __init__(self, media_root: Path, lightly_root: Path, extensions: Extensions):
        self.media_root = location(media_root)
        self.lightly_root = location(lightly_root)
        self.extensions = extensions
        #: folder rel ("" = root) -> (sorted sub-folders with media below, sorted media names)
        self.dirs: dict = {"": ([], [])}
        self.frame_counts: dict[str, int | None] = {}
        self.orphans: list[str] = []
        self.collisions: dict[str, list[str]] = {}
        IndexColumns.__init__(self)
        self._collision_findings: list[Finding] = []
        self._file_findings: dict[str, Finding] = {}  # orphan / frame-padding / frame-range
        self._video_findings: dict[str, Finding] = {}  # unreadable-video
        self._findings: list[Finding] | None = None
        #: Temporary files of atomic writes found by the scan (core.format.jsonio.remove_stale_temps).
        self.temp_files: list[str] = []
        #: Metadata rels that are links leading outside .lightly/metadata/ (never read or written).
        self.links_outside: set[str] = set()

    # --- building ------------------------------------------------------------------
    def _set_media(self, images, videos) -> None:
        self.media = StrColumn([*images, *videos])
        self.n_images = len(images)
        self._own = array("i", [-1]) * len(self.media)
        self._build_lookups()
        media = self.media
        groups = self._media_ix.duplicates(lambda m: metadata_rel(media[m]))
        self.collisions = {metadata_rel(media[g[0]]): sorted(media[m] for m in g) for g in groups}
        self._collision_findings = []
        for rel, ms in sorted(self.collisions.items()):
            for m in ms:
                others = " and ".join(o for o in ms if o != m)
                msg = f"{m} and {others} map to the same metadata file {rel}: rename one of them"
                self._collision_findings.append(Finding(ERROR, "collision", rel, msg, media=m))
        self._findings = None

    def _set_metadata(self, rels: list[str]) -> None:
        """The scan's metadata files (sorted, unique): one row each, classified."""
        n = self._n_base = len(rels)
        self._is_sorted = all(a < b for a, b in zip(rels, rels[1:]))
        self._extra, self._extra_row = [], {}
        self._kind, self._placed = bytearray(n), bytearray(n)
        self._alive = bytearray(b"\1") * n
        self._mid, self._frame = array("i", [-1]) * n, array("i", [-1]) * n
        self._n_alive = n
        for row, rel in enumerate(rels):
            self._classify(row, rel)
        kind = self._kind
        self._other_rows = array("i", (row for row in range(n) if kind[row] > _K_VIDEO))
        self._rels = StrColumn([rels[row] for row in self._other_rows])
        self._rel_ix = HashIndex(self._rels, len(self._rels))
        self._findings = None

    def _add_row(self, rel: str) -> None:
        row = self._n_base + len(self._extra)
        self._extra.append(rel)
        self._extra_row[rel] = row
        self._kind.append(_K_ORPHAN)
        self._placed.append(0)
        self._alive.append(1)
        self._mid.append(-1)
        self._frame.append(-1)
        self._n_alive += 1
        self._classify(row, rel)
        self._findings = None

    def _classify(self, row: int, rel: str) -> None:
        media = self._media_ids_of_meta(rel)
        if media:
            for m in media:
                self._own[m] = row
            self._kind[row] = _K_IMAGE if media[0] < self.n_images else _K_VIDEO
            self._mid[row] = media[0]
            return
        fn = parse_frame_name(rel)
        if fn is not None:
            v = self.media_id(fn.video_rel())
            if v is not None and v >= self.n_images:
                self._kind[row], self._mid[row] = _K_FRAME, v
                self._frame[row] = min(fn.index, _MAX_I32)
                self._cands.setdefault(v, array("i")).append(row)
                self._place_frame(row, rel)
                return
        self._kind[row] = _K_ORPHAN
        bisect.insort(self.orphans, rel)
        self._file_findings[rel] = Finding(WARNING, "orphan", rel, f"no media file for {rel}")

    def _place_frame(self, row: int, rel: str) -> None:
        """File a frame candidate under its video, or report why its name is wrong."""
        self._placed[row] = 0
        video = self.media[self._mid[row]]
        fn = parse_frame_name(rel)
        index, digits = fn.index, fn.digits
        n = self.frame_counts.get(video)
        if n is None:
            return  # count unknown: neither usable nor provably wrong
        if index >= n:
            msg = f"frame {index} is past the last frame of {video} ({n} frames)"
            self._file_findings[rel] = Finding(ERROR, "frame-range", rel, msg, media=video)
        elif len(digits) != len(str(n)):
            fix = frame_metadata_rel(video, index, n)
            msg = (
                f"frame number {digits!r} must have {len(str(n))} digits for a {n}-frame video:"
                f" name it {fix}"
            )
            self._file_findings[rel] = Finding(ERROR, "frame-padding", rel, msg, media=video, fix=fix)
        else:
            self._placed[row] = 1

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
        m = self.media_id(rel)
        if m is None:
            return None
        return IMAGE if m < self.n_images else VIDEO

    def sample(self, media_rel: str, frame: int | None = None) -> SampleRef:
        """The sample of an image, a video, or (with `frame`) a frame of a video of known length."""
        kind = self.media_kind(media_rel)
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
        n = len(self.media)
        if frames:
            n += sum(c for c in self.frame_counts.values() if c)
        return n

    def has_own_file(self, sample: SampleRef) -> bool:
        """Whether the sample's metadata file exists (under its correct name)."""
        if sample.kind == FRAME:
            row = self._row_of(sample.metadata_rel)
            return row is not None and bool(self._placed[row]) and self._frame[row] == sample.frame
        m = self.media_id(sample.media)
        return m is not None and self._own[m] >= 0

    def media_for_metadata(self, rel: str) -> list[str]:
        """The image/video files whose metadata file is `rel` (more than one: a collision)."""
        return [self.media[m] for m in self._media_ids_of_meta(rel)]

    def video_files(self, video: str) -> list[str]:
        """Every metadata file named as a frame of `video`, misnamed ones included."""
        v = self.media_id(video)
        return sorted(self._rel_at(r) for r in self._cands.get(v, ())) if v is not None else []

    # --- incremental updates ---------------------------------------------------------
    def set_frame_count(
        self, video: str, n: int | None, problem: str | None = None, severity: str = ERROR
    ) -> None:
        """Record `video`'s frame count and re-derive its frame files and their findings.

        `problem` (e.g. a decode failure) becomes its `unreadable-video` finding; a known
        count without a problem clears an earlier one.
        """
        v = self.media_id(video)
        if v is None or v < self.n_images:
            raise ValueError(f"{video} is not a video of this datasource")
        self.frame_counts[video] = n
        rows = sorted(self._cands.get(v, ()), key=self._rel_at)
        for row in rows:
            self._file_findings.pop(self._rel_at(row), None)
        for row in rows:
            self._place_frame(row, self._rel_at(row))
        if problem is not None:
            self._video_findings[video] = Finding(
                severity, "unreadable-video", metadata_rel(video), f"{video}: {problem}", media=video
            )
        elif n is not None:
            self._video_findings.pop(video, None)
        self._findings = None

    def note_written(self, sample: SampleRef) -> None:
        """The sample's metadata file now exists on disk (after a save)."""
        self.note_file(sample.metadata_rel)

    def note_file(self, rel: str) -> None:
        """Metadata file `rel` now exists on disk: classify it as the scan would have."""
        if self._row_of(rel) is None:
            self._add_row(rel)

    def note_removed(self, metadata_rel: str) -> None:
        """Metadata file `metadata_rel` was deleted from disk."""
        row = self._row_of(metadata_rel)
        if row is None:
            return
        self._alive[row] = 0
        self._n_alive -= 1
        self._file_findings.pop(metadata_rel, None)
        kind = self._kind[row]
        if kind in (_K_IMAGE, _K_VIDEO):
            for m in self._media_ids_of_meta(metadata_rel):
                if self._own[m] == row:
                    self._own[m] = -1
        elif kind == _K_FRAME:
            rows = self._cands.get(self._mid[row])
            if rows is not None and row in rows:
                rows.remove(row)
            self._placed[row] = 0  # another (misnamed) candidate can't take its place: names are exact
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
    index.dirs = DirsView(tree.dirs)
    del tree
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
    index._set_metadata(meta_rels)
    del meta_rels
    _note_links(index, media_links, meta_links)
    release_free_memory()  # the walk's lists of names are gone
    if progress is not None:
        progress(total, total, f"indexed {len(index.images)} images, {total} videos")
    return index
