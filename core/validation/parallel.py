"""Reading and checking every metadata file in worker processes, for the CLI at 100k–1M files.

The pool starts before the index is built: the main process lists `.lightly/metadata/`,
hands the list out in chunks and scans the media meanwhile. A worker reads each file (the
fast JSON path, else exactly core.format.metadata_file.read_disk_state) and runs the content
checks of core.validation.document; what needs the index (file_name, type) travels back
compactly and is checked in the main process (core.validation.validate.validate). Results
arrive in the order of the list, so findings are the same as those of one process.

Workers are started with "spawn" (no fork of a process holding threads or Qt), import only
core.format, core.schema and core.validation.document, ignore Ctrl+C (the main process ends
them) and never write anything. Small datasources are checked in one process: starting
workers costs more than it saves below PARALLEL_MIN files.
"""

from __future__ import annotations

import itertools
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from core.dataset.leaf_stats import add_leaves, merge_leaf_stats
from core.dataset.processes import Pool, ignore_interrupts, read_data, worker_count
from core.format.keypath import MISSING
from core.validation import document

#: Below this many metadata files one process is faster. Measured (2 cores, load 12, min/median
#: of 3, seconds, one process vs workers): validate 1k 0.12/0.23 vs 1.01/1.07, 4k 0.44/0.62 vs
#: 2.14/2.46, 10k 2.43/4.43 vs 4.08/4.52; export 1k 0.28/0.95 vs 2.13/2.52, 10k 2.21/6.15 vs
#: 4.79/4.93 (starting the workers costs ~1 s); at 100k the workers win (benchmarks/bench_cli.py).
PARALLEL_MIN = 20000
#: Files per task: big enough that a task's overhead is small, small enough to keep both busy.
CHUNK = 2000

# What a worker says about one file that is not the common case (the first item):
ABSENT, UNREADABLE, BROKEN, FINAL, DOC = range(5)


_specs: tuple = ()
_stats = False


def _init(specs: tuple, stats: bool = False, interrupts: bool = False) -> None:
    global _specs, _stats
    if not interrupts:
        ignore_interrupts()
    _specs, _stats = specs, stats


def check_chunk(prefix: str, rels: list[str]) -> tuple[list, bytes, dict, dict | None]:
    """(forms, codes, details, leaf stats) for the files `prefix + rel`.

    The common file (parsed, no content finding, string file_name starting with the rel's
    stem, string type) is code i into forms[i] = (rest of the file_name, type); every other
    file is in details[position] with what the main process needs to finish its findings.
    With stats on (`_init`), the values used are counted from each parsed file
    (core.dataset.leaf_stats.merge_leaf_stats joins the chunks); else the last item is None.
    """
    specs = _specs
    stats: dict | None = {} if _stats else None
    forms: dict[tuple[str, str], int] = {}
    codes = array("I")
    details: dict[int, tuple] = {}
    for i, rel in enumerate(rels):
        codes.append(0)
        ok, got = read_data(prefix + rel)
        if not ok:
            if isinstance(got, OSError):
                details[i] = (UNREADABLE, f"cannot read the file ({got.strerror or got})")
            elif got.error is not None:
                e = got.error
                details[i] = (BROKEN, e.code, e.message, e.line, e.column)
            elif not got.exists:
                details[i] = (ABSENT,)
            else:
                ok, got = True, got.data
            if not ok:
                continue
        if stats is not None:
            add_leaves(stats, got)
        final = document.not_object(got)
        if final is not None:
            details[i] = (FINAL, final)
            continue
        pre, post = document.head(got), document.body(got, specs)
        fname, type_ = got.get("file_name", MISSING), got.get("type", MISSING)
        stem = rel[:-5]
        if pre or post or type(fname) is not str or type(type_) is not str or not fname.startswith(stem):
            details[i] = (DOC, pre, fname, type_, post)
            continue
        key = (fname[len(stem):], type_)
        code = forms.get(key)
        if code is None:
            code = forms[key] = len(forms)
        codes[i] = code
    return list(forms), codes.tobytes(), details, stats


