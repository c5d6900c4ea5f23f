"""Strict JSON: broken files are reported precisely and never half-written or silently lossy."""

from __future__ import annotations

import math
import os
import stat

import pytest

from core.format import jsonio
from core.format.jsonio import JsonSyntaxError

# Shaped like the examples in Lightly's documentation, which have a trailing comma…
TRAILING_COMMA = """{
    "file_name": "image_0.png",
    "type": "image",
    "metadata": {
        "scene": "city street",
        "weather": {
            "description": "sunny",
            "temperature": 23.2,
        }
    }
}
"""
# …and a missing comma between two members.
MISSING_COMMA = """[
    {
        "name": "Weather description",
        "path": "weather.description"
        "defaultValue": "nothing",
        "valueDataType": "CATEGORICAL_STRING"
    }
]
"""


def _error(text: str) -> JsonSyntaxError:
    with pytest.raises(JsonSyntaxError) as info:
        jsonio.loads(text)
    return info.value


def test_trailing_comma_is_reported_at_the_closing_brace():
    e = _error(TRAILING_COMMA)
    # The parser notices at the `}` after the comma: line 9, its first non-blank column.
    assert (e.line, e.column) == (9, 9)
    assert "line 9, column 9" in str(e)


def test_missing_comma_is_reported_where_the_next_member_starts():
    e = _error(MISSING_COMMA)
    assert (e.line, e.column) == (5, 9)
    assert "','" in e.message


@pytest.mark.parametrize("text", ["", "{", '{"a": }', "[1 2]", "{'a': 1}", '{"a": 1} x'])
def test_other_syntax_errors_carry_a_position(text):
    e = _error(text)
    assert e.line >= 1 and e.column >= 1


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_rejected(literal):
    e = _error(f'{{"x": {literal}}}')
    assert literal.lstrip("-") in e.message or literal in e.message


def test_duplicate_keys_are_rejected_rather_than_silently_dropped():
    e = _error('{"metadata": {"a": 1, "a": 2}}')
    assert "duplicate key 'a'" in str(e)
    assert (e.line, e.column) == (1, 23)  # the second "a"
    assert str(e) == f"line 1, column 23: {e.message}"


def test_valid_json_keeps_key_order_and_types():
    data = jsonio.loads('{"b": 1, "a": [true, null, 1.5, "ü"]}')
    assert list(data) == ["b", "a"]
    assert data["a"] == [True, None, 1.5, "ü"]


def test_read_text_tolerates_a_bom_and_reports_non_utf8(tmp_path):
    p = tmp_path / "bom.json"
    p.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert jsonio.read_json(p) == {"a": 1}
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{\n"a": "caf\xe9"}')
    with pytest.raises(JsonSyntaxError) as info:
        jsonio.read_json(bad)
    assert info.value.line == 2 and "UTF-8" in info.value.message


def test_dumps_is_canonical():
    value = {"zeta": 1, "alpha": {"nested": [1, 2]}, "text": "Grüße 日本"}
    text = jsonio.dumps(value)
    assert text == (
        "{\n"
        '  "zeta": 1,\n'
        '  "alpha": {\n'
        '    "nested": [\n'
        "      1,\n"
        "      2\n"
        "    ]\n"
        "  },\n"
        '  "text": "Grüße 日本"\n'
        "}\n"
    )
    assert jsonio.loads(text) == value


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_dumps_refuses_nan_and_infinity(bad):
    with pytest.raises(ValueError):
        jsonio.dumps({"x": bad})


def test_write_atomic_writes_utf8_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "deep" / "er" / "image_0.json"
    jsonio.write_atomic(target, jsonio.dumps({"k": "ü"}))
    assert target.read_bytes() == '{\n  "k": "ü"\n}\n'.encode()
    assert os.listdir(target.parent) == ["image_0.json"]


def test_write_atomic_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("{}\n", encoding="utf-8")
    os.chmod(target, 0o640)
    jsonio.write_atomic(target, "[]\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8") == "[]\n"
    assert os.listdir(tmp_path) == ["a.json"]


def test_a_new_file_gets_the_usual_permissions_not_mkstemps_0600(tmp_path):
    target = tmp_path / "new.json"
    jsonio.write_atomic(target, "{}\n")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "a.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        jsonio.write_atomic(target, '{"bad": "\ud800"}\n')  # a lone surrogate cannot be UTF-8
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert os.listdir(tmp_path) == ["a.json"]


def test_write_atomic_writes_lf_line_endings(tmp_path):
    target = tmp_path / "a.json"
    jsonio.write_atomic(target, "{\n}\n")
    assert b"\r" not in target.read_bytes()
