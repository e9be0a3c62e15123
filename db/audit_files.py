"""The audit chain's files outside the database: its HMAC key, its anchor (last head) and which chain a database has.

They live in an audit folder (`AuditFolder`: beside a SQLite file, or $INFUSION_CHARGE_AUDIT_DIR for a server),
0700 with files 0600 (group-shared 2770/0660 on a shared chair workstation), so a person who can only reach the
database (SQL) can neither forge an event (no key) nor rewind the chain unseen (anchor and chain id are outside).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from db.private_files import PRIVATE, Privacy, ensure_folder, group_id, privacy_of

ENV_AUDIT_DIR = "INFUSION_CHARGE_AUDIT_DIR"
APP_NAME = "infusion-charge-capture"
KEY_SUFFIX = ".key.json"
ANCHOR_SUFFIX = ".anchor.json"
DATABASES_FILE = "databases.json"


class AuditFileError(Exception):
    """An audit file is missing, unreadable or not what it should be; the message says which and what to do."""


@dataclass(frozen=True, slots=True)
class ChainKeys:
    """The HMAC keys of one chain, by key id, oldest first; the last one signs new events."""

    chain_id: str
    keys: dict[str, bytes]

    @property
    def current_id(self) -> str:
        return list(self.keys)[-1]


@dataclass(frozen=True, slots=True)
class Anchor:
    """The chain's head as last seen on this workstation: no later verify may find the chain shorter or other."""

    chain_id: str
    last_id: int
    last_hash: str


def server_audit_dir() -> Path:
    """The audit folder of a database on a server: $INFUSION_CHARGE_AUDIT_DIR, else `audit/` in the user's data."""
    configured = os.environ.get(ENV_AUDIT_DIR, "").strip()
    return Path(configured).expanduser() if configured else platformdirs.user_data_path(
        APP_NAME, appauthor=False) / "audit"


def _write_private(path: Path, content: dict[str, Any], *, privacy: Privacy = PRIVATE, durable: bool = True) -> None:
    """Write JSON whole or not at all with the folder's privacy (0600, or 0660 for a group-shared workstation):
    a temporary file created with that mode, fsynced unless not `durable`, renamed over the old one."""
    text = json.dumps(content, indent=2, sort_keys=True).encode("utf-8")
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, privacy.file_mode & 0o777)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            _set_privacy(handle.fileno(), privacy)
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    if durable:
        _fsync_dir(path.parent)


def _set_privacy(descriptor: int, privacy: Privacy) -> None:
    """The mode exactly (not the umask's), and the workstation's group on a shared one."""
    if sys.platform == "win32":  # pragma: no cover - the folder's ACL is inherited
        return
    gid = group_id(privacy.group) if privacy.group else None
    if gid is not None:
        with contextlib.suppress(PermissionError):  # only the owner or root may change it; the mode still holds
            os.fchown(descriptor, -1, gid)
    os.fchmod(descriptor, privacy.file_mode & 0o777)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can fsync a folder
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise AuditFileError(f"the audit file {path} cannot be read ({exc})") from exc
    if not isinstance(value, dict):
        raise AuditFileError(f"the audit file {path} is not an audit file of this app")
    return value


