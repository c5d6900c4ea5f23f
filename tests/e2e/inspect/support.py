"""Shared constants and helpers for the dataset-inspection flow tests (fixtures: conftest.py)."""

from __future__ import annotations

from tests.datasets import WEATHER_SCHEMA

SCHEMA = WEATHER_SCHEMA
N_FRAMES = 30
WRONG_NAME_TEXT = '{"file_name": "elsewhere.png", "type": "image", "metadata": {"count": 2}}\n'


def show_frames(window, qtbot):
    panel = window.inspect.dataset
    panel.frames_box.setChecked(True)
    qtbot.waitUntil(panel.is_ready, timeout=10000)
    return panel


def visible_names(panel) -> list[str]:
    return [s.file_name for s in panel.visible_samples()]

