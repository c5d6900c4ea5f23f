"""Validation results as plain data: checks in core/ yield `Finding`s; every view looks them up."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"

#: Stable finding codes and what they mean (documented in the README).
CODES: dict[str, str] = {
    "invalid-json": "the file is not valid strict JSON (line and column given)",
    "schema-structure": "schema.json does not have the required structure",
    "unknown-type": "a schema entry's valueDataType is not a known type",
    "duplicate-name": "two schema entries share a name",
    "duplicate-path": "two schema entries share a path",
    "path-conflict": "a schema path is a prefix of another (both cannot be leaves)",
    "reserved-path": "a schema path starts with the reserved key 'lightly'",
    "default-type": "a schema entry's defaultValue does not fit its valueDataType",
    "missing-key": "a metadata file lacks file_name, type or metadata",
    "wrong-file-name": "a metadata file's file_name does not match where the file lives",
    "wrong-type-field": "a metadata file's type (or top-level shape) is wrong for its media",
    "value-type": "a stored value does not fit the schema entry's valueDataType",
    "orphan": "a metadata file has no media file",
    "collision": "two media files map to the same metadata file",
    "frame-padding": "a frame file's number is not padded to the video's frame count width",
    "frame-range": "a frame file's number is past the video's last frame",
    "unreadable-video": "a video cannot be decoded, or its decoded frame count disagrees",
    "extra-top-level-key": "a metadata file has top-level keys besides file_name, type, metadata",
    "path-blocked": "a value on the way to a schema path is not the object or array the path needs",
    "link-outside": "a link leads outside the media folder or .lightly/metadata/",
    "unread-media": "a media file whose extension Lightly's documented lists do not include",
    "invalid-unicode": "text that is not valid UTF-8 / Unicode (invalid bytes, a lone surrogate)",
    "non-finite-number": "a number that reads as NaN or Infinity (e.g. 1e400)",
    "number-underflow": "a non-zero number that reads as 0 (e.g. 1e-400)",
    "file-too-large": "a file past the editor's size limit (not read)",
    "too-deep": "a file nested past the editor's depth limit",
    "number-too-long": "a number literal past the editor's length limit",
    "string-too-long": "a string past the editor's length limit",
    "path-limit": "a schema path past the editor's limits (array index, number of keys)",
}

LINK_OUTSIDE = "link-outside"

#: Codes of hostile input (limits, links, undecodable text, unread media, blocked paths):
#: tests/fuzz produces each of them; the bundled demos show all the others.
HOSTILE_CODES = frozenset({
    "path-blocked", "link-outside", "unread-media", "invalid-unicode", "non-finite-number",
    "number-underflow", "file-too-large", "too-deep", "number-too-long", "string-too-long", "path-limit",
})


@dataclass(frozen=True)
class Finding:
    """One problem: `file` is relative to `.lightly/metadata/`, `media` to the media root."""

    severity: str
    code: str
    file: str
    message: str
    media: str | None = None
    path: str | None = None
    line: int | None = None
    column: int | None = None
    #: Machine-readable fix hint (e.g. the corrected type name or file name), or None.
    fix: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def location(self) -> str:
        """`file`, `file:line:column` when known."""
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def text(self) -> str:
        return f"{self.location()}: {self.severity} {self.code}: {self.message}"


def has_errors(findings) -> bool:
    return any(f.severity == ERROR for f in findings)
