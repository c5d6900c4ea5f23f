"""Fixtures of the metadata form tests: a small datasource and a form over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.form.support import Env, write_root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_root(tmp_path)


@pytest.fixture
def env(qtbot, root) -> Env:
    return Env(qtbot, root)
