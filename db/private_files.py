"""Files that hold patient data: created private (0700 folder, 0600 file) or group-shared (2770, 0660), never wider.

The modes are set explicitly (not left to the umask), so a file is never readable by another account even for the
moment between its creation and a chmod. Existing folders found wider than wanted are tightened (`tighten`) and
the caller says so once. On Windows the per-user data folder inherits the account-only ACL of the profile; the
shared workstation folder gets an explicit ACL (`_windows_acl`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SHARED_GROUP = "infusion-charge"


@dataclass(frozen=True, slots=True)
class Privacy:
    """Who may read the files in a folder: only the owner (`group` None), or the owner and one group."""

    folder_mode: int
    file_mode: int
    group: str | None = None

    @property
    def shared(self) -> bool:
        return self.group is not None

    def describe(self) -> str:
        return f"your account and the group {self.group}" if self.group else "your account only"


PRIVATE = Privacy(folder_mode=0o700, file_mode=0o600)
SHARED = Privacy(folder_mode=0o2770, file_mode=0o660, group=SHARED_GROUP)


@dataclass(frozen=True, slots=True)
class Tightened:
    path: Path
    old_mode: int
    new_mode: int

    def describe(self) -> str:
        return f"{self.path} ({stat.filemode(self.old_mode)} \u2192 {stat.filemode(self.new_mode)})"


def ensure_folder(path: Path, privacy: Privacy = PRIVATE) -> Path:
    """The folder, made with the privacy's mode (and its parents with the same) if missing."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=privacy.folder_mode & 0o777)
        _set_mode(folder, privacy.folder_mode, privacy.group)
    return path


def privacy_of(path: Path) -> Privacy:
    """The privacy an existing file has: group-shared when its group may write it, else private."""
    if sys.platform == "win32":  # pragma: no cover - ACLs are inherited from the folder
        return PRIVATE
    status = path.stat()
    if status.st_mode & stat.S_IWGRP:
        import grp

        try:
            return Privacy(SHARED.folder_mode, SHARED.file_mode, grp.getgrgid(status.st_gid).gr_name)
        except KeyError:
            return PRIVATE  # a group without a name: keep the copy to the owner
    return PRIVATE


def create_private_file(path: Path, privacy: Privacy = PRIVATE) -> None:
    """Create an empty file at `path` with the privacy's mode, unless it already exists (then it is left alone)."""
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, privacy.file_mode)
    except FileExistsError:
        return
    try:
        _fset_mode(handle, privacy.file_mode, privacy.group)
    finally:
        os.close(handle)


def write_private(path: Path, data: bytes, privacy: Privacy = PRIVATE) -> Path:
    """Write `data` whole or not at all: a private temporary file beside `path`, synced, then renamed over it."""
    target = Path(path).expanduser()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        _fset_mode(handle, privacy.file_mode, privacy.group)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)  # a failed write leaves no half file, private or not
        raise
    return target


def private_temporary_file(folder: Path, prefix: str, suffix: str = "") -> tuple[int, Path]:
    """A new temporary file (mkstemp: 0600) in `folder`; the caller removes it on failure."""
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    return handle, Path(name)


def wider_than(mode: int, allowed: int) -> bool:
    return bool(stat.S_IMODE(mode) & ~allowed & 0o777)


def tighten(folder: Path, privacy: Privacy = PRIVATE) -> list[Tightened]:
    """Remove every permission wider than `privacy` from the folder and the files in it (not its subfolders'
    contents, which are not the program's). Returns what was changed; nothing when all was already private."""
    if sys.platform == "win32":  # pragma: no cover - ACLs, see _windows_acl
        return []
    changed: list[Tightened] = []
    folder = Path(folder)
    if not folder.is_dir():
        return changed
    entries: Iterator[Path] = folder.iterdir()
    for path in [folder, *sorted(entries)]:
        try:
            status = path.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(status.st_mode):
            continue  # a link's target is not ours to change
        allowed = privacy.folder_mode if stat.S_ISDIR(status.st_mode) else privacy.file_mode
        if wider_than(status.st_mode, allowed & 0o777):
            new_mode = stat.S_IMODE(status.st_mode) & allowed
            os.chmod(path, new_mode | (stat.S_ISGID if stat.S_ISDIR(status.st_mode) and privacy.shared else 0))
            changed.append(Tightened(path, stat.S_IMODE(status.st_mode), new_mode))
    return changed


def group_id(name: str) -> int | None:
    """The group's id on this system, or None when there is no such group (or no groups: Windows)."""
    try:
        import grp
    except ImportError:  # pragma: no cover - Windows
        return None
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return None


def _set_mode(path: Path, mode: int, group: str | None) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        if group is not None:
            _windows_acl(path, group)
        return
    if group is not None:
        gid = group_id(group)
        if gid is not None and path.stat().st_gid != gid:
            with contextlib.suppress(PermissionError):  # only the owner or root may change it; the mode still holds
                os.chown(path, -1, gid)
    os.chmod(path, mode)


def _fset_mode(handle: int, mode: int, group: str | None) -> None:
    if sys.platform == "win32":  # pragma: no cover - the folder's ACL is inherited
        return
    if group is not None:
        gid = group_id(group)
        if gid is not None:
            with contextlib.suppress(PermissionError):
                os.fchown(handle, -1, gid)
    os.fchmod(handle, mode & 0o777)


def _windows_acl(path: Path, group: str) -> None:  # pragma: no cover - exercised on Windows only
    """The shared folder: no inheritance from ProgramData (which lets every user read), full control for the
    administrators and SYSTEM, modify for the group; files created inside inherit it."""
    subprocess.run(
        ["icacls", str(path), "/inheritance:r", "/grant:r", "*S-1-5-32-544:(OI)(CI)F", "/grant:r",
         "*S-1-5-18:(OI)(CI)F", "/grant:r", f"{group}:(OI)(CI)M"],
        check=True, capture_output=True,
    )
