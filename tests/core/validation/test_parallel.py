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
from core.dataset.index import scan
from core.dataset.walk import Cancelled
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
    assert processes and not any(p.is_alive() for p in processes)


def _square_or_die(x: int) -> int:
    if x == 3 and multiprocessing.parent_process() is not None:
        os._exit(1)  # a worker killed half-way (out of memory, kill -9)
    return x * x


def _noop(interrupts: bool = False) -> None:
    pass


def test_a_dying_worker_leaves_its_tasks_to_the_main_process():
    pool = parallel.Pool(_square_or_die, range(8), _noop, (), workers=2, window=3)
    try:
        assert list(pool.results()) == [x * x for x in range(8)]
    finally:
        pool.close()
