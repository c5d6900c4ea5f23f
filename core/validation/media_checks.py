"""Findings about the media files themselves: ones Lightly does not read, names that are not text.

Both are media-level findings: `file` is the metadata path the media maps to.
"""

from __future__ import annotations

from core.format.findings import ERROR, WARNING, Finding
from core.format.limits import INVALID_UNICODE
from core.format.naming import metadata_rel

UNREAD_MEDIA = "unread-media"


def _bad_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def media_findings(index) -> list[Finding]:
    """`unread-media` for media whose extension Lightly does not read; `invalid-unicode` for
    media names that are not UTF-8 on disk (Lightly's `file_name` must be text)."""
    out: list[Finding] = []
    media = index.media  # images, then videos
    unread = tuple(f".{e}" for e in index.extensions.unread)
    if unread:
        for m in media:
            if m.lower().endswith(unread):
                ext = m.rpartition(".")[2]
                msg = (f"{m}: Lightly's documented media types do not include .{ext}: Lightly may "
                       "never read this file, nor its metadata")
                out.append(Finding(WARNING, UNREAD_MEDIA, metadata_rel(m), msg, media=m))
    try:
        "\n".join(media).encode("utf-8")
    except UnicodeEncodeError:
        for m in media:
            if _bad_name(m):
                shown = m.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                msg = (f"the name {shown!r} is not UTF-8 text: Lightly's file_name cannot hold it; "
                       "rename the file")
                out.append(Finding(ERROR, INVALID_UNICODE, metadata_rel(m).encode(
                    "utf-8", "surrogateescape").decode("utf-8", "replace"), msg, media=shown))
    return out
