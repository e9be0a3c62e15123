"""Who runs a CLI command: authenticate (password prompt, $INFUSION_CHARGE_PASSWORD or a token) and check the role.

Each command calls `sign_in_for(args, store, PERMISSION)` once, before it reads patient data or writes
anything; the signed-in name replaces `args.user`, so what the command records is who authenticated.
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sys

from db.audit_files import AuditFolder
from db.audit_setup import AuditKeyError, install_backup_keys
from db.engine import resolve_url, sqlite_file
from desktop.cli.errors import EXIT_NOT_ALLOWED, EXIT_STORE, CliError
from desktop.services.errors import ServiceError, StoreUnavailableError
from desktop.services.people.identity import (
    AuthenticationError,
    SignedInPerson,
    authenticate,
    authenticate_token,
    bootstrap_person,
    has_accounts,
)
from desktop.services.people.roles import Permission, PermissionDeniedError, check_person
from desktop.services.storage.store import Store

ENV_PASSWORD = "INFUSION_CHARGE_PASSWORD"  # for scripts: the password of --user (never put it on the command line)
ENV_TOKEN = "INFUSION_CHARGE_TOKEN"  # for scripts: a token from `infusion-charge login`
BOOTSTRAP_NOTICE = (
    "bootstrap mode: this database is brand-new and has no accounts, so nobody is asked to sign in; create the "
    "first administrator with `infusion-charge account create-admin` before it holds patient data"
)


def _open(args: argparse.Namespace) -> Store:
    from desktop.services.storage.store import open_store

    url = getattr(args, "sub_database_url", None) or getattr(args, "database_url", None)
    try:
        return open_store(url)
    except StoreUnavailableError as exc:
        backup = getattr(args, "path", None)  # restore: the backup's copy of the key may be the one missing here
        folder = AuditFolder.for_database(sqlite_file(resolve_url(url)))
        if not isinstance(exc.__cause__, AuditKeyError) or backup is None or not install_backup_keys(folder, backup):
            raise CliError(str(exc), EXIT_STORE) from exc
    try:
        return open_store(url)
    except StoreUnavailableError as exc:
        raise CliError(str(exc), EXIT_STORE) from exc


def add_identity_options(parser: argparse.ArgumentParser) -> None:
    """--user (who signs in; default the OS user) and --token, unless the command already has them."""
    if "--user" not in parser._option_string_actions:
        parser.add_argument("--user", help="who signs in (default: the OS user); password from the prompt or "
                                           f"${ENV_PASSWORD}")
    if "--token" not in parser._option_string_actions:
        parser.add_argument("--token", help=f"a sign-in token from `infusion-charge login` (or ${ENV_TOKEN})")


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (e.g. a container without /etc/passwd entry)
        return "unknown"


def _password(username: str) -> str:
    from_env = os.environ.get(ENV_PASSWORD)
    if from_env:
        return from_env
    if not sys.stdin.isatty() and not _has_tty():
        raise CliError(f"sign-in needed: give the password of {username} at the prompt (run in a terminal) or in "
                       f"${ENV_PASSWORD}, or a token in ${ENV_TOKEN}", EXIT_NOT_ALLOWED)
    try:
        return getpass.getpass(f"Password for {username}: ")
    except (EOFError, KeyboardInterrupt, OSError) as exc:
        raise CliError("sign-in cancelled", EXIT_NOT_ALLOWED) from exc


def _has_tty() -> bool:
    try:
        with open("/dev/tty"):  # getpass reads the terminal even when stdin is a file or a pipe
            return True
    except OSError:
        return False


def authenticate_cli(args: argparse.Namespace, store: Store) -> SignedInPerson:
    """The person running this command, or CliError (exit 7) saying why not."""
    workstation = socket.gethostname()
    token = getattr(args, "token", None) or os.environ.get(ENV_TOKEN)
    username = (getattr(args, "user", None) or os_user()).strip().lower()
    try:
        if token:
            return authenticate_token(store, token, workstation)
        if not has_accounts(store):
            person = bootstrap_person(store, username)
            print(f"infusion-charge: {BOOTSTRAP_NOTICE}", file=sys.stderr)
            return person
        return authenticate(store, username, _password(username), workstation)
    except AuthenticationError as exc:
        raise CliError(f"not signed in: {exc}", EXIT_NOT_ALLOWED) from exc
    except ServiceError as exc:
        raise CliError(str(exc)) from exc


def sign_in_for(args: argparse.Namespace, store: Store | None, permission: Permission | None) -> SignedInPerson:
    """Authenticate and check `permission` (None: any signed-in role; the service checks the rest).

    `store` None opens the command's database for the check and closes it (restore: before replacing it)."""
    if store is None:
        opened = _open(args)
        try:
            return sign_in_for(args, opened, permission)
        finally:
            opened.close()
    person = authenticate_cli(args, store)
    if permission is not None:
        try:
            check_person(store, person, permission)
        except PermissionDeniedError as exc:
            raise CliError(f"not allowed: {exc}", EXIT_NOT_ALLOWED) from exc
    args.user = person.username
    args.signed_in = person
    return person
