"""Navigation order: tree order, frames of the current video only, wrap-around, searches."""

from __future__ import annotations

import json
import os

import pytest

from core.dataset import index as index_mod
from core.dataset.index import scan
from core.dataset.navigation import NavigationOrder, next_sample, next_with_problems, next_without_metadata
from core.format.samples import SampleRef


def touch(root, rel, data=b"x"):
    p = root.joinpath(*rel.split("/"))
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


@pytest.fixture
def fake_counts(monkeypatch):
    """Frame counts by video file name, without decoding anything."""
    table: dict[str, int] = {}
    monkeypatch.setattr(index_mod.video_mod, "quick_frame_count",
                        lambda path, cache=None: table[os.path.basename(path)])
    return table


@pytest.fixture
def index(tmp_path, fake_counts):
    fake_counts["v.mp4"] = 3
    for rel in ("b.png", "a.png", "sub/z.jpg", "sub/deeper/y.png", "sub/v.mp4", "c/x.png"):
        touch(tmp_path, rel)
    touch(tmp_path, ".lightly/metadata/a.json", json.dumps({"file_name": "a.png"}).encode())
    touch(tmp_path, ".lightly/metadata/sub/v-1-mp4.json", b"{}")
    return scan(tmp_path)


def names(samples):
    return [s.label() for s in samples]


def test_order_is_the_tree_order(index):
    # folders first (sorted, depth-first), then the folder's files
    assert NavigationOrder.of(index).media == [
        "c/x.png", "sub/deeper/y.png", "sub/v.mp4", "sub/z.jpg", "a.png", "b.png"]
    assert NavigationOrder.of(index) is NavigationOrder.of(index)  # computed once
    assert NavigationOrder.of(index).number(SampleRef.image("a.png")) == 5


def test_next_and_previous_wrap_and_say_so(index):
    a, b = SampleRef.image("a.png"), SampleRef.image("b.png")
    first = SampleRef.image("c/x.png")
    assert next_sample(index, a).sample == b and not next_sample(index, a).wrapped
    step = next_sample(index, b)
    assert step.sample == first and step.wrapped
    back = next_sample(index, first, -1)
    assert back.sample == b and back.wrapped
    assert next_sample(index, None).sample == first
    assert next_sample(index, None, -1).sample == b
    assert next_sample(index, first, 2).sample == SampleRef.video("sub/v.mp4")


def test_videos_are_stepped_over_unless_in_their_frames(index):
    video = SampleRef.video("sub/v.mp4")
    assert next_sample(index, video).sample == SampleRef.image("sub/z.jpg")
    f0 = SampleRef.frame_of("sub/v.mp4", 0, 3)
    walk = [s for s, _ in NavigationOrder.of(index).walk(f0)]
    assert names(walk) == ["sub/v.mp4 frame 1", "sub/v.mp4 frame 2", "sub/z.jpg", "a.png", "b.png",
                           "c/x.png", "sub/deeper/y.png", "sub/v.mp4"]
    assert next_sample(index, SampleRef.frame_of("sub/v.mp4", 2, 3)).sample == SampleRef.image("sub/z.jpg")
    assert next_sample(index, f0, -1).sample == video
    back = [s for s, _ in NavigationOrder.of(index).walk(SampleRef.frame_of("sub/v.mp4", 1, 3), -1)]
    assert names(back)[:3] == ["sub/v.mp4 frame 0", "sub/v.mp4", "sub/deeper/y.png"]
    assert names(back)[-1] == "sub/v.mp4 frame 2"
    assert len(back) == 6 + 3 - 1  # every sample once, except the current one


def test_next_without_metadata_skips_files_that_exist(index):
    step = next_without_metadata(index, SampleRef.image("b.png"))
    assert step.sample == SampleRef.image("c/x.png") and step.wrapped
    # a.png has its own file: from sub/z.jpg the next one without is b.png
    assert next_without_metadata(index, SampleRef.image("sub/z.jpg")).sample == SampleRef.image("b.png")
    # within a video's frames: frame 1 has its own file
    f0 = SampleRef.frame_of("sub/v.mp4", 0, 3)
    assert next_without_metadata(index, f0).sample == SampleRef.frame_of("sub/v.mp4", 2, 3)
    # the caller's view (unsaved files count as existing) wins
    step = next_without_metadata(index, SampleRef.image("sub/z.jpg"), lambda s: s.media != "c/x.png")
    assert step.sample == SampleRef.image("c/x.png") and step.wrapped
    assert next_without_metadata(index, None, lambda s: True).sample is None


def test_next_with_problems_both_directions(index):
    bad = {"sub/deeper/y.png", "b.png"}
    step = next_with_problems(index, SampleRef.image("a.png"), lambda s: s.media in bad)
    assert step.sample == SampleRef.image("b.png") and not step.wrapped
    step = next_with_problems(index, SampleRef.image("b.png"), lambda s: s.media in bad)
    assert step.sample == SampleRef.image("sub/deeper/y.png") and step.wrapped
    step = next_with_problems(index, SampleRef.image("sub/deeper/y.png"), lambda s: s.media in bad, step=-1)
    assert step.sample == SampleRef.image("b.png") and step.wrapped
    # the only sample with problems is the current one: nothing else to go to
    assert next_with_problems(index, SampleRef.image("b.png"), lambda s: s.media == "b.png").sample is None


def test_empty_index(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    index = scan(tmp_path)
    assert next_sample(index, None).sample is None
    assert next_without_metadata(index, None).sample is None


def test_large_index_steps(tmp_path, fake_counts):
    # The time per step is measured by benchmarks/bench_panels.py, never asserted here.
    index = scan(tmp_path)
    files = [f"{i:06d}.png" for i in range(100_000)]
    index._set_media(files, [])
    index.dirs = {"": ([], files)}
    order = NavigationOrder.of(index)
    assert len(order.media) == 100_000
    current = SampleRef.image(files[0])
    for _ in range(1000):
        current = next_sample(index, current).sample
    assert current == SampleRef.image(files[1000])
    assert NavigationOrder.of(index) is order  # the order is cached: no rebuild per step
    step = next_without_metadata(index, SampleRef.image(files[10]), lambda s: s.media != files[5])
    assert step.sample == SampleRef.image(files[5]) and step.wrapped
