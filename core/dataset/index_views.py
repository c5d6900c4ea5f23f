"""Read-only mappings over the columns of a DatasourceIndex, the shape its callers know.

`index.metadata` (rel -> MetaFileInfo), `index.by_media` (media -> its metadata rel) and
`index.frame_files` (video -> {frame: rel}) used to be dicts holding a Python object per
file; these views build each value on access from the index's arrays instead.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from core.dataset.columns import HashIndex, StrColumn, StrView

__all__ = ["ByMediaView", "DirsView", "FrameFilesView", "MetaFileInfo", "MetadataView"]


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


class MetadataView(Mapping):
    """Every metadata file of the index: rel -> MetaFileInfo, in the order the scan found them
    (sorted), then the files noted since."""

    __slots__ = ("_ix",)

    def __init__(self, index):
        self._ix = index

    def __getitem__(self, rel: str) -> MetaFileInfo:
        row = self._ix._row_of(rel)
        if row is None:
            raise KeyError(rel)
        return self._ix._info(row, rel)

    def __contains__(self, rel) -> bool:
        return isinstance(rel, str) and self._ix._row_of(rel) is not None

    def get(self, rel, default=None):
        row = self._ix._row_of(rel) if isinstance(rel, str) else None
        return default if row is None else self._ix._info(row, rel)

    def __len__(self) -> int:
        return self._ix._n_alive

    def __iter__(self) -> Iterator[str]:
        for _row, rel in self._ix._alive_rows():
            yield rel

    def items(self):
        ix = self._ix
        return ((rel, ix._info(row, rel)) for row, rel in ix._alive_rows())

    def __repr__(self) -> str:
        return f"MetadataView({len(self)} files)"


class ByMediaView(Mapping):
    """Media files that have their own metadata file: media rel -> metadata rel."""

    __slots__ = ("_ix",)

    def __init__(self, index):
        self._ix = index

    def __getitem__(self, media: str) -> str:
        ix = self._ix
        m = ix.media_id(media) if isinstance(media, str) else None
        row = -1 if m is None else ix._own[m]
        if row < 0:
            raise KeyError(media)
        return ix._rel_at(row)

    def __contains__(self, media) -> bool:
        m = self._ix.media_id(media) if isinstance(media, str) else None
        return m is not None and self._ix._own[m] >= 0

    def __len__(self) -> int:
        own = self._ix._own
        return len(own) - own.count(-1)

    def __iter__(self) -> Iterator[str]:
        ix = self._ix
        for media, row in zip(ix.media, ix._own):
            if row >= 0:
                yield media


class FrameFilesView(Mapping):
    """Videos with frame files under their exact names: video -> {frame index: metadata rel}."""

    __slots__ = ("_ix",)

    def __init__(self, index):
        self._ix = index

    def _files(self, v: int) -> dict[int, str]:
        ix = self._ix
        rows = [r for r in ix._cands.get(v, ()) if ix._placed[r]]
        return {ix._frame[r]: ix._rel_at(r) for r in sorted(rows, key=ix._frame.__getitem__)}

    def __getitem__(self, video: str) -> dict[int, str]:
        v = self._ix.media_id(video) if isinstance(video, str) else None
        files = self._files(v) if v is not None else {}
        if not files:
            raise KeyError(video)
        return files

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __iter__(self) -> Iterator[str]:
        ix = self._ix
        for v in sorted(ix._cands):
            if any(ix._placed[r] for r in ix._cands[v]):
                yield ix.media[v]


class DirsView(Mapping):
    """folder rel ("" = root) -> (sorted sub-folder names, sorted media names), as the walk gives.

    Three StrColumns (folders, every folder's sub-folder names, every folder's file names) and
    offsets: a handful of objects however many folders, so nothing small allocated during the
    walk outlives it (each such object would pin an allocator arena of the walk's names).
    """

    def __init__(self, dirs: dict[str, tuple[list[str], list[str]]]):
        self._folders = StrColumn(list(dirs))
        self._subs = StrColumn([s for subs, _ in dirs.values() for s in subs])
        self._files = StrColumn([f for _, files in dirs.values() for f in files])
        sub_at, file_at = [0], [0]
        for subs, files in dirs.values():
            sub_at.append(sub_at[-1] + len(subs))
            file_at.append(file_at[-1] + len(files))
        self._sub_at, self._file_at = array("q", sub_at), array("q", file_at)
        self._build_lookup()

    def _build_lookup(self) -> None:
        self._ix = HashIndex(self._folders, len(self._folders))

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_ix"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._build_lookup()

    def _find(self, rel: str) -> int | None:
        key = rel.encode("utf-8", "surrogatepass")
        for i in self._ix.candidates(rel):
            if self._folders.is_at(i, key):
                return i
        return None

    def __getitem__(self, rel: str) -> tuple[StrView, StrView]:
        i = self._find(rel) if isinstance(rel, str) else None
        if i is None:
            raise KeyError(rel)
        return (self._subs.view(self._sub_at[i], self._sub_at[i + 1]),
                self._files.view(self._file_at[i], self._file_at[i + 1]))

    def __contains__(self, rel) -> bool:
        return isinstance(rel, str) and self._find(rel) is not None

    def __len__(self) -> int:
        return len(self._folders)

    def __iter__(self) -> Iterator[str]:
        return iter(self._folders)

    def nbytes(self) -> int:
        return (self._folders.nbytes() + self._subs.nbytes() + self._files.nbytes() + self._ix.nbytes()
                + 8 * (len(self._sub_at) + len(self._file_at)))
