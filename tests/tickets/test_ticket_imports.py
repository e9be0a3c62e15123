"""The renderer stays pure: rendering a ticket loads no Qt, no SQL, no store and no services."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("PySide6", "shiboken6", "sqlalchemy", "alembic", "db", "desktop.services", "desktop.ui")


def test_rendering_imports_nothing_above_or_beside_it() -> None:
    script = (
        "import sys; from desktop.tickets import render_batch, render_ticket; "
        "from desktop.tickets.samples import j9302_ticket; render_batch([j9302_ticket()]); "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} or m in {FORBIDDEN!r}))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
