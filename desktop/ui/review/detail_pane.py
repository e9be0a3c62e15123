"""The chosen visit in full, and what can be done to one of its drugs: void, void and replace, correct in entry."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop.facade.review_types import AdministrationDetail, ChargeState, VisitDetail
from desktop.ui.review.visit_html import STATE_LABELS, documented_rows, drug_html, facts_table, visit_html
from desktop.ui.widgets import button, named


def detail_html(detail: AdministrationDetail) -> str:
    """One drug of a visit as the visit's pane shows it, under its visit's documented facts."""
    return (f"<h2>Visit #{detail.visit_id}</h2>" + facts_table(documented_rows(detail.visit))
            + drug_html(1, detail))


class DetailPane(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("review_detail")
        self.visit: VisitDetail | None = None
        self.back_button = button("\u2190 &Back to the queue (Esc)", "review_back", "Back to the queue")
        self.browser = named(QTextBrowser(), "review_detail_text", "Chosen visit in full")
        self.browser.setOpenLinks(False)
        self.drug = named(QComboBox(), "review_drug_choice", "Drug of the visit to act on")
        self.drug.setMinimumContentsLength(12)
        self.drug.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        # Short words beside the drug they act on; the accessible names say them in full.
        self.void_drug_button = button("Voi&d\u2026", "review_void_drug", "Void the chosen drug with a reason")
        self.replace_button = button("Void and re&place\u2026", "review_void_replace",
                                     "Void the chosen drug and record it again with the current rules")
        self.correct_button = button("&Correct in entry\u2026", "review_correct",
                                     "Open the chosen drug in the entry form to correct it")
        self.drug_buttons = (self.void_drug_button, self.replace_button, self.correct_button)
        self.caption = QLabel("D&rug of the visit:")
        self.caption.setBuddy(self.drug)
        self.drug_actions = QGridLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 1)
        layout.addLayout(self.drug_actions)
        self.set_full_page(False)
        self.show_message("Choose a row to see the visit: its drugs, lines, findings, codes and history.")

    def set_full_page(self, full: bool) -> None:
        """Beside the queue: the drug and its actions on three short rows. Alone on a narrow page: two rows, with
        the way back to the queue first."""
        if getattr(self, "full_page", None) is full:
            return
        self.full_page = full
        grid = self.drug_actions
        for widget in (self.back_button, self.caption, self.drug, *self.drug_buttons):
            grid.removeWidget(widget)
        for column in range(4):
            grid.setColumnStretch(column, 0)
        if full:
            grid.addWidget(self.back_button, 0, 0)
            grid.addWidget(self.caption, 0, 1)
            grid.addWidget(self.drug, 0, 2, 1, 2)
            for column, widget in enumerate(self.drug_buttons):
                grid.addWidget(widget, 1, column + 1)
            grid.setColumnStretch(3, 1)
        else:
            grid.addWidget(self.caption, 0, 0)
            grid.addWidget(self.drug, 0, 1)
            for index, widget in enumerate(self.drug_buttons):  # two a row: the queue beside it keeps its columns
                grid.addWidget(widget, 1 + index // 2, index % 2)
            grid.setColumnStretch(1, 1)
        self.back_button.setVisible(full)

    def show_visit(self, visit: VisitDetail) -> None:
        self.visit = visit
        self.browser.setHtml(visit_html(visit))
        chosen = self.drug.currentData()
        self.drug.blockSignals(True)
        self.drug.clear()
        for number, drug in enumerate(visit.administrations, start=1):
            self.drug.addItem(f"{number}. {drug.administration.hcpcs} #{drug.id} ({STATE_LABELS[drug.state]})",
                              drug.id)
        live = [i for i, d in enumerate(visit.administrations) if d.state is not ChargeState.VOIDED]
        ids = [d.id for d in visit.administrations]
        self.drug.setCurrentIndex(ids.index(chosen) if chosen in ids else (live[0] if live else 0))
        self.drug.blockSignals(False)
        self.drug.setEnabled(True)

    def chosen_drug(self) -> AdministrationDetail | None:
        if self.visit is None:
            return None
        wanted = self.drug.currentData()
        return next((d for d in self.visit.administrations if d.id == wanted), None)

    def show_message(self, text: str) -> None:
        self.visit = None
        self.browser.setHtml(f"<p>{escape(text)}</p>")
        self.drug.clear()
        self.drug.setEnabled(False)
