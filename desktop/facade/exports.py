"""Exports for billing systems: HL7 DFT^P03, FHIR ChargeItem, the charge file."""

from __future__ import annotations

from desktop.facade.desk import Desk


class ExportsDoor:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
