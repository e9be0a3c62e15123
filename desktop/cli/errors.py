"""The CLI's one error type: bad input from a person, shown as a message with an exit code."""

from __future__ import annotations

EXIT_USAGE = 2


class CliError(Exception):
    """Bad input from the person at the command line: a message, exit code 2 unless said otherwise."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code
