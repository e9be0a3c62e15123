"""What the people screens and the main window name: who signed in, what a role may do."""

from __future__ import annotations

from desktop.services.auth import SignedIn
from desktop.services.roles import Permission
from desktop.services.users import AccountView

__all__ = ["AccountView", "Permission", "SignedIn"]
