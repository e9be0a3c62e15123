"""Help in the application: the menu opens each page, a finding's link opens the guide at its paragraph."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QScrollArea

from desktop.billing.findings import SEVERITY
from desktop.ui.help.pages import FINDINGS_PAGE, GUIDE_PAGES, INDEX_PAGE, finding_anchor, guide_folder
from desktop.ui.help.viewer import WIDEST_IMAGE_PX, GuideWindow, open_guide
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import facade, store, window  # noqa: F401 - the chair window on a real SQLite file
from tests.ui.flows import add_vials, enter_new_patient, pick_drug, type_into

DOCS = guide_folder()


@pytest.fixture
def guide(qtbot: Any) -> GuideWindow:
    opened = GuideWindow()
    qtbot.addWidget(opened)
    opened.show()
    qtbot.waitExposed(opened)
    return opened


def anchor_top(guide: GuideWindow, anchor: str) -> float:
    """Where the heading with `anchor` starts, in the page's coordinates."""
    document = guide.browser.document()
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            if anchor in fragments.fragment().charFormat().anchorNames():
                return document.documentLayout().blockBoundingRect(block).top()
            fragments += 1
        block = block.next()
    raise AssertionError(f"no anchor {anchor}")


def assert_opened_at(guide: GuideWindow, page: str, anchor: str) -> None:
    assert guide.browser.source().fileName() == page
    assert anchor in guide.browser.anchors()
    bar = guide.browser.verticalScrollBar()
    top = anchor_top(guide, anchor)
    # The heading is at the top of the view, unless the page ends before it could scroll that far.
    assert abs(bar.value() - top) < 8 or bar.value() == bar.maximum(), (anchor, bar.value(), top)


@pytest.mark.parametrize("code", sorted(SEVERITY))
def test_the_guide_opens_at_every_finding(code: str, guide: GuideWindow) -> None:
    guide.open(FINDINGS_PAGE, finding_anchor(code))
    assert_opened_at(guide, FINDINGS_PAGE, finding_anchor(code))
    assert code in guide.browser.document().toPlainText()


def test_every_page_loads_with_its_pictures_sized(guide: GuideWindow) -> None:
    for row, page in enumerate(GUIDE_PAGES):
        guide.pages.setCurrentRow(row)
        assert guide.browser.source().fileName() == page.file
        document = guide.browser.document()
        assert len(document.toPlainText()) > 500
        html = document.toHtml()
        images = re.findall(r"<img [^>]*>", html)
        assert len(images) == (DOCS / page.file).read_text(encoding="utf-8").count("](images/")
        for tag in images:
            name = re.search(r'src="([^"]+)"', tag).group(1)  # type: ignore[union-attr]
            image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
            assert image is not None and not image.isNull(), f"{page.file}: {name} did not load"
            # A picture without a size in its format is not drawn, and neither is the text after it.
            width = re.search(r'width="([0-9.]+)"', tag)
            assert width is not None and 0 < float(width.group(1)) <= WIDEST_IMAGE_PX, f"{page.file}: {tag}"


def test_links_between_pages_and_back(qtbot: Any, guide: GuideWindow) -> None:
    guide.open(INDEX_PAGE)
    assert not guide.back_button.isEnabled()
    guide.browser.setSource(QUrl("findings.md"))  # what clicking the link on the contents page does
    assert guide.browser.source().fileName() == FINDINGS_PAGE
    assert guide.pages.currentItem().text() == "Findings explained"
    QTest.mouseClick(guide.back_button, Qt.MouseButton.LeftButton)
    assert guide.browser.source().fileName() == INDEX_PAGE
    QTest.mouseClick(guide.forward_button, Qt.MouseButton.LeftButton)
    assert guide.browser.source().fileName() == FINDINGS_PAGE
    QTest.mouseClick(guide.contents_button, Qt.MouseButton.LeftButton)
    assert guide.browser.source().fileName() == INDEX_PAGE
    for widget in (guide, guide.browser, guide.pages, guide.back_button, guide.forward_button, guide.contents_button):
        assert widget.objectName() and widget.accessibleName()


def test_help_menu_opens_each_page_and_f1_the_contents(qtbot: Any, window: MainWindow) -> None:  # noqa: F811
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    titles = [action.text() for action in help_menu.actions()]
    assert titles == [page.title for page in GUIDE_PAGES] + ["&About"]
    for page in GUIDE_PAGES[1:]:
        next(a for a in help_menu.actions() if a.text() == page.title).trigger()
        shown = open_guide()
        assert shown.isVisible() and shown.browser.source().fileName() == page.file
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F1)
    assert open_guide().browser.source().fileName() == INDEX_PAGE


def test_what_does_this_mean_opens_the_paragraph_of_that_finding(qtbot: Any, window: MainWindow) -> None:  # noqa: F811
    page = window.entry_page
    enter_new_patient(window, "200555", "Okafor, Ben", "07/02/1961")
    type_into(page.visit.diagnoses, "C34.90")
    pick_drug(window, "opdivo")
    add_vials(window, 1, ndc="0003-3734-13", is_340b=False)  # 240 mg for 219 mg: LEAST_WASTE
    type_into(page.amounts.administered, "219")
    page.amounts.discarded.selectAll()
    type_into(page.amounts.discarded, "21")
    codes = [frame.objectName().removeprefix("finding_") for frame in page.preview.finding_frames]
    assert "LEAST_WASTE" in codes
    for code in codes:  # every finding shown has its link
        link = page.findChild(QLabel, f"explain_{code}")
        assert link is not None and link.accessibleName() == f"What does {code} mean? Opens the user guide"
    link = page.findChild(QLabel, "explain_LEAST_WASTE")
    preview = page.findChild(QScrollArea, "preview_scroll")
    assert preview is not None
    preview.ensureWidgetVisible(link)
    QTest.mouseClick(link, Qt.MouseButton.LeftButton, pos=QPoint(12, link.height() // 2))
    shown = open_guide()
    assert shown is not None and shown.isVisible()
    assert_opened_at(shown, FINDINGS_PAGE, "least_waste")
