"""The lazy media tree: structure over a real scanned datasource, lazily fetched frames, badges."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from core.dataset.index import scan
from core.format.findings import ERROR, WARNING, Finding
from core.format.samples import SampleRef
from gui.file_tree.model import KIND_ROLE, PATH_ROLE, SAMPLE_ROLE, STATE_ROLE, FileTreeModel
from gui.file_tree.name_filter import FileFilterProxy
from gui.file_tree.panel import FileTreePanel
from gui.session.findings_lookup import FindingsLookup
from tests.datasets import write_datasource
from tests.videos import encode_video


@pytest.fixture(scope="module")
def video_bytes(tmp_path_factory):
    return encode_video(tmp_path_factory.mktemp("video") / "v.mp4", 12).read_bytes()


@pytest.fixture
def datasource(tmp_path, video_bytes):
    media = dict.fromkeys(("a.png", "sub/b.jpg", "sub/deep/c.png", "zebra.png"), b"not decoded")
    media["clips/vid.mp4"] = video_bytes
    return write_datasource(tmp_path / "ds", media=media, files={
        "a.json": {"file_name": "a.png", "type": "image", "metadata": {}},
        "clips/vid.json": {"file_name": "clips/vid.mp4", "type": "video", "metadata": {}},
        "clips/vid-03-mp4.json": {"file_name": "clips/vid-03-mp4.png", "type": "frame", "metadata": {}},
        "gone.json": {"file_name": "gone.png", "type": "image", "metadata": {}},
    })


@pytest.fixture
def model(datasource, qapp):
    m = FileTreeModel()
    m.set_index(scan(datasource))
    return m


def _names(model, parent=QModelIndex()):  # noqa: B008
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def test_structure_follows_the_folders_with_orphans_last(model):
    assert _names(model) == ["clips", "sub", "a.png", "zebra.png", "Orphan metadata (1)"]
    sub = model.index_of("sub")
    assert _names(model, sub) == ["deep", "b.jpg"]
    assert _names(model, model.index_of("sub/deep")) == ["c.png"]
    orphans = model.index(4, 0)
    assert orphans.data(KIND_ROLE) == "orphans"
    assert _names(model, orphans) == ["gone.json"]
    assert model.index_of("sub/deep/c.png").data(SAMPLE_ROLE) == SampleRef.image("sub/deep/c.png")
    assert model.orphan_index("gone.json").data() == "gone.json"


def test_model_passes_the_model_tester_before_and_after_fetching_frames(model, qtmodeltester):
    video = model.index_of("clips/vid.mp4")
    assert model.canFetchMore(video)
    qtmodeltester.check(model)
    model.fetchMore(video)
    assert model.rowCount(video) == 12
    qtmodeltester.check(model)


def test_filter_proxy_passes_the_model_tester(model, qtmodeltester):
    proxy = FileFilterProxy()
    proxy.setSourceModel(model)
    model.fetchMore(model.index_of("clips/vid.mp4"))
    proxy.set_text("b")
    qtmodeltester.check(proxy)


def test_frames_are_labelled_with_padded_numbers_and_lead_to_frame_samples(model):
    video = model.index_of("clips/vid.mp4")
    model.fetchMore(video)
    assert _names(model, video)[:3] == ["00", "01", "02"]
    frame = model.index_of("clips/vid.mp4", 7)
    assert frame.data() == "07"
    assert frame.data(SAMPLE_ROLE) == SampleRef.frame_of("clips/vid.mp4", 7, 12)
    assert frame.parent() == video


def test_a_10000_frame_video_creates_no_rows_or_objects_before_expansion(model):
    index = model.index_obj()
    index.set_frame_count("clips/vid.mp4", 10_000)  # a fake count on a tiny real video
    model.set_index(index)
    video = model.index_of("clips/vid.mp4")
    nodes_before = model.node_count()
    assert model.hasChildren(video)
    assert model.rowCount(video) == 0  # nothing until the user expands it
    assert model.canFetchMore(video)
    model.fetchMore(video)
    assert model.rowCount(video) == 10_000
    last = model.index(9_999, 0, video)
    assert last.data() == "09999"  # 10000 frames: 5 digits
    assert model.index(42, 0, video).data() == "00042"
    assert last.data(SAMPLE_ROLE).metadata_rel == "clips/vid-09999-mp4.json"
    assert model.node_count() == nodes_before  # frames never become Python objects


def test_an_expanded_folder_of_images_creates_no_objects_for_them(tmp_path, qapp, video_bytes, qtmodeltester):
    names = [f"big/img_{i:04d}.png" for i in range(2000)]
    media = {**dict.fromkeys(names, b"not decoded"), "big/m_clip.mp4": video_bytes, "big/sub/x.png": b"x"}
    model = FileTreeModel()
    model.set_index(scan(write_datasource(tmp_path / "ds", media=media, files={})))
    big = model.index_of("big")
    nodes_before = model.node_count()
    rows = [model.index(r, 0, big) for r in range(model.rowCount(big))]  # what a view does on expanding
    assert model.node_count() == nodes_before + 2  # the subfolder and the video, not 2,000 images
    kinds = [r.data(KIND_ROLE) for r in rows]
    assert kinds[0] == "folder" and kinds.count("video") == 1 and kinds.count("image") == 2001 - 1
    first, clip = rows[1], rows[kinds.index("video")]
    assert first.data() == "img_0000.png" and first.data(SAMPLE_ROLE) == SampleRef.image("big/img_0000.png")
    assert first.parent() == big and first.flags() & Qt.ItemFlag.ItemNeverHasChildren
    assert clip.data(SAMPLE_ROLE) == SampleRef("big/m_clip.mp4", "video") and model.hasChildren(clip)
    assert kinds[-1] == "video"  # m_clip.mp4 sorts after img_*
    assert model.index_of("big/img_1999.png") == rows[2000] and rows[2000].data() == "img_1999.png"
    assert not model.hasChildren(first) and model.rowCount(first) == 0
    qtmodeltester.check(model)


def test_tree_view_expands_a_10000_frame_video_lazily(model, qtbot):
    index = model.index_obj()
    index.set_frame_count("clips/vid.mp4", 10_000)
    panel = FileTreePanel()
    qtbot.addWidget(panel)
    panel.set_index(index)
    panel.show()
    video = panel.proxy.mapFromSource(panel.model.index_of("clips/vid.mp4"))
    assert panel.model.rowCount(panel.model.index_of("clips/vid.mp4")) == 0
    panel.view.expand(video.parent())
    panel.view.expand(video)
    qtbot.waitUntil(lambda: panel.proxy.rowCount(video) == 10_000)


def test_frame_count_change_adds_or_removes_rows_and_relabels(model):
    index = model.index_obj()
    video = model.index_of("clips/vid.mp4")
    model.fetchMore(video)
    index.set_frame_count("clips/vid.mp4", 120)
    model.refresh_video("clips/vid.mp4")
    assert model.rowCount(video) == 120
    assert model.index(3, 0, video).data() == "003"
    index.set_frame_count("clips/vid.mp4", 5)
    model.refresh_video("clips/vid.mp4")
    assert _names(model, video) == ["0", "1", "2", "3", "4"]


def test_state_role_tells_own_file_inherits_default_and_problems(model):
    video = model.index_of("clips/vid.mp4")
    model.fetchMore(video)
    assert model.index_of("a.png").data(STATE_ROLE) == "own"
    assert model.index_of("zebra.png").data(STATE_ROLE) == "default"
    assert model.index_of("clips/vid.mp4", 3).data(STATE_ROLE) == "own"
    assert model.index_of("clips/vid.mp4", 4).data(STATE_ROLE) == "inherits"

    lookup = FindingsLookup([
        Finding(ERROR, "value-type", "a.json", "Speed: expected a number", media="a.png"),
        Finding(WARNING, "extra-top-level-key", "clips/vid-04-mp4.json", "extra", media="clips/vid.mp4"),
    ])
    model.set_findings(lookup)
    a = model.index_of("a.png")
    assert a.data(STATE_ROLE) == ERROR
    assert "Speed: expected a number" in a.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index_of("clips/vid.mp4", 4).data(STATE_ROLE) == WARNING
    assert "1 frame file with problems" in video.data(Qt.ItemDataRole.ToolTipRole)
    assert not model.index(0, 0).data(Qt.ItemDataRole.DecorationRole).isNull()
    tooltip = model.index_of("clips/vid.mp4", 4).data(Qt.ItemDataRole.ToolTipRole)
    assert "inherits the video's values" in tooltip


def test_unsaved_documents_count_as_own_files_and_show_bold(model, datasource):
    from core.workspace import Workspace

    ws = Workspace(datasource)
    model.set_document_lookup(ws.loaded_document)
    sample = SampleRef.image("zebra.png")
    ws.set_value(sample, "x", 1)
    row = model.index_of("zebra.png")
    assert row.data(STATE_ROLE) == "own"
    assert row.data(Qt.ItemDataRole.FontRole).bold()
    assert "Unsaved changes" in row.data(Qt.ItemDataRole.ToolTipRole)


def test_panel_filter_narrows_by_name_and_keeps_matching_folders_children(model, qtbot):
    panel = FileTreePanel()
    qtbot.addWidget(panel)
    panel.set_index(model.index_obj())
    panel.filter_edit.setText("DEEP")
    panel.flush_filter()
    proxy = panel.proxy
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["sub"]
    deep = proxy.index(0, 0, proxy.index(0, 0))
    assert deep.data() == "deep"
    assert proxy.index(0, 0, deep).data() == "c.png"  # a matching folder keeps its files
    panel.filter_edit.setText("zzz-nothing")
    panel.flush_filter()
    assert proxy.rowCount() == 0


def test_panel_selects_samples_and_reports_keyboard_moves(model, qtbot):
    panel = FileTreePanel()
    qtbot.addWidget(panel)
    panel.set_index(model.index_obj())
    panel.show()
    frame = SampleRef.frame_of("clips/vid.mp4", 5, 12)
    with qtbot.waitSignal(panel.sampleActivated) as activated:
        assert panel.select_samples([frame])
    assert activated.args == [frame]
    assert panel.current_sample() == frame
    panel.view.setFocus()
    with qtbot.waitSignal(panel.sampleActivated) as activated:
        qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    assert activated.args == [SampleRef.frame_of("clips/vid.mp4", 6, 12)]

    many = [SampleRef.image("a.png"), SampleRef.image("zebra.png")]
    with qtbot.waitSignal(panel.samplesSelected) as selected:
        panel.select_samples(many)
    assert selected.args == [many]


def test_selecting_a_filtered_out_sample_clears_the_filter(model, qtbot):
    panel = FileTreePanel()
    qtbot.addWidget(panel)
    panel.set_index(model.index_obj())
    panel.filter_edit.setText("deep")
    panel.flush_filter()
    assert panel.select_samples([SampleRef.image("zebra.png")])
    assert panel.filter_edit.text() == ""
    assert panel.current_sample() == SampleRef.image("zebra.png")


def test_select_all_gives_every_sample_once_with_the_current_one_first(model, qtbot):
    """The selection is read from its ranges (selectedRows() compares every index's parent:
    41 s for Ctrl+A over 100k files); the answer is the same samples."""
    panel = FileTreePanel()
    qtbot.addWidget(panel)
    panel.set_index(model.index_obj())
    panel.show()
    panel.view.expandAll()
    video = panel.proxy.mapFromSource(panel.model.index_of("clips/vid.mp4"))
    qtbot.waitUntil(lambda: panel.proxy.rowCount(video) == 12)
    panel.view.selectAll()
    current = panel.proxy.mapFromSource(panel.model.index_of("sub/b.jpg"))
    panel.view.selectionModel().setCurrentIndex(current, panel.view.selectionModel().SelectionFlag.NoUpdate)
    rows = panel.view.selectionModel().selectedRows(0)  # the slow way, for the expected answer
    want = {r.data(SAMPLE_ROLE) for r in rows} - {None}
    got = panel.selected_samples()
    assert len(got) == len(set(got)) == len(want) == 4 + 1 + 12  # 4 images, the video, its frames
    assert set(got) == want and got[0] == SampleRef("sub/b.jpg", "image")


@pytest.mark.parametrize("filter_text", ["", "b"])
def test_ctrl_a_selects_the_rows_qt_select_all_selects_folder_by_folder(model, qtbot, filter_text):
    panel = FileTreePanel()
    qtbot.addWidget(panel)
    panel.set_index(model.index_obj())
    panel.show()
    panel.filter_edit.setText(filter_text)
    panel.flush_filter()
    panel.view.expandAll()
    if not filter_text:
        video = panel.proxy.mapFromSource(panel.model.index_of("clips/vid.mp4"))
        qtbot.waitUntil(lambda: panel.proxy.rowCount(video) == 12)
    panel.view.collapse(panel.proxy.mapFromSource(panel.model.index_of("sub/deep")))  # its rows hidden

    def selected():
        rows = panel.view.selectionModel().selectedRows(0)
        return sorted((r.data(KIND_ROLE), r.data(PATH_ROLE), r.row()) for r in rows)

    panel.view.selectAll()  # Qt's own: every shown row
    want, order = selected(), panel.selected_samples()
    panel.view.clearSelection()
    assert selected() == []
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert selected() == want
    panel.view.clearSelection()
    panel.select_all()  # what Ctrl+A calls: one range per expanded folder
    assert selected() == want
    assert panel.selected_samples() == order  # in Qt's order: the first sample at the top
    assert ("image", "sub/deep/c.png", 0) not in want and ("folder", "sub/deep", 0) in want
    assert len(want) == (4 + 1 + 12 + 4 if not filter_text else 4)  # and the folders, orphans group


def test_ctrl_a_over_many_files_gives_media_ids_equal_to_the_samples(tmp_path, qapp, qtbot, video_bytes,
                                                                     monkeypatch):
    """Past INDEX_SAMPLES_FROM rows the selection is IndexSamples (no SampleRef per file): the
    same samples in the same order as the list, with a sub-folder's files sorting between the
    folder's own files and a video among its images."""
    from core.dataset.index_selection import IndexSamples
    from gui.file_tree import panel as panel_mod

    names = [f"f/a_{i:03d}.png" for i in range(700)] + [f"f/n_{i:03d}.png" for i in range(700)]
    media = {**dict.fromkeys(names, b"x"), "f/k_clip.mp4": video_bytes, "f/m/x.png": b"x", "top.png": b"x"}
    panel = FileTreePanel()
    qtbot.addWidget(panel)
    panel.set_index(scan(write_datasource(tmp_path / "ds", media=media, files={})))
    panel.show()
    panel.view.expandAll()
    clip = panel.proxy.mapFromSource(panel.model.index_of("f/k_clip.mp4"))
    qtbot.waitUntil(lambda: panel.proxy.rowCount(clip) == 12)
    panel.select_all()
    fast = panel.selected_samples()
    monkeypatch.setattr(panel_mod, "INDEX_SAMPLES_FROM", 10**9)
    slow = panel.selected_samples()
    assert isinstance(fast, IndexSamples) and isinstance(slow, list)
    assert len(slow) == 1400 + 1 + 12 + 2 and fast == slow and list(fast) == slow
    assert slow.index(SampleRef.video("f/k_clip.mp4")) < slow.index(SampleRef.image("f/n_000.png"))
