"""Files that ship with the program (`resources/`: icons, the demo, JSON Schemas), found by name.

`resources/` sits beside `core/` both in the checkout and in the installed distribution.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """The path of a shipped file, e.g. `resource("schemas", "schema.schema.json")`."""
    return RESOURCES.joinpath(*parts)
