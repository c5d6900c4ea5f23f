"""Colours and fonts of the form, derived from the palette so light and dark themes both read."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette

# Where a shown value comes from (core.effective.values sources plus the form's own states).
SET = "file"
INHERITED = "video"
DEFAULT = "default"
INVALID = "invalid"
MIXED = "mixed"

BADGE_TEXT = {
    SET: "set here",
    INHERITED: "inherited",
    DEFAULT: "default",
    INVALID: "invalid",
    MIXED: "mixed",
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def error_color(palette: QPalette) -> QColor:
    return QColor("#ff7b72") if is_dark(palette) else QColor("#c62828")


def warning_color(palette: QPalette) -> QColor:
    return QColor("#e3b341") if is_dark(palette) else QColor("#9a6700")


def muted_color(palette: QPalette) -> QColor:
    """Grey text that reads on the palette's base (PlaceholderText may be translucent)."""
    return mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.55)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` towards `b`."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def badge_style(palette: QPalette, source: str) -> str:
    """Style sheet of the small source badge beside a field."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    accent = palette.color(QPalette.ColorRole.Highlight)
    muted = muted_color(palette)
    if source == SET:
        bg, fg, border, extra = mix(base, accent, 0.30), text, mix(base, accent, 0.6), "font-weight: 600;"
    elif source == INHERITED:
        bg, fg, border, extra = mix(base, accent, 0.10), text, mix(base, accent, 0.5), "font-style: italic;"
    elif source == INVALID:
        red = error_color(palette)
        bg, fg, border, extra = mix(base, red, 0.18), red, red, "font-weight: 600;"
    else:  # default, mixed
        bg, fg, border, extra = base, muted, mix(base, muted, 0.6), "font-style: italic;"
    style = "dashed" if source == INHERITED else "solid"
    return (
        f"QLabel {{ background: {bg.name()}; color: {fg.name()}; border: 1px {style} {border.name()};"
        f" border-radius: 7px; padding: 0px 6px; {extra} }}"
    )


def monospace_font() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
