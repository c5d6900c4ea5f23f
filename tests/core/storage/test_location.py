"""Bucket URLs as path-like names, told apart from folders; a URL without the cloud extra
gets a message naming the extra."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from core.dataset.index import DatasourceError, scan
from core.format.naming import metadata_path
from core.storage import BucketPath, StorageError, is_url, location, remote


def test_urls_and_folders():
    assert isinstance(location("s3://b/p/"), BucketPath)
    assert isinstance(location("/tmp/x"), Path) and isinstance(location("file:///tmp/x"), Path)
    assert is_url("gs://b") and is_url("abfs://c/x") and not is_url("/tmp/x") and not is_url(3)
    p = location("s3://bucket//ds/")
    assert str(p) == "s3://bucket/ds" and p.bucket == "bucket" and p.key == "ds"
    assert str(p / "a/b.json") == "s3://bucket/ds/a/b.json" and (p / "a/b.json").name == "b.json"
    assert (p / "a/b.json").parent == p / "a" and (p / "x.MP4").suffix == ".MP4"
    assert str(metadata_path(p, "sub/v-07-mp4.json")) == "s3://bucket/ds/.lightly/metadata/sub/v-07-mp4.json"
    with pytest.raises(StorageError, match="unsupported URL scheme"):
        location("ftp://host/x")
    with pytest.raises(StorageError):
        p / "../other"
    with pytest.raises(TypeError):
        open(p)  # no __fspath__: a bucket path never reaches a local file of the same name


def test_missing_cloud_extra_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "s3fs", None)  # as if not installed
    monkeypatch.setattr(remote, "_stores", {})
    with pytest.raises(DatasourceError, match=r'pip install "lightly-metadata-editor\[cloud\]"'):
        scan("s3://some-bucket/ds")
