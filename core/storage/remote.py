"""Buckets through fsspec (s3fs, gcsfs, adlfs): listing, reading, conditional writes.

One `RemoteStore` per URL scheme (and endpoint). Credentials come only from each
provider's standard chain (environment, profile files, instance roles); nothing here asks
for or keeps a secret. Reads of many objects run concurrently (fsspec's async `cat`);
listing walks folders concurrently. Writes are one PUT per object, conditional on the
version that was read (S3 If-Match / If-None-Match, GCS ifGenerationMatch, Azure If-Match),
so an object someone else changed is never overwritten silently.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from core.storage import conditional
from core.storage.errors import Cancelled, MissingExtraError, StorageConflict, StorageError

Loc = Any  # a core.storage.location.BucketPath (not imported: it imports this module)

#: (scheme's protocol) -> the module that provides it, named in the missing-extra message.
_MODULES = {"s3": "s3fs", "gcs": "gcsfs", "az": "adlfs", "abfs": "adlfs"}
#: Folders listed at once; fetches of many objects run in batches of this many paths.
LIST_WORKERS = 8
FETCH_BATCH = 512
#: Network options (File ▸ Settings…, `configure()`): each request times out after TIMEOUT
#: seconds and is tried up to ATTEMPTS times in all, with exponential backoff, by the
#: provider's own client, configured here: botocore "standard" retry mode (max_attempts),
#: gcsfs's request loop (its fixed 6 tries replaced by ATTEMPTS), the Azure SDK's
#: ExponentialRetry (retry counts ATTEMPTS - 1, backoff from 1 s). No layer of ours retries
#: on top of them: stacked retries multiply the wait on a dead network.
ATTEMPTS = 4
TIMEOUT = 20.0  # seconds, per request
BACKOFF_MAX = 8.0  # seconds between two tries, at most
READ_BLOCK = 1 << 20  # bytes per ranged GET when a video is read through a file object
POOL = 32  # connections per store (S3; the others' clients do not cap them lower)
#: Requests in flight per fetch job: more only queue for the POOL connections (512 at once
#: were measured slower than 64 on moto: the event loop juggles the waiting requests).
IN_FLIGHT = 64

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

ANY = object()  #: `write(expect=ANY)`: unconditional


@dataclass(frozen=True)
class Entry:
    """One object: its path relative to the listed folder, size and version token."""

    rel: str
    size: int
    token: str | None


@dataclass(frozen=True)
class Blob:
    """An object's bytes and the version token they belong to."""

    data: bytes
    token: str | None


_options: dict[str, Any] = {}
_stores: dict[tuple, RemoteStore] = {}
_stores_lock = threading.Lock()


#: The standard variables that point a provider's client elsewhere: a store per setting.
_ENV = ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "STORAGE_EMULATOR_HOST",
        "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_ACCOUNT_NAME")


_UNSET: Any = object()


def configure(endpoint_url: Any = _UNSET, timeout: Any = _UNSET, attempts: Any = _UNSET) -> None:
    """Options for stores from now on (only those given change): an S3-compatible endpoint
    (else AWS_ENDPOINT_URL), the timeout per request in seconds, the tries per request."""
    with _stores_lock:
        if endpoint_url is not _UNSET:
            _options["endpoint_url"] = endpoint_url or None
        if timeout is not _UNSET:
            _options["timeout"] = max(0.1, float(timeout)) if timeout else None
        if attempts is not _UNSET:
            _options["attempts"] = max(1, int(attempts)) if attempts else None


def network_options() -> tuple[float, int]:
    """(timeout per request in seconds, tries per request) that new stores get."""
    return _options.get("timeout") or TIMEOUT, _options.get("attempts") or ATTEMPTS


def store_for(path: Loc) -> RemoteStore:
    net = network_options()
    key = (path.protocol, _options.get("endpoint_url"), net, *(os.environ.get(k) for k in _ENV))
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = RemoteStore(path.protocol, str(path), _options.get("endpoint_url"), net)
        return store


def token_of(info: dict) -> str | None:
    """The version of an object in a listing or stat: GCS generation, else the ETag."""
    for k in ("generation", "ETag", "etag"):
        v = info.get(k)
        if v not in (None, ""):
            return str(v).strip('"')
    return None


def _reason(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:300]


