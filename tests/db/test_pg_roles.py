"""PostgreSQL two-role setup: the owner migrates; the application role works but cannot touch the evidence."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from db.pg_roles import main as pg_roles_main
from desktop.services import open_store, record_administration, verify_administration, verify_audit_chain
from tests.services.conftest import make_request, pg_schema_url

pytestmark = pytest.mark.postgres

FORBIDDEN = [
    "ALTER TABLE charge_line DISABLE TRIGGER USER",
    "ALTER TABLE audit_event DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_event_append_only ON audit_event",
    "UPDATE charge_line SET units = units + 1",
    "UPDATE audit_event SET actor = 'mallory'",
    "UPDATE finding SET severity = 'info'",
    "UPDATE visit_code_line SET units = 9",
    "DELETE FROM visit",
    "DELETE FROM administration",
    "DELETE FROM audit_event",
    "DELETE FROM app_user",
    "TRUNCATE audit_event",
    "TRUNCATE administration CASCADE",
    "UPDATE alembic_version SET version_num = 'x'",
    "ALTER TABLE administration ADD COLUMN mallory text",
    "CREATE TABLE mallory (id int)",
    "CREATE OR REPLACE FUNCTION infusion_refuse_change() RETURNS trigger LANGUAGE plpgsql "
    "AS $$ BEGIN RETURN NEW; END $$",
]


@pytest.fixture
def two_roles(postgres_url: str) -> Iterator[tuple[str, str]]:
    """(owner URL, application URL) on a fresh schema owned by a fresh owner role."""
    suffix = uuid.uuid4().hex[:8]
    owner, app, schema = f"ic_owner_{suffix}", f"ic_app_{suffix}", f"ic_{suffix}"
    owner_pw, app_pw = secrets.token_hex(8), secrets.token_hex(8)
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {owner} LOGIN PASSWORD '{owner_pw}'")
        connection.exec_driver_sql(f"CREATE ROLE {app} LOGIN PASSWORD '{app_pw}'")
        connection.exec_driver_sql(f"CREATE SCHEMA {schema} AUTHORIZATION {owner}")
    base = make_url(postgres_url)
    owner_url = pg_schema_url(base.set(username=owner, password=owner_pw).render_as_string(hide_password=False),
                              schema)
    app_url = pg_schema_url(base.set(username=app, password=app_pw).render_as_string(hide_password=False), schema)
    try:
        yield owner_url, app_url
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            connection.exec_driver_sql(f"DROP OWNED BY {app}")
            connection.exec_driver_sql(f"DROP ROLE {app}")
            connection.exec_driver_sql(f"DROP ROLE {owner}")
        admin.dispose()


def test_the_application_role_works_and_cannot_touch_the_evidence(two_roles: tuple[str, str]) -> None:
    owner_url, app_url = two_roles
    assert pg_roles_main(["--owner-url", owner_url, "--app-role", make_url(app_url).username or ""]) == 0
    store = open_store(app_url)
    try:
        outcome = record_administration(store, make_request(), "rn")
        verify_administration(store, outcome.id, "biller", outcome.version)
        assert verify_audit_chain(store).ok
        refused = []
        for statement in FORBIDDEN:
            try:
                with store.engine.begin() as connection:
                    connection.exec_driver_sql(statement)
            except DBAPIError as exc:
                refused.append((statement, str(exc.orig).splitlines()[0]))
            else:
                pytest.fail(f"the application role was allowed: {statement}")
        assert all("permission denied" in why or "must be owner" in why for _, why in refused), refused
        assert verify_audit_chain(store).ok
    finally:
        store.close()
