"""One truth: after every kind of change, the window's counts are what `validate` finds on disk.

Each flow changes the datasource through the window (or from outside, while it is open),
then compares the status bar, the Problems list, `MainWindow.problem_counts()` and the file
tree's badges with `core.validation.validate.validate_datasource` — the function the CLI's
`validate` runs — over the same folder.
"""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtGui import QAction

import main
from core.format.findings import ERROR, WARNING
from core.validation.validate import validate_datasource
from gui.common import settings
from gui.common.commands import replace_data_command
from gui.common.workers import wait_all
from gui.file_tree.model import STATE_ROLE
from gui.schema.table_model import PATH, TYPE
from tests.datasets import WEATHER_SCHEMA, metadata_dir, write_datasource
from tests.videos import encode_video

N_FRAMES = 12


@pytest.fixture(scope="module")
def video_bytes(tmp_path_factory):
    return encode_video(tmp_path_factory.mktemp("videos") / "v.mp4", N_FRAMES).read_bytes()


@pytest.fixture
def ds(tmp_path, video_bytes):
    media = dict.fromkeys(("a.png", "b.png", "c.png"), b"not decoded")
    media["clips/v.mp4"] = video_bytes
    return write_datasource(tmp_path / "ds", media=media, indent=2, end="\n", files={
        "schema.json": WEATHER_SCHEMA,
        "a.json": {"file_name": "a.png", "type": "image", "metadata": {"count": 1}},
        "b.json": {"file_name": "b.png", "type": "image", "metadata": {"count": "two"}},
        "clips/v-3-mp4.json": {"file_name": "clips/v-3-mp4.png", "type": "frame",
                               "metadata": {"weather": {"description": "rain"}}},
    })


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    settings.use_file(str(tmp_path / "settings.ini"))
    yield
    settings.use_file(None)


@pytest.fixture
def window(qtbot, ds):
    w = main.build_window(ds)
    qtbot.addWidget(w)
    w.show()
    w.errors = []
    w.show_error = lambda title, text: w.errors.append(f"{title}: {text}")
    w.ask_save_discard_cancel = lambda action: "discard"
    w.ask_save_schema_with_errors = lambda errors: True
    w.inspect.actions.ask_fix = lambda question: True
    with qtbot.waitSignal(w.loaded, timeout=30000):
        pass
    settle(w, qtbot)
    yield w
    w.close()
    wait_all()


def settle(w, qtbot) -> None:
    qtbot.waitUntil(lambda: w.loader.validated and not w.loader.busy, timeout=30000)
    w.saver.flush()  # files that became clean (an undo of a rename) are validated after a debounce
    w.inspect.flush_findings()


def core_findings(root):
    return validate_datasource(root)[1]


def counts(findings) -> tuple[int, int]:
    return (sum(f.severity == ERROR for f in findings), sum(f.severity == WARNING for f in findings))


def assert_one_truth(w, qtbot, root) -> None:
    """Status bar, Problems list, problem_counts() and tree badges all say what validate says."""
    settle(w, qtbot)
    findings = core_findings(root)
    expected = counts(findings)
    assert w.problem_counts() == expected
    assert w.inspect.problems.counts() == expected
    errors, warnings = expected
    text = w.status.counts_label.text()
    assert f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning" in text, text
    assert sorted(f.text() for f in w.findings.all()) == sorted(f.text() for f in findings)
    model = w.files.model
    for image in ("a.png", "b.png", "c.png"):
        severities = {f.severity for f in findings if f.media == image}
        badge = model.index_of(image).data(STATE_ROLE)
        assert (badge == ERROR) == (ERROR in severities), (image, badge, severities)


def value_type_files(w) -> list[str]:
    return sorted(f.file for f in w.findings.all() if f.code == "value-type")


def action(w, name: str) -> QAction:
    return w.findChild(QAction, name)


