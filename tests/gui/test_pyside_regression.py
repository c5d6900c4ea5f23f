"""Guard against PySide6 6.12.0 on Python 3.11, which aborts with `Fatal Python error: none_dealloc`.

The crash needs thousands of calls that hand Python-owned objects to Qt. Loading a
large dataset does exactly that, so a wheel with the bug must fail this test. It
runs in a subprocess so that an abort fails the test instead of killing pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys

ROWS = 100_000

_SCRIPT = f"""
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication

app = QApplication([])
model = QStandardItemModel()
for i in range({ROWS}):
    model.appendRow(QStandardItem(f"row {{i}}"))
print("rows", model.rowCount())
"""


def test_many_items_handed_to_qt_do_not_abort_the_interpreter():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, f"exit code {proc.returncode}\n{proc.stderr[-2000:]}"
    assert f"rows {ROWS}" in proc.stdout
