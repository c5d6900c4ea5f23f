"""The fast path of strict JSON for commands that read every file (validate, export, import).

msgspec parses the bytes (3–5× faster than the standard parser with jsonio's hooks), and a
few C-speed tests prove that core.format.jsonio.loads would return the very same value;
whatever they cannot prove goes to jsonio, which names the finding (code, line, column).
So the fast path never decides an error, it only skips work for files that have none:

- the quick tests of json_guard.needs_scan (length, brackets for the depth, surrogate escapes);
- every float literal goes through json_guard.parse_float (long literals, 1e400, 1e-400);
- orjson re-encodes the value: it refuses integers past 64 bits (the long ones among them);
- duplicate keys: the re-encoded text has as many colons as the input exactly when no key
  was dropped (every colon is a key's or a string's, and no colon is written as `\\u003a`).

Invalid UTF-8, a BOM, NaN/Infinity, syntax errors: msgspec refuses them, and jsonio reports.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
import orjson

from core.format import json_guard, jsonio, limits

#: A surrogate escape (json_guard's concern) or an escaped colon (would upset the key count).
_ESCAPES = re.compile(rb"\\u(?:[dD][89a-fA-F]|003[aA])")
_DECODER = msgspec.json.Decoder(float_hook=json_guard.parse_float)


class NotFast(ValueError):
    """The fast path cannot vouch for this text: parse it with jsonio.loads."""


def loads_fast(raw: bytes) -> Any:
    """The value jsonio.loads(raw.decode()) returns, or NotFast when that is not proven."""
    if (
        len(raw) > limits.MAX_STRING_CHARS
        or raw.count(b"[") + raw.count(b"{") > limits.MAX_DEPTH
        or (b"\\u" in raw and _ESCAPES.search(raw) is not None)
    ):
        raise NotFast
    try:
        value = _DECODER.decode(raw)
        again = orjson.dumps(value)
    except Exception:  # msgspec.DecodeError, json_guard.Hostile, orjson.JSONEncodeError, ...
        raise NotFast from None
    if again.count(b":") != raw.count(b":"):
        raise NotFast  # a duplicate key was dropped
    return value


def loads_bytes(raw: bytes) -> Any:
    """Strict JSON from UTF-8 bytes, exactly as jsonio.loads(jsonio.decode_text(raw)): the
    same value or the same JsonSyntaxError (code, message, line, column)."""
    try:
        return loads_fast(raw)
    except NotFast:
        return jsonio.loads(jsonio.decode_text(raw))
