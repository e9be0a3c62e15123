"""The visit at the chair: the drugs already saved in today's visit with their state, so the drug just saved
stays in view while the next one is entered."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.facade.chair_types import AdministrationDetail, ChargeState, VisitDetail
from desktop.ui.widgets import hint

STATE_WORDS = {
    ChargeState.RECORDED: "recorded", ChargeState.HELD: "HELD", ChargeState.VERIFIED: "verified",
    ChargeState.POSTED: "posted", ChargeState.VOIDED: "voided",
}


def _mg(value: Decimal) -> str:
    return f"{value.normalize():f}"


def drug_line(number: int, drug: AdministrationDetail, name: str, zone: ZoneInfo) -> str:
    adm = drug.administration
    times = ""
    if adm.infusion_start and adm.infusion_stop:
        times = f", {adm.infusion_start.astimezone(zone):%H:%M}\u2013{adm.infusion_stop.astimezone(zone):%H:%M}"
    state = STATE_WORDS.get(drug.state, drug.state.value)
    text = f"{number}. {name} {_mg(adm.administered_mg)} mg{times} \u2014 {state}"
    return f"<s>{text}</s>" if drug.state is ChargeState.VOIDED else text


class VisitDrugsPanel(QWidget):
    """Empty (hidden) until the patient has a visit today; then one line per drug in entry order."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("visit_drugs")
        self.setAccessibleName("Drugs saved in this visit")
        self.title = QLabel("")
        self.title.setObjectName("visit_drugs_title")
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.list = hint("")
        self.list.setObjectName("visit_drugs_list")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self.lines: list[str] = []
        self.setVisible(False)

    def show_visit(self, visit: VisitDetail | None, names: list[str], zone: ZoneInfo) -> None:
        if visit is None or not visit.administrations:
            self.lines = []
            self.setVisible(False)
            return
        self.lines = [drug_line(n, drug, names[n - 1] if n <= len(names) else drug.administration.hcpcs, zone)
                      for n, drug in enumerate(visit.administrations, start=1)]
        self.title.setText(f"Visit #{visit.id}, {visit.date_of_service:%m/%d/%Y}: "
                           f"{len(visit.active)} drug{'s' if len(visit.active) != 1 else ''} saved")
        self.list.setText("<br>".join(self.lines))
        self.setVisible(True)
