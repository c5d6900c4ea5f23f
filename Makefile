# Two commands on a fresh machine: `make run` (set up, open the demo) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The slowest tests are listed after each run (CI logs show where the time goes).
PYTEST_ARGS ?= --durations=8

.PHONY: run test lint bench screenshot wheel bundle clean

$(VENV)/.installed: pyproject.toml setup.py constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]" -c constraints.txt
	touch $@

# Azurite (the Azure Blob emulator tests/cloud starts) from package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(VENV)/.installed
	$(PY) main.py $(ARGS)

test: $(VENV)/.installed node_modules/.installed
	$(PY) -m ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check .

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_validate.py

screenshot: $(VENV)/.installed
	$(PY) main.py --screenshot docs/screenshot.png

# dist/lightly_metadata_editor-<version>-py3-none-any.whl (pip install it, or pipx install .)
wheel: $(VENV)/.installed
	$(PY) -m pip wheel --quiet --no-deps . -w dist

# dist/lightly-metadata-editor/: a one-folder app (PyInstaller) for people without Python, then
# its smoke test, run with the system Python outside the venv. Build on the target platform.
bundle: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test,bundle]"
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller scripts/bundle.spec
	$(PYTHON) scripts/smoke_bundle.py dist/lightly-metadata-editor

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist *.egg-info