def test_open_edit_save_and_undo_agree_with_validate(window, qtbot, ds):
    w = window
    assert_one_truth(w, qtbot, ds)
    w.select_media("a.png")
    data = json.loads((metadata_dir(ds) / "a.json").read_text())
    data["metadata"]["count"] = "not a number"  # as the raw JSON editor would
    w.undo_stack.push(replace_data_command(w.workspace, "a.json", data))
    assert_one_truth(w, qtbot, ds)  # an unsaved edit changes nothing on disk
    assert w.save_all()
    assert_one_truth(w, qtbot, ds)
    assert any(f.file == "a.json" and f.code == "value-type" for f in w.findings.all())
    w.undo_stack.undo()
    assert w.save_all()
    assert_one_truth(w, qtbot, ds)


def test_schema_save_from_the_schema_tab_revalidates_every_view(window, qtbot, ds):
    """The bug: Save schema on the Schema tab left Problems, badges and status stale until F5."""
    w = window
    before = w.problem_counts()
    assert value_type_files(w) == ["b.json"]
    model = w.schema_panel.model
    row = [e.path for e in w.workspace.schema_entries].index("count")
    assert model.setData(model.index(row, TYPE), "CATEGORICAL_STRING")
    with qtbot.waitSignal(w.validated, timeout=30000):
        w.schema_panel.save_button.click()
    assert_one_truth(w, qtbot, ds)
    assert value_type_files(w) == ["a.json"]  # count 1 is now the wrong type, b.json's "two" fits
    w.undo_stack.undo()
    with qtbot.waitSignal(w.validated, timeout=30000):
        action(w, "actionSaveSchema").trigger()
    assert_one_truth(w, qtbot, ds)
    assert w.problem_counts() == before and value_type_files(w) == ["b.json"]


def test_saving_a_schema_with_errors_asks_first(window, qtbot, ds):
    w = window
    asked = []
    w.ask_save_schema_with_errors = lambda errors: asked.append(errors) or False
    model = w.schema_panel.model
    assert model.setData(model.index(0, PATH), "weather")  # a prefix of weather.temperature
    on_disk = (metadata_dir(ds) / "schema.json").read_bytes()
    assert not w.saver.save_schema()
    assert asked and any(f.code == "path-conflict" for f in asked[0])
    assert (metadata_dir(ds) / "schema.json").read_bytes() == on_disk
    w.ask_save_schema_with_errors = lambda errors: True
    with qtbot.waitSignal(w.validated, timeout=30000):
        assert w.saver.save_schema()
    assert (metadata_dir(ds) / "schema.json").read_bytes() != on_disk
    assert_one_truth(w, qtbot, ds)


def test_a_padding_fix_leaves_no_follow_on_finding_and_undo_brings_it_back(window, qtbot, ds):
    w = window
    finding = next(f for f in w.findings.all() if f.code == "frame-padding")
    assert w.inspect.actions.fix(finding)
    assert_one_truth(w, qtbot, ds)
    assert [f for f in w.findings.all() if f.file in ("clips/v-3-mp4.json", "clips/v-03-mp4.json")] == []
    assert json.loads((metadata_dir(ds) / "clips/v-03-mp4.json").read_text())["file_name"] \
        == "clips/v-03-mp4.png"
    w.undo_stack.undo()
    assert_one_truth(w, qtbot, ds)
    assert any(f.code == "frame-padding" for f in w.findings.all())


def test_an_outside_edit_of_a_loaded_file_is_reloaded_and_counted(window, qtbot, ds):
    """Same size and mtime restored (as `cp -p` does): the content decides."""
    w = window
    w.select_media("a.png")
    path = metadata_dir(ds) / "a.json"
    text = path.read_text()
    st = os.stat(path)
    changed = text.replace('"count": 1', '"count":""')
    assert len(changed) == len(text)
    with qtbot.waitSignal(w.outside.checked, timeout=10000) as blocker:
        path.write_text(changed)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert blocker.args == [["a.json"], []]  # no unsaved edits: reloaded quietly
    assert w.workspace.document("a.json").data["metadata"]["count"] == ""
    assert_one_truth(w, qtbot, ds)


