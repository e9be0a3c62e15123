"""Ticket preview dialog: shows rendered ticket PDF bytes, prints them page by page, saves them as a file.

The actions sit in a bar at the top, beside the title, and the dialog is sized to the screen it opens on, so
Print is on screen at once on a 1366 x 768 cart laptop (the pages scroll below it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

# Printers report 600-1200 dpi; a full page as an ARGB image at 1200 dpi is over 500 MB, and tickets
# (text, rules, a barcode with 0.9 pt bars) print sharp at 600.
MAX_PRINT_DPI = 600
BUTTON_HEIGHT = 56  # a gloved finger on a touch screen at the chair
PREFERRED_SIZE = QSize(900, 1000)  # a letter page at a readable width, when the screen has room
SCREEN_MARGIN = 48  # room for the window frame and title bar inside the screen's free area


class TicketPreview(QDialog):
    """Preview of one ticket (or a batch) with Print and Save as PDF; says when either was done."""

    printed = Signal(int)  # pages sent to the printer
    saved = Signal(str)  # path written

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketPreview")
        self.setWindowTitle(title)
        self.setAccessibleName(f"Preview of {title}")
        self._title = title
        self._pdf = pdf
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)  # must outlive the document that reads from it
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setObjectName("ticketPdfView")
        self.view.setAccessibleName("Ticket pages")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        self.page_label = QLabel(self._pages_text(), self)
        self.page_label.setObjectName("ticketPageCount")
        self.page_label.setAccessibleName("Page count")

        self.heading = QLabel(title, self)  # the title bar is easy to miss; "(reprint)" must not be
        self.heading.setObjectName("ticketTitle")
        self.heading.setAccessibleName("Ticket title")
        heading_font = self.heading.font()
        heading_font.setPointSizeF(max(heading_font.pointSizeF(), 15.0))
        heading_font.setBold(True)
        self.heading.setFont(heading_font)

        self.note = QLabel("", self)  # what happened after printing, in words, where the nurse is looking
        self.note.setObjectName("ticketNote")
        self.note.setAccessibleName("Printing result")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        font = self.note.font()
        font.setPointSizeF(max(font.pointSizeF(), 13.0))
        font.setBold(True)
        self.note.setFont(font)

        self.print_button = self._button("ticketPrintButton", "&Print…", "Print ticket")
        self.save_button = self._button("ticketSaveButton", "&Save as PDF…", "Save ticket as PDF")
        self.close_button = self._button("ticketCloseButton", "&Close", "Close preview")
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)
        self.print_button.setDefault(True)

        bar = QHBoxLayout()  # the actions first, where they are seen without scrolling
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.page_label)
        bar.addLayout(titles, 1)
        for button in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        self.fit_to(screen.availableGeometry() if screen is not None else QRect(QPoint(0, 0), PREFERRED_SIZE))

    def fit_to(self, available: QRect) -> None:
        """Take the preferred size, or less to fit inside `available` (a screen's free area), and sit inside it."""
        width = min(PREFERRED_SIZE.width(), available.width() - SCREEN_MARGIN)
        height = min(PREFERRED_SIZE.height(), available.height() - SCREEN_MARGIN)
        self.resize(max(width, 480), max(height, 360))
        self.move(available.left() + (available.width() - self.width()) // 2,
                  available.top() + max((available.height() - self.height() - SCREEN_MARGIN) // 2, 0))

    def _button(self, name: str, label: str, accessible: str) -> QPushButton:
        button = QPushButton(label, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setMinimumSize(QSize(160, BUTTON_HEIGHT))
        font = button.font()
        font.setPointSizeF(max(font.pointSizeF(), 13.0))
        button.setFont(font)
        return button

    def _pages_text(self) -> str:
        count = self.document.pageCount()
        return f"{count} page" + ("" if count == 1 else "s")

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    @property
    def pdf(self) -> bytes:
        return self._pdf

    def print_pdf(self, printer: QPrinter | None = None) -> bool:
        """Ask with the standard print dialog, then print every page as an image at printer resolution."""
        if not isinstance(printer, QPrinter):  # clicked(bool) passes a bool
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._title)
        printer.setFullPage(True)  # the ticket carries its own margins
        if self.document.pageCount():
            size = self.document.pagePointSize(0)
            printer.setPageSize(QPageSize(size, QPageSize.Unit.Point, self._title))
            printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("ticketPrintDialog")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        pages = self._paint_pages(printer)
        if pages:
            self.printed.emit(pages)
        return pages > 0

    def _paint_pages(self, printer: QPrinter) -> int:
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                points: QSizeF = self.document.pagePointSize(page)
                pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                image = self.document.render(page, pixels)
                target = _fit(printer.paperRect(QPrinter.Unit.DevicePixel).toRect(), pixels)
                painter.drawImage(target, image)
        finally:
            painter.end()
        return self.document.pageCount()

    def save_pdf(self, path: str | Path | None = None) -> str | None:
        """Write the PDF bytes, to `path` or where the person chooses; returns the path or None."""
        if not isinstance(path, str | Path) or not str(path):
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save ticket as PDF", f"{self._title}.pdf", "PDF files (*.pdf)"
            )
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        from desktop.facade.workstation import save_private

        save_private(target, self._pdf)  # a ticket names the patient: 0600
        self.saved.emit(str(target))
        return str(target)


def _fit(paper: QRect, image: QSize) -> QRect:
    """The largest rectangle of the image's shape centred on the paper."""
    scaled = image.scaled(paper.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = paper.left() + (paper.width() - scaled.width()) // 2
    top = paper.top() + (paper.height() - scaled.height()) // 2
    return QRect(left, top, scaled.width(), scaled.height())
