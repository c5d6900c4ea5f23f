"""The part of the packaging pyproject.toml cannot say: where the checkout's files go when installed.

The checkout keeps main.py, core/, gui/ and resources/ at its top (the design card). The
installed distribution puts all of them inside ONE project-named folder,
site-packages/lightly_metadata_editor/, so no generic top-level `core` or `gui` lands in
site-packages. The console script (`lightly_metadata_editor.main:entry`) puts that folder
first on sys.path of its own process before importing `main`; another distribution's
`core`/`gui` is neither shadowed by ours nor shadows ours anywhere else.
tests/e2e/test_install.py builds the wheel and checks it beside a package with its own `core`/`gui`.
"""

from setuptools import find_packages, setup

PACKAGE = "lightly_metadata_editor"
INNER = find_packages(include=["core", "core.*", "gui", "gui.*"])

setup(
    # lightly_metadata_editor/ is the checkout's root; only the files named here ship from it
    # (main.py, not setup.py or README.md). It has no __init__.py (a namespace package): one in
    # the checkout's root would change how pytest names the tests.
    package_dir={PACKAGE: "."},
    py_modules=[f"{PACKAGE}.main"],
    packages=[*(f"{PACKAGE}.{name}" for name in INNER), f"{PACKAGE}.resources"],
    include_package_data=False,
    # The demos keep their metadata in hidden .lightly/ folders, which "**/*" does not match.
    package_data={f"{PACKAGE}.resources": ["**/*", "*/.lightly/**/*"]},
    exclude_package_data={"": ["__pycache__/*", "*.pyc"]},
)
