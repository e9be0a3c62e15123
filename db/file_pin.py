"""The SQLite file a store opened, pinned by device and inode: a deleted, moved or replaced file is never written to
unnoticed (an open connection would go on writing to the old, unlinked file and every record would be lost)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

from db.errors import DatabaseFileMovedError


@dataclass(frozen=True, slots=True)
class FileIdentity:
    device: int
    inode: int


@dataclass(frozen=True, slots=True)
class PinnedFile:
    path: Path
    identity: FileIdentity


_PINS: WeakKeyDictionary[Engine, PinnedFile] = WeakKeyDictionary()
_LOCK = threading.Lock()


def file_identity(path: Path) -> FileIdentity | None:
    """The device and inode of the file at `path` now, or None when there is no file there."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return FileIdentity(status.st_dev, status.st_ino)


def pin_sqlite_file(engine: Engine, path: Path) -> None:
    """Remember which file `engine` opened at `path`; from now on every connection must find that same file."""
    identity = file_identity(path)
    if identity is None:
        raise DatabaseFileMovedError(_missing_message(path))
    with _LOCK:
        _PINS[engine] = PinnedFile(path, identity)


def pinned_file(engine: Engine) -> PinnedFile | None:
    with _LOCK:
        return _PINS.get(engine)


def check_sqlite_file(engine: Engine) -> None:
    """Raise DatabaseFileMovedError when the file at the pinned path is not the file that was opened."""
    pinned = pinned_file(engine)
    if pinned is None:
        return
    now = file_identity(pinned.path)
    if now == pinned.identity:
        return
    if now is None:
        raise DatabaseFileMovedError(_missing_message(pinned.path))
    raise DatabaseFileMovedError(
        f"The database file {pinned.path} was replaced by another file while the program was running. "
        "Nothing was saved to either file: what you entered is kept as a draft. Close the program and start it "
        "again to use the file that is there now, or ask your administrator which file is the right one."
    )


def _missing_message(path: Path) -> str:
    return (
        f"The database file {path} was deleted or moved away while the program was running. Nothing was saved: "
        "what you entered is kept as a draft. Put the file back (or restore the latest backup), then start "
        "the program again; ask your administrator if you do not know where it went."
    )
