"""Running the CLI on the hostile corpus in a child process: exit code, output, peak memory."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fuzz.corpus import CASES, write_corpus

ROOT = Path(__file__).resolve().parents[2]
#: The child's address space is capped: a command that tried to hold a 25M-element array
#: (or build a billion-element list) dies of MemoryError instead of taking the machine.
MEMORY_CAP = 3 * 1024**3
#: Peak resident memory a command may reach on the corpus (it is ~150 MB in practice).
MEMORY_BOUND_KB = 700 * 1024

_RUNNER = (
    "import resource, sys; sys.path.insert(0, sys.argv[1]); import main; rc = main.main(sys.argv[2:]);"
    " sys.stderr.write('\\nMAXRSS %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss);"
    " sys.exit(rc)"
)


@dataclass
class Run:
    code: int
    out: str
    err: str
    maxrss_kb: int


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_cli(*args, cwd: Path) -> Run:
    env = {**os.environ, "LIGHTLY_EDITOR_CACHE_DIR": str(cwd / "cache"), "PYTHONUTF8": "1"}
    proc = subprocess.run([sys.executable, "-c", _RUNNER, str(ROOT), *map(str, args)], capture_output=True,
                          text=True, errors="backslashreplace", cwd=cwd, env=env, preexec_fn=_cap)
    head, _, tail = proc.stderr.rpartition("\nMAXRSS ")
    rss = int(tail.strip()) if tail.strip().isdigit() else 0
    return Run(proc.returncode, proc.stdout, head if rss else proc.stderr, rss)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(datasource, outside folder, metadata rel -> case), shared by the read-only tests."""
    base = tmp_path_factory.mktemp("hostile")
    cases = write_corpus(base / "ds", CASES, base / "outside")
    return base / "ds", base / "outside", cases
