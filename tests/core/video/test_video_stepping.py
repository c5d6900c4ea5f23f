"""FrameReader stepping forward keeps decoding instead of seeking back to the keyframe each time."""

from __future__ import annotations

import random

import pytest

from core.video.counting import FrameReader
from tests.videos import encode_video, frame_index_of


def shown(image) -> int:
    return frame_index_of(*image)


@pytest.fixture(scope="module")
def long_gop(tmp_path_factory):
    return encode_video(tmp_path_factory.mktemp("v") / "long_gop.mp4", 300, gop=120)


def test_stepping_forward_seeks_once_per_jump(long_gop):
    with FrameReader(long_gop, 300) as reader:
        for index in range(200, 300):
            assert shown(reader.read(index)) == index
        assert reader.seeks and reader.seek_count == 1
        for index in range(50, 60, 3):  # small skips forward continue too
            assert shown(reader.read(index)) == index
        assert reader.seek_count == 2


def test_stepping_mixed_with_jumps_stays_exact(long_gop):
    rng = random.Random(5)
    with FrameReader(long_gop, 300, cache_size=4) as reader:
        index = 0
        for _ in range(300):
            index = max(0, min(299, index + rng.choice([1, 1, 1, 2, -1, 30, -50, 17])))
            assert shown(reader.read(index)) == index
