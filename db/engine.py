"""Engine factory: URL resolution, SQLite pragmas and write locking, timeouts, private files, refusal of network
shares."""

from __future__ import annotations

import os
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from db.errors import NetworkShareError, StoreOpenError
from db.file_pin import check_sqlite_file, pinned_file
from db.private_files import PRIVATE, SHARED, Privacy, create_private_file, ensure_folder
from db.workstation import APP_NAME, StoreTimeouts, WorkstationSettings, load_settings, shared_data_folder

ENV_URL = "INFUSION_CHARGE_DATABASE_URL"
SQLITE_FILE = "charges.sqlite3"
# Execution option a read-only session sets so SQLite begins DEFERRED instead of IMMEDIATE.
BEGIN_OPTION = "infusion_sqlite_begin"

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb", "smbfs", "smb2", "smb3", "ncpfs", "afs", "coda", "9p",
        "fuse.sshfs", "sshfs", "davfs", "fuse.davfs", "ceph", "glusterfs", "fuse.glusterfs",
        "lustre", "gpfs", "ocfs2", "gfs2", "fuse.rclone", "fuse.s3fs",
    }
)


def user_data_folder() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_sqlite_path(settings: WorkstationSettings | None = None) -> Path:
    """The workstation's shared SQLite file when an administrator chose one, else this account's own."""
    settings = settings if settings is not None else load_settings()
    if settings.shared:
        return shared_data_folder(settings) / SQLITE_FILE
    return user_data_folder() / SQLITE_FILE


def resolve_url(url: str | None = None, settings: WorkstationSettings | None = None) -> str:
    """The URL to use: the one given, else $INFUSION_CHARGE_DATABASE_URL, else the workstation's (its settings
    file names a server or the shared file), else this account's SQLite file."""
    if url:
        return url
    from_env = os.environ.get(ENV_URL, "").strip()
    if from_env:
        return from_env
    settings = settings if settings is not None else load_settings()
    if settings.url:
        return settings.url
    return f"sqlite:///{default_sqlite_path(settings)}"


def privacy_for(path: Path, settings: WorkstationSettings | None = None) -> Privacy:
    """Group-shared for the workstation's shared folder, private (this account only) everywhere else."""
    settings = settings if settings is not None else load_settings()
    try:
        inside_shared = path.resolve().parent == shared_data_folder(settings).resolve()
    except OSError:
        inside_shared = False
    if inside_shared:
        return Privacy(SHARED.folder_mode, SHARED.file_mode, settings.group)
    return PRIVATE


def sqlite_file(url: str | URL) -> Path | None:
    """The file behind a SQLite URL, or None for another backend or an in-memory database."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        return None
    return Path(database).expanduser()


def _mount_fstype(path: Path, mounts_text: str) -> str | None:
    best, fstype = "", None
    target = str(path)
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, fstype = mount_point, fields[2]
    return fstype


def network_filesystem(path: Path, mounts_text: str | None = None) -> str | None:
    """The kind of network share `path` lies on (e.g. "nfs4", "UNC path"), or None for a local disk."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return "UNC path"
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        if drive and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4:  # DRIVE_REMOTE
            return "network drive"
        return None
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    resolved = path.resolve() if path.exists() else path.parent.resolve() / path.name
    fstype = _mount_fstype(resolved, mounts_text)
    if fstype and (fstype in NETWORK_FILESYSTEMS or fstype.split(".")[0] in NETWORK_FILESYSTEMS):
        return fstype
    return None


def refuse_network_share(path: Path, mounts_text: str | None = None) -> None:
    kind = network_filesystem(path, mounts_text)
    if kind:
        raise NetworkShareError(
            f"The database file {path} is on a network share ({kind}). SQLite files are not safe on "
            "network shares: keep it on this computer's disk, or use a PostgreSQL server "
            "(--database-url postgresql+psycopg://...) for several workstations."
        )


def _install_sqlite_hooks(engine: Engine, timeouts: StoreTimeouts) -> None:
    @event.listens_for(engine, "do_connect")
    def _open_existing_only(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        # Once the store is open (its file pinned), a missing file is an error, never a new empty database.
        pinned = pinned_file(engine)
        if pinned is not None and not cparams.get("uri"):
            cargs[0] = "file:" + urllib.parse.quote(str(pinned.path)) + "?mode=rw"
            cparams["uri"] = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        check_sqlite_file(engine)  # a new connection must find the file the store opened
        # Let SQLAlchemy's begin hook (below) decide when and how a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(timeouts.busy * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout
        # instead of failing with SQLITE_BUSY when a read transaction tries to write.
        mode = connection.get_execution_options().get(BEGIN_OPTION, "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def prepare_sqlite_file(path: Path, privacy: Privacy) -> None:
    """Make the folder and an empty database file with the privacy's modes before SQLite opens it: SQLite gives
    its -wal and -shm files the database file's mode, so all three stay private. A file this account cannot
    open gets words instead of SQLite's "unable to open database file"."""
    try:
        ensure_folder(path.parent, privacy)
        create_private_file(path, privacy)
    except PermissionError as exc:
        raise StoreOpenError(no_access_message(path, privacy)) from exc
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreOpenError(no_access_message(path, privacy))


def no_access_message(path: Path, privacy: Privacy) -> str:
    account = _account()
    if privacy.shared:
        return (f"Your account ({account}) cannot open this workstation's database {path}: it is kept for the "
                f"group {privacy.group}, and your account is not in it. Ask your administrator to add your account "
                f"to that group (Linux: usermod -aG {privacy.group} {account}, then sign out of the computer and in "
                "again). Nothing was changed.")
    return (f"Your account ({account}) cannot open the database {path}: it belongs to another account or is "
            "read-only. Start the program from the account that owns it, or ask your administrator. Nothing was "
            "changed.")


def _account() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "this account"


def create_store_engine(url: str | None = None, *, mounts_text: str | None = None,
                        timeouts: StoreTimeouts | None = None,
                        settings: WorkstationSettings | None = None) -> Engine:
    """An Engine for the store: SQLite gets its pragmas, a private file and a refusal of network shares;
    PostgreSQL gets connect, lock and statement timeouts and a client-side limit for a silent server."""
    settings = settings if settings is not None else load_settings()
    timeouts = timeouts if timeouts is not None else settings.timeouts
    resolved = resolve_url(url, settings)
    parsed = make_url(resolved)
    path = sqlite_file(parsed)
    if path is not None:
        privacy = privacy_for(path, settings)
        try:
            refuse_network_share(path, mounts_text)
            prepare_sqlite_file(path, privacy)
        except PermissionError as exc:  # a folder this account may not even enter
            raise StoreOpenError(no_access_message(path, privacy)) from exc
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": timeouts.busy})
        _install_sqlite_hooks(engine, timeouts)
        return engine
    engine = create_engine(parsed, pool_pre_ping=True)
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == "psycopg":
        @event.listens_for(engine, "do_connect")
        def _bounded(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> Any:
            from db import pg_connection  # psycopg only loads for a PostgreSQL store

            return pg_connection.connect(timeouts, *cargs, **cparams)
    return engine
