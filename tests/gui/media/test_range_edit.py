"""Frame range edits on a real 400-frame video: padded files, one undo step, byte-exact undo."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QUndoStack

from core.dataset.index import scan
from core.workspace import Workspace
from gui.common import batch_write
from gui.media.range_dialog import ApplyRangeDialog
from gui.media.range_edit import RangeActions, RangeWriter, apply_range_command, clear_range_command
from tests.videos import encode_video

VIDEO = "clips/drive.mp4"
SCHEMA = [
    {"name": "Weather", "path": "weather", "defaultValue": None, "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Cars", "path": "traffic.cars", "defaultValue": 0, "valueDataType": "NUMERIC_INT"},
]
# A pre-existing frame file, hand-formatted, with keys the schema does not know.
FRAME_150 = (b'{"type": "frame",  "file_name": "clips/drive-150-mp4.png",\n'
             b' "metadata": {"note": "keep me"}, "x": 1}\n')
FRAME_10 = b'{"file_name": "clips/drive-010-mp4.png", "type": "frame", "metadata": {"weather": "fog"}}'


@pytest.fixture(scope="module")
def video_bytes(tmp_path_factory):
    return encode_video(tmp_path_factory.mktemp("v") / "drive.mp4", 400).read_bytes()


@pytest.fixture
def root(tmp_path, video_bytes):
    (tmp_path / "clips").mkdir()
    (tmp_path / VIDEO).write_bytes(video_bytes)
    meta = tmp_path / ".lightly" / "metadata"
    (meta / "clips").mkdir(parents=True)
    (meta / "schema.json").write_text(json.dumps(SCHEMA))
    (meta / "clips" / "drive-150-mp4.json").write_bytes(FRAME_150)
    (meta / "clips" / "drive-010-mp4.json").write_bytes(FRAME_10)
    return tmp_path


@pytest.fixture
def setup(root, qtbot):
    index = scan(root)
    assert index.frame_counts[VIDEO] == 400
    ws = Workspace(root)
    ws.index = index
    return ws, index, QUndoStack()


def frame_files(root) -> dict[str, bytes]:
    folder = root / ".lightly" / "metadata" / "clips"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("drive-*.json"))}


def test_apply_300_frames_writes_exactly_300_padded_files_and_undo_restores(setup, root):
    ws, index, stack = setup
    before = frame_files(root)
    # save=True: the command writes on redo and undo (the window's commands leave that to Save).
    values = {"weather": "rain", "traffic.cars": 3}
    command = apply_range_command(ws, index, VIDEO, 100, 399, values, save=True)
    stack.push(command)
    files = frame_files(root)
    written = set(files) - set(before)
    assert len(written) == 299 and "drive-150-mp4.json" in files  # 300 frames, one existed
    assert {f"drive-{i:03d}-mp4.json" for i in range(100, 400)} == written | {"drive-150-mp4.json"}
    assert len(command.written) == 300 and not command.failed
    data = json.loads(files["drive-123-mp4.json"])
    assert data == {"file_name": "clips/drive-123-mp4.png", "type": "frame",
                    "metadata": {"weather": "rain", "traffic": {"cars": 3}}}
    kept = json.loads(files["drive-150-mp4.json"])
    assert kept["x"] == 1
    assert kept["metadata"] == {"note": "keep me", "weather": "rain", "traffic": {"cars": 3}}
    assert files["drive-010-mp4.json"] == FRAME_10
    assert index.frame_files[VIDEO].keys() == {10, *range(100, 400)}
    assert not ws.modified_documents()

    stack.undo()  # one step
    assert frame_files(root) == before  # byte for byte, the hand-formatted file too
    assert index.frame_files[VIDEO].keys() == {10, 150}
    stack.redo()
    assert frame_files(root) == files


def test_clear_range_deletes_only_that_range_after_confirmation(setup, root, qtbot):
    ws, index, stack = setup
    stack.push(apply_range_command(ws, index, VIDEO, 140, 160, {"weather": "sun"}, save=True))
    before = frame_files(root)
    actions = RangeActions(ws, stack)
    asked = []
    actions.confirm_clear = lambda video, start, end, count: asked.append(count) or False
    assert actions.clear_range(index, VIDEO, 145, 155) is None  # declined: nothing happens
    assert asked == [11] and frame_files(root) == before

    actions.confirm_clear = lambda video, start, end, count: True
    with qtbot.waitSignal(actions.statusMessage) as msg:
        command = actions.clear_range(index, VIDEO, 145, 155)
    assert "11 files changed, not saved yet" in msg.args[0]
    assert frame_files(root) == before  # pending until saved, like every edit
    save_all(ws)
    after = frame_files(root)
    assert set(before) - set(after) == {f"drive-{i:03d}-mp4.json" for i in range(145, 156)}
    assert all(after[name] == before[name] for name in after)
    assert len(command.keys) == 11
    stack.undo()
    save_all(ws)
    assert frame_files(root) == before  # frame 150's original bytes included
    stack.redo()
    save_all(ws)
    assert frame_files(root) == after


def save_all(ws) -> None:
    for doc in ws.modified_documents():
        ws.save(doc.rel)


def test_clear_range_of_original_files_restores_bytes(setup, root):
    ws, index, stack = setup
    before = frame_files(root)
    stack.push(clear_range_command(ws, index, VIDEO, 0, 399, save=True))
    assert frame_files(root) == {}
    stack.undo()
    assert frame_files(root) == before


def test_big_range_is_written_in_the_background_with_progress(setup, root, qtbot, monkeypatch):
    ws, index, stack = setup
    monkeypatch.setattr(batch_write, "SYNC_LIMIT", 50)
    writer = RangeWriter()
    shown = []
    writer.make_progress_dialog = lambda title, total: shown.append(total)
    progress = []
    command = apply_range_command(ws, index, VIDEO, 0, 399, {"weather": "snow"}, writer, save=True)
    with qtbot.waitSignal(writer.finished, timeout=30000):
        stack.push(command)
        writer.task.progressed.connect(lambda done, total, label: progress.append(done))
    assert shown == [400] and progress and progress[-1] == 400
    assert len(frame_files(root)) == 400 and len(command.written) == 400
    assert index.frame_files[VIDEO].keys() == set(range(400))
    with qtbot.waitSignal(writer.finished, timeout=30000):
        stack.undo()
    assert frame_files(root).keys() == {"drive-010-mp4.json", "drive-150-mp4.json"}
    assert frame_files(root)["drive-150-mp4.json"] == FRAME_150


def test_cancelled_background_write_leaves_unsaved_changes(setup, root, qtbot, monkeypatch):
    ws, index, stack = setup
    monkeypatch.setattr(batch_write, "SYNC_LIMIT", 10)
    writer = RangeWriter()
    writer.make_progress_dialog = lambda title, total: None
    command = apply_range_command(ws, index, VIDEO, 0, 399, {"weather": "hail"}, writer, save=True)
    real = command.write_files
    command.write_files = lambda progress=None, cancel=None: real(progress, lambda: True)
    with qtbot.waitSignal(writer.finished, timeout=30000):
        stack.push(command)
    assert command.cancelled and command.written == []
    assert len(ws.modified_documents()) == 400  # kept in the editor, savable later


def test_range_actions_apply_through_the_dialog_choice(setup, root, qtbot):
    ws, index, stack = setup
    actions = RangeActions(ws, stack)
    actions.ask_values = lambda video, start, end, n: (5, 7, {"weather": "dusk"})
    written = []
    actions.rangeWritten.connect(written.append)
    before = frame_files(root)
    command = actions.apply_range(index, VIDEO, 0, 399)
    assert written == [command] and len(command.keys) == 3 and command.written == []
    assert frame_files(root) == before and len(ws.modified_documents()) == 3  # unsaved until Save
    save_all(ws)
    assert {f"drive-{i:03d}-mp4.json" for i in (5, 6, 7)} <= set(frame_files(root))
    actions.ask_values = lambda video, start, end, n: None
    assert actions.apply_range(index, VIDEO, 0, 3) is None
    assert stack.count() == 1


def test_apply_range_dialog_values_from_the_form_editors(setup, qtbot):
    ws, _index, _stack = setup
    dialog = ApplyRangeDialog(ws.specs, VIDEO, 100, 399, 400,
                              known_values=lambda spec: ["rain", "sun"] if spec.path == "weather" else [])
    qtbot.addWidget(dialog)
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).text() == "Apply to 300 frames"
    dialog.accept()  # nothing checked
    assert dialog.result() == 0 and "Check at least one field" in dialog.error_label.text()
    dialog.editors["traffic.cars"].commit_value(4)
    assert dialog.checks["traffic.cars"].isChecked() and not dialog.checks["weather"].isChecked()
    dialog.end_box.setValue(199)
    dialog.accept()
    assert dialog.result() == 1
    assert dialog.values() == {"traffic.cars": 4} and dialog.selected_range() == (100, 199)
    assert dialog.editors["weather"].known_values() == ["rain", "sun"]


def test_dialog_refuses_a_checked_field_without_a_value(setup, qtbot):
    ws, _index, _stack = setup
    dialog = ApplyRangeDialog(ws.specs, VIDEO, 0, 9, 400)
    qtbot.addWidget(dialog)
    dialog.checks["weather"].setChecked(True)
    dialog.accept()
    assert dialog.result() == 0 and "Weather: enter a value" in dialog.error_label.text()
