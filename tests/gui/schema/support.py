"""Shared data for the Schema tab tests (fixtures are in conftest.py beside this file)."""

from __future__ import annotations

from pathlib import Path

from core.format import jsonio

SCHEMA = [
    {"name": "Weather", "path": "weather.description", "defaultValue": "sunny",
     "valueDataType": "CATEGORICAL_STRING"},
    {"name": "Temperature", "path": "weather.temperature", "defaultValue": 20.5,
     "valueDataType": "NUMERIC_FLOAT"},
    {"name": "Cars", "path": "traffic.cars", "defaultValue": 0, "valueDataType": "NUMERICAL_INT"},
    {"name": "Night", "path": "night", "defaultValue": False, "valueDataType": "CATEGORICAL_BOOLEAN",
     "description": "kept on save"},
]


def write_meta(root: Path, rel: str, metadata: dict) -> None:
    p = root / ".lightly" / "metadata" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(jsonio.dumps({"file_name": rel[:-5] + ".png", "type": "image", "metadata": metadata}))


def entries_of(panel):
    return panel.ws.schema_entries


# --- model ------------------------------------------------------------------------------
