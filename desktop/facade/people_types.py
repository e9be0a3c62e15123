"""What the people screens and the main window name: who signed in, what a role may do, drafts, queued sign-outs."""

from __future__ import annotations

from desktop.services.auth import SignedIn
from desktop.services.disk_encryption import DiskEncryption
from desktop.services.drafts import Draft
from desktop.services.pending_audit import PendingAudit
from desktop.services.roles import Permission
from desktop.services.users import AccountView

__all__ = ["AccountView", "DiskEncryption", "Draft", "PendingAudit", "Permission", "SignedIn"]
