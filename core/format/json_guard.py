"""Checks strict JSON text against core.format.limits before it is parsed.

Nearly every file passes a few C-speed tests (`needs_scan`) and is parsed directly, with
hooks that see each number literal and NaN/Infinity (`parse_float`, `parse_int`,
`parse_constant`). Only a file that could nest too deep, hold too long a string or a
surrogate escape, or that a hook refused, is scanned token by token (`scan`), so the finding
names the exact line and column. The scan never recurses and never builds values.
"""

from __future__ import annotations

import json
import re

from core.format import limits

#: One token: a string (to its end, or to the end of the text when unterminated), a
#: non-finite literal, a number, or a bracket. Whitespace, commas and true/false/null are skipped.
_TOKEN = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"?'
    r"|-?Infinity|NaN"
    r"|-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
    r"|[\[\]{}]"
)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_INF = (float("inf"), float("-inf"))


class LimitError(ValueError):
    """The text breaks a limit: `code` is the finding code, `pos` the offset in the text."""

    def __init__(self, code: str, message: str, pos: int):
        super().__init__(message)
        self.code = code
        self.message = message
        self.pos = pos


class Hostile(ValueError):
    """Raised by the parser hooks below: a number or constant the scan must locate and name."""


# Hooks for the JSON decoder: they see every number literal as text, at the cost of one call
# each, and refuse what breaks a limit; `scan` then finds where (numbers are rare per file).
def parse_float(text: str) -> float:
    if len(text) > limits.MAX_NUMBER_CHARS:
        raise Hostile(text)
    value = float(text)
    if value in _INF or (value == 0 and any(c in "123456789" for c in re.split("[eE]", text)[0])):
        raise Hostile(text)
    return value


def parse_int(text: str) -> int:
    if len(text) > limits.MAX_NUMBER_CHARS:  # before int(): Python refuses 4300+ digits itself
        raise Hostile(text)
    return int(text)


def parse_constant(text: str):
    raise Hostile(text)  # NaN, Infinity, -Infinity


def needs_scan(text: str) -> bool:
    """Whether `text` could nest too deep, hold too long a string or a lone surrogate escape
    (False for nearly every real file: C-speed tests). Numbers are the hooks' business."""
    return (
        len(text) > limits.MAX_STRING_CHARS
        or text.count("[") + text.count("{") > limits.MAX_DEPTH
        or ("\\u" in text and _SURROGATE_ESCAPE.search(text) is not None)
    )


def check(text: str) -> None:
    """Raise LimitError for the first token of `text` beyond a limit, if a quick test says there
    may be one (syntax is not checked)."""
    if needs_scan(text):
        scan(text)


def scan(text: str) -> None:
    """Raise LimitError for the first token of `text` beyond a limit: one pass, no recursion."""
    depth = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        c = tok[0]
        if c == '"':
            _check_string(tok, m.start())
        elif c in "[{":
            depth += 1
            if depth > limits.MAX_DEPTH:
                raise LimitError(limits.TOO_DEEP,
                                 f"nested deeper than {limits.MAX_DEPTH} levels (the editor's limit)",
                                 m.start())
        elif c in "]}":
            depth -= 1
        elif tok in ("NaN", "Infinity", "-Infinity"):
            raise LimitError(limits.NON_FINITE, f"{tok} is not a number JSON can hold", m.start())
        else:
            _check_number(tok, m.start())


def _check_string(tok: str, pos: int) -> None:
    if len(tok) - 2 > limits.MAX_STRING_CHARS:
        raise LimitError(limits.STRING_TOO_LONG,
                         f"a string of {len(tok) - 2} characters (the editor's limit is "
                         f"{limits.MAX_STRING_CHARS})", pos)
    if "\\u" not in tok or not _SURROGATE_ESCAPE.search(tok):
        return
    try:
        value = json.loads(tok)
    except ValueError:
        return  # not a complete string: the parser reports the syntax error
    if _SURROGATE.search(value):
        esc = _SURROGATE_ESCAPE.search(tok)
        raise LimitError(limits.INVALID_UNICODE,
                         f"{esc.group()} is half of a UTF-16 surrogate pair: not a character, "
                         "cannot be written as UTF-8", pos + esc.start())


def _check_number(tok: str, pos: int) -> None:
    if len(tok) > limits.MAX_NUMBER_CHARS:
        raise LimitError(limits.NUMBER_TOO_LONG,
                         f"a number of {len(tok)} characters (the editor's limit is "
                         f"{limits.MAX_NUMBER_CHARS})", pos)
    if not any(ch in tok for ch in ".eE"):
        return  # an integer of at most MAX_NUMBER_CHARS digits is exact
    value = float(tok)
    if value in (float("inf"), float("-inf")):
        raise LimitError(limits.NON_FINITE,
                         f"{tok} is too large for a 64-bit float: it would be read as "
                         f"{'-' if value < 0 else ''}Infinity", pos)
    mantissa = re.split("[eE]", tok)[0]
    if value == 0 and any(ch in "123456789" for ch in mantissa):
        raise LimitError(limits.UNDERFLOW,
                         f"{tok} is too small for a 64-bit float: it would be read as 0", pos)


def line_column(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of offset `pos`."""
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1
