"""Before Qt starts (Linux): can the platform plugin Qt will use be loaded and connect?

Qt aborts the whole interpreter when no platform plugin can start, and names at most one
missing library (a fresh Debian lacks libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1...).
`problem()` runs first: it finds the plugins Qt will try (the same order Qt uses), asks the
dynamic loader (`ldd`) which of their system libraries are missing, checks that the display
server answers, and returns a message naming every missing library with the Debian/Ubuntu
and Fedora install commands; `gui.window.app.run` prints it and exits 2.

Imports no Qt (it must run before Qt's libraries are loaded): may import only the standard library.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

HEADLESS = ("offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs", "vkkhrdisplay")

#: soname -> (Debian/Ubuntu package, Fedora package): every system library that `ldd` lists for
#: PySide6's xcb, wayland and offscreen plugins besides glibc's (tests/gui/window/test_platform_check.py
#: checks the table against the real plugins).
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libXau.so.6": ("libxau6", "libXau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libpng16.so.16": ("libpng16-16", "libpng"),
    "libexpat.so.1": ("libexpat1", "expat"),
    "libbrotlidec.so.1": ("libbrotli1", "libbrotli"),
    "libbrotlicommon.so.1": ("libbrotli1", "libbrotli"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libpcre2-8.so.0": ("libpcre2-8-0", "pcre2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libsystemd.so.0": ("libsystemd0", "systemd-libs"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl"),
    "libffi.so.8": ("libffi8", "libffi"),
    "libz.so.1": ("zlib1g", "zlib"),
    "libzstd.so.1": ("libzstd1", "libzstd"),
    "libbsd.so.0": ("libbsd0", "libbsd"),
    "libmd.so.0": ("libmd0", "libmd"),
    "libcap.so.2": ("libcap2", "libcap"),
    "libgcrypt.so.20": ("libgcrypt20", "libgcrypt"),
    "libgpg-error.so.0": ("libgpg-error0", "libgpg-error"),
    "liblzma.so.5": ("liblzma5", "xz-libs"),
    "liblz4.so.1": ("liblz4-1", "lz4-libs"),
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_DLOPEN_ERROR = re.compile(r"([^\s:]+\.so[.\d]*): cannot open shared object file")


def platform_candidates(env) -> list[str]:
    """The platform plugins Qt tries, in order (QGuiApplication's rules on Linux, Qt 6)."""
    explicit = env.get("QT_QPA_PLATFORM", "")
    if explicit:
        return [name.split(":")[0] for name in explicit.split(";") if name.split(":")[0]]
    order = ["xcb"] if env.get("DISPLAY") else []
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        order.insert(0, "wayland")
    return order or ["xcb"]  # Qt's default plugin on Linux


def plugins_dir() -> Path | None:
    """PySide6's Qt plugin folder, found without importing PySide6 (wheel, venv or bundle)."""
    spec = importlib.util.find_spec("PySide6")
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "Qt" / "plugins"
        if candidate.is_dir():
            return candidate
    return None


def plugin_file(platform: str, plugins: Path) -> Path | None:
    folder = plugins / "platforms"
    exact = folder / f"libq{platform}.so"
    if exact.is_file():
        return exact
    if platform.startswith("wayland"):  # older Qt: libqwayland-egl.so, libqwayland-generic.so
        return next(iter(sorted(folder.glob("libqwayland*.so"))), None)
    return None


def missing_libraries(plugin: Path, env=None) -> list[str]:
    """The sonames the dynamic loader cannot find for `plugin` (and what it links), in order.

    Asks `ldd` (on PATH of `env`); without it, loads the plugin and reads the one name that
    dlopen's error gives.
    """
    env = os.environ if env is None else env
    ldd = shutil.which("ldd", path=env.get("PATH", os.defpath))
    if ldd is not None:
        try:
            out = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=30,
                                 env=dict(env)).stdout
        except (OSError, subprocess.SubprocessError):
            out = None
        if out is not None:
            return list(dict.fromkeys(_NOT_FOUND.findall(out)))
    try:
        ctypes.CDLL(str(plugin))  # loads what Qt would load next anyway
    except OSError as e:
        found = _DLOPEN_ERROR.search(str(e))
        return [found.group(1)] if found else []
    return []


