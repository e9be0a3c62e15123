"""Property-based fuzz of `calc` JSON (issue 15 section 4): whatever comes in, exit 0 with JSON or exit 2 with one
line on stderr, never a traceback. Runs `main` in-process so 2,000+ examples stay quick.

Inputs are valid visits (so the engine itself is fuzzed), valid visits with one value anywhere replaced by
anything (control characters, lone surrogates, huge or non-ASCII numbers, nested junk), whole junk, and raw bytes.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.billing.tables import load_rules
from desktop.cli.main import main

RULES = load_rules()
NDCS = [p.ndc for p in RULES.catalog.packages]
CODES = [d.hcpcs for d in RULES.catalog.drugs]

any_text = st.text(st.characters(blacklist_categories=()), max_size=30)  # control characters and lone surrogates too
digits = st.text(st.characters(whitelist_categories=("Nd",)), min_size=1, max_size=8)  # Arabic-Indic, full-width, ...
numbers = st.one_of(
    st.integers(), st.integers(min_value=-(10**60), max_value=10**60), st.floats(),
    st.decimals(allow_nan=False, allow_infinity=False).map(str), digits,
    st.sampled_from(["1_000", "9999-12", "1e400", "-0", "0.0001", "275", "25", "10.000", " 5 ", ""]),
)
times = st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2026-11-29T09:00:00",
                         "2026-11-29T10:30:00Z", "2026-11-01T01:30:00-05:00", "29/11/2026 09:00"])
scalars = st.one_of(st.none(), st.booleans(), numbers, any_text, times)
anything = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(any_text, inner, max_size=3)), max_leaves=8)

amounts = st.decimals(min_value=0, max_value=2000, places=3).map(str)
clock = st.builds(lambda h, m, z: f"2026-11-29T{h:02d}:{m:02d}:00{z}", st.integers(0, 23), st.integers(0, 59),
                  st.sampled_from(["-06:00", "-05:00", "Z", "+14:00"]))
PACKAGE_VALUES = {"lot": st.sampled_from(["A1", "LOT-7"]), "expiry": st.sampled_from(["2027-06", "2028-01-31"]),
                  "serial": st.text("ABC123", min_size=1, max_size=4)}
DRUG_VALUES = {"infusion_start": clock, "infusion_stop": clock, "infusion_minutes": st.integers(0, 300),
               "route": st.sampled_from(["IV", "Sub-Q", "IM", "i.v.", "intrathecal"]), "free_drug": st.booleans(),
               "ordered_dose_mg": amounts, "split_dose_reason": st.text("abc ,.", max_size=20),
               "carrier": st.booleans()}


@st.composite
def packages(draw: st.DrawFn) -> dict[str, Any]:
    package: dict[str, Any] = {"count": draw(st.integers(1, 4)), "acquired_340b": draw(st.booleans())}
    if draw(st.integers(0, 3)) < 3:
        catalogued = draw(st.sampled_from(RULES.catalog.packages))
        package["ndc"] = catalogued.ndc
        if draw(st.booleans()):
            package["label_mg"] = str(catalogued.label_mg)
    else:  # a package the catalog does not know, with or without an NDC
        package |= {"label_mg": draw(amounts), "multi_dose": draw(st.booleans())}
        if draw(st.booleans()):
            package["ndc"] = draw(st.sampled_from(["50242-919-01", "1234-5678-90", "00002-1234-01"]))
    for key in draw(st.sets(st.sampled_from(sorted(PACKAGE_VALUES)))):
        package[key] = draw(PACKAGE_VALUES[key])
    if "serial" in package:
        package["count"] = 1
    return package


@st.composite
def administrations(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {"hcpcs": draw(st.sampled_from(CODES)),
                            "packages": draw(st.lists(packages(), min_size=1, max_size=3)),
                            "administered_mg": draw(amounts), "discarded_mg": draw(amounts)}
    for key in draw(st.sets(st.sampled_from(sorted(DRUG_VALUES)))):
        item[key] = draw(DRUG_VALUES[key])
    return item


@st.composite
def valid_visits(draw: st.DrawFn) -> dict[str, Any]:
    head: dict[str, Any] = {"date_of_service": draw(st.sampled_from(["2026-11-29", "2023-03-01", "2099-01-01"])),
                            "payer_class": draw(st.sampled_from(["medicare", "commercial", "medicaid"]))}
    if draw(st.booleans()):
        head["facility_type"] = draw(st.sampled_from(["dsh", "grantee", "cah"]))
    if draw(st.booleans()):
        head["place_of_service"] = draw(st.sampled_from(["office", "hospital_outpatient"]))
    if draw(st.booleans()):
        return head | draw(administrations())
    return head | {"administrations": draw(st.lists(administrations(), min_size=1, max_size=4))}


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*path, index))
    return found


@st.composite
def mutated_visits(draw: st.DrawFn) -> Any:
    """A valid visit with one value (or one new key) replaced by anything."""
    body = draw(valid_visits())
    path = draw(st.sampled_from(_paths(body)[1:]))  # the whole input replaced is the "junk" case
    holder = body
    for step in path[:-1]:
        holder = holder[step]
    if isinstance(holder, dict) and draw(st.booleans()):
        holder[draw(any_text)] = draw(anything)
    else:
        holder[path[-1]] = draw(st.one_of(anything, numbers, times))
    return body


@st.composite
def inputs(draw: st.DrawFn) -> bytes:
    shape = draw(st.sampled_from(["valid", "valid", "mutated", "mutated", "junk", "bytes"]))
    if shape == "bytes":
        return draw(st.binary(max_size=80))
    if shape == "junk":
        return json.dumps(draw(anything)).encode()
    body = draw(valid_visits() if shape == "valid" else mutated_visits())
    text = json.dumps(body, ensure_ascii=draw(st.booleans()))  # NaN and Infinity go out as their tokens
    return text.encode("utf-8", "surrogatepass")  # unescaped lone surrogates become bytes that are not UTF-8


def run_calc(raw: bytes, folder: Path) -> tuple[int, str, str]:
    source = folder / "input.json"
    source.write_bytes(raw)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["calc", "--input", str(source)])
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(inputs())
def test_calc_never_shows_a_traceback(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        code, out, err = run_calc(raw, Path(folder))  # an exception here is the traceback a person would see
    if code == 0:
        result = json.loads(out)
        assert set(result) == {"lines", "findings", "explanations", "rule_versions"} and err == ""
        assert all(isinstance(line["units"], int) and line["units"] > 0 for line in result["lines"])
    else:
        assert code == 2 and out == ""
        assert err.startswith("infusion-charge calc: ") and err.count("\n") == 1 and len(err) < 600
