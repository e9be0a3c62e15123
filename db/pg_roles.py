"""PostgreSQL with two roles: the owner migrates, the application role gets exactly what the app needs.

    python -m db.pg_roles --owner-url postgresql+psycopg://owner@host/db --app-role infusion_app

upgrades the schema as the owner (run it again after every upgrade of the app) and grants the application
role: USAGE on the schema; SELECT and INSERT on every table; UPDATE only on the tables the app updates
(never on the append-only ones); no DELETE and no TRUNCATE anywhere; USAGE on the sequences. Not being the
tables' owner, the application role cannot ALTER, DISABLE or DROP their triggers. Workstations then use a URL
with the application role; the owner's password stays with the administrator.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from db.models import Base

# Tables whose rows are never changed once written: these, and any table whose trigger refuses UPDATE (read from
# the schema, so an append-only table added by a migration gets no UPDATE grant without a change here).
APPEND_ONLY = frozenset({
    "package_opened", "charge_line", "finding", "finding_acknowledgement", "state_change", "audit_event",
    "catalog_version", "visit_code_set", "visit_code_line",
})
_REFUSING_UPDATE = text(
    "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid "
    "WHERE n.nspname = current_schema() AND p.proname = 'infusion_refuse_change' AND (t.tgtype & 16) <> 0"
)
NOT_GRANTED = frozenset({"alembic_version"})  # the app reads it (SELECT); only the owner changes it


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def grant_statements(connection: Connection, app_role: str) -> list[str]:
    """The grants for `app_role` on the current schema, from the models (a new table is covered by default)."""
    role = _quote(connection, app_role)
    schema = _quote(connection, str(connection.execute(text("SELECT current_schema()")).scalar_one()))
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"GRANT SELECT ON {schema}.alembic_version TO {role}",
    ]
    append_only = APPEND_ONLY | set(connection.execute(_REFUSING_UPDATE).scalars())
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_GRANTED:
            continue
        verbs = "SELECT, INSERT" if table.name in append_only else "SELECT, INSERT, UPDATE"
        statements.append(f"GRANT {verbs} ON {schema}.{_quote(connection, table.name)} TO {role}")
    return statements


def setup_roles(owner_url: str, app_role: str) -> list[str]:
    """Upgrade the schema as the owner, then grant the application role; returns the statements run."""
    from db.engine import create_store_engine
    from db.migrate import migrate

    engine = create_store_engine(owner_url)
    try:
        if engine.dialect.name != "postgresql":
            raise SystemExit("the two-role setup is for PostgreSQL; a SQLite file is protected by file permissions")
        migrate(engine)
        with engine.begin() as connection:
            statements = grant_statements(connection, app_role)
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()
    return statements


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db.pg_roles", description=__doc__.split("\n\n")[0])
    parser.add_argument("--owner-url", required=True, help="URL of the role that owns the schema (runs migrations)")
    parser.add_argument("--app-role", required=True, help="the existing login role the workstations use")
    args = parser.parse_args(argv)
    statements = setup_roles(args.owner_url, args.app_role)
    safe = make_url(args.owner_url).render_as_string(hide_password=True)
    print(f"{safe}: schema upgraded; {len(statements)} grants for {args.app_role} applied", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
