"""The house by feature: the import contracts hold, catch what they forbid, each package says what it is."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = sorted(p.parent for top in ("core", "gui") for p in (ROOT / top).rglob("__init__.py"))


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter over `root` (its pyproject.toml) in a fresh interpreter, `root` first on the path."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(root), "PATH": ""})


def test_the_import_contracts_hold():
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "4 kept, 0 broken" in proc.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("core/format/naming.py", "import PySide6.QtCore", "core never imports Qt, charts or gui"),
        ("core/format/naming.py", "from core.csv_io import plan", "core layers"),
        ("gui/form/field_row.py", "from gui.dataset import panel",
         "gui layers: the window composes; features never import each other"),
        ("gui/common/icons.py", "from gui.window import app",
         "gui layers: the window composes; features never import each other"),
        ("gui/media/frame_strip.py", "from gui.media import timeline",
         "no import circles between the modules or packages of one package"),
    ],
    ids=["core-imports-qt", "core-layer-upwards", "feature-imports-feature", "common-imports-window",
         "circle-inside-a-package"],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, line, contract):
    for name in ("core", "gui"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{line}\n")
    proc = lint_imports(tmp_path)
    assert proc.returncode != 0, proc.stdout
    assert f"{contract} BROKEN" in proc.stdout


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: ".".join(p.relative_to(ROOT).parts))
def test_every_package_says_what_it_holds_and_stays_small(package):
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
    assert doc and len(doc.splitlines()) <= 6, "a short docstring: what it holds, what it may import"
    modules = [p for p in package.glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= 12, f"{len(modules)} modules: split the package by feature"
    long = [f"{p.name} ({n} lines)" for p in modules if (n := len(p.read_text().splitlines())) > 400]
    assert not long, "split modules before they pass 400 lines"


def test_core_and_gui_have_few_top_level_modules():
    for top in ("core", "gui"):
        modules = [p.name for p in (ROOT / top).glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= 4, f"{top}/ holds {modules}: put them in feature packages"
