"""Which files are media: the configurable image and video extensions (FORMAT.md defaults)."""

from __future__ import annotations

from dataclasses import dataclass

from core.format.naming import IMAGE, VIDEO

DEFAULT_IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp"})
DEFAULT_VIDEO_EXTENSIONS = frozenset({"mp4", "m4v", "hevc", "mpg", "mpeg", "avi", "mov", "webm", "mkv"})
#: What Lightly's Worker documentation says it reads (FORMAT.md). Media of the other
#: extensions above are shown and editable, but get an `unread-media` finding.
LIGHTLY_READS = frozenset({"png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff",
                           "mp4", "m4v", "hevc", "mpg", "mpeg", "avi", "mov", "webm"})


def _normalise(exts) -> frozenset[str]:
    return frozenset(e.strip().lstrip(".").lower() for e in exts if e and e.strip().lstrip("."))


def extension_of(name: str) -> str:
    """The text after the last dot of the base name ('' when there is none), lower-cased."""
    dot = name.rfind(".")
    start = name.rfind("/") + 1
    if start < dot and name[start] != ".":  # the common name, without building the base name
        return name[dot + 1:].lower()
    base = name[start:]
    if "." not in base.lstrip("."):
        return ""
    return base.rpartition(".")[2].lower()


@dataclass(frozen=True)
class Extensions:
    """Image and video extensions, lower-case without dots; matching ignores case."""

    images: frozenset[str]
    videos: frozenset[str]
    #: The extensions Lightly reads (default: its Worker's documented lists).
    lightly_reads: frozenset[str] = LIGHTLY_READS

    def __post_init__(self) -> None:
        object.__setattr__(self, "images", _normalise(self.images))
        object.__setattr__(self, "videos", _normalise(self.videos))
        object.__setattr__(self, "lightly_reads", _normalise(self.lightly_reads))
        both = self.images & self.videos
        if both:
            raise ValueError(f"extension(s) {', '.join(sorted(both))} cannot be both image and video")

    @classmethod
    def default(cls) -> Extensions:
        return cls(DEFAULT_IMAGE_EXTENSIONS, DEFAULT_VIDEO_EXTENSIONS)

    @classmethod
    def parse(cls, images_csv: str | None, videos_csv: str | None,
              lightly_reads_csv: str | None = None) -> Extensions:
        """From comma-separated lists (settings, command line); None or blank keeps the default."""

        def split(text: str | None, default: frozenset[str]) -> frozenset[str]:
            if text is None or not text.strip():
                return default
            return _normalise(text.replace(";", ",").split(","))

        return cls(split(images_csv, DEFAULT_IMAGE_EXTENSIONS), split(videos_csv, DEFAULT_VIDEO_EXTENSIONS),
                   split(lightly_reads_csv, LIGHTLY_READS))

    @property
    def unread(self) -> frozenset[str]:
        """Media extensions that Lightly does not read (they get `unread-media` findings)."""
        return (self.images | self.videos) - self.lightly_reads

    def kind_of(self, name: str) -> str | None:
        """"image", "video" or None for a file name or relative path."""
        ext = extension_of(name)
        if not ext:
            return None
        if ext in self.images:
            return IMAGE
        if ext in self.videos:
            return VIDEO
        return None

    def to_csv(self) -> tuple[str, str]:
        """The inverse of `parse`: sorted comma-separated lists."""
        return ",".join(sorted(self.images)), ",".join(sorted(self.videos))
