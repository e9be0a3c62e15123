"""Where the guide's pages are and how their paragraphs are named (no widgets: the tests read these too)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

INDEX_PAGE = "index.md"
FINDINGS_PAGE = "findings.md"


@dataclass(frozen=True)
class GuidePage:
    file: str
    title: str  # as in the Help menu and the guide window's list ("&" marks the menu's access key)
    shortcut: str = ""


# In the order of the Help menu and of the guide window's page list.
GUIDE_PAGES = (
    GuidePage(INDEX_PAGE, "&User guide", "F1"),
    GuidePage("nurse.md", "&Nurse at the chair"),
    GuidePage("charge-entry.md", "&Charge entry"),
    GuidePage("administrator.md", "A&dministrator"),
    GuidePage("admin-security.md", "&Patient data on the workstation"),
    GuidePage("billing-rules.md", "&Billing rules and sources"),
    GuidePage(FINDINGS_PAGE, "&Findings explained"),
    GuidePage("interfaces.md", "&Interfaces for billing systems"),
)

_NOT_IN_ANCHORS = re.compile(r"[^\w\- ]")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


def guide_folder() -> Path:
    """resources/docs, from source, an installed wheel or a frozen bundle alike."""
    return Path(str(resources.files("resources").joinpath("docs")))


def heading_anchor(text: str) -> str:
    """The anchor of a heading, made as GitHub makes it: lower case, punctuation dropped, spaces to hyphens.

    So a link such as `findings.md#overfill` works in the application and on the project's web page alike.
    """
    return _NOT_IN_ANCHORS.sub("", text.strip().lower().replace("`", "")).replace(" ", "-")


def finding_anchor(code: str) -> str:
    """The paragraph that explains a finding code: the heading of findings.md named after the code."""
    return heading_anchor(code)


def headings(markdown: str) -> list[str]:
    """The headings of a Markdown page, in order (fenced code is skipped: a `#` there is no heading)."""
    found: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            found.append(match.group(1))
    return found