def _filesystem(protocol: str, url: str, endpoint_url: str | None, net: tuple[float, int]):
    timeout, attempts = net
    module = _MODULES[protocol]
    try:
        import fsspec

        __import__(module)
    except ImportError:
        raise MissingExtraError(url, module) from None
    opts: dict[str, Any] = {"use_listings_cache": False, "skip_instance_cache": True}
    if protocol == "s3":
        endpoint = endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        if endpoint:
            opts["endpoint_url"] = endpoint
        opts["config_kwargs"] = {
            "connect_timeout": timeout,
            "read_timeout": timeout,
            "retries": {"max_attempts": attempts, "mode": "standard"},
            "max_pool_connections": POOL,  # botocore's default of 10 caps the concurrent fetches
        }
    elif protocol == "gcs":
        opts["requests_timeout"] = timeout  # per request (aiohttp), so a stalled one is retried
        if os.environ.get("STORAGE_EMULATOR_HOST"):
            opts["token"] = "anon"  # the emulator takes no credentials
        from core.storage.retries import gcs_filesystem

        return gcs_filesystem(opts, attempts, BACKOFF_MAX)
    if protocol == "s3":
        fs = fsspec.filesystem(protocol, **opts)
        fs.retries = 1  # s3fs's own loop (5 tries) would repeat botocore's: one layer retries
        return fs
    opts["connection_timeout"] = opts["read_timeout"] = int(max(1, round(timeout)))
    fs = fsspec.filesystem(protocol, **opts)
    from core.storage.retries import configure_azure

    configure_azure(fs, timeout, attempts, BACKOFF_MAX)
    return fs


