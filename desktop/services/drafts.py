"""Crash-safe drafts of the unsaved chairside form: one JSON file, written atomically, offered back at start."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DRAFT_FILE = "chair-draft.json"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Draft:
    """What was on the form when it was last saved as a draft."""

    saved_at: dt.datetime
    user: str
    fields: dict[str, Any]

    def describe(self) -> str:
        patient = self.fields.get("patient_label") or "no patient chosen"
        drug = self.fields.get("hcpcs") or "no drug chosen"
        return f"{patient}, {drug}, last changed {self.saved_at.astimezone():%H:%M on %d %b %Y}"


LEGACY_APP_NAME = "infusion-charge"  # drafts were kept here before they moved next to the database


def default_draft_folder() -> Path:
    """The application's data folder, the one the default SQLite database lives in (db.engine.APP_NAME)."""
    from db.engine import default_sqlite_path

    return default_sqlite_path().parent


def legacy_draft_folder() -> Path:
    from platformdirs import user_data_path

    return user_data_path(LEGACY_APP_NAME, appauthor=False)


def _user_file(user: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", user).strip("._") or "user"
    return f"chair-draft-{slug}.json"


class DraftStore:
    """Keeps at most one draft per folder and user; a write either fully lands or leaves the old draft.

    On a shared chair workstation each signed-in person has their own draft, so the next nurse at the
    lock screen neither sees nor overwrites the unsaved form of the one before.
    """

    def __init__(self, folder: Path | None = None, user: str | None = None) -> None:
        self.folder = folder or default_draft_folder()
        self.user = user
        self.path = self.folder / (DRAFT_FILE if user is None else _user_file(user))
        # Only the default folder takes over a draft left in the old one.
        self.legacy_path = None if folder else legacy_draft_folder() / DRAFT_FILE
        self._default_folder = folder is None

    def for_user(self, user: str) -> DraftStore:
        """The same folder's draft store for another signed-in person."""
        return DraftStore(None if self._default_folder else self.folder, user)

    def save(self, fields: dict[str, Any], user: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": FORMAT_VERSION,
            "saved_at": dt.datetime.now(dt.UTC).isoformat(),
            "user": user,
            "fields": fields,
        }
        handle, temp_name = tempfile.mkstemp(prefix=".draft-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, indent=1, default=str)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise

    def load(self) -> Draft | None:
        """The stored draft, or None when there is none or it cannot be read (it is then set aside)."""
        self._adopt_legacy_draft()
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
            if payload.get("format") != FORMAT_VERSION or not isinstance(payload.get("fields"), dict):
                raise ValueError("unknown draft format")
            return Draft(
                saved_at=dt.datetime.fromisoformat(payload["saved_at"]),
                user=str(payload.get("user", "")),
                fields=payload["fields"],
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_suffix(".unreadable.json"))
            return None

    def _adopt_shared_draft(self) -> None:
        """A draft kept before drafts were per person becomes that person's draft."""
        shared = self.folder / DRAFT_FILE
        if self.user is None or self.path.exists() or not shared.exists():
            return
        with contextlib.suppress(OSError, ValueError):
            if json.loads(shared.read_text(encoding="utf-8")).get("user") == self.user:
                os.replace(shared, self.path)

    def _adopt_legacy_draft(self) -> None:
        self._adopt_shared_draft()
        legacy = self.legacy_path
        if legacy is None or legacy == self.path or self.path.exists() or not legacy.exists():
            return
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            os.replace(legacy, self.path)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
