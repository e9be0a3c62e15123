"""Choosing this computer's database for every account: the shared workstation database (one SQLite file for the
`infusion-charge` group) or each account's own. Needs the operating system's administrator (root, or an
elevated prompt on Windows): it makes a group-owned folder and writes the site settings file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from db.errors import StoreOpenError
from db.private_files import SHARED, SHARED_GROUP, Privacy, ensure_folder, group_id, write_private
from db.workstation import WorkstationSettings, config_path, load_settings, settings_text
from db.workstation import shared_data_folder as site_folder
from desktop.services.errors import ServiceError

NEEDS_ADMIN = ("Choosing the workstation's database needs the computer's administrator: run it with sudo (Linux, "
               "macOS) or from an administrator's prompt (Windows). Nothing was changed.")


@dataclass(frozen=True, slots=True)
class WorkstationChoice:
    settings: WorkstationSettings
    config: Path
    folder: Path | None

    def describe(self) -> str:
        if self.settings.shared:
            return (f"Every account in the group {self.settings.group} now uses the database in {self.folder} "
                    f"(settings: {self.config}). Add each nurse's and biller's account to that group.")
        return f"Each account now uses its own database (settings: {self.config})."


def current() -> WorkstationSettings:
    try:
        return load_settings()
    except StoreOpenError as exc:
        raise ServiceError(str(exc)) from exc


def share(group: str = SHARED_GROUP, folder: Path | None = None) -> WorkstationChoice:
    """One database for the group: the group (made if missing, on Linux), a 2770 folder, the settings file."""
    settings = replace(current(), shared=True, group=group, folder=folder)
    target = site_folder(settings)
    _ensure_group(group)
    try:
        ensure_folder(target, Privacy(SHARED.folder_mode, SHARED.file_mode, group))
        if sys.platform != "win32":
            os.chmod(target, SHARED.folder_mode)
        path = _write_settings(settings)
    except PermissionError as exc:
        raise ServiceError(NEEDS_ADMIN) from exc
    return WorkstationChoice(settings, path, target)


def own() -> WorkstationChoice:
    """Back to one database per account (the shared file stays where it is, for an administrator to keep)."""
    settings = replace(current(), shared=False)
    try:
        path = _write_settings(settings)
    except PermissionError as exc:
        raise ServiceError(NEEDS_ADMIN) from exc
    return WorkstationChoice(settings, path, None)


def _write_settings(settings: WorkstationSettings) -> Path:
    path = config_path()
    ensure_folder(path.parent, Privacy(0o755, 0o644))
    # Readable by every account (they need to know which database to open); a server password in it keeps it
    # to the group.
    secret = bool(settings.url and "@" in settings.url and ":" in settings.url.split("@")[0].split("//")[-1])
    privacy = Privacy(0o750, 0o640, settings.group) if secret else Privacy(0o755, 0o644)
    write_private(path, settings_text(settings).encode("utf-8"), privacy)
    return path


GROUP_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")  # what groupadd takes (POSIX portable, lower case)


def _ensure_group(group: str) -> None:
    if not GROUP_NAME.fullmatch(group):
        raise ServiceError(f"{group!r} is not a group name: use lower-case letters, digits, '-' or '_' (at most 32, "
                           "starting with a letter), e.g. infusion-charge. Nothing was changed.")
    if sys.platform == "win32" or group_id(group) is not None:  # pragma: no cover - Windows: a local group exists
        return
    groupadd = shutil.which("groupadd")
    if os.geteuid() != 0 or groupadd is None:
        raise ServiceError(f"There is no group {group} on this computer. Create it (Linux: sudo groupadd {group}; "
                           f"macOS: sudo dseditgroup -o create {group}), then try again. Nothing was changed.")
    made = subprocess.run([groupadd, "--system", group], check=False, capture_output=True, text=True)
    if made.returncode != 0:
        why = (made.stderr or "").strip().splitlines()[-1:] or [f"exit {made.returncode}"]
        raise ServiceError(f"The group {group} could not be made ({why[0]}). Nothing was changed.")
