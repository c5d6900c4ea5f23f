"""Cloud fixtures: one real local server per provider (session), a fresh bucket per test
holding a datasource uploaded from tests/datasets.py, and the environment a client needs."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from tests.cloud import servers
from tests.datasets import LABEL_SCHEMA, write_datasource

PROVIDERS = ("s3", "gs", "az")
_counter = itertools.count()

FILES = {
    "schema.json": LABEL_SCHEMA,
    "images/a.json": {"file_name": "images/a.png", "type": "image", "metadata": {"label": "cat"}},
    "images/bad.json": '{"file_name": "images/bad.png", "type": "image", "metadata": {"label": 3,}}',
    "gone.json": {"file_name": "gone.png", "type": "image", "metadata": {}},
    "videos/v.json": {"file_name": "videos/v.mp4", "type": "video",
                      "metadata": {"label": "road", "night": True}},
    "videos/v-07-mp4.json": {"file_name": "videos/v-07-mp4.png", "type": "frame",
                             "metadata": {"label": "car", "unknown": {"kept": 1}}},
    "videos/v-7-mp4.json": {"file_name": "videos/v-7-mp4.png", "type": "frame", "metadata": {}},
}
MEDIA = {"images/a.png": b"png", "images/bad.png": b"png", "images/b.jpg": b"jpg"}
VIDEOS = {"videos/v.mp4": 12}  # 2-digit frame names


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """The local datasource every bucket gets a copy of (with problems: bad JSON, orphan, padding)."""
    return write_datasource(tmp_path_factory.mktemp("cloud") / "ds", media=MEDIA, videos=VIDEOS,
                            files=FILES, indent=2, end="\n")


_servers: dict[str, servers.Server] = {}


@pytest.fixture(scope="session")
def _server_pool(tmp_path_factory):
    yield _servers
    for s in _servers.values():
        s.stop()


class Bucket:
    """A fresh bucket on a running server: URLs into it, uploads, and outside changes."""

    def __init__(self, server: servers.Server, name: str):
        import fsspec

        self.server = server
        self.scheme = server.scheme
        self.name = name
        proto = {"s3": "s3", "gs": "gcs", "az": "az"}[self.scheme]
        opts = {"skip_instance_cache": True, "use_listings_cache": False}
        if proto == "gcs":
            opts["token"] = "anon"
        if proto == "gcs":
            from gcsfs.core import GCSFileSystem  # not the gRPC-probing default (see core.storage.remote)

            self.fs = GCSFileSystem(**opts)
        else:
            self.fs = fsspec.filesystem(proto, **opts)  # the test's own client, not core.storage
        self.fs.mkdir(name)

    def url(self, *parts: str) -> str:
        return "/".join([f"{self.scheme}://{self.name}", *parts])

    def upload(self, local: Path, prefix: str) -> str:
        for p in sorted(Path(local).rglob("*")):
            if p.is_file():
                self.put(f"{prefix}/{p.relative_to(local).as_posix()}", p.read_bytes())
        return self.url(prefix)

    def put(self, key: str, data: bytes) -> None:
        self.fs.pipe_file(f"{self.name}/{key}", data)

    def get(self, key: str) -> bytes:
        return self.fs.cat_file(f"{self.name}/{key}")

    def keys(self, prefix: str) -> list[str]:
        base = f"{self.name}/{prefix}"
        return sorted(p[len(base) + 1:] for p in self.fs.find(base))


@pytest.fixture(params=PROVIDERS)
def bucket(request, _server_pool, tmp_path_factory, monkeypatch):
    """A new, empty bucket on the provider's local server; its client environment set."""
    scheme = request.param
    if scheme not in _server_pool:
        _server_pool[scheme] = servers.start(scheme, tmp_path_factory.mktemp(f"server-{scheme}"))
    server = _server_pool[scheme]
    for k in list(os.environ):
        if k.startswith(("AWS_", "AZURE_", "GOOGLE_")) or k == "STORAGE_EMULATOR_HOST":
            monkeypatch.delenv(k)
    for k, v in server.env.items():
        monkeypatch.setenv(k, v)
    return Bucket(server, f"lightly-test-{os.getpid()}-{next(_counter)}")


@pytest.fixture
def short_network():
    """Requests time out after 2 s and are tried twice: set through core.storage.remote.configure,
    the setter Edit ▸ Settings… uses, so a test of a dead store fails in seconds, not minutes."""
    from core.storage import remote

    remote.configure(timeout=2, attempts=2)
    remote._stores.clear()
    yield
    remote.configure(timeout=None, attempts=None)
    remote._stores.clear()


@pytest.fixture(autouse=True)
def _quiet_servers():
    """moto's werkzeug logs every request at INFO: keep failure reports readable."""
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
