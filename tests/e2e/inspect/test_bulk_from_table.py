"""Selecting many files: the form's bulk state comes from the dataset table's columns (no
document read), and says the same as the state computed from every document."""

from __future__ import annotations

from core.format.keypath import MISSING
from core.format.samples import SampleRef
from gui.form.row_state import MIXED


def _states(form):
    return {path: (row.source, row.editor.is_mixed(), row.reset_button.isEnabled())
            for path, row in form.fields.rows.items()}


def _from_documents(window, samples):
    """The same selection shown the old way: every document read."""
    form = window.form
    cells, form.selection_cells = form.selection_cells, None
    try:
        form.set_samples([])
        form.set_samples(samples)
        return _states(form)
    finally:
        form.selection_cells = cells


def test_bulk_state_from_the_table_matches_the_documents(window, qtbot):
    samples = [SampleRef.image("img.png"), SampleRef.image("plain.jpg"), SampleRef.video("clips/drive.mp4")]
    ws = window.workspace
    loaded = {d.rel for d in ws.loaded()}
    window.select_samples(samples)
    # Only the first sample's file was read (the tree shows it first); the table answered the rest.
    assert {d.rel for d in ws.loaded()} <= loaded | {samples[0].metadata_rel}
    fast = _states(window.form)
    assert fast["weather.description"][0] == MIXED  # fog / the default / the default
    assert fast["count"][0] == MIXED  # 1 / default 0 / 3
    assert _from_documents(window, samples) == fast


def test_uniform_values_and_an_edit_seen_through_the_table(window, qtbot):
    samples = [SampleRef.image("plain.jpg"), SampleRef.video("clips/drive.mp4")]
    window.select_samples(samples)
    weather = window.form.row("weather.description")
    assert weather.source == "default" and not weather.editor.is_mixed()
    weather.editor.commit_value("snow")  # one bulk edit; the table follows it
    qtbot.waitUntil(lambda: window.form.row("weather.description").source == "file", timeout=10000)
    fast = _states(window.form)
    assert fast["weather.description"] == ("file", False, True)
    assert _from_documents(window, samples) == fast
    assert window.workspace.document(samples[0]).value("weather.description") == "snow"
    assert window.workspace.document(samples[1]).value("weather.description") is not MISSING


def test_a_broken_file_in_the_selection_reads_the_documents(window, qtbot):
    # bad.png's file names another media file: the form can still edit it, so the table answers;
    # a file that is not valid JSON needs its document (the form skips it), so it is read.
    samples = [SampleRef.image("img.png"), SampleRef.image("bad.png")]
    window.select_samples(samples)
    assert _from_documents(window, samples) == _states(window.form)


def test_a_big_selection_waits_for_the_table_instead_of_reading_files(window, qtbot, monkeypatch):
    from gui.form import selection

    monkeypatch.setattr(selection, "READ_LIMIT", 1)  # "big" is 2,000 files; two are enough here
    samples = [SampleRef.image("img.png"), SampleRef.video("clips/drive.mp4")]
    panel = window.inspect.dataset
    panel.rebuild()  # as after a schema change: the values are being read again
    assert not panel.is_ready()
    window.select_samples(samples)
    form = window.form
    assert form.waiting_for_table and not form.fields_content.isEnabled()
    qtbot.waitUntil(lambda: not form.waiting_for_table, timeout=10000)
    assert form.fields_content.isEnabled()
    assert _from_documents(window, samples) == _states(form)


def test_a_big_selection_the_table_cannot_answer_is_read_in_a_worker(window, qtbot, monkeypatch):
    # Frames are no rows of the table unless "Show frames" is on: it never answers for them, so
    # the form reads those documents in a worker instead of waiting for the table for ever.
    from gui.form import selection

    monkeypatch.setattr(selection, "READ_LIMIT", 1)
    panel, form = window.inspect.dataset, window.form
    qtbot.waitUntil(panel.is_ready, timeout=10000)
    assert not panel.frames_box.isChecked()
    frames = [SampleRef.frame_of("clips/drive.mp4", i, 30) for i in (5, 12)]
    samples = [SampleRef.image("img.png"), *frames]
    window.select_samples(samples)
    assert not form.waiting_for_table and form.bulk_read is not None
    qtbot.waitUntil(lambda: form.fields_content.isEnabled(), timeout=10000)
    assert "3 of 3 metadata files exist" in form.header.file.text()
    fast = _states(form)
    assert fast["weather.description"][0] == MIXED  # fog / rain / sunny
    assert _from_documents(window, samples) == fast
    assert "Reading the values" not in form.header.inherits.text()


