"""Start-up migration: old databases upgrade with data intact; newer, foreign or remote ones are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db.engine import create_store_engine, network_filesystem
from db.errors import NetworkShareError
from db.migrate import alembic_config, head_revision, migrate
from db.models import Base
from desktop.services import (
    ChargeState,
    StoreUnavailableError,
    get_administration,
    open_store,
    verify_audit_chain,
)

FIRST = "0001_initial"
BEFORE_RECORD_FIELDS = "0005_review_patient_name"


def _upgrade_to(url: str, revision: str) -> None:
    engine = create_store_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_models_match_the_migrations(store_url: str) -> None:
    open_store(store_url).close()
    engine = create_store_engine(store_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_a_database_made_by_the_first_migration_upgrades_with_its_data(store_url: str) -> None:
    _upgrade_to(store_url, FIRST)
    engine = create_store_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO patient (id, mrn, name, date_of_birth, created_at) "
            "VALUES (1, 'OLD1', 'Old Patient', '1950-03-04', '2025-01-01 10:00:00')"
        ))
        connection.execute(sa.text(
            "INSERT INTO administration (id, request_id, patient_id, date_of_service, hcpcs, payer_class, "
            "facility_type, diagnosis_codes, administered_mg, discarded_mg, free_drug, explanations, rule_versions,"
            " state, recorded_by, recorded_at, version) VALUES (1, 'r-1', 1, '2025-01-02', 'J9299', 'medicare', "
            "'dsh', '[\"C34.90\"]', '219.50', '0.50', false, '[]', '{\"catalog\": \"old\"}', 'recorded', 'rn', "
            "'2025-01-02 10:00:00', 1)"
        ))
        connection.execute(sa.text(
            "INSERT INTO charge_line (administration_id, position, hcpcs, kind, units, modifiers, reason, "
            "rule_versions, created_at) VALUES (1, 0, 'J9299', 'administered', 220, '', 'old', '{}', "
            "'2025-01-02 10:00:00')"
        ))
    engine.dispose()
    store = open_store(store_url)
    try:
        assert store.migration is not None and store.migration.from_revision == FIRST
        if store.is_sqlite:
            assert store.migration.backup_path is not None and store.migration.backup_path.exists()
        detail = get_administration(store, 1)
        assert detail.patient.mrn == "OLD1" and detail.patient.date_of_birth == dt.date(1950, 3, 4)
        assert str(detail.administration.administered_mg) == "219.50"
        assert [line.units for line in detail.lines] == [220]
        assert detail.state is ChargeState.RECORDED and detail.ticket_pdf_sha256 is None
        with store.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head_revision()
        assert verify_audit_chain(store).ok
    finally:
        store.close()


def test_a_0005_database_gains_the_record_fields_with_its_data_and_triggers(store_url: str) -> None:
    _upgrade_to(store_url, BEFORE_RECORD_FIELDS)
    engine = create_store_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO patient (id, mrn, name, date_of_birth, created_at) "
            "VALUES (1, 'OLD5', 'Fifth Patient', '1951-04-05', '2026-01-01 10:00:00')"
        ))
        connection.execute(sa.text(
            "INSERT INTO administration (id, request_id, patient_id, date_of_service, hcpcs, payer_class, "
            "facility_type, diagnosis_codes, administered_mg, discarded_mg, nurse, waste_witness, notes, free_drug,"
            " explanations, rule_versions, state, recorded_by, recorded_at, version) VALUES (1, 'r-5', 1, "
            "'2026-01-02', 'J9299', 'medicare', 'dsh', '[\"C34.90\"]', '219', '1', 'RN Old', 'RN Witness', "
            "'Consent recorded.\ntolerated well', false, '[]', '{}', 'recorded', 'rn', '2026-01-02 10:00:00', 1)"
        ))
    engine.dispose()
    store = open_store(store_url)
    try:
        assert store.migration is not None and store.migration.from_revision == BEFORE_RECORD_FIELDS
        detail = get_administration(store, 1)
        assert (detail.visit.nurse, detail.facts.waste_witness) == ("RN Old", "RN Witness")
        assert detail.visit.notes == "Consent recorded.\ntolerated well"  # old consent stays where it was written
        assert (detail.visit.consent_recorded, detail.visit.chair, detail.facts.discarded_by) == (False, None, None)
        with store.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head_revision()
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM administration WHERE id = 1"))  # the trigger survived
        with store.engine.begin() as connection:  # administrations still change (state, and the new columns)
            connection.execute(sa.text("UPDATE visit SET chair = 'Chair 2' WHERE id = 1"))
        assert get_administration(store, 1).visit.chair == "Chair 2"
    finally:
        store.close()


def test_a_fresh_database_is_created_and_stamped(store_url: str) -> None:
    store = open_store(store_url)
    assert store.migration is not None and store.migration.created
    store.close()
    again = open_store(store_url)
    assert again.migration is not None and again.migration.from_revision == head_revision()
    again.close()


def test_a_newer_schema_is_refused_and_left_alone(store_url: str) -> None:
    open_store(store_url).close()
    engine = create_store_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(StoreUnavailableError, match="newer version"):
        open_store(store_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "9999_from_the_future"
    engine.dispose()


def test_a_database_of_another_app_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (x int)"))
    engine.dispose()
    with pytest.raises(StoreUnavailableError, match="not made by this app"):
        open_store(url)


MOUNTS = """/dev/vda / ext4 rw 0 0
server:/export /mnt/share nfs4 rw 0 0
//nas/billing /mnt/smb cifs rw 0 0
"""


@pytest.mark.parametrize(("path", "kind"), [
    ("/mnt/share/charges.sqlite3", "nfs4"), ("/mnt/smb/x/charges.sqlite3", "cifs"),
    ("/home/rn/charges.sqlite3", None), ("/mnt/shared.sqlite3", None), ("//server/share/c.sqlite3", "UNC path"),
])
def test_network_shares_are_recognised(path: str, kind: str | None) -> None:
    assert network_filesystem(Path(path), MOUNTS) == kind


def test_a_sqlite_file_on_a_network_share_is_refused() -> None:
    with pytest.raises(NetworkShareError, match="network share"):
        create_store_engine("sqlite:////mnt/share/charges.sqlite3", mounts_text=MOUNTS)


def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with store.engine.connect() as connection:
        pragma = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    store.close()
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}  # default


def test_the_database_url_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("INFUSION_CHARGE_DATABASE_URL", f"sqlite:///{target}")
    store = open_store(None)
    store.close()
    assert target.exists()


def test_migrate_is_idempotent(store_url: str) -> None:
    engine = create_store_engine(store_url)
    first = migrate(engine)
    second = migrate(engine)
    engine.dispose()
    assert first.created and not second.created and second.backup_path is None


BEFORE_VISITS = "0006_record_fields"


def _old_record(connection: sa.Connection, number: int, hcpcs: str, state: str, *, start: str,
                replaces: int | None = None) -> None:
    """One administration as 0006 stored it, with its drug and administration-code lines and a finding."""
    connection.execute(sa.text(
        "INSERT INTO administration (id, request_id, patient_id, date_of_service, hcpcs, payer, payer_class, "
        "facility_type, prior_authorization, diagnosis_codes, administered_mg, discarded_mg, infusion_minutes, "
        "route, infusion_start, infusion_stop, nurse, waste_witness, discarded_by, chair, consent_recorded, notes, "
        "free_drug, explanations, rule_versions, state, void_reason, replaces_id, recorded_by, recorded_at, version) "
        f"VALUES ({number}, 'r-{number}', 1, '2025-01-02', '{hcpcs}', 'Medicare Part B', 'medicare', 'dsh', "
        f"'PA-{number}', '[\"C34.90\"]', '219', '1', 30, 'IV', '{start}', '{start}', 'RN Old', 'RN Witness', "
        f"'RN Old', 'Chair 2', true, 'note {number}', false, '[\"old\"]', '{{}}', '{state}', "
        f"{'NULL' if state != 'voided' else repr('entered twice')}, {'NULL' if replaces is None else replaces}, "
        f"'rn', '2025-01-02 10:00:00', 1)"
    ))
    for position, (code, kind, units) in enumerate(((hcpcs, "administered", 219), (hcpcs, "discarded", 1),
                                                    ("96413", "administration", 1))):
        connection.execute(sa.text(
            "INSERT INTO charge_line (administration_id, position, hcpcs, kind, units, modifiers, reason, "
            f"rule_versions, created_at) VALUES ({number}, {position}, '{code}', '{kind}', {units}, "
            f"'{'JW' if kind == 'discarded' else ''}', 'as saved', '{{}}', '2025-01-02 10:00:00')"
        ))
    connection.execute(sa.text(
        "INSERT INTO finding (administration_id, position, code, severity, message) "
        f"VALUES ({number}, 0, 'NO_340B_MODIFIER', 'info', 'old finding')"
    ))
    connection.execute(sa.text(
        "INSERT INTO state_change (administration_id, from_state, to_state, changed_by, changed_at) "
        f"VALUES ({number}, NULL, 'recorded', 'rn', '2025-01-02 10:00:00')"
    ))


def test_a_0006_database_becomes_visits_of_one_with_the_same_ids_codes_and_chain(store_url: str) -> None:
    from sqlalchemy.orm import Session

    from db.audit import append_event
    from desktop.services.visits.visit_queries import get_visit

    _upgrade_to(store_url, BEFORE_VISITS)
    engine = create_store_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO patient (id, mrn, name, date_of_birth, created_at) "
            "VALUES (1, 'OLD1', 'Old Patient', '1950-03-04', '2025-01-01 10:00:00')"))
        # Two drugs of one patient and date, each saved with its own 96413 before visits existed.
        _old_record(connection, 1, "J9299", "voided", start="2025-01-02 14:00:00")
        _old_record(connection, 2, "J9299", "posted", start="2025-01-02 14:00:00", replaces=1)
        _old_record(connection, 3, "J9228", "recorded", start="2025-01-02 15:00:00")
        if connection.dialect.name == "postgresql":  # rows written with explicit ids, as the old app's sequence would
            for table in ("patient", "administration"):
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                           f"(SELECT max(id) FROM {table}))"))
        with Session(bind=connection) as session:
            for number in (1, 2, 3):
                append_event(session, actor="rn", action="create", entity="administration", entity_id=number,
                             before=None, after={"id": number})
            session.flush()
    engine.dispose()
    store = open_store(store_url)
    try:
        for number, state in ((1, ChargeState.VOIDED), (2, ChargeState.POSTED), (3, ChargeState.RECORDED)):
            detail = get_administration(store, number)
            assert detail.visit_id == number and detail.state is state  # a visit of one, same id
            assert detail.visit.prior_authorization == f"PA-{number}" and detail.visit.chair == "Chair 2"
            assert detail.visit.consent_recorded is True and detail.visit.notes == f"note {number}"
            assert (detail.facts.waste_witness, detail.facts.discarded_by) == ("RN Witness", "RN Old")
            assert [line.kind.value for line in detail.lines] == ["administered", "discarded"]
            assert [f.code for f in detail.findings] == ["NO_340B_MODIFIER"]
            visit = get_visit(store, number)
            assert [(c.revision, [line.hcpcs for line in c.lines]) for c in visit.code_sets] == [(1, ["96413"])]
            assert visit.place_of_service is None  # not recorded before visits: never guessed
        assert get_administration(store, 2).replaces_id == 1
        # Not grouped: the two J9299 records keep the codes they were billed with (each its 96413).
        assert sum(len(get_visit(store, n).code_lines) for n in (1, 2, 3)) == 3
        with store.engine.connect() as connection:
            old_lines = connection.execute(sa.text("SELECT count(*) FROM charge_line")).scalar_one()
            assert old_lines == 9  # the lines saved before stay where they were, as evidence
            if store.is_sqlite:
                triggers = {r[0] for r in connection.execute(sa.text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
                assert {"administration_no_delete", "visit_no_delete", "visit_code_line_no_update"} <= triggers
        with pytest.raises(sa.exc.DBAPIError), store.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM administration WHERE id = 3"))
        check = verify_audit_chain(store)  # the 3 old events, sealed by the keyed start and its baseline (issue 15)
        assert check.ok and check.events_checked == 5 and "3 older unkeyed events sealed" in check.message
        from desktop.services import record_administration
        from tests.services.conftest import make_request

        new = record_administration(store, make_request(), "rn")
        assert new.visit_id == 4  # ids go on after the migrated visits, on both backends
    finally:
        store.close()


def test_the_head_read_from_the_migration_files_is_alembics(store_url: str) -> None:
    """Opening an up-to-date database compares revisions without Alembic (issue 16): the light reading of the
    migration files must name the same head and the same revisions as Alembic's script directory, and read the
    stored revision as Alembic does."""
    from alembic.script import ScriptDirectory

    from db.migrate import current_revision, known_revisions

    scripts = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == scripts.get_current_head()
    assert known_revisions() == {script.revision for script in scripts.walk_revisions()}
    engine = create_store_engine(store_url)
    with engine.connect() as connection:
        assert current_revision(connection) is None  # an empty database
    _upgrade_to(store_url, BEFORE_RECORD_FIELDS)
    with engine.connect() as connection:
        assert current_revision(connection) == BEFORE_RECORD_FIELDS
        assert current_revision(connection) == MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
