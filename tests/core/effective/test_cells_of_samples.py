"""The cells of samples that are no rows of the table (frames it does not show), read one by one."""

from __future__ import annotations

from core.effective.selection import cells_of_samples
from core.effective.values import DEFAULT, FILE, INVALID, VIDEO, Broken
from core.format.samples import SampleRef
from core.schema.entries import SchemaEntry, compile_schema


def _specs():
    return compile_schema([SchemaEntry.from_json({"name": "w", "path": "weather", "defaultValue": "clear",
                                                  "valueDataType": "CATEGORICAL_STRING"}),
                           SchemaEntry.from_json({"name": "n", "path": "count", "defaultValue": 0,
                                                  "valueDataType": "NUMERIC_INT"})])


def test_frames_inherit_their_videos_values_and_uneditable_files_are_skipped():
    video = SampleRef.video("v.mp4")
    frames = [SampleRef.frame_of("v.mp4", i, 10) for i in range(4)]
    broken_video = [SampleRef.frame_of("b.mp4", 0, 3)]
    files = {
        video.metadata_rel: {"metadata": {"weather": "fog", "count": 2}},
        frames[0].metadata_rel: {"metadata": {"weather": "rain"}},
        frames[1].metadata_rel: None,  # no file: the video's values
        frames[2].metadata_rel: Broken("not valid JSON"),  # skipped by an edit
        frames[3].metadata_rel: {"metadata": {"count": "three", "weather": None}},  # a wrong type
        broken_video[0].metadata_rel: {"metadata": {}},
        broken_video[0].video_sample.metadata_rel: ["not", "an", "object"],  # its frames: defaults
    }
    read_count: dict[str, int] = {}

    def read(rel):
        read_count[rel] = read_count.get(rel, 0) + 1
        return files.get(rel)

    cells, skipped = cells_of_samples(read, [*frames, *broken_video], _specs())
    assert skipped == 1
    values, sources, present = cells["weather"]
    assert values.tolist() == ["rain", "fog", "fog", "clear"]
    assert sources.tolist() == [FILE, VIDEO, VIDEO, DEFAULT]
    assert present.tolist() == [True, False, False, False]  # null is no value set
    values, sources, present = cells["count"]
    assert values.tolist() == [2, 2, "three", 0] and sources.tolist() == [VIDEO, VIDEO, INVALID, DEFAULT]
    assert present.tolist() == [False, False, True, False]
    assert read_count[video.metadata_rel] == 1  # each video's file read once


def test_cancelled_reading_gives_nothing():
    frames = [SampleRef.frame_of("v.mp4", i, 10) for i in range(3)]
    assert cells_of_samples(lambda rel: None, frames, _specs(), cancel=lambda: True) is None
