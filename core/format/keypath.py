"""Schema paths (`weather.temperature`, `cams[0].id`): parsing, and get/set/remove inside JSON."""

from __future__ import annotations

import re
from typing import Any

from core.format import limits

Token = str | int


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


#: Returned when a path does not resolve; distinct from a stored `null`.
MISSING: Any = _Missing()

_SEGMENT = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")


class PathSyntaxError(ValueError):
    pass


class PathLimitError(PathSyntaxError):
    """A well-formed path beyond the editor's limits (an index past MAX_PATH_INDEX, too many keys)."""


def _check_index(i: int) -> int:
    if i > limits.MAX_PATH_INDEX:
        raise PathLimitError(f"array index [{i}] is past the editor's limit of [{limits.MAX_PATH_INDEX}]:"
                             " setting it would build an array of that many elements")
    return i


def parse_path(path: str) -> tuple[Token, ...]:
    """Split `a.b[0].c` into ('a', 'b', 0, 'c'); raise PathSyntaxError when malformed."""
    if not isinstance(path, str) or not path:
        raise PathSyntaxError("path must be a non-empty string")
    tokens: list[Token] = []
    for part in path.split("."):
        m = _SEGMENT.fullmatch(part)
        if not m or not m.group(1).strip():
            raise PathSyntaxError(f"malformed path {path!r} near {part!r}")
        tokens.append(m.group(1))
        for i in _INDEX.findall(m.group(2)):
            if len(i) > 9:  # never convert a giant digit string
                raise PathLimitError(f"array index [{i[:12]}…] is past the editor's limit of "
                                     f"[{limits.MAX_PATH_INDEX}]")
            tokens.append(_check_index(int(i)))
    if len(tokens) > limits.MAX_PATH_TOKENS:
        raise PathLimitError(f"path has {len(tokens)} keys and indexes; the editor's limit is "
                             f"{limits.MAX_PATH_TOKENS}")
    return tuple(tokens)


def is_valid_path(path: object) -> bool:
    try:
        parse_path(path)  # type: ignore[arg-type]
    except PathSyntaxError:
        return False
    return True


def format_path(tokens: tuple[Token, ...]) -> str:
    out = ""
    for t in tokens:
        if isinstance(t, int):
            out += f"[{t}]"
        else:
            out += ("." if out else "") + t
    return out


def _tokens(path: str | tuple[Token, ...]) -> tuple[Token, ...]:
    return parse_path(path) if isinstance(path, str) else path


def get_value(obj: Any, path: str | tuple[Token, ...]) -> Any:
    """The value at `path` inside `obj`, or MISSING when any step does not exist."""
    return follow(obj, _tokens(path))


def follow(cur: Any, tokens: tuple[Token, ...]) -> Any:
    """`get_value` for tokens already parsed (the per-file loops of the table and export)."""
    for t in tokens:
        if type(t) is int:
            if not isinstance(cur, list) or t >= len(cur):
                return MISSING
        elif not isinstance(cur, dict) or t not in cur:
            return MISSING
        cur = cur[t]
    return cur


def set_value(obj: dict, path: str | tuple[Token, ...], value: Any) -> None:
    """Set `value` at `path`, creating objects/arrays on the way (arrays padded with null).

    An intermediate value of the wrong kind (a string where an object is needed) is
    replaced: the user asked for this path explicitly.
    """
    tokens = _tokens(path)
    for t in tokens:
        if isinstance(t, int):
            _check_index(t)
    cur: Any = obj
    for t, nxt in zip(tokens, tokens[1:]):
        empty: Any = [] if isinstance(nxt, int) else {}
        if isinstance(t, int):
            while len(cur) <= t:
                cur.append(None)
            if not isinstance(cur[t], type(empty)):
                cur[t] = empty
        elif not isinstance(cur.get(t), type(empty)):
            cur[t] = empty
        cur = cur[t]
    last = tokens[-1]
    if isinstance(last, int):
        while len(cur) <= last:
            cur.append(None)
    cur[last] = value


def remove_value(obj: dict, path: str | tuple[Token, ...]) -> bool:
    """Remove the value at `path`; objects left empty by the removal are removed too.

    An array element becomes null (or is dropped when last) so other indexes keep
    their meaning. Returns whether anything was removed.
    """
    tokens = _tokens(path)
    chain: list[Any] = [obj]
    for t in tokens[:-1]:
        nxt = get_value(chain[-1], (t,))
        if not isinstance(nxt, (dict, list)):
            return False
        chain.append(nxt)
    parent, last = chain[-1], tokens[-1]
    if get_value(parent, (last,)) is MISSING:
        return False
    if isinstance(last, int):
        if last == len(parent) - 1:
            parent.pop()
        else:
            parent[last] = None
    else:
        del parent[last]
    # Prune objects that the removal left empty (never the root).
    for depth in range(len(chain) - 1, 0, -1):
        container = chain[depth]
        if not (isinstance(container, dict) and not container):
            break
        holder, key = chain[depth - 1], tokens[depth - 1]
        if isinstance(holder, dict):
            del holder[key]
        else:
            break
    return True


def leaf_paths(obj: Any, prefix: tuple[Token, ...] = ()):
    """Yield (path string, value) for every leaf (non-container or empty container)."""
    if isinstance(obj, dict) and obj:
        for k, v in obj.items():
            yield from leaf_paths(v, prefix + (k,))
    elif isinstance(obj, list) and obj:
        for i, v in enumerate(obj):
            yield from leaf_paths(v, prefix + (i,))
    elif prefix:
        yield format_path(prefix), obj
