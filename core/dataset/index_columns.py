"""The columns of a DatasourceIndex and the lookups over them (core.dataset.index builds them).

Media paths (images, then videos, each sorted) in one StrColumn; per metadata file (a
*row*) its path, a kind code, its media's id, its frame number and whether it is live; per
media the row of its own file. Files noted after the scan are appended as rows, a removed
file's row is marked dead. Lookups go through hash tables (core.dataset.columns).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator

from core.dataset.columns import ENCODING, HashIndex, StrColumn, StrView
from core.dataset.index_views import ByMediaView, FrameFilesView, MetadataView, MetaFileInfo
from core.format.naming import FRAME, IMAGE, VIDEO, metadata_rel, parse_frame_name

ORPHAN = "orphan"
_KINDS = (IMAGE, VIDEO, FRAME, ORPHAN)  # the kind codes of metadata rows
_K_IMAGE, _K_VIDEO, _K_FRAME, _K_ORPHAN = range(4)
_MAX_I32 = 2**31 - 1


class IndexColumns:
    """Per-file state of the index as arrays; `metadata`, `by_media`, `frame_files` view it."""

    def __init__(self):
        self.media = StrColumn()  # images, then videos
        self.n_images = 0
        self._own = array("i")  # per media: the row of its own metadata file, or -1
        # Rows found by the scan are 0.._n_base-1; a media's file keeps no path (it is the media's
        # metadata_rel); the other rows' paths (frames, orphans) are in `_rels`, at their rank in
        # `_other_rows`. Rows noted later keep their path in `_extra`.
        self._n_base = 0
        self._is_sorted = True  # whether the scan's rows are in sorted order (a walk's are)
        self._rels = StrColumn()
        self._other_rows = array("i")
        self._extra: list[str] = []
        self._extra_row: dict[str, int] = {}
        self._kind = bytearray()  # per row: a code into _KINDS
        self._mid = array("i")  # per row: the media id (the video of a frame), or -1
        self._frame = array("i")  # per row: a frame's number (capped at 2**31-1), or -1
        self._alive = bytearray()  # per row: 1 while the file exists
        self._placed = bytearray()  # per row: 1 for a frame file under its exact name
        self._n_alive = 0
        self._cands: dict[int, array] = {}  # video id -> rows named as its frames (misnamed too)
        self._build_lookups()

    # --- columns -----------------------------------------------------------------------
    def _build_lookups(self) -> None:
        media, n = self.media, len(self.media)
        # One table serves both lookups: media by name, media by metadata file (a collision is
        # two media with one key), keyed on the metadata rel.
        self._media_ix = HashIndex((metadata_rel(m) for m in media), n)
        self._rel_ix = HashIndex(self._rels, len(self._rels))

    def __getstate__(self) -> dict:  # str hashes are per process: rebuilt after unpickling
        state = self.__dict__.copy()
        for key in ("_media_ix", "_rel_ix"):
            state.pop(key)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._build_lookups()

    @property
    def images(self) -> StrView:
        return self.media.view(0, self.n_images)

    @property
    def videos(self) -> StrView:
        return self.media.view(self.n_images, len(self.media))

    @property
    def metadata(self) -> MetadataView:
        """rel -> MetaFileInfo of every metadata file (read-only; see note_written/note_removed)."""
        return MetadataView(self)

    @property
    def by_media(self) -> ByMediaView:
        """media rel -> its metadata file's rel, for media that have one."""
        return ByMediaView(self)

    @property
    def frame_files(self) -> FrameFilesView:
        """video -> {frame index: rel} of frame files under their exact (correctly padded) names."""
        return FrameFilesView(self)

    def media_id(self, rel: str) -> int | None:
        """Position of a media file in `media` (images first), or None."""
        media, key = self.media, rel.encode("utf-8", ENCODING)
        dot = rel.rfind(".")  # a media name's metadata_rel, quickly (other names are not found anyway)
        meta = (rel[:dot] + ".json") if dot > 0 and "\\" not in rel else metadata_rel(rel)
        for m in self._media_ix.candidates(meta):
            if media.is_at(m, key):
                return m
        return None

    def _media_ids_of_meta(self, rel: str) -> list[int]:
        media = self.media
        found = list(self._media_ix.candidates(rel))
        if not found:
            return found
        if "\\" not in rel and rel.endswith(".json"):  # compare bytes; decode only names with a "\\"
            stem = rel[:-5].encode("utf-8", ENCODING)
            found = [m for m in found if media.is_stem_at(m, stem)
                     or (media.has_byte(m, b"\\") and metadata_rel(media[m]) == rel)]
        else:
            found = [m for m in found if metadata_rel(media[m]) == rel]
        found.sort()
        return found

    def _rel_at(self, row: int) -> str:
        if row >= self._n_base:
            return self._extra[row - self._n_base]
        if self._kind[row] <= _K_VIDEO:
            return metadata_rel(self.media[self._mid[row]])
        return self._rels[bisect.bisect_left(self._other_rows, row)]

    def _row_of(self, rel: str) -> int | None:
        media = self._media_ids_of_meta(rel)
        if media:  # a media's own file: always classified as the media's
            row = self._own[media[0]]
            return row if row >= 0 else None
        row = self._extra_row.get(rel)
        if row is not None and self._alive[row]:
            return row
        key = rel.encode("utf-8", ENCODING)
        for k in self._rel_ix.candidates(rel):
            if self._rels.is_at(k, key):
                row = self._other_rows[k]
                return row if self._alive[row] else None
        return None

    def _alive_rows(self) -> Iterator[tuple[int, str]]:
        alive, kind, mid, media = self._alive, self._kind, self._mid, self.media
        others = iter(self._rels)
        for row in range(self._n_base):
            if kind[row] <= _K_VIDEO:
                if alive[row]:
                    yield row, metadata_rel(media[mid[row]])
            else:
                rel = next(others)
                if alive[row]:
                    yield row, rel
        n = self._n_base
        for k, rel in enumerate(self._extra):
            if alive[n + k]:
                yield n + k, rel

    def sorted_rels(self) -> Iterator[str]:
        """Every metadata file's rel in sorted order, without a list of them all when the files
        found by the scan (sorted already) are all there is."""
        if self._n_base and (not self._is_sorted or self._extra):
            yield from sorted(rel for _, rel in self._alive_rows())
            return
        for _, rel in self._alive_rows():
            yield rel

    def sorted_items(self) -> Iterator[tuple[str, MetaFileInfo]]:
        """(rel, MetaFileInfo) of every metadata file in sorted order of the rels, without
        looking each one up (the scan's rows are in that order already)."""
        if self._n_base and (not self._is_sorted or self._extra):
            for rel, row in sorted((rel, row) for row, rel in self._alive_rows()):
                yield rel, self._info(row, rel)
            return
        for row, rel in self._alive_rows():
            yield rel, self._info(row, rel)

    def _info(self, row: int, rel: str) -> MetaFileInfo:
        kind = _KINDS[self._kind[row]]
        if kind == ORPHAN:
            return MetaFileInfo(rel, ORPHAN)
        media = self.media[self._mid[row]]
        if kind != FRAME:
            return MetaFileInfo(rel, kind, media)
        fn = parse_frame_name(rel)
        return MetaFileInfo(rel, FRAME, media, fn.index, fn.digits)

    def nbytes(self) -> int:
        """Bytes of the per-file columns (the small dicts of findings, orphans... not counted)."""
        arrays = (self._own, self._mid, self._frame, self._other_rows)
        return (self.media.nbytes() + self._rels.nbytes() + sum(a.itemsize * len(a) for a in arrays)
                + len(self._kind) + len(self._alive) + len(self._placed) + self._media_ix.nbytes()
                + self._rel_ix.nbytes()
                + (self.dirs.nbytes() if hasattr(self.dirs, "nbytes") else 0))

