"""Crash-safe drafts of the unsaved chairside form: one JSON file, written atomically, offered back at start."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.private_files import PRIVATE, ensure_folder

if TYPE_CHECKING:
    from desktop.services.storage.store import Store

DRAFT_FILE = "chair-draft.json"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Draft:
    """What was on the form when it was last saved as a draft."""

    saved_at: dt.datetime
    user: str
    fields: dict[str, Any]
    request_id: str | None = None  # the id the form's save uses: a record with it means the draft was saved

    def describe(self) -> str:
        patient = self.fields.get("patient_label") or "no patient chosen"
        drug = self.fields.get("hcpcs") or "no drug chosen"
        return f"{patient}, {drug}, last changed {self.saved_at.astimezone():%H:%M on %d %b %Y}"


@dataclass(frozen=True, slots=True)
class Settled:
    """A draft whose record was saved: its file deleted, or (when it could not be) never offered again."""

    removed: bool
    words: str = ""


# Drafts whose record was saved but whose file could not be deleted (a read-only folder): never offered again
# by this program; at the next start the database tells (saved_record_id).
_SETTLED: dict[Path, str] = {}
_SETTLED_LOCK = threading.Lock()

LEGACY_APP_NAME = "infusion-charge"  # drafts were kept here before they moved next to the database


def default_draft_folder() -> Path:
    """This account's own data folder (private), also when the database is the workstation's shared one: a draft
    is one person's unsaved form."""
    from db.engine import user_data_folder

    return user_data_folder()


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

    def save(self, fields: dict[str, Any], user: str, request_id: str | None = None) -> None:
        """Keep the form (mkstemp: a 0600 file in a 0700 folder), replacing the previous draft whole."""
        ensure_folder(self.folder, PRIVATE)
        payload = {
            "format": FORMAT_VERSION,
            "saved_at": dt.datetime.now(dt.UTC).isoformat(),
            "user": user,
            "fields": fields,
            "request_id": request_id,
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
            request_id = payload.get("request_id")
            draft = Draft(
                saved_at=dt.datetime.fromisoformat(payload["saved_at"]),
                user=str(payload.get("user", "")),
                fields=payload["fields"],
                request_id=request_id if isinstance(request_id, str) else None,
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_suffix(".unreadable.json"))
            return None
        with _SETTLED_LOCK:
            if draft.request_id is not None and _SETTLED.get(self.path) == draft.request_id:
                return None  # saved already; its file could not be deleted
        return draft

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
        """Delete the draft file (not just empty it); a draft that cannot be deleted raises OSError."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def settle(self, request_id: str) -> Settled:
        """The form with `request_id` was saved: delete its draft. When the file cannot be deleted (e.g. the data
        folder became read-only) the draft is still never offered again, and the words say what to do."""
        try:
            self.discard()
        except OSError as exc:
            with _SETTLED_LOCK:
                _SETTLED[self.path] = request_id
            return Settled(False, f"Its draft file could not be deleted ({exc.strerror}: {self.folder}); it will not "
                                  "be offered again. Ask your administrator to check that folder's permissions.")
        with _SETTLED_LOCK:
            _SETTLED.pop(self.path, None)
        return Settled(True)


def saved_record_id(store: Store, request_id: str) -> int | None:
    """The record saved from a form with this request id, if any: its draft is stale, not "not saved"."""
    from sqlalchemy import select

    from db import models

    with store.session_scope(write=False) as session:
        found = session.execute(
            select(models.Administration.id).where(models.Administration.request_id == request_id)
        ).scalar_one_or_none()
    return int(found) if found is not None else None
