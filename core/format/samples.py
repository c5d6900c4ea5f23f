"""What a row of the dataset is: an image, a whole video, or one frame of a video."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.format.naming import FRAME, IMAGE, VIDEO, frame_file_name, frame_metadata_rel, metadata_rel


@dataclass(frozen=True)
class SampleRef:
    """An image, a video, or frame `frame` of video `media` (which has `n_frames` frames)."""

    media: str  # media path relative to the media root, `/` separated
    kind: str  # "image" | "video" | "frame"
    frame: int | None = None
    n_frames: int | None = None

    @classmethod
    def image(cls, media: str) -> SampleRef:
        return cls(media, IMAGE)

    @classmethod
    def video(cls, media: str) -> SampleRef:
        return cls(media, VIDEO)

    @classmethod
    def frame_of(cls, video: str, index: int, n_frames: int) -> SampleRef:
        if not 0 <= index < n_frames:
            raise ValueError(f"{video}: frame {index} is outside 0..{n_frames - 1}")
        return cls(video, FRAME, index, n_frames)

    @property
    def metadata_rel(self) -> str:
        """Path of this sample's metadata file, relative to `.lightly/metadata/`."""
        if self.kind == FRAME:
            return frame_metadata_rel(self.media, self.frame, self.n_frames)
        return metadata_rel(self.media)

    @property
    def file_name(self) -> str:
        """Lightly's `file_name` for this sample (the virtual `.png` name for a frame)."""
        if self.kind == FRAME:
            return frame_file_name(self.media, self.frame, self.n_frames)
        return self.media

    @property
    def video_sample(self) -> SampleRef | None:
        """The whole video a frame belongs to (None for images and videos)."""
        return SampleRef.video(self.media) if self.kind == FRAME else None

    def label(self) -> str:
        if self.kind == FRAME:
            return f"{self.media} frame {self.frame:0{len(str(self.n_frames))}d}"
        return self.media


class LazySamples(Sequence):
    """A selection of 100k samples held as row or media numbers (core.effective.selection
    .TableRows, core.dataset.index_selection.IndexSamples): a SampleRef is made only when one
    is asked for. Besides Sequence: `kinds()`, `same_set(other)`."""

    def kinds(self) -> set[str]:
        raise NotImplementedError

    def same_set(self, other: Sequence[SampleRef]) -> bool:
        return len(other) == len(self) and set(other) == set(self)


def same_samples(a: Sequence[SampleRef], b: Sequence[SampleRef]) -> bool:
    """Whether two selections hold the same samples, in any order (LazySamples compare their
    numbers instead of making 100k SampleRefs)."""
    if isinstance(a, LazySamples):
        return a.same_set(b)
    if isinstance(b, LazySamples):
        return b.same_set(a)
    return len(a) == len(b) and set(a) == set(b)
