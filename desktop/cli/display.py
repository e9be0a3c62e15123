"""Is there a screen for the window? Asked before Qt starts, because Qt aborts the process when there is none."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping
from pathlib import Path

WHAT_TO_DO = ("run it in a desktop session, or set QT_QPA_PLATFORM=offscreen for a headless check "
              "(nothing is shown)")


def x11_reachable(display: str) -> bool:
    """Connect to the X server the way Qt's xcb plugin will (libxcb), then hang up."""
    try:
        libxcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # no libxcb to ask: Qt cannot load its xcb plugin either and will say so itself
    libxcb.xcb_connect.restype = ctypes.c_void_p
    libxcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    libxcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    libxcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = libxcb.xcb_connect(display.encode(), None)
    try:
        return bool(connection) and libxcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            libxcb.xcb_disconnect(connection)


def wayland_reachable(environ: Mapping[str, str]) -> bool:
    """A Wayland compositor listens on a socket: $WAYLAND_DISPLAY, relative to $XDG_RUNTIME_DIR unless absolute."""
    name = environ.get("WAYLAND_DISPLAY", "")
    if not name:
        return False
    socket = Path(name) if name.startswith("/") else Path(environ.get("XDG_RUNTIME_DIR", "")) / name
    return socket.is_socket()


def missing_display(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """None when the window can open (or when it is not ours to judge); otherwise why it cannot, in a few words."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    # QT_QPA_PLATFORM may list fallbacks ("wayland;xcb") and carry options ("offscreen:fontengine=freetype").
    chosen = [entry.split(":", 1)[0].strip() for entry in environ.get("QT_QPA_PLATFORM", "").split(";")]
    chosen = [name for name in chosen if name]
    if not chosen:
        if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
            return None  # Windows and macOS always have their window system
        chosen = ["wayland", "xcb"]  # what Qt tries on these systems: Wayland in a Wayland session, else X11
    if not all(name == "xcb" or name.startswith("wayland") for name in chosen):
        return None  # offscreen, minimal, eglfs, vnc, ...: they need no window system, or Qt judges them itself
    wayland = any(name.startswith("wayland") for name in chosen)
    if wayland and wayland_reachable(environ):
        return None
    if "xcb" not in chosen:
        return f"no display: no Wayland session (WAYLAND_DISPLAY={environ.get('WAYLAND_DISPLAY', '')!r})"
    display = environ.get("DISPLAY", "")
    if not display:
        return "no display: DISPLAY is not set" + (", and no Wayland session" if wayland else "")
    if x11_reachable(display):
        return None
    return f"no display: the X server at DISPLAY={display} cannot be reached"


def display_problem() -> str | None:
    """The one line to print instead of opening the window, or None when it can open."""
    reason = missing_display()
    if reason is None:
        return None
    return f"infusion-charge: {reason}: {WHAT_TO_DO}"
