"""The order an annotator walks through a datasource: next/previous, next without a file, with problems.

The order is the file tree's: folders depth-first, in each folder its sub-folders first,
then its media files (images and videos), all sorted by name (`DatasourceIndex.dirs`).
Frames are part of the walk only for the video the annotator is in: when the current
sample is a frame of video V, the walk is `…, V, V frame 0, …, V frame n-1, <media after V>, …`
(as if V were expanded in the tree and every other video collapsed). From a whole video
or an image, videos are stepped over as single samples. Every walk wraps around at the end
(or the start, going back) and says so in `Step.wrapped`.

The media order is computed once per index (linear in its size) and cached; a step is
O(1) and a search is linear in the samples it passes, never a rebuild of the whole list.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from core.format.naming import FRAME, VIDEO
from core.format.samples import SampleRef

__all__ = ["NavigationOrder", "Step", "next_sample", "next_with_problems", "next_without_metadata"]


@dataclass(frozen=True)
class Step:
    """Where a navigation step lands: `sample` (None when nothing matched) and whether it wrapped."""

    sample: SampleRef | None
    wrapped: bool = False


class NavigationOrder:
    """The media files of an index in tree order, with each one's position."""

    _cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __init__(self, index):
        self.index = index
        self.media: list[str] = _tree_order(index.dirs)
        self.position: dict[str, int] = {m: i for i, m in enumerate(self.media)}

    @classmethod
    def of(cls, index) -> NavigationOrder:
        """The order of `index`, computed on first use and kept as long as the index lives."""
        order = cls._cache.get(index)
        if order is None or len(order.media) != len(index.images) + len(index.videos):
            order = cls(index)
            cls._cache[index] = order
        return order

    def number(self, sample: SampleRef) -> int | None:
        """1-based position of the sample's media file in the order ("file 12 of 340")."""
        pos = self.position.get(sample.media)
        return None if pos is None else pos + 1

    def _frames(self, video: str, current: SampleRef | None) -> int:
        """Frame count of the expanded video (the index's, else the current frame's)."""
        n = self.index.frame_counts.get(video)
        if n is None and current is not None and current.kind == FRAME and current.media == video:
            n = current.n_frames
        return n or 0

    def _sample(self, pos: int, frame: int | None, n: int) -> SampleRef:
        media = self.media[pos]
        if frame is not None:
            return SampleRef(media, FRAME, frame, n)
        return SampleRef(media, self.index.media_kind(media) or VIDEO)

    def walk(self, current: SampleRef | None, step: int = 1) -> Iterator[tuple[SampleRef, bool]]:
        """Every sample once, starting next to `current` in direction `step` (+1/-1), wrapping.

        Yields (sample, wrapped); `current` itself is not yielded. Without a current sample
        (or one not in the index) forward starts at the first sample, backward at the last.
        """
        total = len(self.media)
        if total == 0:
            return
        forward = step > 0
        pos = self.position.get(current.media) if current is not None else None
        in_frames = current is not None and current.kind == FRAME and pos is not None
        expanded = current.media if in_frames else None
        n = self._frames(expanded, current) if expanded else 0
        count = total + n
        if pos is None:
            pos, frame, remaining = (-1 if forward else total), None, count
        else:
            frame = current.frame if expanded else None
            if frame is not None and frame >= n:  # the count changed: clamp to the last frame
                frame = n - 1 if n else None
            remaining = count - 1
        wrapped = False
        for _ in range(remaining):
            if forward:
                if expanded is not None and 0 <= pos < total and self.media[pos] == expanded and (
                    (frame is None and n > 0) or (frame is not None and frame < n - 1)
                ):
                    frame = 0 if frame is None else frame + 1
                else:
                    pos, frame = pos + 1, None
                    if pos == total:
                        pos, wrapped = 0, True
            else:
                if frame is not None:
                    frame = frame - 1 if frame > 0 else None
                else:
                    pos -= 1
                    if pos < 0:
                        pos, wrapped = total - 1, True
                    if expanded is not None and self.media[pos] == expanded and n > 0:
                        frame = n - 1
            yield self._sample(pos, frame, n), wrapped


def _tree_order(dirs: dict[str, tuple[list[str], list[str]]]) -> list[str]:
    """Media paths depth-first: each folder's sub-folders (recursively), then its files."""
    out: list[str] = []
    stack: list[tuple[str, int]] = [("", 0)]  # (folder, next sub-folder to visit)
    while stack:
        folder, i = stack.pop()
        subs, files = dirs.get(folder, ([], []))
        if i < len(subs):
            stack.append((folder, i + 1))
            stack.append((f"{folder}/{subs[i]}" if folder else subs[i], 0))
            continue
        prefix = f"{folder}/" if folder else ""
        out.extend(prefix + name for name in files)
    return out


def _first(index, current: SampleRef | None, step: int, accept: Callable[[SampleRef], bool]) -> Step:
    for sample, wrapped in NavigationOrder.of(index).walk(current, 1 if step > 0 else -1):
        if accept(sample):
            return Step(sample, wrapped)
    return Step(None, False)


def next_sample(index, current: SampleRef | None, step: int = 1) -> Step:
    """The sample `step` places after `current` (negative: before), wrapping around."""
    if step == 0:
        return Step(current, False)
    walk = NavigationOrder.of(index).walk(current, step)
    found = Step(None, False)
    wrapped = False
    for _, (sample, w) in zip(range(abs(step)), walk):
        wrapped = wrapped or w
        found = Step(sample, wrapped)
    return found


def next_without_metadata(
    index, current: SampleRef | None, has_own_file: Callable[[SampleRef], bool] | None = None, step: int = 1
) -> Step:
    """The next sample (in direction `step`) that has no metadata file of its own.

    `has_own_file` defaults to the index's view of the disk; the GUI passes one that also
    counts files created in the editor but not saved yet.
    """
    check = has_own_file or index.has_own_file
    return _first(index, current, step, lambda s: not check(s))


def next_with_problems(
    index, current: SampleRef | None, has_problems: Callable[[SampleRef], bool], step: int = 1
) -> Step:
    """The next sample (in direction `step`) for which `has_problems(sample)` is true."""
    return _first(index, current, step, has_problems)
