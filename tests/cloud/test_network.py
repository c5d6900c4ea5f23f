"""Slow or failing networks: a store that stops answering fails the save within the timeout
and tries set in Settings (core.storage.remote.configure, the options users get), with a
message naming the object; the edit stays unsaved in the workspace, and Save works once the
same server is back. A server that accepts but never answers times out the same way."""

from __future__ import annotations

import json
import os
import socket
import threading

import pytest

from core.workspace import WriteError
from tests.cloud import servers
from tests.cloud.conftest import PROVIDERS, Bucket
from tests.cloud.test_safe_writes import META, open_ws


@pytest.fixture(params=PROVIDERS)
def own_server(request, tmp_path, monkeypatch, short_network):
    """A server of this test's own (it is stopped and started again), its environment set."""
    for k in list(os.environ):
        if k.startswith(("AWS_", "AZURE_", "GOOGLE_")) or k == "STORAGE_EMULATOR_HOST":
            monkeypatch.delenv(k)
    server = servers.start(request.param, tmp_path)
    for k, v in server.env.items():
        monkeypatch.setenv(k, v)
    holder = {"server": server}
    yield holder
    holder["server"].stop()


def test_store_stopped_then_restarted_save_retries(own_server, template, tmp_path):
    server = own_server["server"]
    bucket = Bucket(server, "net-test")
    ws = open_ws(bucket.upload(template, "ds"))
    before = bucket.get(f"{META}/images/a.json")
    ws.set_value("images/a.json", "label", "dog")
    server.stop()
    with pytest.raises(WriteError) as e:
        ws.save("images/a.json")
    assert "images/a.json" in str(e.value)
    assert ws.document("images/a.json").modified  # the edit is still there, unsaved
    own_server["server"] = servers.start(server.scheme, tmp_path, port=server.extra["port"])
    assert bucket.get(f"{META}/images/a.json") == before  # nothing half-written
    assert ws.save("images/a.json")  # Save again: it goes through
    assert json.loads(bucket.get(f"{META}/images/a.json"))["metadata"]["label"] == "dog"
    assert not ws.document("images/a.json").modified


class Silent:
    """A TCP server on 127.0.0.1 that accepts connections and never answers (a stalled network)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            self.conns.append(conn)

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


@pytest.mark.parametrize("bucket", PROVIDERS, indirect=True)
def test_a_stalled_store_times_out_naming_the_object(bucket, template, monkeypatch, short_network):
    ws = open_ws(bucket.upload(template, "ds"))
    ws.set_value("images/a.json", "label", "dog")
    silent = Silent()
    try:
        for var in ("AWS_ENDPOINT_URL", "STORAGE_EMULATOR_HOST", "AZURE_STORAGE_CONNECTION_STRING"):
            value = bucket.server.env.get(var)
            if value:  # the same store's settings, pointed at a server that never answers
                monkeypatch.setenv(var, value.replace(value.split(":")[2].split("/")[0], str(silent.port)))
        with pytest.raises(WriteError) as e:
            ws.save("images/a.json")
        assert "images/a.json" in str(e.value)
        assert silent.accepted >= 1  # the request reached the silent server and timed out there
    finally:
        silent.close()
    assert ws.document("images/a.json").modified
