"""The guide window: the shipped Markdown pages in a browser that opens at a paragraph, and links to it."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence, QTextCharFormat, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QTextBrowser, QVBoxLayout, QWidget

from desktop.ui.help.pages import FINDINGS_PAGE, GUIDE_PAGES, INDEX_PAGE, finding_anchor, guide_folder, heading_anchor
from desktop.ui.widgets import button, named

WIDEST_IMAGE_PX = 1000  # screenshots are taken at 1366 px: shown smaller so the text beside them stays readable


def page_url(page: str, anchor: str = "") -> QUrl:
    url = QUrl.fromLocalFile(str(guide_folder() / page))
    if anchor:
        url.setFragment(anchor)
    return url


class GuideBrowser(QTextBrowser):
    """Shows a guide page; each heading is an anchor, so a link or a caller can open a page at any paragraph."""

    def __init__(self) -> None:
        super().__init__()
        named(self, "guide_browser", "User guide page")
        self.setOpenExternalLinks(True)  # a source on the web opens in the system's browser

    def doSetSource(self, name: QUrl | str,
                    kind: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource) -> None:
        name = QUrl(name)  # Qt passes a QUrl; the binding's signature allows a string too
        super().doSetSource(name, kind)
        # Qt's Markdown reader gives headings no anchors and images their full size: add both, then go to
        # the paragraph asked for (Qt looked for it before the anchors existed).
        self._anchor_headings()
        self._fit_images()
        if name.fragment():
            self.scrollToAnchor(name.fragment())

    def anchors(self) -> list[str]:
        """Every anchor of the page shown, in order."""
        found: list[str] = []
        block = self.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                found += fragments.fragment().charFormat().anchorNames()
                fragments += 1
            block = block.next()
        return found

    def _anchor_headings(self) -> None:
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0 and block.text().strip():
                cursor = QTextCursor(block)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                anchor = QTextCharFormat()
                anchor.setAnchor(True)
                anchor.setAnchorNames([heading_anchor(block.text())])
                cursor.mergeCharFormat(anchor)
            block = block.next()

    def _fit_images(self) -> None:
        document = self.document()
        block = document.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                fragments += 1
                image_format = fragment.charFormat().toImageFormat()
                if not image_format.isValid() or image_format.width() > 0:
                    continue
                image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(image_format.name()))
                width = getattr(image, "width", lambda: 0)()
                if width > 0:  # an image without a size in its format is not drawn, nor the text after it
                    shown = min(width, WIDEST_IMAGE_PX)
                    fitted = QTextImageFormat(image_format)
                    fitted.setWidth(shown)
                    fitted.setHeight(image.height() * shown / width)
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(fitted)
            block = block.next()


class GuideWindow(QWidget):
    """The pages on the left, the page on the right, and back / forward / contents above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        named(self, "guide_window", "User guide")
        self.setWindowTitle("Infusion Charge Capture: user guide")
        self.browser = GuideBrowser()
        self.pages = named(QListWidget(), "guide_pages", "Guide pages")
        for page in GUIDE_PAGES:
            self.pages.addItem(page.title.replace("&", ""))
        self.pages.setFixedWidth(260)
        self.pages.currentRowChanged.connect(self._page_chosen)
        self.back_button = button("\u2190 &Back", "guide_back", "Back to the page before")
        self.forward_button = button("&Forward \u2192", "guide_forward", "Forward again")
        self.contents_button = button("&Contents", "guide_contents", "The guide's contents")
        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.contents_button.clicked.connect(lambda: self.open(INDEX_PAGE))
        self.back_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.forward_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.browser.sourceChanged.connect(self._source_changed)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)

        actions = QHBoxLayout()
        for widget in (self.back_button, self.forward_button, self.contents_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(actions)
        right.addWidget(self.browser, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addLayout(right, 1)
        self.resize(1200, 760)

    def open(self, page: str, anchor: str = "") -> None:
        """Show `page` (a file of resources/docs) at the heading whose anchor is `anchor`."""
        self.browser.setSource(page_url(page, anchor))

    def _page_chosen(self, row: int) -> None:
        if 0 <= row < len(GUIDE_PAGES) and self._row_of(self.browser.source()) != row:
            self.open(GUIDE_PAGES[row].file)

    def _source_changed(self, url: QUrl) -> None:
        row = self._row_of(url)
        if row is not None and row != self.pages.currentRow():
            self.pages.blockSignals(True)  # only mark the page shown; choosing it again would reload it
            self.pages.setCurrentRow(row)
            self.pages.blockSignals(False)

    @staticmethod
    def _row_of(url: QUrl) -> int | None:
        name = url.fileName()
        return next((row for row, page in enumerate(GUIDE_PAGES) if page.file == name), None)


_window: GuideWindow | None = None


def open_guide() -> GuideWindow | None:
    """The guide window if one is open."""
    return _window if _window is not None and shiboken6.isValid(_window) and _window.isVisible() else None


def show_guide(page: str = INDEX_PAGE, anchor: str = "", parent: QWidget | None = None) -> GuideWindow:
    """Open (or bring back) the one guide window at `page` and `anchor`."""
    global _window
    if _window is None or not shiboken6.isValid(_window):
        _window = GuideWindow(parent)
    _window.show()  # first: the page is laid out at the window's real size, so the anchor stays in view
    _window.raise_()
    _window.activateWindow()
    _window.open(page, anchor)
    return _window


def explain_link(code: str) -> QLabel:
    """"What does this mean?" beside a finding: opens the guide at the paragraph about `code`."""
    anchor = finding_anchor(code)
    label = named(QLabel(f'<a href="{FINDINGS_PAGE}#{anchor}">What does this mean?</a>'), f"explain_{code}",
                  f"What does {code} mean? Opens the user guide")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)  # reachable by Tab and Enter
    label.linkActivated.connect(lambda _href: show_guide(FINDINGS_PAGE, anchor, label.window()))
    return label
