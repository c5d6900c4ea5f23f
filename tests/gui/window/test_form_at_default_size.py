"""At the default window size (1280×820) the form is never clipped: no sideways scrolling,
group headings, labels and values shown whole — beside the preview, for an image and a frame."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

import main
from core.dataset.demo import demo_copy
from gui.common import settings
from gui.common.workers import wait_all


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    settings.use_file(str(tmp_path / "settings.ini"))
    yield
    settings.use_file(None)


@pytest.mark.parametrize("target", [("street_0.png", None), ("videos/drive_long.mp4", 3)])
def test_form_fits_at_the_default_size(qtbot, tmp_path, target):
    w = main.build_window(demo_copy(tmp_path, fresh=True))
    qtbot.addWidget(w)
    w.resize(1280, 820)
    w.show()
    qtbot.waitUntil(lambda: w.index is not None and not w.loader.busy, timeout=30000)
    w.select_media(*target)
    qtbot.wait(50)  # deferred layouts
    scroll = w.form.scroll
    assert not scroll.horizontalScrollBar().isVisible()
    content = scroll.widget()
    assert content.width() >= content.minimumSizeHint().width()
    for title in content.findChildren(QLabel):
        if title.parent().objectName().startswith("group:") and title.isVisibleTo(content):
            assert title.width() >= title.sizeHint().width(), title.text()  # "camera", not "amera"
    for row in w.form.fields.rows.values():
        for part in (row.editor, row.badge, row.reset_button):
            right = part.mapTo(scroll.viewport(), part.rect().topRight()).x()
            assert right <= scroll.viewport().width(), (row.spec.path, right)
        assert row.editor.width() >= row.editor.minimumSizeHint().width()
    w.close()
    wait_all()
