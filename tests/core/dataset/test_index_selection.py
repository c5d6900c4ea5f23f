"""A selection as media ids of the index: the tree's Ctrl+A over 100k files makes no SampleRef."""

from __future__ import annotations

import numpy as np

from core.dataset.index import scan
from core.dataset.index_selection import IndexSamples, folder_media_ids
from core.format.samples import SampleRef, same_samples
from tests.datasets import write_datasource


def test_a_folders_ids_come_from_a_few_lookups_and_are_right_where_other_files_sort_between():
    # all media, sorted: the folder's own files are "f/a_*", "f/n_*" and "f/z_*"; the files of
    # its sub-folder "f/m" sort between a_* and n_*.
    names = [f"a_{i:03d}.png" for i in range(300)] + [f"n_{i}.png" for i in range(3)] \
        + [f"z_{i:03d}.png" for i in range(300)]
    media = sorted([f"f/{n}" for n in names] + [f"f/m/x_{i}.png" for i in range(50)])
    ids = {rel: m for m, rel in enumerate(media)}
    asked = []

    def media_id(rel):
        asked.append(rel)
        return ids.get(rel)

    got = folder_media_ids(media_id, lambda k: f"f/{names[k]}", len(names))
    assert got.tolist() == [ids[f"f/{n}"] for n in names]
    assert len(set(asked)) < 40  # not one lookup per file
    assert folder_media_ids(lambda rel: None if rel.endswith("n_1.png") else ids[rel],
                            lambda k: f"f/{names[k]}", len(names)) is None  # a file not found


def test_samples_of_media_ids_and_frames_equal_the_same_list(tmp_path):
    media = dict.fromkeys(["a.png", "b.png", "sub/c.png"], b"x")
    root = write_datasource(tmp_path / "ds", media=media, files={
        "b.json": {"file_name": "b.png", "type": "image", "metadata": {}},
        "sub/c.json": "{not json",
    })
    index = scan(root)
    frame = SampleRef.frame_of("v.mp4", 2, 10)
    ids = [index.media_id("sub/c.png"), index.media_id("a.png")]
    sel = IndexSamples.join(index, [np.asarray(ids), [frame], np.asarray([index.media_id("b.png")])])
    want = [SampleRef.image("sub/c.png"), SampleRef.image("a.png"), frame, SampleRef.image("b.png")]
    assert len(sel) == 4 and list(sel) == want and sel == want and sel[2] == frame and sel[1:3] == want[1:3]
    assert sel.kinds() == {"image", "frame"}
    assert SampleRef.image("a.png") in sel and SampleRef.image("zzz.png") not in sel and frame in sel
    assert sel.existing() == 2  # b.json, sub/c.json (the frame has no file)
    assert sel.count_files({"sub/c.json", "nothing.json"}) == 1
    moved = sel.first(SampleRef.image("b.png"))
    assert list(moved) == [want[3], *want[:3]] and moved.same_set(sel) and same_samples(want, moved)
    assert not same_samples(sel, want[:3]) and sel.first(want[0]) is sel