def _keys_from(content: dict[str, Any], where: str) -> ChainKeys:
    try:
        keys = {str(k["id"]): bytes.fromhex(str(k["secret"])) for k in content["keys"]}
        chain_id = str(content["chain_id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise AuditFileError(f"the audit key file {where} is damaged ({exc}); restore it from a backup") from exc
    if not keys or any(len(secret) < 32 for secret in keys.values()):
        raise AuditFileError(f"the audit key file {where} holds no usable key; restore it from a backup")
    return ChainKeys(chain_id, keys)


def _key_document(keys: ChainKeys) -> dict[str, Any]:
    return {"chain_id": keys.chain_id, "keys": [{"id": k, "secret": v.hex()} for k, v in keys.keys.items()],
            "note": "HMAC keys of an Infusion Charge Capture audit chain: keep private, back up with the "
                    "database, copy to every workstation that uses the same database."}


def new_key_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("k%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


@dataclass(frozen=True, slots=True)
class AuditFolder:
    """Where one database's key, anchor and list of chains live, and how private they are.

    A SQLite database keeps them in `audit/` beside its file, with the file's privacy (a group-shared chair
    workstation shares them with its group); a server database in `server_audit_dir()`, private."""

    path: Path
    privacy: Privacy = PRIVATE

    @classmethod
    def for_database(cls, database_file: Path | None) -> AuditFolder:
        if database_file is None:
            return cls(server_audit_dir())
        database_file = database_file.expanduser().resolve()
        privacy = privacy_of(database_file) if database_file.exists() else PRIVATE
        return cls(database_file.parent / "audit", privacy)

    def _ensure(self) -> Path:
        return ensure_folder(self.path, self.privacy)

    def key_path(self, chain_id: str) -> Path:
        return self.path / f"{chain_id}{KEY_SUFFIX}"

    def anchor_path(self, chain_id: str) -> Path:
        return self.path / f"{chain_id}{ANCHOR_SUFFIX}"

    def load_keys(self, chain_id: str) -> ChainKeys | None:
        content = _read_json(self.key_path(chain_id))
        return None if content is None else _keys_from(content, str(self.key_path(chain_id)))

    def create_keys(self, chain_id: str) -> ChainKeys:
        """A new chain's key file, on disk (fsynced) before the event that needs it is committed."""
        self._ensure()
        if self.key_path(chain_id).exists():
            raise AuditFileError(f"the audit key file {self.key_path(chain_id)} already exists")
        keys = ChainKeys(chain_id, {new_key_id(): secrets.token_bytes(32)})
        _write_private(self.key_path(chain_id), _key_document(keys), privacy=self.privacy)
        return keys

    def add_key(self, keys: ChainKeys) -> ChainKeys:
        """Rotation: the same file with one more key at the end (old keys stay, to verify old events)."""
        grown = ChainKeys(keys.chain_id, {**keys.keys, new_key_id(): secrets.token_bytes(32)})
        _write_private(self.key_path(keys.chain_id), _key_document(grown), privacy=self.privacy)
        return grown

    def install_keys(self, keys: ChainKeys) -> None:
        """Put keys brought back from a backup in place, keeping any key this folder already had."""
        self._ensure()
        present = self.load_keys(keys.chain_id)
        merged = dict(sorted({**(present.keys if present else {}), **keys.keys}.items()))  # ids start with a time
        _write_private(self.key_path(keys.chain_id), _key_document(ChainKeys(keys.chain_id, merged)),
                       privacy=self.privacy)

    def read_anchor(self, chain_id: str) -> Anchor | None:
        """The anchor; None when there is none or it is damaged (e.g. cut short by a power loss): the next
        start then records in the chain that the anchor was started again."""
        try:
            content = _read_json(self.anchor_path(chain_id))
            if content is None:
                return None
            return Anchor(str(content["chain_id"]), int(content["last_id"]), str(content["last_hash"]))
        except (AuditFileError, KeyError, TypeError, ValueError):
            return None

    def write_anchor(self, anchor: Anchor, *, only_forward: bool = True) -> None:
        """Record the head; by default never moves an anchor back (another write may have passed it)."""
        self._ensure()
        if only_forward:
            present = self.read_anchor(anchor.chain_id)
            if present is not None and present.last_id >= anchor.last_id:
                return
        # Not fsynced: after every write that would cost more than the write itself, and an anchor lost in a
        # power cut only lags behind the chain (a lagging anchor still catches any removal before it).
        _write_private(self.anchor_path(anchor.chain_id), {
            "chain_id": anchor.chain_id, "last_id": anchor.last_id, "events": anchor.last_id,
            "last_hash": anchor.last_hash, "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }, privacy=self.privacy, durable=False)

    def known_chain(self, database: str) -> str | None:
        """The chain id this folder saw in the database named `database` (a file path or server/schema)."""
        value = (_read_json(self.path / DATABASES_FILE) or {}).get(database)
        return str(value) if value else None

    def remember_chain(self, database: str, chain_id: str) -> None:
        self._ensure()
        path = self.path / DATABASES_FILE
        content = _read_json(path) or {}
        if content.get(database) != chain_id:
            content[database] = chain_id
            _write_private(path, content, privacy=self.privacy)

    def forget_chain(self, database: str) -> None:
        path = self.path / DATABASES_FILE
        content = _read_json(path) or {}
        if content.pop(database, None) is not None:
            _write_private(path, content, privacy=self.privacy)


def companion_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".audit.json")


def write_companion(backup: Path, keys: ChainKeys, anchor: Anchor) -> Path:
    """The backup's copy of the key and the anchor, beside the backup file (0600)."""
    target = companion_path(backup)
    document = _key_document(keys)
    document["anchor"] = {"last_id": anchor.last_id, "last_hash": anchor.last_hash, "events": anchor.last_id}
    _write_private(target, document, privacy=privacy_of(backup) if backup.exists() else PRIVATE)
    return target


def read_companion(backup: Path) -> tuple[ChainKeys, Anchor] | None:
    content = _read_json(companion_path(backup))
    if content is None:
        return None
    keys = _keys_from(content, str(companion_path(backup)))
    try:
        anchor = Anchor(keys.chain_id, int(content["anchor"]["last_id"]), str(content["anchor"]["last_hash"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise AuditFileError(f"the backup's audit file {companion_path(backup)} is damaged ({exc})") from exc
    return keys, anchor
