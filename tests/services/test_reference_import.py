"""Importing CMS's quarterly files (issue 14) into a real SQLite file and the real PostgreSQL server: preview, apply,
the same file again, a later quarter, the data in force on an old date of service, stored charges untouched, bad
files refused with nothing applied. Files are generated in the published format (tests/interop/cms_samples.py);
their limits and MUE values are made up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from db import models
from desktop.services import RefusedError, Store, get_administration, record_administration, verify_audit_chain
from desktop.services.errors import ConflictError, ServiceError
from desktop.services.facility.reference import apply_import, preview_import, reference_versions
from desktop.services.facility.settings import engine_inputs
from desktop.services.people.roles import PermissionDeniedError
from tests.interop.cms_samples import CATALOG_ROWS, XwalkRow, crosswalk_bytes, made_up_rows, mue_bytes, price_bytes
from tests.services.conftest import make_request, nivolumab
from tests.services.people_fixtures import fast_hasher, people

__all__ = ["fast_hasher", "people"]

Q4, Q1 = dt.date(2026, 10, 1), dt.date(2027, 1, 1)
CROSSWALK = crosswalk_bytes([*CATALOG_ROWS, *made_up_rows(3000)], Q4)


def imported(store: Store, data: bytes, name: str = "", **options: object) -> int:
    preview = preview_import(store, data, name, **options)  # type: ignore[arg-type]
    assert preview.can_apply, preview.summary()
    outcome = apply_import(store, preview, "admin")
    assert outcome.applied and outcome.version_id is not None
    return outcome.version_id


def versions(store: Store) -> int:
    with store.session_scope(write=False) as session:
        return int(session.execute(select(func.count(models.ReferenceVersion.id))).scalar_one())


def audit_actions(store: Store) -> list[str]:
    with store.session_scope(write=False) as session:
        return list(session.execute(select(models.AuditEvent.action).order_by(models.AuditEvent.id)).scalars())


def test_preview_changes_nothing_then_apply_stores_one_audited_version(store: Store) -> None:
    preview = preview_import(store, CROSSWALK, "October 2026 ASP NDC-HCPCS Crosswalk.csv")
    assert preview.kind.value == "crosswalk" and preview.effective_from == Q4 and preview.quarter == "2026 Q4"
    assert preview.effective_said_by == "the file's title lines" and preview.can_apply
    assert (preview.count("added"), preview.count("changed"), preview.count("no longer listed")) == (3007, 0, 0)
    assert "3,007 rows read; 3,007 added, 0 changed, 0 no longer listed" in preview.summary()
    needs = {(n.hcpcs, n.ndc): n.needs for n in preview.needs}
    assert needs[("J9299", "69999-0101-01")] == "needs: single- or multiple-dose"
    assert needs[("Q5000", "")].startswith("needs: a drug entry (family, unit of measure, route)")
    assert ("J9299", "00003-3734-13") not in needs  # the catalog agrees with CMS: nothing to do
    assert preview.uncatalogued_ndcs == 3000
    assert versions(store) == 0 and "reference_import" not in audit_actions(store)

    outcome = apply_import(store, preview, "admin")
    assert outcome.applied and "3,007 rows" in outcome.message
    [version] = reference_versions(store, Q4)
    assert (version.kind.value, version.effective_from, version.rows, version.added, version.in_force) == (
        "crosswalk", Q4, 3007, 3007, True)
    assert audit_actions(store)[-2:] == ["reference_import", "rows"]  # the import, then every row it stored
    check = verify_audit_chain(store)
    assert check.ok, check.message
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("DELETE FROM reference_crosswalk WHERE hcpcs = 'J9299'"))


def test_the_same_file_twice_is_a_no_op_that_says_so(store: Store) -> None:
    imported(store, CROSSWALK, "xw.csv")
    again = preview_import(store, CROSSWALK, "xw.csv")
    assert not again.can_apply and again.unchanged == 3007 and not again.changes
    assert again.already_in_force.startswith("This file holds the data already in force from 2026-10-01 (2026 Q4, "
                                             "imported ")
    outcome = apply_import(store, again, "admin")
    assert not outcome.applied and "already in force" in outcome.message
    # the same rows under other title lines and line endings are the same data
    relabelled = CROSSWALK.replace(b"\r\n", b"\n").replace(b"Note: this crosswalk", b"Note: the crosswalk")
    assert preview_import(store, relabelled, "copy.csv").already_in_force
    assert versions(store) == 1 and audit_actions(store).count("reference_import") == 1


def test_a_later_quarter_changes_a_limit_and_each_date_uses_its_own(store: Store) -> None:
    imported(store, price_bytes([("J9299", "1 MG", "28.541"), ("J9302", "10 MG", "63.456")], Q4), "q4.csv")
    later = preview_import(store, price_bytes([("J9299", "1 MG", "29.100"), ("J9022", "10 MG", "95.5")], Q1),
                           "January 2027 ASP Pricing File.csv")
    assert later.replaces is not None and later.replaces.quarter == "2026 Q4"
    assert [(c.action, c.hcpcs, c.what) for c in later.changes] == [
        ("added", "J9022", "payment limit $95.500 per 10 MG"),
        ("changed", "J9299", "payment limit $28.541 \u2192 $29.100"),
        ("no longer listed", "J9302", "in the version in force, not in this file"),
    ]
    apply_import(store, later, "admin")
    december = engine_inputs(store, dt.date(2026, 12, 15)).rules
    january = engine_inputs(store, dt.date(2027, 1, 2)).rules
    assert december.reference.payment_limit("J9299") == Decimal("28.541")
    assert december.reference.payment_limit("J9302") == Decimal("63.456")
    assert january.reference.payment_limit("J9299") == Decimal("29.100")
    assert january.reference.payment_limit("J9302") is None
    assert december.versions["asp"].startswith("2026 Q4 ") and january.versions["asp"].startswith("2027 Q1 ")
    before_any = engine_inputs(store, dt.date(2026, 9, 30)).rules
    assert before_any.reference.payment_limit("J9299") is None and "asp" not in before_any.versions


def test_an_old_date_of_service_is_recorded_with_the_data_in_force_then(store: Store) -> None:
    imported(store, CROSSWALK, "q4.csv")
    moved = XwalkRow("J9271", "00003-3774-12", "1 MG", "10", "1", "1", "100")  # made up: a vial under another code
    imported(store, crosswalk_bytes([*CATALOG_ROWS, moved, *made_up_rows(3000)], Q1), "q1.csv")
    november = make_request(administration=nivolumab(date_of_service=dt.date(2026, 11, 29)))
    outcome = record_administration(store, november, "rn")
    detail = get_administration(store, outcome.id)
    assert detail.rule_versions["crosswalk"].startswith("2026 Q4 ")
    assert [line.units for line in detail.lines] == [100, 119, 1]  # one line per NDC, then JW
    # In 2027 the crosswalk lists the 100 mg vial under pembrolizumab: the same vial is refused for J9299.
    january = make_request(mrn="MRN002", administration=nivolumab(date_of_service=dt.date(2027, 1, 5)))
    with pytest.raises(RefusedError) as refused:
        record_administration(store, january, "rn")
    assert {f.code for f in refused.value.findings} == {"NDC_HCPCS_MISMATCH"}
    assert "according to the CMS NDC-HCPCS crosswalk 2027 Q1" in refused.value.findings[0].message


def test_stored_charges_never_change_when_a_file_replaces_the_data_they_used(store: Store) -> None:
    imported(store, price_bytes([("J9299", "1 MG", "28.541")], Q4), "q4.csv")
    outcome = record_administration(store, make_request(), "rn")
    before = get_administration(store, outcome.id)
    imported(store, price_bytes([("J9299", "1 MG", "31.000")], Q4), "q4-corrected.csv")  # same quarter, again
    after = get_administration(store, outcome.id)
    assert after.lines == before.lines and after.findings == before.findings
    assert after.rule_versions == before.rule_versions and after.rule_versions["asp"].startswith("2026 Q4 ")
    assert engine_inputs(store, dt.date(2026, 11, 29)).rules.reference.payment_limit("J9299") == Decimal("31.000")
    assert len(reference_versions(store, Q4)) == 2


def test_an_imported_mue_value_drives_the_finding_when_recording(store: Store) -> None:
    imported(store, mue_bytes([("J9299", 200, 3)]), "MCR_MUE_OutpatientHospitalServices_Eff_10-01-2026.csv")
    with pytest.raises(RefusedError) as refused:
        record_administration(store, make_request(), "rn")
    [finding] = refused.value.findings
    assert finding.code == "MUE_EXCEEDED" and "exceed the medically unlikely edit of 200" in finding.message
    assert "CMS outpatient hospital services MUE table 2026 Q4" in finding.message
    accepted = record_administration(store, make_request(acknowledged_codes=frozenset({"MUE_EXCEEDED"})), "rn")
    assert get_administration(store, accepted.id).rule_versions["mue_outpatient_hospital"].startswith("2026 Q4")


@pytest.mark.parametrize(("data", "words"), [
    (crosswalk_bytes(CATALOG_ROWS).replace(b"00003-3772-11", b"0003-3772-11"),
     "line 13: NDC '0003-3772-11' is not in the 5-4-2 form"),
    (price_bytes([("J9299", "1 MG", "28.541"), ("J9302", "10 MG", "-63.456")]),
     "line 12: the payment limit for J9302 is -63.456: it cannot be negative"),
    (CROSSWALK[: len(CROSSWALK) // 2], "the row ends after"),
])
def test_a_bad_file_names_its_line_and_nothing_is_applied(store: Store, data: bytes, words: str) -> None:
    preview = preview_import(store, data, "bad.csv")
    assert not preview.can_apply and words in preview.problems[0] and "nothing can be applied" in preview.summary()
    with pytest.raises(ServiceError, match="Nothing was imported"):
        apply_import(store, preview, "admin")
    assert versions(store) == 0 and "reference_import" not in audit_actions(store)


def test_a_wrong_kind_or_a_file_without_its_quarter_is_refused(store: Store) -> None:
    with pytest.raises(ServiceError, match=r"This looks like the ASP pricing file .*; expected the ASP NDC-HCPCS"):
        preview_import(store, price_bytes([("J9299", "1 MG", "28.541")]), kind="crosswalk")
    undated = preview_import(store, mue_bytes([("J9299", 200, 3)]), "mue.csv")
    assert undated.effective_from is None and not undated.can_apply
    assert "does not say which quarter" in undated.problems[0]
    dated = preview_import(store, mue_bytes([("J9299", 200, 3)]), "mue.csv", effective=Q4)
    assert dated.can_apply and dated.effective_said_by == "you"
    with pytest.raises(ServiceError, match="not a kind of CMS file"):
        preview_import(store, CROSSWALK, kind="noc")


def test_a_stale_preview_is_refused(store: Store) -> None:
    first = preview_import(store, price_bytes([("J9299", "1 MG", "28.541")], Q4))
    second = preview_import(store, price_bytes([("J9299", "1 MG", "29.000")], Q4))
    apply_import(store, first, "admin")
    with pytest.raises(ConflictError, match="preview the file again"):
        apply_import(store, second, "admin")
    assert versions(store) == 1


def test_only_administrators_import(people: Store) -> None:
    preview = preview_import(people, price_bytes([("J9299", "1 MG", "28.541")], Q4))
    for user in ("nina", "bill"):
        with pytest.raises(PermissionDeniedError, match="only administrator users may maintain the drug catalog"):
            apply_import(people, preview, user)
    assert apply_import(people, preview, "admin").applied
