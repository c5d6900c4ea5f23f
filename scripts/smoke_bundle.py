"""Smoke-test a `make bundle` build outside any venv: python3 scripts/smoke_bundle.py dist/APP_FOLDER

Standard library only, so it runs with a plain system Python (or any Python) that has none of
the program's dependencies. Every command runs from an empty temporary folder, with a
temporary home and no PYTHONPATH/VIRTUAL_ENV, the way an annotator's machine would run it:
--version, validate (a clean and a broken datasource), export, --screenshot of the demo
(offscreen), and the editor window left open for a few seconds (offscreen).
Exit code 0 when every check passes.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EDITOR_SECONDS = 8


def _env(home: Path) -> dict[str, str]:
    keep = ("SYSTEMROOT", "SystemRoot", "WINDIR", "TEMP", "TMP", "LANG")  # Windows needs its own
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PATH"] = os.pathsep.join(p for p in ("/usr/bin", "/bin", os.environ.get("SystemRoot", "")) if p)
    for var, sub in (("HOME", "home"), ("USERPROFILE", "home"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"), ("APPDATA", "appdata"),
                     ("LOCALAPPDATA", "localappdata")):
        env[var] = str(home / sub)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _datasource(root: Path, count) -> Path:
    (root / "images").mkdir(parents=True)
    (root / "images" / "a.png").write_bytes(b"not decoded by validate")
    meta = root / ".lightly" / "metadata"
    (meta / "images").mkdir(parents=True)
    schema = [{"name": "Count", "path": "count", "defaultValue": 0, "valueDataType": "NUMERIC_INT"}]
    (meta / "schema.json").write_text(json.dumps(schema))
    doc = {"file_name": "images/a.png", "type": "image", "metadata": {"count": count}}
    (meta / "images" / "a.json").write_text(json.dumps(doc))
    return root


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python3 scripts/smoke_bundle.py dist/lightly-metadata-editor", file=sys.stderr)
        return 2
    bundle = Path(argv[0]).resolve()
    exe = bundle / ("lightly-metadata-editor.exe" if os.name == "nt" else "lightly-metadata-editor")
    if not exe.is_file():
        print(f"error: no executable {exe}", file=sys.stderr)
        return 2
    failures = 0
    with tempfile.TemporaryDirectory(prefix="lme-bundle-smoke-") as tmp:
        tmp = Path(tmp)
        cwd, env = tmp / "cwd", _env(tmp)
        cwd.mkdir()

        def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
            return subprocess.run([str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True,
                                  timeout=timeout)

        def check(what: str, ok: bool, proc: subprocess.CompletedProcess | None = None) -> None:
            nonlocal failures
            print(f"{'PASS' if ok else 'FAIL'}  {what}")
            if not ok:
                failures += 1
                if proc is not None:
                    print(f"      exit {proc.returncode}\n      stdout: {proc.stdout[-2000:]}\n"
                          f"      stderr: {proc.stderr[-2000:]}")

        p = run("--version")
        check(f"--version -> {p.stdout.splitlines()[:1]}",
              p.returncode == 0 and p.stdout.startswith("lightly-metadata-editor "), p)
        clean, broken = _datasource(tmp / "clean", 3), _datasource(tmp / "broken", "three")
        p = run("validate", str(clean))
        check(f"validate clean datasource -> exit {p.returncode}, {p.stderr.strip()!r}", p.returncode == 0, p)
        p = run("validate", str(broken), "--format", "json")
        codes = [f.get("code") for f in json.loads(p.stdout or "[]")] if p.returncode in (0, 1) else []
        check(f"validate broken datasource -> exit {p.returncode}, findings {codes}",
              p.returncode == 1 and codes == ["value-type"], p)
        p = run("export", str(clean))
        check(f"export -> {p.stdout.splitlines()[:2]}", p.returncode == 0 and "images/a.png" in p.stdout, p)
        shot = tmp / "demo.png"
        p = run("--screenshot", str(shot))
        size = _png_size(shot) if shot.is_file() else None
        check(f"--screenshot of the demo (offscreen) -> exit {p.returncode}, PNG {size}",
              p.returncode == 0 and size == (1360, 860), p)
        editor = subprocess.Popen([str(exe), str(clean)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        time.sleep(EDITOR_SECONDS)
        alive = editor.poll() is None
        editor.kill()
        out, err = editor.communicate()
        check(f"the editor window (offscreen) is still open after {EDITOR_SECONDS} s", alive,
              subprocess.CompletedProcess(editor.args, editor.returncode, out, err))
    print(f"{'all checks passed' if not failures else f'{failures} check(s) failed'}: {exe}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
