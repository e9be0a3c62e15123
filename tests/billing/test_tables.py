"""The rule data loader: the shipped files are valid, and a bad file fails with a clear message."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest

from desktop.billing.model import PayerClass
from desktop.billing.tables import (
    RuleDataError,
    RuleSet,
    parse_340b_rows,
    parse_catalog,
    parse_payer_policies,
)


def shipped(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("resources").joinpath(name).read_text(encoding="utf-8"))


def test_catalog_holds_every_code_and_package_of_the_rules(rules: RuleSet) -> None:
    codes = {d.hcpcs: d.mg_per_unit for d in rules.catalog.drugs}
    assert {k: str(v) for k, v in codes.items()} == {
        "J9302": "10", "J9022": "10", "J9299": "1", "J9228": "1", "J9271": "1",
        "J9355": "10", "J9173": "10", "J9119": "1", "J9023": "10",
        "J1100": "1", "J1200": "50", "J2405": "1", "J2469": "25", "J7050": "250",
    }
    assert len(rules.catalog.packages) == 21
    assert all(p.source and d.source for p in rules.catalog.packages for d in rules.catalog.drugs)
    herceptin_440 = rules.catalog.package("50242-134-68")
    assert herceptin_440 is not None and herceptin_440.dose_type.value == "multiple"


def test_payer_defaults(rules: RuleSet) -> None:
    policy = {p: (rules.payer_policies[p].waste_modifiers, rules.payer_policies[p].uses_340b_modifier)
              for p in PayerClass}
    assert policy == {
        PayerClass.MEDICARE: ("required", True),
        PayerClass.MEDICARE_ADVANTAGE: ("required", True),
        PayerClass.MEDICAID: ("required", False),
        PayerClass.COMMERCIAL: ("jw_only", False),
        PayerClass.SELF_PAY: ("jw_only", False),
    }


def test_rule_versions_are_reported(rules: RuleSet) -> None:
    assert set(rules.versions) == {"catalog", "payer_classes", "modifiers_340b", "mue", "routes"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["package"][0].update(ndc="0078066913"), "must be written with hyphens"),
        (lambda d: d["package"][1].update(ndc=d["package"][0]["ndc"]), "is listed twice"),
        (lambda d: d["package"][0].update(hcpcs="J0000"), "HCPCS J0000 has no drug entry"),
        (lambda d: d["package"][0].update(label_mg="-100"), "must be a positive number"),
        (lambda d: d["package"][0].update(dose_type="sometimes"), "must be one of single, multiple"),
        (lambda d: d["drug"][0].pop("mg_per_unit"), "'mg_per_unit' is missing"),
        (lambda d: d["drug"][0].update(verified="yes"), "must be true or false"),
        (lambda d: d["package"][0].pop("volume_ml"), "needs volume_ml"),
    ],
)
def test_bad_catalog_names_the_entry(change: Any, words: str) -> None:
    doc = shipped("catalog.toml")
    change(doc)
    with pytest.raises(RuleDataError, match=words):
        parse_catalog(doc)


def test_overlapping_340b_rows_are_refused() -> None:
    doc = shipped("modifiers_340b.toml")
    doc["row"][0]["effective_to"] = doc["row"][2]["effective_from"]
    with pytest.raises(RuleDataError, match="two rows apply"):
        parse_340b_rows(doc)


def test_missing_payer_class_is_refused() -> None:
    doc = shipped("payer_classes.toml")
    doc["payer_class"] = doc["payer_class"][:-1]
    with pytest.raises(RuleDataError, match="no entry for payer class self_pay"):
        parse_payer_policies(doc)


def test_every_drug_has_a_family_and_measure_as_data(rules: RuleSet) -> None:
    from desktop.billing.model import DrugFamily

    families = {d.hcpcs: (d.family, d.measure) for d in rules.catalog.drugs}
    assert all(families[code] == (DrugFamily.CHEMO, "mg") for code in
               ("J9302", "J9022", "J9299", "J9228", "J9271", "J9355", "J9173", "J9119", "J9023"))
    assert families["J1100"] == (DrugFamily.THERAPEUTIC, "mg")
    assert families["J1200"] == (DrugFamily.THERAPEUTIC, "mg")
    assert families["J2405"] == (DrugFamily.THERAPEUTIC, "mg")
    assert families["J2469"] == (DrugFamily.THERAPEUTIC, "mcg")
    assert families["J7050"] == (DrugFamily.HYDRATION, "mL")
    assert [p.ndc for p in rules.catalog.packages_for("J7050")] == []  # no bag NDC could be verified


def test_premedication_packages_carry_their_sources(rules: RuleSet) -> None:
    expected = {"63323-506-41": ("J1100", "10"), "25021-481-01": ("J1200", "50"), "0641-6080-25": ("J2405", "4"),
                "58063-797-25": ("J2469", "250")}
    for ndc, (hcpcs, label) in expected.items():
        package = rules.catalog.package(ndc)
        assert package is not None and package.hcpcs == hcpcs and str(package.label_mg) == label
        assert "label" in package.source or "reimbursement" in package.source


def test_stored_catalogs_from_before_families_read_as_chemotherapy_in_mg() -> None:
    doc = shipped("catalog.toml")
    for drug in doc["drug"]:
        drug.pop("family"), drug.pop("measure"), drug.pop("other_routes", None)
    parsed = parse_catalog(doc)
    assert {d.family.value for d in parsed.drugs} == {"chemo"} and {d.measure for d in parsed.drugs} == {"mg"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["drug"][0].update(route="banana"), "route BANANA is not a code of resources/routes.toml"),
        (lambda d: d["drug"][0].update(other_routes="IM, XX"), "route XX is not a code"),
        (lambda d: d["drug"][0].update(family="antibody"), "must be one of chemo, therapeutic, hydration"),
        (lambda d: d["drug"][0].update(measure="g"), "must be one of mg, mcg, mL"),
    ],
)
def test_bad_drug_data_names_the_entry(change: Any, words: str) -> None:
    doc = shipped("catalog.toml")
    change(doc)
    with pytest.raises(RuleDataError, match=words):
        parse_catalog(doc)


def test_route_vocabulary_reads_hl7_names_and_aliases(rules: RuleSet) -> None:
    routes = rules.routes
    assert {r.code for r in routes.routes} >= {"IV", "SC", "IM", "IT", "INTRAVESICAL"}
    assert routes.find("Sub-Q").code == "SC" and routes.find("S.C.").code == "SC"  # type: ignore[union-attr]
    assert routes.find("IV push").code == "IV" and routes.find("Intramuscular").code == "IM"  # type: ignore[union-attr]
    assert routes.find("banana") is None and routes.find("") is None
    assert routes.by_code("IM").name == "Intramuscular"  # type: ignore[union-attr]


def test_a_route_spelling_may_mean_only_one_route() -> None:
    from desktop.billing.routes import RouteDataError, parse_routes

    doc = shipped("routes.toml")
    doc["route"][1]["aliases"].append("i.v.")
    with pytest.raises(RouteDataError, match="already means IV"):
        parse_routes(doc)


def test_jz_periods_may_not_overlap() -> None:
    from desktop.billing.tables import parse_jz_periods

    doc = shipped("payer_classes.toml")
    doc["jz_period"][1]["effective_to"] = doc["jz_period"][2]["effective_from"]
    with pytest.raises(RuleDataError, match="two rows apply"):
        parse_jz_periods(doc)
    doc = shipped("payer_classes.toml")
    doc["jz_period"][2]["status"] = "sometimes"
    with pytest.raises(RuleDataError, match="must be one of none, optional, required"):
        parse_jz_periods(doc)


def test_mue_rows_are_checked() -> None:
    from desktop.billing.tables import parse_mue

    row = {"hcpcs": "J9299", "max_units": 480, "setting": "outpatient_hospital", "effective_from": "2026-10-01",
           "source": "CMS Outpatient Hospital Services MUE table (test)"}
    assert parse_mue({"mue": [row]})[0].setting is not None
    with pytest.raises(RuleDataError, match="must be a whole number above 0"):
        parse_mue({"mue": [row | {"max_units": 0}]})
    with pytest.raises(RuleDataError, match="must be one of practitioner, outpatient_hospital"):
        parse_mue({"mue": [row | {"setting": "clinic"}]})
    with pytest.raises(RuleDataError, match="two rows apply"):
        parse_mue({"mue": [row, row]})
