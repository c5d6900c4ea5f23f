"""The platform-plugin check that runs before Qt starts: missing system libraries are named, with
the Debian/Ubuntu and Fedora packages, and the program exits 2 instead of Qt aborting it.

The check asks the dynamic loader through `ldd`; tests that need a given answer put a stand-in
`ldd` first on PATH (the check itself runs unchanged), the others ask the real one.
"""

from __future__ import annotations

import ctypes
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gui.window import platform_check as pc

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check runs on Linux only")

ROOT = Path(__file__).resolve().parents[3]
GLIBC = ("linux-vdso.so.1", "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
         "libstdc++.so.6", "libgcc_s.so.1")


def fake_ldd(tmp_path: Path, missing: dict[str, list[str]]) -> str:
    """A folder with an `ldd` that reports `missing[plugin file name]` as not found; returns a PATH."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "ldd"
    script.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        f"missing = json.loads({json.dumps(json.dumps(missing))})\n"
        "for so in missing.get(os.path.basename(sys.argv[1]), []):\n"
        "    print(f'\\t{so} => not found')\n"
        "print('\\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0000000000)')\n")
    script.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', os.defpath)}"


@pytest.fixture
def x_server():
    """A listening X11 socket (Linux abstract namespace) on a free display number: ':N'."""
    for number in range(4200, 4300):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.bind(f"\0/tmp/.X11-unix/X{number}")
        except OSError:
            s.close()
            continue
        s.listen(4)
        yield f":{number}"
        s.close()
        return
    pytest.skip("no free display number")


def test_missing_xcb_libraries_are_all_named_with_both_install_commands(tmp_path, x_server):
    path = fake_ldd(tmp_path, {"libqxcb.so": ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libfoo.so.3"]})
    text = pc.problem({"PATH": path, "DISPLAY": x_server}, prog="lightly-metadata-editor")
    assert text is not None
    assert 'Qt\'s "xcb" platform plugin needs system libraries that are missing' in text
    for so in ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libfoo.so.3"):
        assert so in text
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4\n" in text
    assert "sudo dnf install xcb-util-cursor xcb-util-wm\n" in text
    assert "apt-file search libfoo.so.3" in text  # unknown to the table: how to find its package
    assert "lightly-metadata-editor validate DATASOURCE" in text


def test_nothing_missing_and_a_display_that_answers_is_no_problem(tmp_path, x_server):
    assert pc.problem({"PATH": fake_ldd(tmp_path, {}), "DISPLAY": x_server}) is None


def test_an_x_display_nobody_answers_is_named_instead_of_a_qt_abort(tmp_path, x_server):
    dead = f":{int(x_server[1:]) + 1000}"
    text = pc.problem({"PATH": fake_ldd(tmp_path, {}), "DISPLAY": dead})
    assert text is not None and f"no X server answers at DISPLAY='{dead}'" in text


def test_a_wayland_session_falls_back_to_xcb_as_qt_does(tmp_path, x_server):
    runtime = tmp_path / "run"
    runtime.mkdir()
    (runtime / "wayland-0").touch()
    env = {"DISPLAY": x_server, "WAYLAND_DISPLAY": "wayland-0", "XDG_RUNTIME_DIR": str(runtime)}
    assert pc.platform_candidates(env) == ["wayland", "xcb"]
    only_wayland = fake_ldd(tmp_path, {"libqwayland.so": ["libwayland-cursor.so.0"]})
    assert pc.problem({**env, "PATH": only_wayland}) is None  # Qt takes xcb
    both = fake_ldd(tmp_path, {"libqwayland.so": ["libwayland-cursor.so.0"],
                               "libqxcb.so": ["libxcb-keysyms.so.1"]})
    text = pc.problem({**env, "PATH": both})
    assert '"wayland" platform plugin' in text and '"xcb" platform plugin' in text
    assert "sudo apt-get install libwayland-cursor0 libxcb-keysyms1\n" in text


def test_an_explicit_platform_list_is_followed_and_headless_plugins_are_checked_too(tmp_path):
    assert pc.platform_candidates({"QT_QPA_PLATFORM": "offscreen"}) == ["offscreen"]
    assert pc.platform_candidates({"QT_QPA_PLATFORM": "xcb:dpi=96;offscreen"}) == ["xcb", "offscreen"]
    path = fake_ldd(tmp_path, {"libqoffscreen.so": ["libEGL.so.1"]})
    text = pc.problem({"PATH": path, "QT_QPA_PLATFORM": "offscreen"})
    assert "libEGL.so.1" in text and "libegl1" in text and "libglvnd-egl" in text
    assert pc.problem({"PATH": fake_ldd(tmp_path, {}), "QT_QPA_PLATFORM": "offscreen"}) is None
    assert pc.problem({"PATH": path, "QT_QPA_PLATFORM": "no-such-plugin"}) is None  # Qt says so itself


def test_x_display_names(x_server):
    number = int(x_server[1:])
    assert pc.x_display_reachable(x_server) and pc.x_display_reachable(f"unix:{number}.0")
    assert not pc.x_display_reachable(f":{number + 1000}")
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        assert pc.x_display_reachable(f"127.0.0.1:{port - 6000}.0")
    assert not pc.x_display_reachable(f"127.0.0.1:{port - 6000}")  # closed now
    assert pc.x_display_reachable("/private/tmp/com.apple.launchd.x/org.xquartz:0")  # unknown form


def test_the_program_exits_2_before_any_qt_library_is_loaded(tmp_path, x_server):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(PATH=fake_ldd(tmp_path, {"libqxcb.so": ["libxcb-cursor.so.0"]}), DISPLAY=x_server)
    code = ("import sys, main\nrc = main.main([])\n"
            "print(sorted(m for m in sys.modules if m.startswith('PySide6.Qt')))\nsys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert "libxcb-cursor.so.0" in proc.stderr and "sudo apt-get install libxcb-cursor0" in proc.stderr


def test_a_screenshot_falls_back_to_offscreen_when_the_display_plugin_cannot_start(tmp_path, x_server):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(PATH=fake_ldd(tmp_path, {"libqxcb.so": ["libxcb-cursor.so.0"]}), DISPLAY=x_server)
    out = tmp_path / "shot.png"
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--screenshot", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert out.is_file() and "libxcb-cursor" not in proc.stderr


def _real_ldd(plugin: Path) -> dict[str, str]:
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=60).stdout
    libs = {}
    for line in out.splitlines():
        name, _, where = line.strip().partition(" => ")
        if where:
            libs[name] = where.split(" (")[0]
    return libs


@pytest.mark.parametrize("platform", ["xcb", "wayland", "offscreen"])
def test_the_real_plugins_are_judged_as_the_dynamic_loader_does(platform):
    plugins = pc.plugins_dir()
    plugin = pc.plugin_file(platform, plugins)
    assert plugin is not None and plugin.is_file()
    missing = pc.missing_libraries(plugin)
    libs = _real_ldd(plugin)
    assert missing == list(dict.fromkeys(n for n, where in libs.items() if where == "not found"))
    for so in missing:  # the loader really cannot find them
        with pytest.raises(OSError):
            ctypes.CDLL(so)
    # Every system library of the plugin has its Debian and Fedora package in the table.
    system = {n for n, where in libs.items() if where != "not found" and str(plugins.parent) not in where}
    assert system - set(GLIBC) - set(pc.PACKAGES) == set()
    assert set(missing) <= set(pc.PACKAGES)


def test_without_ldd_the_plugin_is_loaded_to_learn_one_missing_name(tmp_path):
    code = ("import json, sys\nfrom gui.window import platform_check as pc\n"
            "plugin = pc.plugin_file('xcb', pc.plugins_dir())\n"
            f"print(json.dumps([pc.missing_libraries(plugin, {{'PATH': {str(tmp_path)!r}}}),"
            " pc.missing_libraries(plugin)]))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    without_ldd, with_ldd = json.loads(proc.stdout)
    assert set(without_ldd) <= set(with_ldd) and bool(without_ldd) == bool(with_ldd)


# Always installed with the base system: the README's list leaves them out.
BASE = ("libz.so.1", "libzstd.so.1", "libpng16.so.16", "libexpat.so.1", "libbrotlidec.so.1",
        "libbrotlicommon.so.1", "libpcre2-8.so.0", "libbsd.so.0", "libmd.so.0", "libsystemd.so.0",
        "libcap.so.2", "libgcrypt.so.20", "libgpg-error.so.0", "liblzma.so.5", "liblz4.so.1", "libffi.so.8",
        "libXau.so.6", "libXdmcp.so.6", "libGLX.so.0", "libGLdispatch.so.0")


def test_the_readme_install_commands_cover_the_real_xcb_plugin():
    plugins = pc.plugins_dir()
    libs = _real_ldd(pc.plugin_file("xcb", plugins))
    system = {n for n, where in libs.items() if str(plugins.parent) not in where} - set(GLIBC) - set(BASE)
    readme = (ROOT / "README.md").read_text()
    apt = readme.split("sudo apt-get install", 1)[1].split("\n# Fedora", 1)[0].split()
    dnf = readme.split("sudo dnf install", 1)[1].split("```", 1)[0].split()
    for so in sorted(system):
        debian, fedora = pc.PACKAGES[so]
        assert debian in apt and fedora in dnf, so
