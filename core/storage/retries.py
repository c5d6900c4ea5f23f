"""The providers' own retries with backoff, set to the editor's network options.

Each client already retries with exponential backoff; these set how often and how long, so
a dead network fails after ATTEMPTS tries within a bounded wait (and a test can make it
fail fast through the same options users get). Nothing here retries on top of a client.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any


def backoff(attempt: int, most: float) -> float:
    """Seconds before try `attempt` (1 = the first retry): 0.5, 1, 2, 4 ... with jitter."""
    return min(most, 0.5 * 2 ** (attempt - 1)) * (0.75 + random.random() / 2)


def gcs_filesystem(opts: dict[str, Any], attempts: int, most: float):
    """A gcsfs filesystem whose requests are tried `attempts` times (gcsfs's own loop is a
    fixed 6 tries with waits up to 32 s); the same errors are retried, 404s are not."""
    from gcsfs import retry
    from gcsfs.core import GCSFileSystem

    request = GCSFileSystem._request.__wrapped__  # the request without gcsfs's retry loop
    caught = (retry.HttpError, retry.ChecksumError, *retry.RETRIABLE_EXCEPTIONS, asyncio.TimeoutError)

    class EditorGCSFileSystem(GCSFileSystem):
        async def _request(self, *args: Any, **kwargs: Any) -> Any:
            for attempt in range(attempts):
                if attempt:
                    await asyncio.sleep(backoff(attempt, most))
                try:
                    return await request(self, *args, **kwargs)
                except caught as e:
                    code = getattr(e, "code", None) or getattr(e, "status", None)
                    transient = isinstance(e, asyncio.TimeoutError) or retry.is_retriable(e)
                    if code == 404 or not transient or attempt == attempts - 1:
                        raise
            raise AssertionError("unreachable")

    # The plain JSON-API filesystem: gcsfs's experimental default first probes each bucket
    # over gRPC (zonal buckets), which an emulator or a proxy answers only after a timeout.
    return EditorGCSFileSystem(**opts)


def configure_azure(fs: Any, timeout: float, attempts: int, most: float) -> None:
    """The Azure SDK's ExponentialRetry (default: 3 connect retries, the first wait 15 s) set
    to `attempts` tries in all, waiting 1 s, then 1 + 2**n s, and its transport's timeouts
    (default: 20 s to connect, 60 s per read) to `timeout`. adlfs builds the client without
    these options (and passes its own timeouts on some calls only), so they are set in place."""
    client = getattr(fs, "service_client", None)
    config = getattr(getattr(client, "_config", None), "transport", None)
    connection = getattr(config, "connection_config", None)
    if connection is not None:
        connection.timeout = connection.read_timeout = timeout
    policy = getattr(getattr(client, "_config", None), "retry_policy", None)
    if policy is None:
        return
    retries = max(0, attempts - 1)
    for name in ("total_retries", "connect_retries", "read_retries", "status_retries"):
        if hasattr(policy, name):
            setattr(policy, name, retries)
    if hasattr(policy, "initial_backoff"):
        policy.initial_backoff = min(1.0, most)
        policy.increment_base = 2
        policy.random_jitter_range = 0.5
    if hasattr(policy, "backoff_max"):
        policy.backoff_max = most
