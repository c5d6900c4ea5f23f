"""Where files live: folders, or buckets (s3://, gs://, az://, abfs://) opened like folders.

`location(text)` gives a Path or a BucketPath; a BucketPath is read and written through its
store (fsspec, the optional `[cloud]` extra, imported only when a URL is opened).
May import nothing else of core (it sits below core.format).
"""

from core.storage.errors import Cancelled, MissingExtraError, StorageConflict, StorageError
from core.storage.location import BucketPath, is_url, location

__all__ = [
    "BucketPath",
    "Cancelled",
    "MissingExtraError",
    "StorageConflict",
    "StorageError",
    "is_url",
    "location",
]