class RemoteStore:
    """The objects of one provider; paths are `BucketPath`s."""

    def __init__(self, protocol: str, url: str, endpoint_url: str | None = None,
                 net: tuple[float, int] = (TIMEOUT, ATTEMPTS)):
        self.protocol = protocol
        self.fs = _filesystem(protocol, url, endpoint_url, net)
        # s3fs asks each object's size (a HEAD) before a whole GET unless told to fetch it in
        # one piece: one request per metadata file, not two.
        self._whole = {"max_concurrency": 1} if protocol == "s3" else {}
        self._cache: dict[str, Blob] = {}
        self._lock = threading.Lock()

    # --- plumbing -----------------------------------------------------------------------
    def _retry(self, what: str, fn: Callable[[], Any]) -> Any:
        """Run one client call (the client retries it, see ATTEMPTS); an error names `what`."""
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - turned into one message naming the object
            raise self._error(what, e) from e

    @staticmethod
    def _error(what: str, e: BaseException) -> BaseException:
        if isinstance(e, (StorageError, Cancelled)):
            return e
        if isinstance(e, FileNotFoundError):
            return FileNotFoundError(f"{what}: no such object or folder")
        if isinstance(e, PermissionError):
            return PermissionError(f"{what}: access denied ({_reason(e)})")
        return StorageError(f"{what}: {_reason(e)}")

    # --- listing ------------------------------------------------------------------------
    def is_dir(self, path: Loc) -> bool:
        try:
            return bool(self._retry(str(path), lambda: self.fs.isdir(path.fs_path)))
        except FileNotFoundError:
            return False

    def check_folder(self, path: Loc) -> None:
        """Raise StorageError unless the bucket exists and can be listed (an empty prefix is fine)."""
        self._retry(str(path), lambda: self.fs.ls(path.fs_path, detail=False))

    def list_files(
        self,
        root: Loc,
        skip_dir: Callable[[str], bool] | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        on_entries: Callable[[list[Entry]], None] | None = None,
    ) -> list[Entry]:
        """Every object under `root` (rel paths): one listing of the top folder, then a flat
        recursive listing of each sub-folder, LIST_WORKERS at once (a flat listing pages
        1000 keys per request; folders in parallel beat one long sequence of pages).

        `skip_dir(rel)` prunes a folder (and what is below it); `on_entries(new)` gets each
        folder's objects as soon as it is listed (so fetching can start). Raises Cancelled.
        """
        base = root.fs_path.rstrip("/")
        out: list[Entry] = []

        def flush(start: int) -> None:
            if on_entries is not None and len(out) > start:
                on_entries(out[start:])

        def add(name: str, info: dict) -> None:
            rel = name.rstrip("/")[len(base) + 1 :] if name.startswith(base + "/") else ""
            if not rel or info.get("type") == "directory":
                return
            if skip_dir is not None and "/." in "/" + rel:  # only hidden folders are ever pruned
                parts = rel.split("/")[:-1]
                if any(skip_dir("/".join(parts[: i + 1])) for i in range(len(parts))):
                    return
            out.append(Entry(rel, int(info.get("size") or 0), token_of(info)))

        subdirs = []
        for info in self._ls(root, base):
            name = info["name"].rstrip("/")
            rel = name[len(base) + 1 :] if name.startswith(base + "/") else ""
            if info.get("type") == "directory":
                if rel and (skip_dir is None or not skip_dir(rel)):
                    subdirs.append(name)
            else:
                add(name, info)
        flush(0)
        lock = threading.Lock()

        def sink(found: dict[str, dict]) -> None:  # a page (or a folder) listed, in a pool thread
            if cancel is not None and cancel():
                raise Cancelled("listing cancelled")
            with lock:
                start = len(out)
                for name, info in found.items():
                    add(name, info)
                flush(start)

        with ThreadPoolExecutor(LIST_WORKERS, thread_name_prefix="list") as pool:
            pending = {pool.submit(self._find, root, d, sink) for d in subdirs}
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                if cancel is not None and cancel():
                    for f in pending:
                        f.cancel()
                    raise Cancelled("listing cancelled")
                for fut in done:
                    fut.result()  # a failed listing raises here
                if progress is not None:
                    progress(len(out), 0, f"listing {root}: {len(out)} objects")
        out.sort(key=lambda e: e.rel)
        return out

    def _find(self, root: Loc, fs_dir: str, sink: Callable[[dict[str, dict]], None]) -> None:
        from core.storage.pages import find_pages

        what = f"{root.scheme}://{fs_dir}"
        try:
            self._retry(what, lambda: find_pages(self.fs, self.protocol, fs_dir, sink))
        except FileNotFoundError:
            pass

    def _ls(self, root: Loc, fs_dir: str) -> list[dict]:
        what = f"{root.scheme}://{fs_dir}"
        try:
            return self._retry(what, lambda: self.fs.ls(fs_dir, detail=True, refresh=True))
        except FileNotFoundError:
            return []

    # --- reading ------------------------------------------------------------------------
    def stat(self, path: Loc) -> Entry | None:
        """Size and version of an object as it is now (never cached), None when absent."""
        try:
            info = self._retry(str(path), lambda: self.fs.info(path.fs_path, refresh=True))
        except FileNotFoundError:
            return None
        if info.get("type") == "directory":
            return None
        return Entry(path.name, int(info.get("size") or 0), token_of(info))

    def read(self, path: Loc, fresh: bool = False) -> Blob:
        """An object's bytes and their version (prefetched bytes unless `fresh`).

        The version is taken before the bytes: if the object changes between the two, the
        later conditional write fails (a reported conflict), never silently overwrites.
        """
        if not fresh:
            with self._lock:
                blob = self._cache.get(path.fs_path)
            if blob is not None:
                return blob
        entry = self.stat(path)
        if entry is None:
            raise FileNotFoundError(f"{path}: no such object")
        data = self._retry(str(path), lambda: self.fs.cat_file(path.fs_path, **self._whole))
        return Blob(data, entry.token)

    def read_range(self, path: Loc, start: int, end: int) -> bytes:
        """Bytes [start, end) of an object (one ranged GET, retried)."""
        return self._retry(str(path), lambda: self.fs.cat_file(path.fs_path, start=start, end=end))

    def prefetch(
        self,
        items: Iterable[tuple[Loc, str | None]],
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> None:
        """Fetch many objects concurrently and keep them for `read` (tokens from the listing)."""
        items = list(items)
        total = len(items)
        for start in range(0, total, FETCH_BATCH):
            if cancel is not None and cancel():
                raise Cancelled("fetching cancelled")
            batch = items[start : start + FETCH_BATCH]
            paths = [p.fs_path for p, _ in batch]
            what = str(batch[0][0].parent)
            opts = {"on_error": "return", "batch_size": IN_FLIGHT, **self._whole}
            got = self._retry(what, lambda paths=paths, opts=opts: self.fs.cat(paths, **opts))
            with self._lock:
                for p, token in batch:
                    data = got.get(p.fs_path) if isinstance(got, dict) else None
                    if isinstance(data, bytes):
                        self._cache[p.fs_path] = Blob(data, token)
            if progress is not None:
                done = min(start + FETCH_BATCH, total)
                progress(done, total, f"fetching metadata {done}/{total}")

    def forget(self, path: Loc) -> None:
        with self._lock:
            self._cache.pop(path.fs_path, None)

    def open(self, path: Loc):
        """A seekable binary file object reading by ranged GETs of READ_BLOCK bytes; its
        errors are StorageErrors naming the object (see core.storage.streaming)."""
        from core.storage.streaming import ObjectFile

        return ObjectFile(self, path, READ_BLOCK)

    # --- writing ------------------------------------------------------------------------
    def write(self, path: Loc, data: bytes, expect: Any = ANY) -> str | None:
        """One PUT of `data`; returns the new version token.

        `expect` is the version that was read (None: the object must not exist yet, ANY:
        unconditional). Raises StorageConflict when the object is not at that version;
        on any failure the old object stays as it was.
        """
        self.forget(path)
        if expect is not ANY:
            # Compared first (one HEAD) as well as sent as the PUT's condition: a store or
            # emulator that ignores the condition still never overwrites a change made
            # before this moment.
            now = self.stat(path)
            if (None if now is None else now.token) != expect:
                raise StorageConflict(str(path))
            token = conditional.put(self, path, data, expect)
        else:
            token = self._retry(str(path), lambda: conditional.put_plain(self, path, data))
        return token

    def delete(self, path: Loc, expect: Any = ANY) -> None:
        self.forget(path)
        if expect is not ANY:
            now = self.stat(path)
            if now is None:
                return
            if now.token != expect:
                raise StorageConflict(str(path))
        try:
            self._retry(str(path), lambda: self.fs.rm_file(path.fs_path))
        except FileNotFoundError:
            pass