def x_display_reachable(display: str, timeout: float = 2.0) -> bool:
    """Whether an X server answers at `display` (":0", "unix:0", "localhost:10.0"); True if unsure."""
    match = re.fullmatch(r"(?P<name>[^:/]*):(?P<num>\d+)(?:\.\d+)?", display)
    if match is None:
        return True  # a form this check does not know (e.g. a launchd socket path): let Qt try
    host, num = match.group("name"), int(match.group("num"))
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{num}"
        for address in (path, "\0" + path):  # the socket file, then Linux's abstract socket
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(timeout)
                try:
                    s.connect(address)
                    return True
                except OSError:
                    continue
        if host == "unix":
            return False
        host = "localhost"
    try:
        socket.create_connection((host, 6000 + num), timeout=timeout).close()
        return True
    except OSError:
        return False


def _wayland_reachable(env) -> bool:
    name = env.get("WAYLAND_DISPLAY") or "wayland-0"
    path = Path(name) if os.path.isabs(name) else Path(env.get("XDG_RUNTIME_DIR") or "/nonexistent") / name
    return path.exists()


def problem(env=None, plugins: Path | None = None, prog: str | None = None) -> str | None:
    """What stops Qt from starting a platform plugin here (a message to print), or None.

    None also when this cannot be judged (not Linux, no PySide6 plugin folder, an unknown plugin):
    then Qt decides as usual.
    """
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    plugins = plugins or plugins_dir()
    if plugins is None:
        return None
    failures: list[tuple[str, list[str] | str]] = []
    unknown = False
    for name in platform_candidates(env):
        plugin = plugin_file(name, plugins)
        if plugin is None:
            unknown = True  # not a plugin this check knows: Qt reports it if it fails
            continue
        missing = missing_libraries(plugin, env)
        if missing:
            failures.append((name, missing))
        elif name == "xcb" and not x_display_reachable(env.get("DISPLAY", "")):
            failures.append((name, f"no X server answers at DISPLAY={env.get('DISPLAY', '')!r}"))
        elif name.startswith("wayland") and not _wayland_reachable(env):
            failures.append((name, "no Wayland compositor socket (WAYLAND_DISPLAY, XDG_RUNTIME_DIR)"))
        else:
            return None  # Qt can start this one
    return message(failures, prog) if failures and not unknown else None


def _prog() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return name if name.startswith("lightly-metadata-editor") else "main.py"


def message(failures: list[tuple[str, list[str] | str]], prog: str | None = None) -> str:
    """The text for the user: each plugin's missing libraries (with packages) and the install commands."""
    prog = prog or _prog()
    lines, debian, fedora = ["error: the editor window cannot start."], [], []
    for name, what in failures:
        if isinstance(what, str):
            lines.append(f'  Qt\'s "{name}" platform plugin: {what}.')
            continue
        lines.append(f'  Qt\'s "{name}" platform plugin needs system libraries that are missing:')
        width = max(len(so) for so in what)
        for so in what:
            if so in PACKAGES:
                deb, fed = PACKAGES[so]
                debian.append(deb)
                fedora.append(fed)
                lines.append(f"    {so:<{width}}  Debian/Ubuntu: {deb}, Fedora: {fed}")
            else:
                find = f"apt-file search {so} / dnf provides '*/{so}'"
                lines.append(f"    {so:<{width}}  (find its package: {find})")
    if debian:
        lines += ["Install them, then start the editor again:",
                  f"  Debian/Ubuntu:  sudo apt-get install {' '.join(dict.fromkeys(debian))}",
                  f"  Fedora:         sudo dnf install {' '.join(dict.fromkeys(fedora))}"]
    lines.append(f"Without a window: {prog} --screenshot out.png [DATASOURCE] renders off-screen; "
                 f"{prog} validate DATASOURCE checks from the command line.")
    return "\n".join(lines)
