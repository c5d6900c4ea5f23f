"""Cells a spreadsheet would run as formulas: neutralized on export, restored on import.

A text cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return) is a formula to
Excel, LibreOffice and Google Sheets ("CSV injection"). Export writes it with a leading `'`,
which spreadsheets show as text; import removes that one `'` again, so an export imports
back unchanged. A text already starting with `'` before such a character gets one more `'`,
so the mapping is exact both ways. Numbers (negative ones too) are data, never changed.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _risky(text: str) -> bool:
    return text.lstrip("'").startswith(TRIGGERS)


def neutralize(text: str) -> str:
    """`text` as a spreadsheet-safe cell: `'` prefixed when it would start a formula."""
    return "'" + text if _risky(text) else text


def restore(text: str) -> str:
    """The inverse of `neutralize` (a cell typed as `'=x` imports as `=x`)."""
    return text[1:] if text.startswith("'") and _risky(text) else text