def test_a_new_selection_drops_the_read_of_the_last_one(window, qtbot, monkeypatch):
    from gui.form import selection

    monkeypatch.setattr(selection, "READ_LIMIT", 1)
    qtbot.waitUntil(window.inspect.dataset.is_ready, timeout=10000)
    frames = [SampleRef.frame_of("clips/drive.mp4", i, 30) for i in (5, 12)]
    window.select_samples(frames)
    first = window.form.bulk_read
    window.select_samples([SampleRef.image("img.png")])  # one file: read at once, no worker
    assert first.cancelled and window.form.bulk_read is None
    assert window.form.fields_content.isEnabled()
    assert window.form.row("weather.description").editor.value() == "fog"


def test_a_frame_file_that_is_not_json_is_skipped_and_said(ds, open_window, qtbot, monkeypatch):
    from gui.form import selection
    from tests.datasets import write_datasource

    write_datasource(ds, files={"clips/drive-07-mp4.json": "{not json"})
    window = open_window(ds)
    monkeypatch.setattr(selection, "READ_LIMIT", 1)
    frames = [SampleRef.frame_of("clips/drive.mp4", i, 30) for i in (5, 7, 12)]
    samples = [SampleRef.image("plain.jpg"), *frames]
    window.select_samples(samples)
    form = window.form
    qtbot.waitUntil(lambda: form.bulk_read is not None and form.bulk_read.done, timeout=10000)
    assert "1 not valid JSON and skipped" in form.header.file.text()
    assert form.fields_content.isEnabled()
    fast = _states(form)
    assert _from_documents(window, samples) == fast


def test_ctrl_a_in_the_tree_edits_media_ids_and_frames_like_the_same_list(window, qtbot, monkeypatch):
    from core.dataset.index_selection import IndexSamples
    from gui.file_tree import panel as tree_panel
    from gui.form import selection

    monkeypatch.setattr(selection, "READ_LIMIT", 1)
    monkeypatch.setattr(tree_panel, "INDEX_SAMPLES_FROM", 1)  # "many" is 1,000 rows
    files, form = window.files, window.form
    files.view.expandAll()
    clip = files.proxy.mapFromSource(files.model.index_of("clips/drive.mp4"))
    qtbot.waitUntil(lambda: files.proxy.rowCount(clip) == 30, timeout=10000)
    files.select_all()
    qtbot.waitUntil(lambda: isinstance(form.samples(), IndexSamples), timeout=10000)
    samples = form.samples()
    assert len(samples) == 3 + 1 + 30  # the images, the video, its frames
    qtbot.waitUntil(form.fields_content.isEnabled, timeout=10000)
    assert "34 files selected" in form.header.title.text()
    assert "5 of 34 metadata files exist" in form.header.file.text()  # img, bad, the video, 2 frames
    fast = _states(form)
    assert fast["weather.description"][0] == MIXED
    assert _from_documents(window, list(samples)) == fast
    from gui.common import settings

    settings.set("editor/autosave", False)
    form.set_samples(samples)  # the tree's selection again, not the list the check above showed
    assert isinstance(form.samples(), IndexSamples)
    qtbot.waitUntil(form.fields_content.isEnabled, timeout=10000)
    form.row("count").editor.commit_value(7)  # one bulk edit of all 34
    qtbot.waitUntil(lambda: window.workspace.document(samples[-1]).value("count") == 7, timeout=10000)
    assert all(window.workspace.document(s).value("count") == 7 for s in samples)
    # Leaving the unsaved selection asks once, found among the modified files, not by a walk.
    asked = []
    window.ask_save_discard_cancel = lambda action: asked.append(action) or "cancel"
    window.select_samples([SampleRef.image("plain.jpg")])
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert asked[0] == "Leave the 34 selected files"
    qtbot.waitUntil(lambda: form.samples() == samples, timeout=10000)  # cancelled: the selection stays
    window.ask_save_discard_cancel = lambda action: "discard"
