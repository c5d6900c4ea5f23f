"""core/ must stay importable without Qt: the CLI, the validator and most tests rely on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import importlib, pkgutil, sys
import core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
print(len(names))
print(",".join(qt))
"""


def test_importing_every_core_module_loads_no_qt():
    # A fresh interpreter: in this process, other tests may already have imported PySide6.
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    count, qt_modules = proc.stdout.splitlines()[-2:]
    assert int(count) >= 9, "module discovery found too few core modules"
    assert qt_modules == "", f"core/ imports Qt: {qt_modules}"
