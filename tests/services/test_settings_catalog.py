"""Catalog maintenance: CSV preview of adds and changes, validation in words, versions, charges keep theirs."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import text

from desktop.billing.catalog import Drug, Package
from desktop.billing.model import DoseType
from desktop.services import Store, get_administration, record_administration
from desktop.services.errors import ConflictError, ServiceError
from desktop.services.facility.catalog import (
    apply_catalog_update,
    catalog_versions,
    current_catalog,
    preview_catalog_csv,
    save_catalog_entry,
    stored_catalog,
)
from desktop.services.facility.catalog_csv import COLUMNS, read_catalog_csv, write_catalog_csv
from desktop.services.people.roles import PermissionDeniedError
from tests.services.conftest import make_request
from tests.services.people_fixtures import fast_hasher, people

__all__ = ["fast_hasher", "people"]
HEADER = ",".join(COLUMNS)
UPDATE = HEADER + """
drug,J9999,,"Injection, examplimab, 1 mg",examplimab,Examplo,1,IV,,,,,,yes,CMS HCPCS descriptor
package,J9999,12345-678-90,,,,,,100,10,single,ML,Examplo 100 mg/10 mL single-dose vial,yes,label
package,J9299,0003-3774-12,,,,,,100,10,single,ML,Opdivo 100 mg/10 mL single-dose vial,no,re-check label
package,J9299,0003-3756-14,,,,,,120,12,single,ML,Opdivo 120 mg/12 mL single-dose vial,yes,BMS label
"""
NEW_PACKAGE = Package(ndc="0003-3772-99", hcpcs="J9299", label_mg=Decimal("40"), volume_ml=Decimal("4"),
                      dose_type=DoseType.SINGLE, ndc_unit="ML", description="Opdivo 40 mg test vial",
                      verified=True, source="label")


def test_csv_preview_lists_adds_and_changes_and_stores_nothing(store: Store) -> None:
    preview = preview_catalog_csv(store, UPDATE)
    assert not preview.problems and preview.can_apply
    assert [(c.action, c.kind, c.key) for c in preview.changes] == [
        ("add", "drug", "J9999"), ("add", "package", "12345-678-90"), ("change", "package", "0003-3774-12")]
    assert preview.modifications[0].changed_fields == ("verified", "source")
    assert "verified: True \u2192 False" in preview.modifications[0].describe()
    assert preview.unchanged == 1 and preview.summary() == "2 to add, 1 to change, 1 unchanged."
    assert current_catalog(store).drug("J9999") is None  # a preview changes nothing


def test_csv_problems_are_named_by_line(store: Store) -> None:
    bad = HEADER + """
package,J9299,0003-37741-2,,,,,,100,10,single,ML,bad ndc,yes,x
package,J9299,0003-3774-12,,,,,,0,10,single,ML,zero mg,yes,x
package,J8888,11111-222-33,,,,,,10,,single,UN,no drug,yes,x
package,J9299,0003-3756-14,,,,,,120,12,single,ML,a,yes,x
package,J9299,00003-3756-14,,,,,,120,12,single,ML,same NDC again,yes,x
thing,J9299
"""
    preview = preview_catalog_csv(store, bad)
    joined = "\n".join(preview.problems)
    assert "Line 2: NDC '0003-37741-2'" in joined and "Line 3: label_mg must be more than zero" in joined
    assert "Line 7: kind must be drug or package" in joined
    assert "HCPCS J8888 is not in the catalog" in joined and "listed twice" in joined
    assert not preview.can_apply
    with pytest.raises(ServiceError, match="Nothing to apply"):
        apply_catalog_update(store, preview, "admin")
    assert read_catalog_csv("kind,hcpcs\n").problems[0].startswith("The header line lacks")


def test_applied_version_is_used_for_new_charges_and_old_ones_keep_theirs(store: Store) -> None:
    shipped = current_catalog(store).version
    old = record_administration(store, make_request(), "rn")
    version = apply_catalog_update(store, preview_catalog_csv(store, UPDATE), "admin").version
    assert ".local1-" in version and [v.version for v in catalog_versions(store)] == [version, shipped]
    new = record_administration(store, make_request(mrn="MRN002", request_id=str(uuid.uuid4())), "rn")
    detail = get_administration(store, new.id)
    assert any("0003-3774-12 not yet verified" in e for e in detail.explanations)  # the vial's entry is unverified
    assert new.rule_versions["catalog"] == version
    assert not any("not yet verified" in e for e in get_administration(store, old.id).explanations)
    assert get_administration(store, old.id).rule_versions["catalog"] == shipped
    assert stored_catalog(store, shipped).package("0003-3774-12").verified  # type: ignore[union-attr]
    assert not stored_catalog(store, version).package("0003-3774-12").verified  # type: ignore[union-attr]


def test_stale_preview_is_refused(store: Store) -> None:
    first = preview_catalog_csv(store, UPDATE)
    save_catalog_entry(store, NEW_PACKAGE, "admin", adding=True)
    with pytest.raises(ConflictError, match="preview the update again"):
        apply_catalog_update(store, first, "admin")


def test_entry_validation(store: Store) -> None:
    with pytest.raises(ServiceError, match="already in the catalog"):
        save_catalog_entry(store, replace(NEW_PACKAGE, ndc="00003-3774-12"), "admin", adding=True)
    with pytest.raises(ServiceError, match="5-4-2 shape"):
        save_catalog_entry(store, replace(NEW_PACKAGE, ndc="0003-37-729"), "admin", adding=True)
    with pytest.raises(ServiceError, match="unit size\\) must be more than zero"):
        save_catalog_entry(store, replace(NEW_PACKAGE, label_mg=Decimal(0)), "admin", adding=True)
    drug = current_catalog(store).drug("J9299")
    assert drug is not None
    with pytest.raises(ServiceError, match="mg per billing unit must be more than zero"):
        save_catalog_entry(store, replace(drug, mg_per_unit=Decimal(0)), "admin", adding=False)
    save_catalog_entry(store, NEW_PACKAGE, "admin", adding=True)
    changed = save_catalog_entry(store, replace(drug, brand="Opdivo (BMS)"), "admin", adding=False)
    assert "brand: Opdivo \u2192 Opdivo (BMS)" in changed.summary
    assert current_catalog(store).package("0003-3772-99") == NEW_PACKAGE


def test_round_trip_of_the_shipped_catalog_changes_nothing(store: Store) -> None:
    catalog = current_catalog(store)
    preview = preview_catalog_csv(store, write_catalog_csv(catalog.drugs, catalog.packages))
    assert not preview.problems and not preview.changes
    assert preview.unchanged == len(catalog.drugs) + len(catalog.packages)


def test_only_administrators_change_the_catalog_and_versions_are_append_only(people: Store) -> None:
    for user in ("nina", "bill"):
        with pytest.raises(PermissionDeniedError, match="only administrator users may maintain the drug catalog"):
            save_catalog_entry(people, NEW_PACKAGE, user, adding=True)
    version = save_catalog_entry(people, NEW_PACKAGE, "admin", adding=True).version
    with pytest.raises(Exception, match="append-only"), people.engine.begin() as connection:
        connection.execute(text("UPDATE catalog_version SET summary = 'x' WHERE version = :v"), {"v": version})
    assert isinstance(current_catalog(people).drug("J9299"), Drug)
