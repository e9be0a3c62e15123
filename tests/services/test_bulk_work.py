"""The collector pause of bulk work (issue 16): exports run with Python's cyclic collector off and leave it as they
found it, also when they fail; what they export is the same."""

from __future__ import annotations

import gc

import pytest

from desktop.services import Store
from desktop.services.billing_exports.bulk_work import collector_paused
from desktop.services.billing_exports.exports import ExportFormat, ExportScope, export_dates, export_since_last
from desktop.services.errors import ServiceError
from desktop.services.people.accounts import create_first_administrator
from tests.services.charge_samples import j9302_request, record, to_posted
from tests.services.conftest import DOS


def test_the_collector_is_off_inside_and_as_it_was_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: still off, and the outer block turns it on again
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed export")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()


def test_exports_leave_the_collector_on_also_when_refused(store: Store) -> None:
    posted = record(store, j9302_request(mrn="P1", name="Pat Posted"))
    to_posted(store, posted.id, posted.version)
    billing = export_since_last(store, ExportFormat.CSV, user="biller")
    assert gc.isenabled()
    preview = export_dates(store, ExportFormat.HL7, DOS, DOS, ExportScope.ALL, user="biller")
    assert gc.isenabled()
    assert "P1" in billing.text and "P1" in preview.text
    create_first_administrator(store, "ada.admin", "a long enough password")  # accounts now: strangers refused
    with pytest.raises(ServiceError):
        export_dates(store, ExportFormat.CSV, DOS, DOS, ExportScope.ALL, user="nobody.at.all")
    assert gc.isenabled()
