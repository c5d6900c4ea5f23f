"""Listing a bucket folder of more than one page: every object once, handed on page by page
(S3 pages 1000 keys) so fetching starts before the listing ends, and Cancel stops it."""

from __future__ import annotations

import pytest

from core.storage import Cancelled, location


@pytest.mark.parametrize("bucket", ["s3"], indirect=True)  # the store that pages (1000 keys)
def test_a_folder_of_many_pages_is_listed_whole_page_by_page_and_cancel_stops_it(bucket):
    keys = {f"{bucket.name}/ds/d/{i:05d}.json": b"{}" for i in range(2001)}
    keys[f"{bucket.name}/ds/top.json"] = b"{}"
    bucket.fs.pipe(keys)
    root = location(bucket.url("ds"))
    batches: list[int] = []
    entries = root.store.list_files(root, on_entries=lambda new: batches.append(len(new)))
    assert [e.rel for e in entries] == sorted(k.split("/ds/", 1)[1] for k in keys)
    assert batches == [1, 1000, 1000, 1]  # the top file, then each page as it arrived

    seen: list[int] = []
    with pytest.raises(Cancelled):
        root.store.list_files(root, cancel=lambda: len(seen) > 1,
                              on_entries=lambda new: seen.append(len(new)))
    assert len(seen) == 2  # the top file and the first page: no page after Cancel
