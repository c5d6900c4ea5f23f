"""The table's values of 100k–1M images, read by worker processes (core.dataset.processes).

A worker reads a chunk of images' own metadata files (exactly as core.effective.readers
.file_reader reads them) and computes each file's cells (core.effective.fast_cells), encoded
as core.effective.cells.encode does; the main process stores the chunks in order, so the
table is the same as one filled in one process. Videos (few, with their frame files) are
read in the main process afterwards. A bucket, a small table, a reader other than the
index's own, or links leading out of the tree: the table is filled in one process.

Workers import core.format, core.schema and core.effective (numpy), never write, and
follow core.dataset.processes' rules (spawn, Ctrl+C ignored, gone with the main process).
"""

from __future__ import annotations

from typing import Any

#: Below this many images one process is faster (starting the workers costs ~1 s); the
#: crossover of validation and export (core.validation.parallel) holds here too.
PARALLEL_MIN = 20000
CHUNK = 2000

_cells: Any = None


def _init(specs: tuple, interrupts: bool = False) -> None:
    global _cells
    from core.dataset.processes import ignore_interrupts
    from core.effective.fast_cells import cells_reader

    if not interrupts:
        ignore_interrupts()
    _cells = cells_reader(specs)


def cells_chunk(task: tuple[str, list]) -> tuple[list, list[bytes], list[dict], bytes]:
    """(encoded values per spec, source codes per spec, reasons per spec by position, present
    flags) for the files `prefix + rel` of one chunk of images (None: the image has none)."""
    from core.effective.fast_cells import CellRows
    from core.effective.readers import load_local

    prefix, rels = task
    cells = _cells
    out = CellRows(len(cells(None)))
    for i, rel in enumerate(rels):
        out.add(i, cells(None if rel is None else load_local(prefix + rel)))
    encoded, src, has = out.encoded()
    return encoded, src, out.why, has


def fill_images(table, progress=None, cancel=None, min_images: int | None = None) -> bool:
    """Fill the table's images by worker processes; False (nothing done) when one process is better."""
    import multiprocessing

    from core.dataset.processes import Pool, worker_count
    from core.dataset.walk import check_cancel
    from core.format.naming import metadata_dir, metadata_rel
    from core.storage.location import BucketPath

    index, n = table.index, table.n_images
    least = PARALLEL_MIN if min_images is None else min_images
    if (table.loaded or n < max(1, least) or getattr(table.read, "index", None) is not index
            or isinstance(index.lightly_root, BucketPath) or getattr(index, "links_outside", ())
            or not table.specs or multiprocessing.parent_process() is not None):
        return False
    prefix = str(metadata_dir(index.lightly_root)) + "/"
    own, media = index._own, table.media

    def tasks():
        for a in range(0, n, CHUNK):
            b = min(n, a + CHUNK)
            yield prefix, [metadata_rel(name) if own[m] >= 0 else None
                           for m, name in enumerate(media.iter_range(a, b), a)]

    workers = worker_count()
    pool = Pool(cells_chunk, tasks(), _init, (table.specs,), workers, window=2 * workers + 2)
    try:
        a = 0
        for encoded, src, why, has in pool.results(cancel):
            check_cancel(cancel)
            b = min(n, a + CHUNK)
            for c, reasons in enumerate(why):
                for i, reason in reasons.items():
                    table._why[c][a + i] = reason
            table._store(a, b, encoded, src, has)
            if progress is not None:
                progress(b, len(media), f"reading values {b:,}/{len(media):,}")
            a = b
    finally:
        pool.close()
    return True