def test_an_outside_edit_of_a_file_with_unsaved_edits_is_offered_not_applied(window, qtbot, ds):
    w = window
    w.select_media("a.png")
    ws = w.workspace
    data = json.loads((metadata_dir(ds) / "a.json").read_text())
    data["metadata"]["count"] = 7
    w.undo_stack.push(replace_data_command(ws, "a.json", data))
    path = metadata_dir(ds) / "a.json"
    with qtbot.waitSignal(w.outside.checked, timeout=10000) as blocker:
        path.write_text(path.read_text().replace('"count": 1', '"count": 5'))
    assert blocker.args == [[], ["a.json"]]
    assert w.outside.bar.isVisible()
    assert ws.document("a.json").data["metadata"]["count"] == 7  # mine, until I choose
    w.outside.bar.reload_button.click()
    assert not w.outside.bar.isVisible()
    assert ws.document("a.json").data["metadata"]["count"] == 5 and not ws.document("a.json").modified
    assert_one_truth(w, qtbot, ds)


def test_keep_mine_keeps_the_edits_and_saving_still_asks(window, qtbot, ds):
    w = window
    w.select_media("a.png")
    ws = w.workspace
    data = json.loads((metadata_dir(ds) / "a.json").read_text())
    data["metadata"]["count"] = 7
    w.undo_stack.push(replace_data_command(ws, "a.json", data))
    path = metadata_dir(ds) / "a.json"
    with qtbot.waitSignal(w.outside.checked, timeout=10000):
        path.write_text(path.read_text().replace('"count": 1', '"count": 5'))
    w.outside.bar.keep_button.click()
    assert ws.document("a.json").data["metadata"]["count"] == 7
    asked = []
    w.ask_conflict = lambda rel: asked.append(rel) or "cancel"
    assert not w.save_all()
    assert asked == ["a.json"] and '"count": 5' in path.read_text()


def test_an_outside_edit_of_schema_json_is_reloaded_and_revalidated(window, qtbot, ds):
    w = window
    schema = [dict(e) for e in WEATHER_SCHEMA]
    schema[2]["valueDataType"] = "CATEGORICAL_STRING"  # count: a.json's 1 becomes wrong, b.json's "two" fits
    with qtbot.waitSignal(w.validated, timeout=15000):
        (metadata_dir(ds) / "schema.json").write_text(json.dumps(schema, indent=2) + "\n")
    assert [e.value_type for e in w.workspace.schema_entries][2] == "CATEGORICAL_STRING"
    assert_one_truth(w, qtbot, ds)


def test_an_import_then_save_and_its_undo_agree_with_validate(window, qtbot, ds, tmp_path):
    w = window
    csv_path = tmp_path / "values.csv"
    csv_path.write_text("file_name,Count\nb.png,2\nc.png,7\n")  # b.json's "two" becomes a number

    def run(dialog):
        dialog.choose_csv_path = lambda: str(csv_path)
        with qtbot.waitSignal(dialog.planReady, timeout=10000):
            dialog.choose_button.click()
        dialog.apply_button.click()

    w.inspect.run_import_dialog = run
    action(w, "actionImportCsv").trigger()
    assert_one_truth(w, qtbot, ds)  # unsaved: disk and views unchanged
    assert value_type_files(w) == ["b.json"]
    qtbot.waitUntil(lambda: "2 unsaved files" in w.windowTitle())
    assert w.save_all()
    assert_one_truth(w, qtbot, ds)
    assert value_type_files(w) == [] and (metadata_dir(ds) / "c.json").exists()
    w.undo_stack.undo()
    assert w.save_all()
    assert_one_truth(w, qtbot, ds)
    assert value_type_files(w) == ["b.json"] and not (metadata_dir(ds) / "c.json").exists()
