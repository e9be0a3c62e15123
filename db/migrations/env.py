"""Alembic environment: runs on the connection db.migrate passes in (batch mode on SQLite)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from db.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # the `alembic` command line, for developers: URL from the ini file or -x url=...
    x_arguments = context.get_x_argument(as_dictionary=True)
    url = x_arguments.get("url") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database with -x url=... or sqlalchemy.url in alembic.ini")
    with create_engine(url).begin() as conn:
        _run(conn)
