"""The worker-process paths of validate and export give exactly what one process gives, on a
datasource full of problems (the hostile corpus, random damage, videos, frames, collisions);
Cancel ends the workers; a worker that dies leaves the rest to the main process."""

from __future__ import annotations

import io
import json
import multiprocessing
import os

import pytest

from core.csv_io import export_pool
from core.csv_io.export import export_rows, write_csv, write_json
from core.dataset import leaf_stats, processes
from core.dataset.index import scan
from core.dataset.leaf_stats import known_values
from core.dataset.walk import Cancelled
from core.effective import fill_pool
from core.effective.table import EffectiveTable, file_reader
from core.schema.entries import compile_schema, read_schema
from core.validation import parallel
from core.validation.validate import confirm_index_frames, validate, validate_datasource
from tests.datasets import metadata_dir
from tests.fuzz.corpus import CASES, PNG, doc, mutants, write_corpus
from tests.videos import encode_video

pytestmark = pytest.mark.timeout(300)


def frame_doc(file_name: str, meta: str) -> bytes:
    return doc(file_name, meta).replace(b'"image"', b'"frame"')


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel") / "ds"
    write_corpus(root, [*CASES, *mutants(300, seed=8)], root.parent / "outside")
    md = metadata_dir(root)
    (root / "clips").mkdir()
    (md / "clips").mkdir()
    encode_video(root / "clips" / "v.mp4", 12)
    (md / "clips" / "v.json").write_text(json.dumps(
        {"file_name": "clips/v.mp4", "type": "video", "metadata": {"label": "dog", "count": 2}}))
    for name, meta in [("v-03-mp4", '{"count": 5}'), ("v-3-mp4", "{}"), ("v-40-mp4", "{}"),
                       ("v-07-mp4", '{"count": "x"}')]:
        (md / "clips" / f"{name}.json").write_bytes(frame_doc(f"clips/{name}.png", meta))
    encode_video(root / "clips" / "w.mp4", 5)
    (md / "clips" / "w.json").write_text('{"file_name": "clips/w.mp4", "type": "video", "metadata": {,}}')
    (md / "clips" / "w-2-mp4.json").write_bytes(frame_doc("clips/w-2-mp4.png", "{}"))
    for i in range(40):  # plain files, some wrong, in a sub-folder
        (root / "sub").mkdir(exist_ok=True)
        (root / "sub" / f"i{i}.png").write_bytes(PNG)
        (md / "sub").mkdir(exist_ok=True)
        name = f"sub/i{i}.png" if i % 5 else f"sub/x{i}.png"
        extra = ' "x": 1,' if i % 7 == 0 else ""
        (md / "sub" / f"i{i}.json").write_bytes(doc(name, f'{{"label": "c", "count": {i}}}', extra=extra))
    (root / "twin.png").write_bytes(PNG)
    (root / "twin.jpg").write_bytes(PNG)
    (md / "twin.json").write_bytes(doc("twin.jpg", "{}"))
    (md / "orphan.json").write_bytes(doc("orphan.png", "{}"))
    (md / "orphan-frame-1-mp4.json").write_bytes(doc("elsewhere.png", "{}").replace(b'"image"', b'"video"'))
    return root


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK", 13)
    monkeypatch.setattr(export_pool, "CHUNK", 11)


def test_validate_in_workers_gives_the_findings_of_one_process(ds, small_chunks):
    _, alone = validate_datasource(ds, processes=False)
    assert {f.code for f in alone} >= {"too-deep", "invalid-json", "wrong-file-name", "frame-padding",
                                       "link-outside", "collision", "orphan", "extra-top-level-key"}
    index = scan(ds)
    confirm_index_frames(index)
    schema = read_schema(index.lightly_root)
    checks = parallel.start(ds, None, compile_schema(schema.entries), min_files=0)
    assert checks is not None
    try:
        assert validate(index, schema, checks=checks) == alone
    finally:
        checks.close()


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("frames", [False, True])
@pytest.mark.parametrize("raw", [False, True])
def test_export_in_workers_writes_the_same_bytes(ds, small_chunks, fmt, frames, raw):
    index = scan(ds)
    confirm_index_frames(index)
    specs = compile_schema(read_schema(index.lightly_root).entries)
    want, want_skipped = io.StringIO(newline=""), []
    rows = export_rows(index, specs, frames=frames)
    if fmt == "json":
        n = write_json(rows, specs, want, skipped=want_skipped)
    else:
        n = write_csv(rows, specs, want, raw_formulas=raw, skipped=want_skipped)
    got, got_skipped = io.StringIO(newline=""), []
    assert export_pool.export_parallel(index, specs, got, fmt=fmt, frames=frames, raw_formulas=raw,
                                       skipped=got_skipped, min_samples=0) == n
    assert got.getvalue() == want.getvalue()
    assert got_skipped == want_skipped
    assert "invalid" in want.getvalue() or fmt == "csv"


def test_small_datasources_stay_in_one_process(ds):
    index = scan(ds)
    specs = compile_schema(read_schema(index.lightly_root).entries)
    assert parallel.start(ds, None, specs) is None  # fewer files than PARALLEL_MIN
    assert export_pool.export_parallel(index, specs, io.StringIO()) is None


