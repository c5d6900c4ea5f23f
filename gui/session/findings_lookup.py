"""The current findings of the open datasource, looked up by metadata file and by media path.

Built from `core.validation.validate.validate` once, then patched per file after each save
(`replace_file`) instead of re-validating everything. Plain Python; views ask it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.format.findings import ERROR, WARNING, Finding
from core.format.naming import FRAME
from core.format.samples import SampleRef

#: Findings about a media file that live on other files (misnamed frames, decode failures).
MEDIA_CODES = frozenset({"frame-padding", "frame-range", "unreadable-video", "collision"})


class FindingsLookup:
    def __init__(self, findings: Iterable[Finding] = ()):
        self._listeners: list[Callable[[str | None], None]] = []
        self.replace_all(findings)

    def add_listener(self, fn: Callable[[str | None], None]) -> None:
        """`fn(rel)` after `replace_file(rel, ...)`, `fn(None)` after `replace_all` (e.g. a problems list)."""
        self._listeners.append(fn)

    def _notify(self, rel: str | None) -> None:
        for fn in self._listeners:
            fn(rel)

    def replace_all(self, findings: Iterable[Finding]) -> None:
        self._by_file: dict[str, list[Finding]] = {}
        self._by_media: dict[str, list[Finding]] = {}
        for f in findings:
            self._add(f)
        self._notify(None)

    def _add(self, f: Finding) -> None:
        self._by_file.setdefault(f.file, []).append(f)
        if f.media:
            self._by_media.setdefault(f.media, []).append(f)

    def replace_file(self, rel: str, findings: Iterable[Finding]) -> None:
        """Swap the findings of metadata file `rel` for new ones (after a save or reload)."""
        for f in self._by_file.pop(rel, []):
            if f.media and f.media in self._by_media:
                kept = [g for g in self._by_media[f.media] if g.file != rel]
                if kept:
                    self._by_media[f.media] = kept
                else:
                    del self._by_media[f.media]
        for f in findings:
            self._add(f)
        self._notify(rel)

    # --- queries -------------------------------------------------------------------
    def all(self) -> list[Finding]:
        return [f for fs in self._by_file.values() for f in fs]

    def files_with(self, codes: frozenset[str]) -> set[str]:
        """The metadata files with a finding of one of `codes` (few: a pass over the files with findings)."""
        return {rel for rel, fs in self._by_file.items() if any(f.code in codes for f in fs)}

    def for_rel(self, rel: str) -> list[Finding]:
        """Findings of metadata file `rel` (relative to .lightly/metadata/)."""
        return list(self._by_file.get(rel, ()))

    def for_media(self, media: str) -> list[Finding]:
        """Findings that name media file `media` (its own file, its frames' files, the video)."""
        return list(self._by_media.get(media, ()))

    def for_sample(self, sample: SampleRef) -> list[Finding]:
        """What a tree row shows: the sample's own file, plus for a video its misnamed frame files."""
        own = self._by_file.get(sample.metadata_rel, [])
        if sample.kind == FRAME:
            return list(own)
        extra = [f for f in self._by_media.get(sample.media, ())
                 if f.code in MEDIA_CODES and f not in own]
        return list(own) + extra

    def frame_files_with_problems(self, video: str) -> int:
        """How many of `video`'s frame files have findings (for the video row's tooltip)."""
        own = SampleRef.video(video).metadata_rel
        return len({f.file for f in self._by_media.get(video, ()) if f.file != own})

    def counts(self) -> tuple[int, int]:
        """(errors, warnings) over everything."""
        errors = warnings = 0
        for fs in self._by_file.values():
            for f in fs:
                errors += f.severity == ERROR
                warnings += f.severity == WARNING
        return errors, warnings
