"""Which files are media and which of them Lightly reads come from the settings (configurable)."""

from __future__ import annotations

from gui.common import settings
from gui.session.loader import extensions_from_settings


def test_extension_lists_come_from_the_settings(tmp_path):
    settings.use_file(str(tmp_path / "settings.ini"))
    try:
        default = extensions_from_settings()
        assert default.unread == {"webp", "mkv"}
        settings.set("media/lightly_extensions", "png, jpg, webp mp4")
        settings.set("media/video_extensions", "mp4 mkv")
        told = extensions_from_settings()
        assert told.kind_of("a.MKV") == "video"
        assert told.unread == {"jpeg", "bmp", "gif", "tif", "tiff", "mkv"}
    finally:
        settings.use_file(None)
