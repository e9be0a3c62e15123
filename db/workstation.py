"""This computer's settings, kept outside the database: which database every account uses, and how long to wait.

An administrator (or the installer) writes `workstation.toml` in the site configuration folder (platformdirs:
`/etc/xdg/infusion-charge-capture` on Linux, `C:\\ProgramData\\infusion-charge-capture` on Windows,
`/Library/Application Support/infusion-charge-capture` on macOS); `$INFUSION_CHARGE_WORKSTATION_CONFIG` names
another file. Without it each account has its own SQLite file and the timeouts below apply.

    [database]
    shared = true                 # one SQLite database for every account of the group below
    group = "infusion-charge"
    # folder = "/srv/infusion-charge"     # default: the site folder below
    # url = "postgresql+psycopg://..."   # or a server for several workstations

    [timeouts]                    # seconds
    connect = 5
    statement = 15
    lock = 5
    busy = 5                      # SQLite: how long to wait for another program's write lock
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

from db.errors import StoreOpenError
from db.private_files import SHARED_GROUP

APP_NAME = "infusion-charge-capture"
CONFIG_FILE = "workstation.toml"
ENV_CONFIG = "INFUSION_CHARGE_WORKSTATION_CONFIG"
SHARED_SQLITE_FILE = "charges.sqlite3"


@dataclass(frozen=True, slots=True)
class StoreTimeouts:
    """How long the program waits before it says so, in seconds (0 means no limit)."""

    connect: float = 5.0  # reaching the server (PostgreSQL connect_timeout)
    statement: float = 15.0  # one statement on the server (statement_timeout); the client gives up a bit later
    lock: float = 5.0  # waiting for a row or table another workstation holds (lock_timeout)
    busy: float = 5.0  # SQLite: waiting for another program's write lock (busy_timeout)

    # The client's own limit for a server that stopped answering altogether (frozen, cable pulled): the
    # server's statement_timeout cannot fire then, so the program breaks the connection itself.
    @property
    def unanswered(self) -> float:
        return 0.0 if self.statement <= 0 else self.statement + max(3.0, self.connect)


@dataclass(frozen=True, slots=True)
class WorkstationSettings:
    shared: bool = False
    group: str = SHARED_GROUP
    url: str | None = None
    folder: Path | None = None  # the shared database's folder; None: the platform's site folder
    timeouts: StoreTimeouts = field(default_factory=StoreTimeouts)
    source: Path | None = None  # the file these came from, None for the defaults


def config_path() -> Path:
    named = os.environ.get(ENV_CONFIG, "").strip()
    if named:
        return Path(named).expanduser()
    return platformdirs.site_config_path(APP_NAME, appauthor=False, multipath=False) / CONFIG_FILE


def shared_data_folder(settings: WorkstationSettings | None = None) -> Path:
    """The workstation's data folder: /var/lib/infusion-charge-capture on Linux, C:\\ProgramData\\… on Windows,
    unless the settings name another.

    platformdirs' site *state* folder, because its site *data* folder on Linux is /usr/local/share, meant for
    read-only files installed with a program.
    """
    if settings is not None and settings.folder is not None:
        return settings.folder
    return platformdirs.site_state_path(APP_NAME, appauthor=False)


def shared_sqlite_path() -> Path:
    return shared_data_folder() / SHARED_SQLITE_FILE


def load_settings(path: Path | None = None) -> WorkstationSettings:
    """The settings file's content, or the defaults when there is none; a broken file is a StoreOpenError."""
    path = path or config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return WorkstationSettings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StoreOpenError(f"The workstation settings file {path} cannot be read ({exc}). Ask your "
                             "administrator to correct or remove it.") from exc
    return _parse(raw, path)


def _parse(raw: dict[str, Any], path: Path) -> WorkstationSettings:
    database = raw.get("database", {})
    timeouts = raw.get("timeouts", {})
    if not isinstance(database, dict) or not isinstance(timeouts, dict):
        raise StoreOpenError(f"{path}: [database] and [timeouts] must be tables")
    limits = StoreTimeouts()
    for name in ("connect", "statement", "lock", "busy"):
        if name in timeouts:
            value = timeouts[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3600:
                raise StoreOpenError(f"{path}: timeouts.{name} must be a number of seconds from 0 to 3600")
            limits = replace(limits, **{name: float(value)})
    shared = database.get("shared", False)
    group = database.get("group", SHARED_GROUP)
    url = database.get("url")
    folder = database.get("folder")
    if not isinstance(shared, bool) or not isinstance(group, str) or not (url is None or isinstance(url, str)) \
            or not (folder is None or isinstance(folder, str)):
        raise StoreOpenError(f"{path}: database.shared is true or false; group, url and folder are text")
    return WorkstationSettings(shared=shared, group=group.strip() or SHARED_GROUP, url=(url or "").strip() or None,
                               folder=Path(folder) if folder else None, timeouts=limits, source=path)


def settings_text(settings: WorkstationSettings) -> str:
    """The TOML an administrator (or `infusion-charge workstation`) writes."""
    t = settings.timeouts
    lines = ["# Written by `infusion-charge workstation`; see the administrator's guide.", "[database]",
             f"shared = {'true' if settings.shared else 'false'}", f'group = "{settings.group}"']
    if settings.url:
        lines.append(f'url = "{settings.url}"')
    if settings.folder:
        lines.append(f'folder = "{settings.folder.as_posix()}"')
    lines += ["", "[timeouts]", f"connect = {t.connect:g}", f"statement = {t.statement:g}", f"lock = {t.lock:g}",
              f"busy = {t.busy:g}", ""]
    return "\n".join(lines)
