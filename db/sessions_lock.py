"""Who has a SQLite database open: every open store holds a shared lock on a file beside it, and a restore takes it
exclusively, so a restore never runs under a program that goes on writing (and reusing record ids).

The lock is an OS file lock (flock on Linux and macOS, LockFileEx on Windows): it goes away with the process, so a
crashed program never leaves the database "in use".
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from db.private_files import PRIVATE, Privacy, create_private_file

SUFFIX = ".sessions"


def sessions_file(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


class SessionsLock:
    """An open handle on the sessions file of one database, holding a shared or an exclusive lock."""

    def __init__(self, database: Path, privacy: Privacy = PRIVATE) -> None:
        self.path = sessions_file(database)
        create_private_file(self.path, privacy)
        self._handle: int | None = os.open(self.path, os.O_RDWR)
        self.exclusive = False

    def try_shared(self) -> bool:
        return self._try(exclusive=False)

    def try_exclusive(self) -> bool:
        if self._try(exclusive=True):
            self.exclusive = True
            return True
        return False

    def wait_shared(self, seconds: float) -> bool:
        """Wait up to `seconds` for a restore (the only exclusive holder) to finish."""
        deadline = time.monotonic() + seconds
        while not self.try_shared():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        return True

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            with contextlib.suppress(OSError):
                _unlock(handle)
            os.close(handle)

    def _try(self, *, exclusive: bool) -> bool:
        if self._handle is None:
            raise RuntimeError("the sessions lock was released")
        return _lock(self._handle, exclusive)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import ctypes
    import msvcrt
    from ctypes import wintypes

    class _Overlapped(ctypes.Structure):
        _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p), ("Offset", wintypes.DWORD),
                    ("OffsetHigh", wintypes.DWORD), ("hEvent", wintypes.HANDLE)]

    _LOCKFILE_FAIL_IMMEDIATELY, _LOCKFILE_EXCLUSIVE_LOCK = 0x1, 0x2

    def _lock(handle: int, exclusive: bool) -> bool:
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        os_handle = msvcrt.get_osfhandle(handle)  # type: ignore[attr-defined]
        if exclusive:  # a shared lock held by this handle must go first, or the exclusive one would wait for it
            _unlock(handle)
        ok = ctypes.windll.kernel32.LockFileEx(  # type: ignore[attr-defined]
            os_handle, flags, 0, 1, 0, ctypes.byref(_Overlapped()))
        return bool(ok)

    def _unlock(handle: int) -> None:
        os_handle = msvcrt.get_osfhandle(handle)  # type: ignore[attr-defined]
        ctypes.windll.kernel32.UnlockFileEx(os_handle, 0, 1, 0, ctypes.byref(_Overlapped()))  # type: ignore[attr-defined]

else:
    import fcntl

    def _lock(handle: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)
