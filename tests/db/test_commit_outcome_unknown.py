"""Issue 20: the server freezes after the record was sent and while COMMIT waits for its answer. The program cannot
know whether it was saved and says so (never "Saved", never "Nothing was saved"); after the server comes back the
retry, with the same request id, finds the record instead of saving it twice."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from db.engine import BEGIN_OPTION
from db.workstation import StoreTimeouts
from desktop.services import open_store, record_administration
from desktop.services.errors import SaveOutcomeUnknownError
from desktop.services.storage.store import Store
from desktop.services.visits.visit_queries import list_administrations
from tests.own_postgres import OwnPostgres, own_postgres  # noqa: F401  (fixture)
from tests.services.conftest import make_request, pg_schema_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store(own_postgres: OwnPostgres) -> Iterator[Store]:  # noqa: F811
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(own_postgres.url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    admin.dispose()
    store = open_store(pg_schema_url(own_postgres.url, schema), timeouts=StoreTimeouts(connect=2, statement=2))
    yield store
    store.close()


def test_a_commit_whose_answer_never_comes_is_reported_as_not_known_and_saved_once_on_retry(
    pg_store: Store, own_postgres: OwnPostgres  # noqa: F811
) -> None:
    frozen: list[int] = []

    def freeze_before_the_commit(connection: sa.Connection) -> None:
        reading = BEGIN_OPTION in connection.get_execution_options()  # the read sessions' engine sets it
        if not frozen and not reading:  # every row is on the server; the COMMIT is about to be sent
            frozen.extend(own_postgres.freeze())

    event.listen(pg_store.engine, "commit", freeze_before_the_commit)
    request = make_request(mrn="U1", name="Unknown Outcome")
    try:
        with pytest.raises(SaveOutcomeUnknownError, match="not known whether this was saved") as caught:
            record_administration(pg_store, request, "rn")
    finally:
        event.remove(pg_store.engine, "commit", freeze_before_the_commit)
        own_postgres.thaw(frozen)
    assert frozen and "Nothing was saved" not in str(caught.value) and "did not answer within" in str(caught.value)

    again = record_administration(pg_store, request, "rn")  # the retry of the same form
    assert [a.id for a in list_administrations(pg_store)] == [again.id]  # one record, whatever the first did
