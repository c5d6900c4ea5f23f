"""A selection of table rows as one array, and the form's "mixed" from whole columns."""

from __future__ import annotations

import numpy as np
import pytest

from core.effective.selection import TableRows, rows_of_ranges


class FakeTable:
    """Rows 0-2 images, 3 a video without frames (the parts TableRows reads)."""

    n_images, frames, row_count, _video_row = 3, False, 4, [3]

    def sample(self, row):
        from core.format.samples import SampleRef

        return SampleRef.image(f"i{row}.png") if row < 3 else SampleRef.video("v.mp4")

    def row_of(self, sample):
        return 3 if sample.kind == "video" else int(sample.media[1])


def test_rows_are_samples_made_only_when_asked():
    rows = TableRows(FakeTable(), [2, 0, 3])
    assert len(rows) == 3 and rows[0].media == "i2.png"
    assert [s.media for s in rows] == ["i2.png", "i0.png", "v.mp4"]
    assert rows.kinds() == {"image", "video"}
    assert FakeTable().sample(0) in rows and FakeTable().sample(1) not in rows
    assert rows == [FakeTable().sample(r) for r in (2, 0, 3)]


def test_ranges_give_each_row_once_in_order():
    assert rows_of_ranges([(5, 7), (0, 1), (6, 8)]).tolist() == [5, 6, 7, 0, 1, 8]


@pytest.mark.parametrize("frames", [False, True])
def test_values_at_rows_equal_the_whole_column_there(tmp_path, frames):
    """The form's "mixed" of a selection reads only the selected cells (core.effective.columns
    .values_at), and gets what the whole column holds at those rows."""
    from core.dataset.index import scan
    from core.effective.selection import selection_cells
    from core.effective.table import EffectiveTable
    from core.schema.entries import compile_schema, read_schema
    from tests.datasets import WEATHER_SCHEMA, write_datasource
    from tests.videos import encode_video

    files = {"schema.json": WEATHER_SCHEMA}
    for i in range(1, 80):  # img_0.png has no file
        files[f"img_{i}.json"] = {"file_name": f"img_{i}.png", "type": "image",
                                  "metadata": {"weather": {"description": ["rain", "fog", 3][i % 3],
                                                           "temperature": i / 7},
                                               "count": i if i % 4 else 2**70}}
    files["clip.json"] = {"file_name": "clip.mp4", "type": "video", "metadata": {"count": 9}}
    files["clip-03-mp4.json"] = {"file_name": "clip-03-mp4.png", "type": "frame", "metadata": {"count": 1}}
    ds = write_datasource(tmp_path / "ds", media={f"img_{i}.png": b"png" for i in range(80)}, files=files)
    encode_video(ds / "clip.mp4", 12)
    index = scan(ds)
    specs = compile_schema(read_schema(index.lightly_root).entries)
    table = EffectiveTable.build(index, specs, frames=frames)
    rows = np.random.default_rng(5).permutation(table.row_count)[: table.row_count - 3]
    rows = np.concatenate([[0], rows[rows != 0]])  # img_0.png (no file) among them
    for col in range(len(specs)):
        values, sources = table.column(col)
        got = table.values_at(col, rows)
        assert got.tolist() == values[rows].tolist()
        assert [type(v) for v in got] == [type(v) for v in values[rows]]
        cells = selection_cells(table, rows, col)
        assert (cells[1] == sources[rows]).all() and len(cells[2]) == len(rows)
    from gui.form.row_state import MIXED_AFTER, column_state

    rain = np.array([r for r in rows.tolist() if table.cell(r, 0).value == "rain"])
    for col in range(len(specs)):  # "mixed" from the first cell of each value: the same state
        for some in (rows, rain, rows[:1]):
            full = column_state(*selection_cells(table, some, col))
            assert column_state(*selection_cells(table, some, col, MIXED_AFTER)) == full
    selected = TableRows(table, rows)
    want = sum(index.has_own_file(table.sample(int(r))) for r in rows)
    assert 0 < selected.existing(index) == want < len(rows)
    assert selected.existing(index, frame_limit=0) is (None if frames else want)
