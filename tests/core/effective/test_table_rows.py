"""A selection of table rows as one array, and the form's "mixed" from whole columns."""

from __future__ import annotations

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
