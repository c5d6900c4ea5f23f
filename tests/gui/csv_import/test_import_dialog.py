"""The import dialog: dry-run report, Apply as one undo step, undo restores every byte."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from core.dataset.index import scan
from core.format.samples import SampleRef
from core.workspace import Workspace
from gui.csv_import.dialog import ImportDialog
from gui.csv_import.plan_model import ITEM_ROLE, ImportPlanModel
from tests.datasets import metadata_bytes as disk
from tests.datasets import write_datasource

SCHEMA = [
    {"name": "Label", "path": "label", "defaultValue": "none", "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Speed", "path": "motion.speed", "defaultValue": 0.5, "valueDataType": "NUMERIC_FLOAT"},
]


@pytest.fixture
def ds(tmp_path):
    return write_datasource(tmp_path / "ds", media=dict.fromkeys(
        ("images/a.png", "images/b.png", "images/new/c.png"), b"img"), files={
        "schema.json": SCHEMA,
        # Unusual formatting on purpose: undo must bring back these exact bytes.
        "images/a.json":
            '{"file_name":"images/a.png","type":"image","metadata":{"label":"cat","other":[1,2]},"x":1}',
        "images/b.json": '{ "file_name": "images/b.png", "type": "image", "metadata": { "label": "dog" } }\n',
    })


@pytest.fixture
def make_dialog(ds, qtbot, tmp_path):
    def make(csv_text: str | bytes, unsaved: dict | None = None):
        index = scan(ds)
        ws = Workspace(ds)
        ws.index = index
        for (media, path), value in (unsaved or {}).items():
            ws.set_value(SampleRef.image(media), path, value)
        stack = QUndoStack()
        dialog = ImportDialog(ws, index, stack)
        qtbot.addWidget(dialog)
        csv_path = tmp_path / "values.csv"
        if isinstance(csv_text, bytes):
            csv_path.write_bytes(csv_text)
        else:
            csv_path.write_text(csv_text)
        dialog.choose_csv_path = lambda: str(csv_path)  # the file dialog, replaced
        with qtbot.waitSignal(dialog.planReady, timeout=10000):
            dialog.choose_button.click()
        return dialog, ws, index, stack

    return make


GOOD = "file_name,Label,Speed\nimages/a.png,bird,\nimages/b.png,dog,2.5\nimages/new/c.png,fish,\nx.png,1,\n"


def test_report_then_apply_then_undo_restores_every_byte(ds, make_dialog, qtbot):
    before = disk(ds)
    dialog, ws, index, stack = make_dialog(GOOD)
    plan = dialog.plan
    assert plan.ok and dialog.apply_button.isEnabled()
    summary = {label: w.text() for label, w in dialog.summary_labels.items()}
    assert summary["files to create"] == "1" and summary["values to change"] == "3"
    assert summary["rows matching no media"] == "1" and summary["cells already equal (skipped)"] == "1"
    assert dialog.model.rowCount() == 1 + 3  # the warning, then the changes
    assert dialog.verdict_label.text() == "Ready: 3 values in 3 files, 1 of them new."
    assert disk(ds) == before  # the dry run wrote nothing

    with qtbot.waitSignal(dialog.applied) as blocker:
        dialog.apply_button.click()
    assert blocker.args == [3]
    assert dialog.verdict_label.text().startswith("Changed 3 files: not saved yet")
    assert not dialog.apply_button.isEnabled()
    assert stack.count() == 1 and stack.undoText() == "Import values.csv"
    assert disk(ds) == before  # one saving model: an import is unsaved edits until Save
    assert len(ws.modified_documents()) == 3
    save_all(ws)
    after = disk(ds)
    assert json.loads(after["images/a.json"]) == {
        "file_name": "images/a.png", "type": "image", "metadata": {"label": "bird", "other": [1, 2]}, "x": 1}
    assert json.loads(after["images/new/c.json"])["metadata"] == {"label": "fish"}
    assert json.loads(after["images/b.json"])["metadata"] == {"label": "dog", "motion": {"speed": 2.5}}
    assert not ws.modified_documents()

    stack.undo()
    assert len(ws.modified_documents()) == 3 and disk(ds) == after
    save_all(ws)
    assert disk(ds) == before  # byte for byte; the created file is gone
    stack.redo()
    save_all(ws)
    assert disk(ds) == after


def save_all(ws) -> None:
    for doc in ws.modified_documents():
        ws.save(doc.rel)


def test_bad_csv_disables_apply_and_writes_nothing(ds, make_dialog):
    before = disk(ds)
    dialog, ws, _, stack = make_dialog(
        "file_name;Label;Speed;Colour\nimages/a.png;bird;fast;red\nimages/a.png;bird;;\n")
    assert not dialog.plan.ok and not dialog.apply_button.isEnabled()
    assert dialog.verdict_label.text() == "2 errors: nothing will be written."
    model = dialog.model
    kinds = [model.data(model.index(r, 0), ITEM_ROLE).kind for r in range(model.rowCount())]
    assert kinds == ["value-type", "duplicate-row", "unknown-column"]
    assert dialog.summary_labels["duplicate rows"].text() == "1"
    dialog.apply()  # refused
    assert stack.count() == 0 and disk(ds) == before
    dialog.copy_report()
    from PySide6.QtGui import QGuiApplication

    assert "'fast' is not a number" in QGuiApplication.clipboard().text()


def test_skip_invalid_rows_then_apply_the_valid_ones(ds, make_dialog, qtbot):
    before = disk(ds)
    dialog, ws, _, stack = make_dialog('file_name,Label,Speed\nimages/a.png,bird,fast\nimages/b.png,"ow"l,\n'
                                       "images/new/c.png,fish,\n")
    assert not dialog.apply_button.isEnabled() and dialog.skip_button.isEnabled()
    dialog.skip_button.click()
    assert dialog.plan.ok and dialog.apply_button.isEnabled() and not dialog.skip_button.isEnabled()
    assert dialog.summary_labels["invalid rows skipped"].text() == "2"
    model = dialog.model
    assert model.rowCount() == 2 + 1  # the two skipped rows (with their reasons), the change
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["skipped", "skipped"]
    with qtbot.waitSignal(dialog.applied):
        dialog.apply_button.click()
    assert disk(ds) == before  # unsaved until Save, like every edit
    save_all(ws)
    after = disk(ds)
    assert {k for k in after if after[k] != before.get(k)} == {"images/new/c.json"}


def test_a_typed_path_is_read_on_enter(ds, make_dialog, qtbot, tmp_path):
    before = disk(ds)
    dialog, _, _, stack = make_dialog(GOOD)
    assert dialog.apply_button.isEnabled()
    other = tmp_path / "typed.csv"
    other.write_text("file_name,Label\nimages/a.png,owl\n")
    assert not dialog.path_edit.isReadOnly()
    dialog.path_edit.setText(str(other))
    with qtbot.waitSignal(dialog.planReady, timeout=10000):
        qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    assert dialog.plan.source == "typed.csv" and dialog.plan.ok
    assert stack.count() == 0 and disk(ds) == before  # Enter read the file; it did not press Apply


def test_wrong_delimiter_and_unreadable_files_are_explained(make_dialog):
    dialog, *_ = make_dialog("file_name|Label\nimages/a.png|bird\n")
    assert "single column" in dialog.model.data(dialog.model.index(0, 4))
    assert not dialog.apply_button.isEnabled()
    dialog, *_ = make_dialog("file_name,Label\nimages/a.png,caf\xe9\n".encode("latin-1"))
    assert dialog.plan is None and "not UTF-8" in dialog.info_label.text()
    assert not dialog.apply_button.isEnabled()


def test_nothing_to_change_and_unsaved_edits(make_dialog):
    dialog, *_ = make_dialog("file_name,Label\nimages/a.png,cat\n")
    assert dialog.plan.ok and not dialog.apply_button.isEnabled()
    assert dialog.verdict_label.text().startswith("Nothing to change")
    unsaved = {("images/b.png", "label"): "owl", ("images/a.png", "label"): "x"}
    dialog, *_ = make_dialog("file_name,Label\nimages/a.png,bird\n", unsaved=unsaved)
    assert "1 of these files has unsaved edits" in dialog.verdict_label.text()


def test_plan_model_passes_qtmodeltester(make_dialog, qtmodeltester):
    dialog, *_ = make_dialog(GOOD)
    qtmodeltester.check(dialog.model)
    empty = ImportPlanModel()
    qtmodeltester.check(empty)
