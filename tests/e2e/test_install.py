"""The installed program, as a new user gets it: the wheel built from this checkout, installed into
a fresh venv beside another distribution that has its own top-level `core` and `gui`, and run
through its console script from an empty temporary folder (never from the checkout).

Building the wheel and installing it with its dependencies takes about a minute (pip's cache
serves the dependencies); it happens once for this module.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.bundled import __version__
from tests.datasets import LABEL_SCHEMA, write_datasource

# The module's first test also builds and installs (pip, ~1 min idle, several on a busy machine).
pytestmark = pytest.mark.timeout(1800)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "lightly_metadata_editor"
# What the packaging reads: setup.py and pyproject.toml say which of these ship.
SOURCES = ("main.py", "setup.py", "pyproject.toml", "README.md", "core", "gui", "resources")

DUMMY = {"core/__init__.py": 'WHO = "the dummy core"\n', "gui/__init__.py": 'WHO = "the dummy gui"\n'}


@dataclass
class Installed:
    venv: Path
    wheel: Path
    exe: Path
    python: Path
    site_packages: Path


def _sha(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def write_dummy_wheel(folder: Path) -> Path:
    """A minimal wheel, `dummy-core-gui`, whose top-level packages are named `core` and `gui`."""
    info = "dummy_core_gui-1.0.dist-info"
    files = {**DUMMY,
             f"{info}/METADATA": "Metadata-Version: 2.1\nName: dummy-core-gui\nVersion: 1.0\n",
             f"{info}/WHEEL": ("Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
                               "Tag: py3-none-any\n")}
    record = "".join(f"{name},{_sha(text.encode())},{len(text.encode())}\n" for name, text in files.items())
    path = folder / "dummy_core_gui-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
        z.writestr(f"{info}/RECORD", record + f"{info}/RECORD,,\n")
    return path


def _clean_env() -> dict[str, str]:
    """The test session's environment (temporary home folders, offscreen Qt) without any path
    that could lead the installed program back to the checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def _check(args, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, capture_output=True, text=True, env=_clean_env(), **kw)
    assert proc.returncode == 0, f"{args}: {proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    work = tmp_path_factory.mktemp("install")
    src = work / "src"  # a copy: building writes build/ and *.egg-info next to the sources
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    dist = work / "dist"
    _check([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(src), "-w", str(dist)],
           timeout=900)
    (wheel,) = dist.glob("lightly_metadata_editor-*.whl")
    dummy = write_dummy_wheel(work)
    venv = work / "venv"
    _check([sys.executable, "-m", "venv", str(venv)], timeout=300)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    _check([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            str(wheel), str(dummy)], timeout=1800)
    site = Path(_check([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                       cwd=work).stdout.strip())
    return Installed(venv, wheel, bin_dir / "lightly-metadata-editor", python, site)


@pytest.fixture
def cwd(tmp_path) -> Path:
    """An empty working folder outside the checkout."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    return folder


def run(installed: Installed, cwd: Path, *args, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed.exe), *map(str, args)], cwd=cwd, env=_clean_env(),
                          capture_output=True, text=True, timeout=timeout)


def datasource(root: Path, label="cat") -> Path:
    files = {"schema.json": LABEL_SCHEMA,
             "images/a.json": {"file_name": "images/a.png", "type": "image", "metadata": {"label": label}}}
    return write_datasource(root, media={"images/a.png": b"png", "images/b.jpg": b"jpg"},
                            videos={"videos/v.mp4": 12}, files=files, indent=2, end="\n")


def test_the_wheel_holds_one_project_package_with_every_resource(installed):
    names = zipfile.ZipFile(installed.wheel).namelist()
    assert {n.split("/")[0] for n in names} == {PACKAGE, f"{PACKAGE}-{__version__}.dist-info"}
    inside = {n[len(PACKAGE) + 1:] for n in names if n.startswith(PACKAGE + "/")}
    expected = {p.relative_to(ROOT).as_posix() for top in ("core", "gui", "resources")
                for p in (ROOT / top).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert inside == expected | {"main.py"}  # the demos' hidden .lightly/ folders included
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "lightly-metadata-editor = lightly_metadata_editor.main:entry" in \
        zipfile.ZipFile(installed.wheel).read(entry_points).decode()


def test_no_generic_name_of_ours_is_at_the_top_of_site_packages(installed):
    assert (installed.site_packages / "core" / "__init__.py").read_text() == DUMMY["core/__init__.py"]
    assert (installed.site_packages / "gui" / "__init__.py").read_text() == DUMMY["gui/__init__.py"]
    assert not (installed.site_packages / "main.py").exists()
    assert not (installed.site_packages / "resources").exists()
    assert (installed.site_packages / PACKAGE / "resources" / "schemas" / "schema.schema.json").is_file()


def test_the_other_distribution_still_imports_its_own_core_and_gui(installed, cwd):
    proc = _check([str(installed.python), "-c", "import core, gui; print(core.WHO); print(gui.WHO)"], cwd=cwd)
    assert proc.stdout.splitlines() == ["the dummy core", "the dummy gui"]
    # Our entry point, in a process of its own, uses ours (and says where they came from).
    code = ("import sys\nsys.argv = ['lightly-metadata-editor', '--version']\n"
            "from lightly_metadata_editor.main import entry\nentry()\n"
            "import core\nprint(core.__file__)")
    lines = _check([str(installed.python), "-c", code], cwd=cwd).stdout.splitlines()
    assert lines[0] == f"lightly-metadata-editor {__version__}"
    assert Path(lines[-1]).parent.parent == installed.site_packages / PACKAGE


def test_version_from_a_temporary_folder(installed, cwd):
    proc = run(installed, cwd, "--version")
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.splitlines()
    assert first == f"lightly-metadata-editor {__version__}"
    assert "Python " in second and "PySide6 (Qt) 6." in second and "PyAV " in second


def test_validate_from_a_temporary_folder(installed, cwd):
    datasource(cwd / "good")
    proc = run(installed, cwd, "validate", "good")  # a path relative to the working folder
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and "0 errors, 0 warnings in 1 metadata file" in proc.stderr
    datasource(cwd / "bad", label=7)
    (cwd / "bad" / ".lightly" / "metadata" / "gone.json").write_text(
        '{"file_name": "gone.png", "type": "image", "metadata": {}}')
    proc = run(installed, cwd, "validate", "bad", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    found = sorted((f["code"], f["file"]) for f in json.loads(proc.stdout))
    assert found == [("orphan", "gone.json"), ("value-type", "images/a.json")]
    proc = run(installed, cwd, "validate", "missing")
    assert proc.returncode == 2 and "error:" in proc.stderr


def test_export_and_import_from_a_temporary_folder(installed, cwd):
    ds = datasource(cwd / "ds")
    proc = run(installed, cwd, "export", "ds", "-o", "out.csv")
    assert proc.returncode == 0, proc.stderr
    rows = {r["file_name"]: r for r in csv.DictReader(io.StringIO((cwd / "out.csv").read_text()))}
    assert rows["images/a.png"]["Label"] == "cat" and rows["images/b.jpg"]["Label"] == "none"
    (cwd / "in.csv").write_text("file_name,Label\nimages/b.jpg,dog\n")
    proc = run(installed, cwd, "import", "ds", "in.csv")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    written = json.loads((ds / ".lightly" / "metadata" / "images" / "b.json").read_text())
    assert written["metadata"] == {"label": "dog"}


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def test_screenshot_of_the_demo_and_of_a_datasource_offscreen(installed, cwd):
    proc = run(installed, cwd, "--screenshot", "demo.png")  # the demo ships inside the package
    assert proc.returncode == 0, proc.stderr
    assert _png_size(cwd / "demo.png") == (1360, 860)
    datasource(cwd / "ds")
    proc = run(installed, cwd, "ds", "--screenshot", "ds.png")
    assert proc.returncode == 0, proc.stderr
    assert _png_size(cwd / "ds.png") == (1360, 860)


def test_the_editor_window_opens_and_stays_open(installed, cwd):
    ds = datasource(cwd / "ds")
    editor = subprocess.Popen([str(installed.exe), str(ds)], cwd=cwd, env=_clean_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with pytest.raises(subprocess.TimeoutExpired):  # still running: no crash on start
            editor.wait(timeout=5)
    finally:
        editor.kill()
        _out, err = editor.communicate()
    assert "Traceback" not in err and "FileNotFoundError" not in err, err
