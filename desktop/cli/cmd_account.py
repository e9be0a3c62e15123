"""`infusion-charge account create-admin | login`: the first administrator, and a short-lived token for scripts."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from desktop.cli.errors import EXIT_NOT_ALLOWED, CliError
from desktop.cli.identity import ENV_PASSWORD, authenticate_cli, os_user
from desktop.cli.store_access import add_store_options, store_from
from desktop.services.errors import ServiceError
from desktop.services.people.accounts import create_first_administrator
from desktop.services.people.identity import MAX_TOKEN_MINUTES, TOKEN_MINUTES, AuthenticationError, issue_token


def register(subparsers: Any) -> None:
    account = subparsers.add_parser("account", help="accounts: create the first administrator")
    verbs = account.add_subparsers(dest="account_command", required=True, parser_class=type(account))
    create = verbs.add_parser(
        "create-admin", help="create the first administrator of a database that has no account yet "
                             f"(password from the prompt, twice, or ${ENV_PASSWORD})")
    create.add_argument("--display-name", default="", help="the name shown on screens")
    add_store_options(create)
    create.set_defaults(func=run_create_admin)

    login = subparsers.add_parser(
        "login", help="sign in and print a short-lived token for scripts ($INFUSION_CHARGE_TOKEN or --token)",
        epilog="exit codes: 0 token printed, 6 database unavailable, 7 not signed in")
    login.add_argument("--minutes", type=int, default=TOKEN_MINUTES,
                       help=f"how long the token lasts (default {TOKEN_MINUTES}, at most {MAX_TOKEN_MINUTES})")
    add_store_options(login)
    login.set_defaults(func=run_login)


def _new_password(username: str) -> str:
    from_env = os.environ.get(ENV_PASSWORD)
    if from_env:
        return from_env
    try:
        first = getpass.getpass(f"New password for {username}: ")
        second = getpass.getpass("The same password again: ")
    except (EOFError, KeyboardInterrupt, OSError) as exc:
        raise CliError(f"no password given (run in a terminal, or set ${ENV_PASSWORD})") from exc
    if first != second:
        raise CliError("the two passwords differ; nothing was created")
    return first


def run_create_admin(args: argparse.Namespace) -> int:
    username = (args.user or os_user()).strip().lower()
    store = store_from(args)
    try:
        account = create_first_administrator(store, username, _new_password(username), args.display_name)
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    print(f"administrator {account.username} created; commands now ask for a password (or a token)",
          file=sys.stderr)
    return 0


def run_login(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        person = authenticate_cli(args, store)
        try:
            token = issue_token(store, person, args.minutes)
        except AuthenticationError as exc:
            raise CliError(str(exc), EXIT_NOT_ALLOWED) from exc
    finally:
        store.close()
    print(token)
    return 0
