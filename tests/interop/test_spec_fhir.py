"""The FHIR Bundle against the interface specification, element by element; fhir.resources validates it, and a
check of our own holds every Quantity to qty-3 (a coded unit names its system)."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
from fhir.resources.bundle import Bundle
from fhir.resources.quantity import Quantity
from fhir.resources.structuredefinition import StructureDefinition
from pydantic import BaseModel

from desktop.interop.fhir_export import CANONICAL, EXTENSIONS, to_fhir_json
from tests.interop.samples import HEADER, VISITS
from tests.interop.spec import ABSENT, Row, fhir_value, spec_rows, visit_entries

ROWS = spec_rows("fhir")


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    return json.loads(to_fhir_json(HEADER, VISITS))


def _expected(bundle: dict[str, Any], example: str, visit: int) -> str | None:
    if example == ABSENT:
        return None
    if example.startswith("→ "):
        entries = visit_entries(bundle["entry"])[visit]
        return next(e["fullUrl"] for e in entries if e["resource"]["resourceType"] == example[2:])
    return example


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_each_element_as_specified(bundle: dict[str, Any], row: Row) -> None:
    for visit, example in ((0, row.charge), (1, row.reversal)):
        assert fhir_value(bundle, row.name, visit, json) == _expected(bundle, example, visit), f"visit {visit + 1}"


def _leaves(node: Any, path: str) -> list[str]:
    """Every value's path with list indexes dropped and extensions named: ChargeItem.extension(ndc-billing)..."""
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if key == "url" and "extension" in path.rsplit(".", 1)[-1]:
                continue
            if key == "extension":
                for item in value:
                    found += _leaves(item, f"{path}.extension({item['url'].split('/')[-1]})")
                continue
            found += _leaves(value, f"{path}.{key}")
        return found
    if isinstance(node, list):
        return [leaf for item in node for leaf in _leaves(item, path)]
    return [path]


def test_every_element_sent_is_specified(bundle: dict[str, Any]) -> None:
    import re

    specified = {re.sub(r"\[\d+\]", "", row.name) for row in ROWS}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        sent = _leaves(entry["resource"], kind) + _leaves(entry.get("request", {}), f"entry({kind}).request")
        for leaf in sent:
            if leaf in (f"{kind}.resourceType", f"entry({kind}).request") or leaf.endswith(".contained.resourceType"):
                continue
            assert leaf in specified, f"{leaf} is sent but not in the specification"


def test_the_bundle_validates_with_fhir_resources(bundle: dict[str, Any]) -> None:
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "transaction" and len(parsed.entry) == 2 * 3 + 7


def _quantities(model: Any) -> list[Quantity]:
    found: list[Quantity] = []
    if isinstance(model, Quantity):
        found.append(model)
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            found += _quantities(getattr(model, name))
    elif isinstance(model, list):
        for item in model:
            found += _quantities(item)
    return found


def test_qty_3_every_coded_unit_names_its_system(bundle: dict[str, Any]) -> None:
    """qty-3: code.empty() or system.exists() (fhir.resources does not check FHIRPath invariants)."""
    quantities = _quantities(Bundle.model_validate(bundle))
    coded = [q for q in quantities if q.code is not None]
    assert coded, "the NDC quantity is a coded Quantity"
    assert all(q.system is not None for q in quantities if q.code is not None)
    assert {(q.code, q.system) for q in coded} == {("mL", "http://unitsofmeasure.org")}
    assert Decimal(str(coded[0].value)) == Decimal("13.75")


def test_ndc_forms(bundle: dict[str, Any]) -> None:
    item = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ChargeItem")
    assert item["product"][0]["concept"]["coding"][0] == {"system": "http://hl7.org/fhir/sid/ndc",
                                                         "code": "0078-0669-13"}
    billing = next(x for x in item["extension"] if x["url"].endswith("ndc-billing"))
    assert {x["url"]: x.get("valueString") for x in billing["extension"]}["ndc11"] == "00078066913"


def test_every_extension_is_published_with_its_canonical_url(bundle: dict[str, Any]) -> None:
    folder = resources.files("resources") / "fhir"
    published = {}
    for name in EXTENSIONS:
        definition = StructureDefinition.model_validate_json(
            (folder / f"StructureDefinition-{name}.json").read_text(encoding="utf-8"))
        assert definition.url == f"{CANONICAL}/StructureDefinition/{name}" and definition.type == "Extension"
        published[definition.url] = definition
    used = {x["url"] for e in bundle["entry"] for x in e["resource"].get("extension", [])}
    assert used <= set(published)
