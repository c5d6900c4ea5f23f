"""The fast JSON path agrees with the guarded parser on every input: the same value, or a
fall back to jsonio, which then gives the same JsonSyntaxError (code, message, line, column)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.format import fast_json, jsonio, limits
from tests.fuzz.corpus import CASES, mutants

#: Codes the parser gives (the fast path must hand every such file to jsonio).
PARSER_CODES = {"invalid-json", "invalid-unicode", "non-finite-number", "number-underflow", "too-deep",
                "number-too-long", "string-too-long", "file-too-large"}


def guarded(raw: bytes):
    try:
        return "ok", jsonio.loads(jsonio.decode_text(raw))
    except jsonio.JsonSyntaxError as e:
        return "error", (e.code, e.message, e.line, e.column)


def fast(raw: bytes):
    try:
        return "ok", fast_json.loads_bytes(raw)
    except jsonio.JsonSyntaxError as e:
        return "error", (e.code, e.message, e.line, e.column)


def same(a, b) -> bool:
    """Equal values of equal types all the way down (1 == 1.0 == True is not good enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return repr(a) == repr(b)
    return a == b


def check(raw: bytes) -> None:
    want, got = guarded(raw), fast(raw)
    assert want[0] == got[0], (raw[:200], want, got)
    if want[0] == "ok":
        assert same(want[1], got[1]), raw[:200]
    else:
        assert want == got


@pytest.mark.parametrize("case", [c for c in CASES if c.content is not None and c.name != "file-50mb"],
                         ids=lambda c: c.name)
def test_the_hostile_cases_fall_back_and_get_the_guarded_finding(case):
    raw = case.content("a.png")
    check(raw)
    if case.codes <= PARSER_CODES:  # the others parse: their findings come from the checks
        with pytest.raises(fast_json.NotFast):
            fast_json.loads_fast(raw)


def test_random_damage_never_makes_the_two_paths_differ():
    for case in mutants(3000, seed=5):
        check(case.content("a.png"))


@pytest.mark.parametrize("raw", [
    b'{"a": 1, "a": 1}', b'{"a": {"b": 1}, "c": {"b": 2, "b": 3}}', b'{"t": "12:00", "t": "1"}',
    b'{"\\u003a": 1, "x": 2}', b'{"a": "\\u003A", "a": 2}', b'{"a": 18446744073709551615}',
    b'{"a": -9223372036854775809}', b'{"a": 1' + b"0" * 99 + b'}', b'{"a": 0.' + b"1" * 120 + b'}',
    b'{"a": 1e308, "b": 1e309}', b'{"a": 5e-324, "b": 2e-324, "c": 0.0e5, "d": -0.0}', b'1.5', b'"x"',
    b'\xef\xbb\xbf{"a": 1}', b'{"a": 1} ', b'{"a": 1} x', b' [1, 2.50, "\\ud83d\\ude00", null, true]',
    b'{"a": "\\\\u003a"}', b'{"a":"b:c", "d": "e"}', b'{"a": [' + b"[" * 98 + b"]" * 98 + b']}',
    b'{"a": [' + b"[" * 99 + b"]" * 99 + b']}', b'{"a": "\\/\\b\\f\\n\\r\\t\\"\\\\"}',
])
def test_edge_cases(raw):
    check(raw)


def test_a_valid_file_takes_the_fast_path():
    raw = json.dumps({"file_name": "a.png", "type": "image", "metadata": {
        "t": "2024-01-01T10:00:00Z", "x": [1.5, -2, 0.25e3], "ü": "ö"}},
        indent=2, ensure_ascii=False).encode()
    assert same(fast_json.loads_fast(raw), json.loads(raw))


_json = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=4), kids, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_json, st.booleans(), st.booleans())
def test_generated_documents(value, indent, ascii_only):
    text = json.dumps(value, indent=2 if indent else None, ensure_ascii=ascii_only)
    check(text.encode("utf-8", "surrogatepass"))
    assert limits.MAX_DEPTH > 20
