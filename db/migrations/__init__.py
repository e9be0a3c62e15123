"""Alembic migrations of the charge store (run at start-up by db.migrate)."""
