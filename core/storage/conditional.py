"""One PUT per object, conditional on the version that was read, per provider.

S3: If-Match (ETag) / If-None-Match: * ; GCS: ifGenerationMatch (0: must not exist);
Azure Blob: If-Match (ETag) / If-None-Match: *. A store that rejects the condition header
itself (an old S3-compatible server) falls back to comparing the version just before the
PUT, which narrows the window but cannot close it; that is said in the README.
"""

from __future__ import annotations

import json
from typing import Any

from core.storage.errors import StorageConflict, StorageError


def _sync(store, coro_fn, *args, **kwargs):
    from fsspec.asyn import sync

    return sync(store.fs.loop, coro_fn, *args, **kwargs)


def _is_precondition_failure(e: BaseException) -> bool:
    text = f"{type(e).__name__} {e}".lower()
    code = getattr(e, "code", None) or getattr(e, "status_code", None) or getattr(e, "status", None)
    return (
        code in (409, 412)
        or "precondition" in text
        or "pre-condition" in text
        or "conditionnotmet" in text
        or "412" in text
        or "already exists" in text
        or isinstance(e, FileExistsError)
    )


def _unsupported(e: BaseException) -> bool:
    text = f"{type(e).__name__} {e}".lower()
    return "notimplemented" in text or "not implemented" in text or "501" in text


_UNCONDITIONAL = object()


def put_plain(store, path, data: bytes) -> str | None:
    """Unconditional single PUT; returns the new version."""
    return put(store, path, data, _UNCONDITIONAL)


def put(store, path, data: bytes, expect: Any) -> str | None:
    """PUT `data` if the object is at version `expect` (None: absent); the new version."""
    proto = store.protocol
    try:
        if proto == "s3":
            return _put_s3(store, path, data, expect)
        if proto == "gcs":
            return _put_gcs(store, path, data, expect)
        return _put_azure(store, path, data, expect)
    except StorageConflict:
        raise
    except Exception as e:  # noqa: BLE001 - classified below
        if expect is not _UNCONDITIONAL and _is_precondition_failure(e):
            raise StorageConflict(str(path)) from e
        if expect is not _UNCONDITIONAL and _unsupported(e):
            return _compare_then_put(store, path, data, expect)
        raise store._error(str(path), e) from e


def _compare_then_put(store, path, data: bytes, expect: Any) -> str | None:
    now = store.stat(path)
    if (None if now is None else now.token) != expect:
        raise StorageConflict(str(path))
    store.fs.pipe_file(path.fs_path, data)
    after = store.stat(path)
    return after.token if after else None


def _put_s3(store, path, data: bytes, expect: Any) -> str | None:
    kw: dict[str, Any] = {}
    if expect is None:
        kw["IfNoneMatch"] = "*"
    elif expect is not _UNCONDITIONAL:
        kw["IfMatch"] = f'"{expect}"'
    out = _sync(
        store, store.fs._call_s3, "put_object", Bucket=path.bucket, Key=path.key, Body=data, **kw
    )
    etag = (out or {}).get("ETag")
    return etag.strip('"') if etag else None


def _put_gcs(store, path, data: bytes, expect: Any) -> str | None:
    fs = store.fs
    kw: dict[str, Any] = {}
    if expect is not _UNCONDITIONAL:
        kw["ifGenerationMatch"] = "0" if expect is None else str(expect)
    # A multipart upload (object resource + bytes), as gcsfs itself sends: emulators honour
    # ifGenerationMatch on it, not on uploadType=media.
    meta = json.dumps({"name": path.key, "contentType": "application/json"})
    body = (
        f"--==0==\nContent-Type: application/json; charset=UTF-8\n\n{meta}\n--==0==\n"
        "Content-Type: application/json\n\n"
    ).encode() + data + b"\n--==0==--"
    out = _sync(
        store,
        fs._call,
        "POST",
        f"{fs._location}/upload/storage/v1/b/{path.bucket}/o",
        uploadType="multipart",
        headers={"Content-Type": 'multipart/related; boundary="==0=="'},
        data=body,
        json_out=True,
        **kw,
    )
    gen = (out or {}).get("generation")
    if gen is None:
        raise StorageError(f"{path}: the store did not say which version it wrote")
    return str(gen)


def _put_azure(store, path, data: bytes, expect: Any) -> str | None:
    from azure.core import MatchConditions

    fs = store.fs
    kw: dict[str, Any] = {"overwrite": True, **getattr(fs, "_timeout_kwargs", {})}
    if expect is None:
        kw["overwrite"] = False  # If-None-Match: *
    elif expect is not _UNCONDITIONAL:
        kw["etag"] = f'"{expect}"' if not str(expect).startswith('"') else expect
        kw["match_condition"] = MatchConditions.IfNotModified

    async def upload():
        async with fs.service_client.get_blob_client(container=path.bucket, blob=path.key) as bc:
            return await bc.upload_blob(data=data, metadata={"is_directory": "false"}, **kw)

    out = _sync(store, upload)
    etag = (out or {}).get("etag")
    return etag.strip('"') if etag else None
