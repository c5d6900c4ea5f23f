"""A selection of samples as media ids of a DatasourceIndex (and the few frames), in order.

Ctrl+A in the file tree selects 100k files: the form, the header and the dataset table read
them as one int array; a SampleRef is made only when one is asked for. `folder_media_ids`
finds the ids of a folder's files with a few lookups, not one per file.

Imports core.format and numpy only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from core.format.naming import FRAME, IMAGE, VIDEO
from core.format.samples import LazySamples, SampleRef


class IndexSamples(LazySamples):
    """Samples of `index`: `ids[i]` is a media id (images, then videos), or -(k + 1) for
    `frames[k]`. Equal to a list of the same SampleRefs; made only when one is asked for."""

    def __init__(self, index, ids: np.ndarray, frames: list[SampleRef]):
        self.index, self.ids, self.frames = index, np.asarray(ids, dtype=np.int64), frames

    @classmethod
    def join(cls, index, parts: Iterable[np.ndarray | list[SampleRef]]) -> IndexSamples:
        """Parts in order: arrays of media ids, or lists of frames."""
        arrays, frames = [], []
        for part in parts:
            if isinstance(part, np.ndarray):
                arrays.append(part.astype(np.int64, copy=False))
            elif part:
                arrays.append(-1 - np.arange(len(frames), len(frames) + len(part), dtype=np.int64))
                frames.extend(part)
        return cls(index, np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64), frames)

    def __len__(self) -> int:
        return len(self.ids)

    def _sample(self, i: int) -> SampleRef:
        if i < 0:
            return self.frames[-1 - i]
        return SampleRef(self.index.media[i], IMAGE if i < self.index.n_images else VIDEO)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._sample(int(k)) for k in self.ids[i]]
        return self._sample(int(self.ids[i]))

    def __iter__(self) -> Iterator[SampleRef]:
        return (self._sample(int(k)) for k in self.ids)

    def __contains__(self, sample) -> bool:
        if not isinstance(sample, SampleRef):
            return False
        if sample.kind == FRAME:
            return sample in self.frames
        m = self.index.media_id(sample.media)
        return m is not None and bool((self.media_ids() == m).any())

    def __eq__(self, other) -> bool:
        if isinstance(other, IndexSamples):
            return other.index is self.index and np.array_equal(other.ids, self.ids) \
                and other.frames == self.frames
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and list(other) == list(self)
        return NotImplemented

    __hash__ = None

    def same_set(self, other) -> bool:
        """Whether `other` holds the same samples, in any order (without making them if it is
        IndexSamples of the same index too)."""
        if isinstance(other, IndexSamples) and other.index is self.index:
            return len(other) == len(self) and np.array_equal(np.sort(other.media_ids()),
                                                              np.sort(self.media_ids())) \
                and set(other.frames) == set(self.frames)
        return super().same_set(other)

    def media_ids(self) -> np.ndarray:
        """The ids of the images and videos selected, in order (no frames)."""
        return self.ids[self.ids >= 0] if self.frames else self.ids

    def kinds(self) -> set[str]:
        ids, kinds = self.media_ids(), set()
        if (ids < self.index.n_images).any():
            kinds.add(IMAGE)
        if (ids >= self.index.n_images).any():
            kinds.add(VIDEO)
        if self.frames:
            kinds.add(FRAME)
        return kinds

    def existing(self, index=None, frame_limit: int = 2000) -> int | None:
        """How many of the samples have their own metadata file: the images and videos from the
        index's column at once, frames one by one (None past `frame_limit` frames)."""
        if len(self.frames) > frame_limit:
            return None
        own = np.frombuffer(self.index._own, dtype=np.int32)
        return int((own[self.media_ids()] >= 0).sum()) + sum(self.index.has_own_file(f) for f in self.frames)

    def count_files(self, rels: Iterable[str]) -> int:
        """How many selected samples have one of these (few) metadata files as their own."""
        rels = set(rels)
        if not rels:
            return 0
        hit = [m for rel in rels for m in self.index._media_ids_of_meta(rel)]
        n = int(np.isin(self.media_ids(), np.asarray(hit, dtype=np.int64)).sum()) if hit else 0
        return n + sum(f.metadata_rel in rels for f in self.frames)

    def first(self, sample: SampleRef) -> IndexSamples:
        """The same samples with `sample` (one of them) moved to the front."""
        where = np.flatnonzero(self.ids == self._id_of(sample)) if sample in self else []
        if not len(where) or where[0] == 0:
            return self
        i = where[0]
        ids = np.concatenate([self.ids[i : i + 1], self.ids[:i], self.ids[i + 1 :]])
        return IndexSamples(self.index, ids, self.frames)

    def _id_of(self, sample: SampleRef) -> int:
        if sample.kind == FRAME:
            return -1 - self.frames.index(sample)
        return self.index.media_id(sample.media)


def folder_media_ids(media_id, rel_at, n: int) -> np.ndarray | None:
    """The media ids of `rel_at(0..n-1)` — files of one folder, in name order, all images or all videos:
    their ids increase, and a run of them without other files between is a run of ids. So a
    run is found from its ends (two lookups) and split only where other files sort between:
    a few lookups per folder instead of one per file. None when one of them is not found."""
    out = np.empty(n, dtype=np.int64)
    todo = [(0, n - 1)] if n else []
    known: dict[int, int | None] = {}

    def lookup(i: int) -> int | None:
        if i not in known:
            known[i] = media_id(rel_at(i))
        return known[i]

    while todo:
        lo, hi = todo.pop()
        a, b = lookup(lo), lookup(hi)
        if a is None or b is None:
            return None
        mid = (lo + hi) // 2
        if b - a == hi - lo and (hi - lo < 2 or lookup(mid) == a + mid - lo):  # (checked inside too)
            out[lo : hi + 1] = np.arange(a, b + 1)
        elif hi - lo < 2:
            out[lo], out[hi] = a, b
        else:
            todo.extend(((lo, mid), (mid + 1, hi)))
    return out
