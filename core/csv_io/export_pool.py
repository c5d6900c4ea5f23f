"""`export` at 100k–1M samples: worker processes read the files and format the rows, in chunks.

The main process walks the samples in export order and hands them out in chunks (with what
the index says of each one's file); a worker reads the files (the fast JSON path, else
exactly what core.effective.values.disk_reader reads), computes the effective values and
formats the rows with the very functions of core.csv_io.export; the main process writes
the chunks in order. So the output is byte for byte that of one process. A small
datasource, or one in a bucket, is exported in one process (`export_parallel` returns None).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TextIO

from core.csv_io.export import column_names, json_row_texts, write_csv_rows
from core.dataset import processes
from core.effective.values import LINKED_OUT, broken, row_maker
from core.format.naming import FRAME, IMAGE, metadata_locator
from core.format.samples import SampleRef

#: Below this many samples one process is faster. Measured (2 cores, load 12, min/median
#: of 3, seconds, one process vs workers): validate 1k 0.12/0.23 vs 1.01/1.07, 4k 0.44/0.62 vs
#: 2.14/2.46, 10k 2.43/4.43 vs 4.08/4.52; export 1k 0.28/0.95 vs 2.13/2.52, 10k 2.21/6.15 vs
#: 4.79/4.93 (starting the workers costs ~1 s); at 100k the workers win (benchmarks/bench_cli.py).
PARALLEL_MIN = 20000
CHUNK = 1000
NO_FILE, OWN_FILE, LINKED = range(3)

_job: dict = {}


def _init(job: dict, interrupts: bool = False) -> None:
    if not interrupts:
        processes.ignore_interrupts()
    _job.clear()
    _job.update(job, row=row_maker(job["specs"]))


def _read(at, rel: str, status: int):
    """What disk_reader(index)(rel) returns, given what the index says of `rel`."""
    if status == NO_FILE:
        return None
    if status == LINKED:
        return LINKED_OUT
    try:
        ok, got = processes.read_data(at(rel))
    except OSError:
        return None
    if ok:
        return got
    if isinstance(got, OSError):
        return None
    return got.data if got.error is None else broken(got.error)


def export_chunk(task: tuple) -> tuple[str, int, list]:
    """(text, rows written, rows left out) for one chunk of (media, kind, frame, n, status)."""
    samples, lead = task
    job = _job
    at = metadata_locator(job["lightly_root"])
    row = job["row"]
    video_data = _read(at, *lead) if lead is not None else None

    def rows() -> Iterator:
        nonlocal video_data
        for media, kind, frame, n, status in samples:
            sample = SampleRef(media, kind, frame, n)
            own = _read(at, sample.metadata_rel, status)
            if kind == FRAME:
                yield sample, row(own, video_data)
            else:
                if kind != IMAGE:
                    video_data = own
                yield sample, row(own)

    skipped: list = []
    if job["format"] == "json":
        texts = list(json_row_texts(rows(), job["names"], skipped))
        return ",\n  ".join(texts), len(texts), skipped
    out = io.StringIO(newline="")
    n = write_csv_rows(rows(), out, raw_formulas=job["raw_formulas"], skipped=skipped)
    return out.getvalue(), n, skipped


def _tasks(index, frames: bool):
    """Chunks of samples in export order, each with the video file its leading frames fall back to."""
    known = index.metadata
    links = getattr(index, "links_outside", ())
    chunk: list = []
    lead = None
    video = None  # (rel, status) of the last whole video
    for sample in index.samples(frames):
        rel = sample.metadata_rel
        status = OWN_FILE if rel in known else LINKED if rel in links else NO_FILE
        if not chunk and sample.kind == FRAME:
            lead = video
        chunk.append((sample.media, sample.kind, sample.frame, sample.n_frames, status))
        if sample.kind != IMAGE and sample.kind != FRAME:
            video = (rel, status)
        if len(chunk) == CHUNK:
            yield chunk, lead
            chunk, lead = [], None
    if chunk:
        yield chunk, lead


def export_parallel(index, specs, out: TextIO, *, fmt: str = "csv", frames: bool = False,
                    raw_formulas: bool = False, skipped: list | None = None,
                    min_samples: int | None = None) -> int | None:
    """Write what write_csv/write_json would (header included); None when one process is better."""
    import csv
    import multiprocessing

    from core.storage.location import BucketPath

    least = PARALLEL_MIN if min_samples is None else min_samples
    if (isinstance(index.lightly_root, BucketPath) or index.n_samples(frames) < least
            or multiprocessing.parent_process() is not None):
        return None
    specs = tuple(specs)
    names = column_names(specs)
    job = {"lightly_root": index.lightly_root, "specs": specs, "names": names, "format": fmt,
           "raw_formulas": raw_formulas}
    workers = processes.worker_count()
    pool = processes.Pool(export_chunk, _tasks(index, frames), _init, (job,), workers, window=2 * workers + 2)
    try:
        n = 0
        if fmt == "json":
            out.write("[")
        else:
            csv.writer(out, lineterminator="\n").writerow(["file_name", "type", *names])
        for text, count, left_out in pool.results():
            if count:
                if fmt == "json":
                    out.write(",\n  " if n else "\n  ")
                out.write(text)
                n += count
            if skipped is not None:
                skipped.extend(left_out)
        if fmt == "json":
            out.write("\n]\n" if n else "]\n")
        return n
    finally:
        pool.close()
