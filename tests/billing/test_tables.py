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
    }
    assert len(rules.catalog.packages) == 17
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
    assert set(rules.versions) == {"catalog", "payer_classes", "modifiers_340b", "mue"}


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
