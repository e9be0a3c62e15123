"""What the people screens and the main window name: who signed in, what a role may do, drafts, queued sign-outs."""

from __future__ import annotations

from desktop.services.people.accounts import AccountView
from desktop.services.people.pending_sign_outs import PendingAudit
from desktop.services.people.roles import Permission
from desktop.services.people.sign_in import SignedIn
from desktop.services.storage.disk_encryption import DiskEncryption
from desktop.services.visits.drafts import Draft

__all__ = ["AccountView", "DiskEncryption", "Draft", "PendingAudit", "Permission", "SignedIn"]
