"""What ships with the program: its version and `resources/` (icons, the demo, JSON Schemas).

`resources/` sits beside `core/` wherever the program runs, so it is found from this
package's own location (what importlib.resources does for packages on disk), never from
the working directory:
- the checkout: <clone>/resources;
- the installed wheel: site-packages/lightly_metadata_editor/resources (package data,
  see setup.py);
- the PyInstaller bundle: <bundle>/_internal/resources (scripts/bundle.spec).
"""

from __future__ import annotations

import platform
from pathlib import Path

#: The program's version: pyproject.toml reads it from here (one place), `--version` and
#: Help ▸ About show it.
__version__ = "0.1.0"

DISTRIBUTION = "lightly-metadata-editor"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """The path of a shipped file, e.g. `resource("schemas", "schema.schema.json")`."""
    return RESOURCES.joinpath(*parts)


def _distribution_version(*names: str) -> str | None:
    from importlib import metadata  # only for About and --version: 0.1 s at start-up otherwise

    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def runtime_versions() -> list[tuple[str, str]]:
    """(name, version) of Python and the libraries that matter in a bug report, without importing Qt.

    Read from the installed distributions' metadata; "unknown" where there is none (a bundle
    built without it).
    """
    pyside = _distribution_version("PySide6-Essentials", "PySide6")
    av = _distribution_version("av")
    if av is None:
        try:
            import av as av_module  # the bundle may carry no metadata; PyAV is cheap to import

            av = av_module.__version__
        except ImportError:
            av = None
    return [("Python", platform.python_version()), ("PySide6 (Qt)", pyside or "unknown"),
            ("PyAV", av or "unknown")]


def version_text() -> str:
    """What `--version` prints: the program's version, then Python's and the libraries'."""
    libs = ", ".join(f"{name} {version}" for name, version in runtime_versions())
    return f"{DISTRIBUTION} {__version__}\n{libs}"