def unpack(rels: list[str], result: tuple) -> Iterator[tuple[str, tuple]]:
    """(rel, detail) per file of a chunk; the common file's detail is (DOC, [], fname, type, [])."""
    forms, raw_codes, details = result[:3]
    codes = array("I")
    codes.frombytes(raw_codes)
    empty: list = []
    for i, rel in enumerate(rels):
        d = details.get(i)
        if d is None:
            suffix, type_ = forms[codes[i]]
            d = (DOC, empty, rel[:-5] + suffix, type_, empty)
        yield rel, d


class Checks:
    """Files being checked by a pool: `results()` yields (rel, detail) in the order of `rels`.

    With `stats`, `self.stats` gathers the values used (core.dataset.leaf_stats), complete
    once `results()` is exhausted.
    """

    def __init__(self, prefix: str, rels: Iterable[str], specs: tuple, workers: int | None = None,
                 stats: bool = False, window: int | None = None):
        self.specs = specs
        self.stats: dict | None = {} if stats else None
        self._chunks: deque[list[str]] = deque()  # handed out, result not read yet

        def chunks() -> Iterator[list[str]]:
            names = iter(rels)
            while chunk := list(itertools.islice(names, CHUNK)):
                self._chunks.append(chunk)
                yield chunk

        # Without a window every chunk is handed out at once (the workers run ahead while the
        # caller builds the index); with one, only the names of a few chunks are held at a time.
        self._pool = Pool(_Task(prefix), chunks(), _init, (specs, stats), workers, window)

    def results(self, cancel: Callable[[], bool] | None = None) -> Iterator[tuple[str, tuple]]:
        for result in self._pool.results(cancel):
            chunk = self._chunks.popleft()
            if self.stats is not None:
                merge_leaf_stats(self.stats, result[3])
            yield from unpack(chunk, result)

    def close(self) -> None:
        self._pool.close()


class _Task:
    """check_chunk with the prefix bound (a module-level class: spawn pickles it by name)."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, rels: list[str]):
        return check_chunk(self.prefix, rels)


def of_index(index, specs: tuple, min_files: int | None = None) -> Checks | None:
    """Start checking every metadata file of a built index (the window: the values used are
    counted too), or None for a bucket or fewer than `min_files` (PARALLEL_MIN) files."""
    import multiprocessing

    from core.format.naming import metadata_dir
    from core.storage.location import BucketPath

    if (isinstance(index.lightly_root, BucketPath) or multiprocessing.parent_process() is not None
            or len(index.metadata) < (PARALLEL_MIN if min_files is None else min_files)):
        return None
    workers = worker_count()
    return Checks(str(metadata_dir(index.lightly_root)) + "/", index.sorted_rels(), specs, workers,
                  stats=True, window=2 * workers + 2)


def start(media_root, lightly_root, specs: tuple, min_files: int | None = None,
          stats: bool = False) -> Checks | None:
    """Start checking the metadata files of a local datasource, or None (a bucket, few files,
    or a folder that cannot be listed: the one-process path then says why). With `stats`,
    the values used are counted too (the window)."""
    import multiprocessing

    from core.dataset.walk import DatasourceError, walk_metadata
    from core.format.naming import metadata_dir
    from core.storage.location import BucketPath, location

    root = location(lightly_root if lightly_root is not None else media_root)
    if isinstance(root, BucketPath) or multiprocessing.parent_process() is not None:
        return None  # a bucket; or a worker importing a main script that lacks `if __name__ == ...`
    try:
        rels = walk_metadata(root)
    except (DatasourceError, OSError):
        return None
    if len(rels) < (PARALLEL_MIN if min_files is None else min_files):
        return None
    return Checks(str(metadata_dir(root)) + "/", rels, specs, stats=stats)
