"""Walking roots that are buckets: one concurrent listing per root instead of `os.scandir`.

The same answers as core.dataset.walk (hidden folders skipped, `/`-separated rels, sorted),
built from the store's listing; the metadata objects the listing found are fetched
concurrently right away, so validation and the table read them from memory.
"""

from __future__ import annotations

from core.dataset.walk import Cancel, DatasourceError, MediaTree, Progress, media_tree
from core.format.media import Extensions
from core.format.naming import METADATA_DIR, SCHEMA_FILE, metadata_dir
from core.storage.location import BucketPath

_META_PARTS = tuple(METADATA_DIR.split("/"))  # (".lightly", "metadata")


def check_bucket_folder(root: BucketPath, what: str = "folder") -> None:
    """Raise DatasourceError unless the bucket exists and the prefix can be listed."""
    try:
        root.store.check_folder(root)
    except FileNotFoundError:
        raise DatasourceError(f"{root}: no such bucket or {what}") from None
    except OSError as e:
        raise DatasourceError(str(e)) from None


def _on_metadata_path(rel: str) -> bool:
    parts = tuple(rel.split("/"))
    n = min(len(parts), len(_META_PARTS))
    return parts[:n] == _META_PARTS[:n]


def list_bucket_root(
    root: BucketPath,
    extensions: Extensions,
    with_metadata: bool,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> tuple[MediaTree, list[str] | None]:
    """The media under `root` and (when `with_metadata`, else None) its metadata rels, from one listing."""

    def skip(rel: str) -> bool:  # hidden folders are never media; .lightly/metadata is listed
        hidden = any(p.startswith(".") for p in rel.split("/"))
        return hidden and not (with_metadata and _on_metadata_path(rel))

    try:
        entries = root.store.list_files(root, skip, progress, cancel)
    except OSError as e:
        raise DatasourceError(str(e)) from None
    media: list[str] = []
    meta = []
    prefix = METADATA_DIR + "/"
    for e in entries:
        if e.rel.startswith(prefix):
            meta.append(e)
        elif not any(p.startswith(".") for p in e.rel.split("/")):
            media.append(e.rel)
    tree = media_tree(media, extensions, progress)
    if not with_metadata:
        return tree, None
    rels = _metadata_rels(root, [(e.rel[len(prefix) :], e.token) for e in meta], progress, cancel)
    return tree, rels


def list_bucket_metadata(
    lightly_root: BucketPath, progress: Progress | None = None, cancel: Cancel | None = None
) -> list[str]:
    """Every `.json` under the bucket's `.lightly/metadata/` (rels, sorted), schema.json aside."""
    base = metadata_dir(lightly_root)
    try:
        entries = base.store.list_files(base, None, progress, cancel)
    except OSError as e:
        raise DatasourceError(str(e)) from None
    return _metadata_rels(lightly_root, [(e.rel, e.token) for e in entries], progress, cancel)


def _metadata_rels(
    lightly_root: BucketPath,
    found: list[tuple[str, str | None]],
    progress: Progress | None,
    cancel: Cancel | None,
) -> list[str]:
    base = metadata_dir(lightly_root)
    keep = [(rel, t) for rel, t in found if rel.endswith(".json") and rel != SCHEMA_FILE]
    base.store.prefetch(((base / rel, t) for rel, t in keep), progress, cancel)
    return sorted(rel for rel, _ in keep)
