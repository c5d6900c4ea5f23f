"""PreviewView: real images and real encoded videos, decoded off the GUI thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.format.samples import SampleRef
from gui.media.preview import PreviewView
from tests.videos import encode_video, frame_index_of, write_garbage_video


@pytest.fixture(scope="module")
def video_file(tmp_path_factory):
    return encode_video(tmp_path_factory.mktemp("media") / "clip.mp4", 60, gop=12)


@pytest.fixture
def root(tmp_path, video_file):
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 30, 30))
    assert image.save(str(tmp_path / "red.png"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "clip.mp4").write_bytes(video_file.read_bytes())
    write_garbage_video(tmp_path / "broken.mp4")
    return tmp_path


@pytest.fixture
def view(qtbot):
    v = PreviewView()
    qtbot.addWidget(v)
    v.resize(400, 300)
    v.show()
    return v


def shown_index(view: PreviewView) -> int:
    image = view.current_image().convertToFormat(QImage.Format.Format_RGB888)
    w, h, line = image.width(), image.height(), image.bytesPerLine()
    data = bytes(image.constBits())
    rgb = b"".join(data[y * line : y * line + w * 3] for y in range(h))
    return frame_index_of(w, h, rgb)


def loaded(view):
    return lambda: not view.is_loading()


def test_object_name_and_empty_state(view):
    assert view.objectName() == "previewView"
    assert view.current_image() is None
    assert "Select" in view.message.text()


def test_image_is_shown_scaled_to_fit(qtbot, view, root):
    view.show_sample(root, SampleRef.image("red.png"))
    qtbot.waitUntil(loaded(view))
    image = view.current_image()
    assert (image.width(), image.height()) == (40, 30)
    assert QColor(image.pixel(5, 5)) == QColor(200, 30, 30)
    assert view.zoom() > 5  # 40x30 fitted into ~400x270
    assert "red.png" in view.caption.text() and "40×30" in view.caption.text()


def test_video_frame_shown_is_the_requested_one(qtbot, view, root):
    with qtbot.waitSignal(view.frameShown) as shown:
        view.show_sample(root, SampleRef.frame_of("sub/clip.mp4", 37, 60))
    assert shown.args == [37]
    assert view.shown_frame == 37 and shown_index(view) == 37
    assert "frame 37 / 60" in view.caption.text()
    # a whole video shows its first frame
    view.show_sample(root, SampleRef.video("sub/clip.mp4"), n_frames=60)
    qtbot.waitUntil(lambda: view.shown_frame == 0)
    assert shown_index(view) == 0


def test_scrubbing_shows_the_last_request_and_skips_stale_ones(qtbot, view, root):
    view.show_sample(root, SampleRef.frame_of("sub/clip.mp4", 0, 60))
    qtbot.waitUntil(loaded(view))
    before = view._loader.decodes
    for frame in range(1, 60):
        view.show_frame(frame)
    qtbot.waitUntil(lambda: not view.is_loading() and view.shown_frame == 59)
    assert shown_index(view) == 59
    assert view._loader.decodes - before < 59  # superseded requests were never decoded
    # stepping back hits the frame cache or seeks: still the exact frame
    view.show_frame(12)
    qtbot.waitUntil(lambda: view.shown_frame == 12)
    assert shown_index(view) == 12


def test_unreadable_video_and_missing_image_are_messages(qtbot, view, root):
    view.show_sample(root, SampleRef.video("broken.mp4"))
    qtbot.waitUntil(loaded(view))
    assert view.current_image() is None
    assert "broken.mp4" in view.message.text() and "Cannot show this video" in view.message.text()
    assert view.message.isVisible() and not view.view.isVisible()
    view.show_sample(root, SampleRef.image("gone.png"))
    qtbot.waitUntil(loaded(view))
    assert "gone.png" in view.error_text and "not found" in view.error_text
    # and a readable sample afterwards shows again
    view.show_sample(root, SampleRef.image("red.png"))
    qtbot.waitUntil(loaded(view))
    assert view.current_image() is not None and view.view.isVisible()


def test_zoom_keys_wheel_and_fit(qtbot, view, root):
    view.show_sample(root, SampleRef.image("red.png"))
    qtbot.waitUntil(loaded(view))
    fit = view.zoom()
    view.view.setFocus()
    QTest.keyClick(view.view, Qt.Key.Key_Plus)
    assert view.zoom() == pytest.approx(fit * 1.25)
    assert view.zoom_label.text() == f"{round(fit * 125)}%"
    QTest.keyClick(view.view, Qt.Key.Key_Minus)
    QTest.keyClick(view.view, Qt.Key.Key_Minus)
    assert view.zoom() == pytest.approx(fit / 1.25)
    port = view.view.viewport()
    centre = QPointF(port.rect().center())
    wheel = QWheelEvent(centre, port.mapToGlobal(centre), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(port, wheel)
    assert view.zoom() == pytest.approx(fit / 1.25 * 1.25 ** 2)
    view.zoom_actual()
    assert view.zoom() == pytest.approx(1.0)
    QTest.keyClick(view.view, Qt.Key.Key_F)
    assert view.zoom() == pytest.approx(fit) and view.zoom_label.text().startswith("Fit")


def test_none_clears(qtbot, view, root):
    view.show_sample(root, SampleRef.image("red.png"))
    qtbot.waitUntil(loaded(view))
    view.show_sample(root, None)
    assert view.current_image() is None and view.sample() is None
    assert view.message.isVisible()