def test_cancel_ends_the_workers(ds, small_chunks):
    checks = parallel.start(ds, None, (), min_files=0)
    processes = []
    try:
        with pytest.raises(Cancelled):
            for _ in checks.results(cancel=lambda: True):
                pass
        processes = list(checks._pool._pool._processes.values())
    finally:
        checks.close()
    assert processes and all(_ended(p.pid) for p in processes)


def _children() -> list[int]:
    """This process's child processes (pids), from /proc."""
    me = str(os.getpid())
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if pid.isdigit() and f.read().rsplit(")", 1)[1].split()[1] == me:
                    found.append(int(pid))
        except OSError:
            pass
    return found


def _ended(pid: int, limit: float = 30) -> bool:
    """Whether process `pid` is gone (or a zombie, dead but not reaped), waiting up to `limit` s.
    (Process.is_alive() cannot tell when the pool's own thread reaped the process.)"""
    import time

    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


def _square_or_die(x: int) -> int:
    if x == 3 and multiprocessing.parent_process() is not None:
        os._exit(1)  # a worker killed half-way (out of memory, kill -9)
    return x * x


def _noop(interrupts: bool = False) -> None:
    pass


def test_a_dying_worker_leaves_its_tasks_to_the_main_process():
    pool = processes.Pool(_square_or_die, range(8), _noop, (), workers=2, window=3)
    try:
        assert list(pool.results()) == [x * x for x in range(8)]
    finally:
        pool.close()


def _stats_of(index, schema, checks=None):
    """Findings and the values used, as the window's validation gathers them."""
    stats: dict = {}
    findings = validate(index, schema, checks=checks, seen=lambda d: leaf_stats.add_leaves(stats, d))
    if checks is not None:
        leaf_stats.merge_leaf_stats(checks.stats, stats)
        stats = checks.stats
    return findings, stats


def test_the_windows_validation_in_workers_counts_the_values_of_one_pass(ds, small_chunks, monkeypatch):
    monkeypatch.setattr(leaf_stats, "MAX_DISTINCT", 17)  # the cap is reached part-way through
    index = scan(ds)
    confirm_index_frames(index)
    schema = read_schema(index.lightly_root)
    want_findings, want = _stats_of(index, schema)
    assert any(st.capped for st in want.values()) and any(not st.capped for st in want.values())
    specs = compile_schema(schema.entries)
    assert parallel.of_index(index, specs) is None  # fewer files than PARALLEL_MIN
    checks = parallel.of_index(index, specs, min_files=0)
    try:
        findings, got = _stats_of(index, schema, checks)
    finally:
        checks.close()
    assert findings == want_findings
    assert list(got) == list(want)  # paths in order of first appearance
    for path, st in want.items():
        g = got[path]
        assert (g.count, g.examples, g.type_counts, list(g.values), g.capped) == \
            (st.count, st.examples, st.type_counts, list(st.values), st.capped), path
        if not st.capped:  # a capped path's occurrence counts may be lower (merge_leaf_stats)
            assert g.values == st.values, path
    assert known_values(got, specs) == known_values(want, specs)


@pytest.mark.parametrize("frames", [False, True])
def test_the_table_filled_by_workers_equals_one_filled_in_one_process(ds, monkeypatch, frames):
    monkeypatch.setattr(fill_pool, "CHUNK", 7)
    index = scan(ds)
    confirm_index_frames(index)
    specs = compile_schema(read_schema(index.lightly_root).entries)
    index.links_outside = ()  # a link out of the tree sends the whole fill to one process
    want = EffectiveTable.build(index, specs, frames=frames)
    table = EffectiveTable(index, specs, frames, file_reader(index))
    assert fill_pool.fill_images(table) is False  # fewer images than PARALLEL_MIN
    seen: list[int] = []
    assert fill_pool.fill_images(table, progress=lambda done, total, _: seen.append(done), min_images=0)
    assert table.loaded == table.n_images and seen[-1] == table.n_images and seen == sorted(seen)
    table.fill()  # the videos, here
    assert table.row_count == want.row_count
    sources = set()
    for row in range(want.row_count):
        assert table.row_values(row) == want.row_values(row), want.file_name(row)
        sources.update(e.source for e in want.row_values(row))
    assert {"file", "default", "invalid"} <= sources
    for c in range(len(specs)):
        assert (table.column_sources(c) == want.column_sources(c)).all()
    assert (table._has == want._has).all()


def test_cancel_ends_the_table_workers(ds, monkeypatch):
    monkeypatch.setattr(fill_pool, "CHUNK", 3)
    index = scan(ds)
    index.links_outside = ()
    table = EffectiveTable(index, compile_schema(read_schema(index.lightly_root).entries), False,
                           file_reader(index))
    before = set(_children())
    with pytest.raises(Cancelled):
        fill_pool.fill_images(table, cancel=lambda: True, min_images=0)
    started = set(_children()) - before
    assert all(_ended(pid) for pid in started)
