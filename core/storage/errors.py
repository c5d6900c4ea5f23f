"""What storage raises: one-line messages that name the object."""

from __future__ import annotations

CLOUD_EXTRA = 'pip install "lightly-metadata-editor[cloud]"'


class Cancelled(Exception):
    """The caller's cancel() returned True, so the work stopped early."""


class StorageError(OSError):
    """A bucket or object cannot be listed, read or written; str() names the object."""


class MissingExtraError(StorageError):
    """A URL was given but the cloud libraries (the `[cloud]` extra) are not installed."""

    def __init__(self, url: str, module: str):
        super().__init__(
            f"{url}: opening buckets needs the cloud libraries ({module} is missing): {CLOUD_EXTRA}"
        )
        self.url = url
        self.module = module


class StorageConflict(StorageError):
    """The object changed (or appeared) since it was read: writing would lose that change."""

    def __init__(self, url: str):
        super().__init__(f"{url}: changed in the bucket since it was read")
        self.url = url
