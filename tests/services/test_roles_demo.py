"""`infusion-charge demo`: demo accounts with their roles, settings, and charges in every state, via the CLI."""

from __future__ import annotations

import pytest

from desktop.billing.model import DrugFamily
from desktop.cli.main import main
from desktop.services import get_administration, list_administrations, open_store, verify_audit_chain
from desktop.services.facility.settings import get_facility_settings
from desktop.services.people.roles import Role
from desktop.services.people.sign_in import sign_in


def test_demo_fills_a_new_database_once(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--database-url", store_url, "--days", "2"]) == 0
    assert "nurse    demo-nurse-pass" in capsys.readouterr().out
    store = open_store(store_url)
    try:
        states = {s.state.value for s in list_administrations(store)}
        assert {"recorded", "verified", "ticket_printed", "posted", "held", "voided"} <= states
        antibodies = [d for d in store.rules.catalog.drugs if d.family is DrugFamily.CHEMO]  # premeds: visits
        assert len({s.hcpcs for s in list_administrations(store)}) == len(antibodies)
        assert sign_in(store, "nurse", "demo-nurse-pass").account.role is Role.NURSE
        assert sign_in(store, "biller", "demo-biller-pass").account.role is Role.CHARGE_ENTRY
        assert get_facility_settings(store).price_for("J9299") is not None
        assert verify_audit_chain(store).ok
        details = [get_administration(store, s.id) for s in list_administrations(store)]
        chairs = {d.visit.chair for d in details}
        assert chairs <= {f"Chair {n}" for n in range(1, 9)} and len(chairs) > 1
        assert {d.visit.consent_recorded for d in details} == {True, False}
        wasted = [d for d in details if d.administration.discarded_mg > 0]
        assert wasted and all(d.facts.discarded_by == "Nora Nurse, RN" and d.facts.waste_witness for d in wasted)
    finally:
        store.close()
    assert main(["demo", "--database-url", store_url]) == 2
    assert "is not empty" in capsys.readouterr().err
