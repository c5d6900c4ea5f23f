"""The Problems dock in the window: jumping to files, fields and schema entries, and fixes
re-validated per file without a rescan."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QTableView, QWidget

from core.format.samples import SampleRef
from gui.common.commands import set_value_command
from gui.file_tree.model import PATH_ROLE
from tests.datasets import write_json
from tests.e2e.inspect.support import N_FRAMES, SCHEMA, WRONG_NAME_TEXT, show_frames


def test_fixing_a_wrong_file_name_rewrites_the_file_and_the_problem_goes_without_a_rescan(window, ds, qtbot):
    problems = window.inspect.problems
    finding = next(f for f in window.findings.all() if f.code == "wrong-file-name")
    assert finding.file == "bad.json"
    assert problems.select_finding(finding)
    scans: list = []
    window.loader.indexReady.connect(scans.append)
    # Double-click jumps to the file in the form.
    view = problems.view
    view.scrollTo(view.currentIndex())
    center = view.visualRect(view.currentIndex()).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert window.form.samples() == [SampleRef.image("bad.png")]
    assert problems.fix_button.isEnabled()
    problems.fix_button.click()
    path = ds / ".lightly" / "metadata" / "bad.json"
    assert json.loads(path.read_text()) == {"file_name": "bad.png", "type": "image", "metadata": {"count": 2}}
    assert not window.isWindowModified()
    assert window.findings.for_rel("bad.json") == []
    assert problems.counts() == (0, 0)
    assert problems.model.rowCount() == 0
    assert "0 errors" in window.counts_label.text()
    assert scans == [] and not window.loader.running("validate")
    # Undo takes the fix back as an unsaved edit; saving writes the old bytes back, the problem returns.
    window.findChild(QAction, "actionUndo").trigger()
    qtbot.waitUntil(window.isWindowModified)
    assert window.save_all()
    assert path.read_text() == WRONG_NAME_TEXT
    qtbot.waitUntil(lambda: problems.counts() == (1, 0))
    assert scans == []


def test_a_value_problem_jumps_to_the_field_and_a_save_updates_the_list(window, qtbot):
    window.select_media("img.png")
    window.undo_stack.push(set_value_command(window.workspace, SampleRef.image("img.png"), "count", "many"))
    assert window.save_current()
    problems = window.inspect.problems
    finding = next(f for f in window.findings.for_rel("img.json"))
    assert finding.code == "value-type" and problems.counts() == (2, 0)
    window.tabs.setCurrentIndex(1)
    window.select_media("plain.jpg")
    assert problems.select_finding(finding)
    problems.view.activated.emit(problems.view.currentIndex())
    assert window.tabs.currentIndex() == 0
    assert window.form.samples() == [SampleRef.image("img.png")]
    field = window.findChild(QWidget, "field:count")
    assert field.hasFocus() or field.isAncestorOf(QApplication.focusWidget())




def test_schema_orphan_and_frame_file_problems_jump_and_a_rename_fix_asks_first(ds, open_window, qtbot):
    md = ds / ".lightly" / "metadata"
    misspelt = {"name": "Speed", "path": "speed", "defaultValue": 1.0, "valueDataType": "NUMERIC_FLAOT"}
    schema = [*SCHEMA, misspelt]
    (md / "schema.json").write_text(json.dumps(schema, indent=2) + "\n")
    write_json(md / "gone.json", {"file_name": "gone.png", "type": "image", "metadata": {}}, end="\n")
    padded = {"file_name": "clips/drive-07-mp4.png", "type": "frame", "metadata": {"count": 9}}
    write_json(md / "clips" / "drive-7-mp4.json", padded, end="\n")
    window = open_window(ds)
    problems, actions = window.inspect.problems, window.inspect.actions
    by_code = {f.code: f for f in window.findings.all()}
    assert {"unknown-type", "orphan", "frame-padding"} <= set(by_code)

    # A schema finding: the Schema tab, on the entry's type cell.
    problems.findingActivated.emit(by_code["unknown-type"])
    assert window.tabs.currentWidget() is window.schema_panel
    table = window.schema_panel.findChild(QTableView, "schemaTable")
    assert (table.currentIndex().row(), table.currentIndex().column()) == (3, 3)

    # An orphan: its row in the tree's orphan group.
    problems.findingActivated.emit(by_code["orphan"])
    assert window.tabs.currentIndex() == 0
    assert window.files.view.currentIndex().data(PATH_ROLE) == "gone.json"
    assert window.form.samples() == []

    # A misnamed frame file: its video; the fix renames it after asking.
    problems.findingActivated.emit(by_code["frame-padding"])
    assert window.form.samples() == [SampleRef.video("clips/drive.mp4")]
    questions = []
    actions.ask_fix = lambda question: questions.append(question) or False
    assert not actions.fix(by_code["frame-padding"])
    assert questions and (md / "clips" / "drive-7-mp4.json").exists()
    actions.ask_fix = lambda question: True
    scans: list = []
    window.loader.indexReady.connect(scans.append)
    assert actions.fix(by_code["frame-padding"])
    assert not (md / "clips" / "drive-7-mp4.json").exists()
    assert json.loads((md / "clips" / "drive-07-mp4.json").read_text()) == padded
    assert window.findings.for_rel("clips/drive-7-mp4.json") == []
    assert window.findings.for_rel("clips/drive-07-mp4.json") == []
    assert problems.model.file_index("clips/drive-7-mp4.json").isValid() is False
    assert window.index.has_own_file(SampleRef.frame_of("clips/drive.mp4", 7, N_FRAMES))
    panel = show_frames(window, qtbot)
    row = panel.model.table.row_of(SampleRef.frame_of("clips/drive.mp4", 7, N_FRAMES))
    assert panel.model.index(row, 4).data() == "9"
    window.findChild(QAction, "actionUndo").trigger()
    assert (md / "clips" / "drive-7-mp4.json").exists()
    qtbot.waitUntil(lambda: problems.model.file_index("clips/drive-7-mp4.json").isValid())
    assert scans == []
