"""Shared test setup: Qt runs offscreen and no test touches the real home folder."""

from __future__ import annotations

import os
import shutil
import tempfile

# Before any Qt import, so `make test` works without a display and without the user setting it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hypothesis: no per-example deadline (a timing assertion that fails when CI's machine is busy),
# and derandomized, so every run checks the same examples (a failure reproduces on re-run).
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("suite", deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

# One temporary home for user-specific folders (cache, demo copy, settings) for the session.
_SESSION_HOME = tempfile.mkdtemp(prefix="lightly-editor-tests-")
for _var, _sub in (
    ("LIGHTLY_EDITOR_CACHE_DIR", "cache"),
    ("LIGHTLY_EDITOR_DATA_DIR", "data"),
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_DATA_HOME", "xdg-data"),
    ("XDG_CACHE_HOME", "xdg-cache"),
):
    os.environ[_var] = os.path.join(_SESSION_HOME, _sub)


def pytest_unconfigure(config):
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)
