"""The CLI's one error type and its exit codes: bad input, conflicts, an unusable database, a refused sign-in."""

from __future__ import annotations

EXIT_USAGE = 2  # bad input: the command line, the JSON, an id that does not exist
EXIT_CONFLICT = 5  # changed by someone else meanwhile
EXIT_STORE = 6  # the database cannot be used (missing, locked, read-only, unreachable, wrong URL)
EXIT_NOT_ALLOWED = 7  # not signed in (wrong password, expired token) or the role may not do this


class CliError(Exception):
    """Bad input from the person at the command line: a message, exit code 2 unless said otherwise."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code

