"""The workstation before anyone signs in: open the store, first run, sign in, sign-outs for the audit trail.

The people screens (start-up, sign-in, first run, lock) hold a `Workstation` (one open store, nobody signed in)
instead of a store; a sign-in gives a `SignedIn`, and `facade_for(signed, drafts)` the signed-in person's
AppFacade. Also the workstation's own things the screens need: its event log, private files, its database URL
in words. Light to import, like the rest of the facade: services load inside the calls.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.billing.model import FacilityType
    from desktop.facade.desk import AppFacade
    from desktop.services.people.identity import SignedInPerson
    from desktop.services.people.pending_sign_outs import PendingAudit
    from desktop.services.people.sign_in import SignedIn
    from desktop.services.storage.disk_encryption import DiskEncryption
    from desktop.services.storage.store import Store
    from desktop.services.visits.drafts import DraftStore

__all__ = ["Workstation", "check_disk_encryption", "database_url", "facade_for", "hide_password", "log_event",
           "log_failure", "log_unexpected", "open_workstation", "pending_sign_outs", "person_of", "save_private",
           "sign_in_refusal", "store_open_error", "user_data_folder", "workstation_name"]


class Workstation:
    """One open store and nobody signed in yet: what the screens before the main window may do with it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def url(self) -> str:
        return self.store.url

    @property
    def tightened(self) -> Sequence[object]:
        """Files of an existing installation made private at this start (each has `describe()`)."""
        return tuple(getattr(self.store, "tightened", ()))

    def close(self) -> None:
        self.store.close()

    def needs_first_administrator(self) -> bool:
        from desktop.services.people.accounts import needs_first_administrator

        return needs_first_administrator(self.store)

    def sign_in(self, username: str, password: str, workstation: str | None = None) -> SignedIn:
        """The account and its auto-lock when the password matches; a refusal in words (`sign_in_refusal`)."""
        from desktop.services.people.sign_in import sign_in

        return sign_in(self.store, username, password, workstation)

    def create_first_administrator(self, username: str, password: str, display_name: str) -> SignedIn:
        """The first account of an empty database, signed in."""
        from desktop.services.people.accounts import create_first_administrator
        from desktop.services.people.sign_in import sign_in

        create_first_administrator(self.store, username, password, display_name)
        return sign_in(self.store, username, password)

    def save_facility(self, name: str, identifiers: Sequence[tuple[str, str]], address: str,
                      facility_type: FacilityType, auto_lock_minutes: int, who: str) -> None:
        """The first run's facility: name, identifiers (label, value) printed under it, address, 340B type."""
        from desktop.services.facility.settings import FacilityIdentifier, FacilitySettings, save_facility_settings

        settings = FacilitySettings(
            facility_name=name, identifiers=tuple(FacilityIdentifier(label, value) for label, value in identifiers),
            address=address, facility_type=facility_type, auto_lock_minutes=auto_lock_minutes)
        save_facility_settings(self.store, settings, who)

    def record_sign_out(self, username: str, reason: str, workstation: str | None = None) -> None:
        from desktop.services.people.sign_in import record_sign_out

        record_sign_out(self.store, username, reason, workstation)

    def flush_sign_outs(self, pending: PendingAudit) -> int:
        """Write sign-outs queued while the database was away; StoreUnavailableError while it still is."""
        return pending.flush(self.store)


def open_workstation(url: str) -> Workstation:
    """Open the store (SQLAlchemy, the models, the schema check): run it off the GUI thread."""
    from desktop.services.storage.store import open_store

    return Workstation(open_store(url))


def person_of(signed: SignedIn, workstation: str | None = None) -> SignedInPerson:
    """The signed-in person the services act for, from the account a sign-in accepted."""
    from desktop.services.people.identity import AuthMethod, SignedInPerson

    account = signed.account
    return SignedInPerson(username=account.username, role=account.role, method=AuthMethod.PASSWORD,
                          authenticated_at=dt.datetime.now(dt.UTC), workstation=workstation)


def facade_for(workstation: Workstation, signed: SignedIn, drafts: DraftStore | None = None,
               workstation_name: str | None = None) -> AppFacade:
    """The signed-in person's doorway; `drafts` defaults to their own draft folder on this computer."""
    from desktop.facade.desk import AppFacade
    from desktop.services.visits.drafts import DraftStore

    person = person_of(signed, workstation_name)
    if drafts is None:
        drafts = DraftStore(user=person.username)
    return AppFacade(workstation.store, person, drafts, database_url(workstation.url))


def workstation_name() -> str:
    """This computer's name, for the audit trail of sign-ins and sign-outs."""
    try:
        return socket.gethostname()[:60]
    except OSError:
        return ""


def pending_sign_outs(folder: Path | None = None) -> PendingAudit:
    """Sign-outs queued in this account's data folder while the database was away."""
    from desktop.services.people.pending_sign_outs import PendingAudit

    return PendingAudit(folder)


def sign_in_refusal(error: Exception) -> bool:
    """True when a sign-in was refused for the person (wrong password, locked out): clear the password."""
    from desktop.services.people.sign_in import SignInError

    return isinstance(error, SignInError)


def store_open_error() -> type[Exception]:
    from db.errors import StoreOpenError

    return StoreOpenError


def database_url(url: str) -> str:
    """The database for the status bar, without any password."""
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


def resolve_url(url: str | None = None) -> str:
    """The URL to open: the one given, else the environment's, the workstation's, this account's file."""
    from db.engine import resolve_url as resolve

    return resolve(url)


def hide_password(url: str) -> str:
    from db.engine import hide_password as hide

    return hide(url)


def user_data_folder() -> Path:
    from db.engine import user_data_folder as folder

    return folder()


def check_disk_encryption(folder: Path | None = None) -> DiskEncryption:
    from desktop.services.storage.disk_encryption import check_disk_encryption as check

    return check(folder or user_data_folder())


def encryption_warning(found: DiskEncryption) -> str | None:
    from desktop.services.storage.disk_encryption import encryption_warning as warning

    return warning(found)


def save_private(path: Path | str, data: bytes | str) -> Path:
    """Write a file only this account can read (a ticket, a report: they name patients)."""
    from desktop.services.storage.private_output import save_private as save

    return save(path, data)


def configure_log() -> None:
    from desktop.services.storage.event_log import configure_log as configure

    configure()


def log_event(message: str, *args: object) -> None:
    from desktop.services.storage.event_log import log_event as log

    log(message, *args)


def log_failure(what: str, error: Exception) -> None:
    """The error's type and the database's code, never its words (they may name a patient)."""
    from desktop.services.storage.event_log import log_failure as log

    log(what, error)


def log_unexpected(what: str, error: BaseException) -> None:
    from desktop.services.storage.event_log import log_unexpected as log

    log(what, error)
