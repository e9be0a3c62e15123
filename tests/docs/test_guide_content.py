"""The shipped guide holds together: a paragraph for every finding code, links and pictures that resolve, examples
that work. A finding code added without words fails here, naming the code."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from desktop.billing.findings import SEVERITY
from desktop.billing.model import Severity
from desktop.records.completeness import documentation_items
from desktop.services.facility.catalog_csv import read_catalog_csv
from desktop.ui.help.pages import FINDINGS_PAGE, GUIDE_PAGES, finding_anchor, guide_folder, heading_anchor, headings

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = guide_folder()
PAGES = {path.name: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md"))}
WEIGHT = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Note"}
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def paragraph_after(markdown: str, heading: str) -> str:
    """The first paragraph under a `### heading` line."""
    after = markdown.split(f"\n### {heading}\n", 1)[1]
    return after.strip().split("\n\n", 1)[0]


def test_the_guide_is_where_the_application_looks_for_it() -> None:
    assert DOCS == ROOT / "resources" / "docs"
    assert set(PAGES) == {page.file for page in GUIDE_PAGES}, "every page in the Help menu, every menu entry a page"


def test_every_finding_code_has_a_paragraph_with_its_weight() -> None:
    text = PAGES[FINDINGS_PAGE]
    explained = {heading for heading in headings(text) if re.fullmatch(r"[A-Z0-9_]+", heading)}
    documentation = {item.code for item in documentation_items()}  # weights per payer class, from data
    missing = sorted((set(SEVERITY) | documentation) - explained)
    assert not missing, f"finding codes with no paragraph in resources/docs/{FINDINGS_PAGE}: {missing}"
    unknown = sorted(explained - set(SEVERITY) - documentation)
    assert not unknown, f"paragraphs for codes the engine does not have: {unknown}"
    for code in documentation:
        assert paragraph_after(text, code).startswith("**Documentation.**"), code
    for code, severity in SEVERITY.items():
        words = paragraph_after(text, code)
        assert words.startswith(f"**{WEIGHT[severity]}.**"), f"{code} is a {severity.value}: {words[:40]!r}"
        assert len(words.split()) >= 12, f"{code}: say what it means and what to do"
        assert finding_anchor(code) == code.lower()


def test_every_link_and_picture_resolves() -> None:
    anchors = {name: {heading_anchor(h) for h in headings(text)} for name, text in PAGES.items()}
    for name, text in PAGES.items():
        for target in LINK.findall(text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            file, _, anchor = target.partition("#")
            file = file or name
            assert (DOCS / file).is_file(), f"{name}: {target} leads nowhere"
            if anchor:
                assert anchor in anchors[file], f"{name}: {target}: no heading with that anchor in {file}"


def test_every_picture_is_used_and_was_taken_by_a_test() -> None:
    used = {target.removeprefix("images/") for text in PAGES.values() for target in LINK.findall(text)
            if target.startswith("images/")}
    kept = {path.name for path in (DOCS / "images").glob("*.png")}
    assert used <= kept, f"pictures the guide shows but nobody took: {sorted(used - kept)}"
    assert kept <= used, f"pictures no page shows: {sorted(kept - used)}"
    taken = set(re.findall(r'"([a-z0-9-]+\.png)"', (Path(__file__).parent / "test_guide_screenshots.py").read_text()))
    assert used <= taken, f"pictures no test takes, so they would go stale: {sorted(used - taken)}"


def test_headings_are_unique_on_each_page() -> None:
    for name, text in PAGES.items():
        found = [heading_anchor(h) for h in headings(text)]
        assert len(found) == len(set(found)), name
        assert text.startswith("# "), f"{name} starts with its title"


def test_the_catalog_csv_example_is_a_valid_update() -> None:
    example = PAGES["administrator.md"].split("The CSV file", 1)[1].split("```", 2)[1].strip("\n")
    entries = read_catalog_csv(example + "\n")
    assert entries.problems == ()
    assert [d.hcpcs for d in entries.drugs] == ["J9299"] and [p.ndc for p in entries.packages] == ["0003-3772-11"]


def test_readme_points_to_the_shipped_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in GUIDE_PAGES:
        assert f"(resources/docs/{page.file})" in readme, page.file
    assert "shared documentation" not in readme


def test_the_wheel_and_the_bundle_carry_the_guide() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]["resources"]
    assert "docs/*.md" in package_data and "docs/images/*.png" in package_data
    spec = (ROOT / "packaging" / "infusion_charge.spec").read_text(encoding="utf-8")
    assert 'collect_data_files("resources")' in spec  # every file under resources/, docs/ included
