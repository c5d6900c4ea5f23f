"""Walking roots that are buckets: one concurrent listing per root instead of `os.scandir`.

The same answers as core.dataset.walk (hidden folders skipped, `/`-separated rels, sorted),
built from the store's listing. `.lightly/metadata/` is listed beside the media (its own
folders in parallel too) and each listed folder's metadata objects are fetched at once,
while the listing goes on, so validation and the table read them from memory.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from core.dataset.walk import Cancel, DatasourceError, MediaTree, Progress, media_tree
from core.format.media import Extensions
from core.format.naming import METADATA_DIR, SCHEMA_FILE, metadata_dir
from core.storage.location import BucketPath
from core.storage.remote import FETCH_BATCH, Entry

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
    """The media under `root` and (when `with_metadata`, else None) its metadata rels, from one
    listing; metadata objects are fetched as soon as their folder is listed."""
    progress = _serialized(progress)
    prefix = METADATA_DIR + "/"

    def skip(rel: str) -> bool:  # hidden folders are never media; .lightly/metadata is listed
        hidden = any(p.startswith(".") for p in rel.split("/"))
        return hidden and not (with_metadata and _on_metadata_path(rel))

    with _Fetcher(metadata_dir(root), progress, cancel) as fetcher:
        def listed(new: list[Entry]) -> None:
            fetcher.add([Entry(e.rel[len(prefix) :], e.size, e.token) for e in new
                         if e.rel.startswith(prefix)])

        try:
            entries = root.store.list_files(root, skip, progress, cancel, on_entries=listed)
        except OSError as e:
            raise DatasourceError(str(e)) from None
    media = [e.rel for e in entries if not any(p.startswith(".") for p in e.rel.split("/"))]
    tree = media_tree(media, extensions, progress)
    return tree, (fetcher.rels() if with_metadata else None)


def list_bucket_metadata(
    lightly_root: BucketPath, progress: Progress | None = None, cancel: Cancel | None = None
) -> list[str]:
    """Every `.json` under the bucket's `.lightly/metadata/` (rels, sorted), schema.json aside;
    each listed folder's objects are fetched while the others are still being listed."""
    base = metadata_dir(lightly_root)
    progress = _serialized(progress)
    with _Fetcher(base, progress, cancel) as fetcher:
        try:
            base.store.list_files(base, None, progress, cancel, on_entries=fetcher.add)
        except OSError as e:
            raise DatasourceError(str(e)) from None
    return fetcher.rels()


class _Fetcher:
    """Fetches listed metadata objects in the background (FETCH_BATCH per job, two at once)."""

    def __init__(self, base: BucketPath, progress: Progress | None, cancel: Cancel | None):
        self.base, self.progress, self.cancel = base, progress, cancel
        self.found: list[str] = []
        self.fetched = 0
        self.jobs: list = []
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(2, thread_name_prefix="fetch")

    def __enter__(self) -> _Fetcher:
        return self

    def add(self, entries: list[Entry]) -> None:
        keep = [e for e in entries if e.rel.endswith(".json") and e.rel != SCHEMA_FILE]
        self.found += [e.rel for e in keep]
        for i in range(0, len(keep), FETCH_BATCH):
            self.jobs.append(self.pool.submit(self._fetch, keep[i : i + FETCH_BATCH]))

    def _fetch(self, batch: list[Entry]) -> None:
        self.base.store.prefetch(((self.base / e.rel, e.token) for e in batch), None, self.cancel)
        with self.lock:
            self.fetched += len(batch)
            done, total = self.fetched, len(self.found)
        if self.progress is not None:
            self.progress(done, total, f"fetching metadata {done}/{total}")

    def __exit__(self, kind, *exc) -> None:
        if kind is not None:  # listing failed or was cancelled: fetch no more
            for job in self.jobs:
                job.cancel()
        self.pool.shutdown(wait=True)
        if kind is None:
            for job in self.jobs:
                job.result()  # Cancelled (or a failure) from a fetch is raised here

    def rels(self) -> list[str]:
        return sorted(self.found)


def _serialized(progress: Progress | None) -> Progress | None:
    """`progress` called from one thread at a time (the listing and the fetches report)."""
    if progress is None:
        return None
    lock = threading.Lock()

    def report(done: int, total: int, label: str) -> None:
        with lock:
            progress(done, total, label)

    return report
