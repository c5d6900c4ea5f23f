"""A folder's objects page by page, so fetching a listed page starts while the next is listed.

S3 lists 1000 keys per request, one page after the other: for the 50 pages of a folder with
50k metadata files, handing each page on as it arrives overlaps listing and fetching. Other
providers hand on the whole folder at once (fsspec's `find`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PAGE = 1000  # S3's page size: objects handed on at once


def find_pages(fs: Any, protocol: str, fs_dir: str, sink: Callable[[dict[str, dict]], None]) -> None:
    """Call `sink({name: info})` for the objects under `fs_dir`, a page at a time (S3) or at once."""
    if protocol != "s3":
        sink(fs.find(fs_dir, detail=True))
        return
    from fsspec.asyn import sync

    bucket, _, key = fs_dir.partition("/")

    async def walk() -> bool:
        page: dict[str, dict] = {}
        seen = False
        async for info in fs._iterdir(bucket, delimiter="", prefix=key.rstrip("/") + "/"):
            seen = True
            if info.get("type") != "directory":
                page[info["name"]] = info
            if len(page) >= PAGE:
                sink(page)
                page = {}
        if page:
            sink(page)
        return seen

    sync(fs.loop, walk)
