"""The db tests share the store fixtures (SQLite file and PostgreSQL schema) of tests/services."""

from __future__ import annotations

from tests.services.conftest import pg_schema, store, store_url

__all__ = ["pg_schema", "store", "store_url"]
