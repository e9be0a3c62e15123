"""The program's own log: what it did and what failed, for an administrator; never a patient's data.

Only fixed words, user names, file paths, error types, SQLSTATE codes and source locations are written: never an
exception's message (a driver's "Key (mrn)=(100234) already exists" carries an MRN), never a form field. The file
is private (0600 in a 0700 folder) and rotates at 1 MB, three files kept.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import traceback
from pathlib import Path

import platformdirs

from db.private_files import PRIVATE, create_private_file, ensure_folder
from db.workstation import APP_NAME

LOG = logging.getLogger("infusion_charge")
LOG.addHandler(logging.NullHandler())  # nothing reaches stderr unless a program start configured a file
LOG.propagate = False
LOG_FILE = "infusion-charge.log"
ENV_FOLDER = "INFUSION_CHARGE_LOG_FOLDER"


class _PrivateRotatingFile(logging.handlers.RotatingFileHandler):
    """Every file it opens (also after a rotation) is created 0600."""

    def _open(self) -> io.TextIOWrapper:
        create_private_file(Path(self.baseFilename), PRIVATE)
        return super()._open()


def log_folder() -> Path:
    named = os.environ.get(ENV_FOLDER, "").strip()
    return Path(named) if named else platformdirs.user_log_path(APP_NAME, appauthor=False)


def configure_log(folder: Path | None = None) -> Path | None:
    """Write the log to `folder` (default: this account's log folder); None when it cannot be written."""
    folder = folder or log_folder()
    path = folder / LOG_FILE
    try:
        ensure_folder(folder, PRIVATE)
        create_private_file(path, PRIVATE)
        handler = _PrivateRotatingFile(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None  # a program that cannot log still works
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    for old in [h for h in LOG.handlers if isinstance(h, logging.FileHandler)]:
        LOG.removeHandler(old)
        old.close()
    LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)
    return path


def where(error: BaseException) -> str:
    """The source locations an error passed through, innermost first (file:line function), without its message."""
    frames = traceback.extract_tb(error.__traceback__)[-8:]
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames)) or "unknown"


def error_kind(error: BaseException) -> str:
    """The error's type, and the database's own code when a driver error caused it (never its text)."""
    kinds = [type(error).__name__]
    cause = error.__cause__
    while cause is not None and len(kinds) < 4:
        original = getattr(cause, "orig", None) or cause
        code = getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None)
        kinds.append(type(original).__name__ + (f"[{code}]" if code else ""))
        cause = cause.__cause__
    return " from ".join(kinds)


def log_unexpected(what: str, error: BaseException) -> None:
    """A bug: its type and where it happened."""
    LOG.error("%s failed unexpectedly: %s at %s", what, error_kind(error), where(error))


def log_failure(what: str, error: BaseException) -> None:
    """An expected failure (database away, refusal): its type and cause, no message."""
    LOG.warning("%s failed: %s", what, error_kind(error))


def log_event(text: str, *args: object) -> None:
    LOG.info(text, *args)
