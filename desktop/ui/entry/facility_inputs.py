"""The facility's inputs to the chair form (rules and catalog, 340B type and default answer, time zone): read off
the GUI thread once per form and per patient, never per keystroke."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from desktop.billing.catalog import Catalog
from desktop.facade.chair_types import ChargeForm, Stock340b, workstation_time_zone
from desktop.ui.worker import BackgroundQuery

if TYPE_CHECKING:
    from desktop.facade import AppFacade
    from desktop.facade.chair_types import EngineInputs


class FacilityInputs(QObject):
    """What the recording service will compute with (facility overrides, newest catalog, 340B type, time zone);
    until it arrives, the rules the store was opened with and this workstation's zone."""

    arrived = Signal()
    failed = Signal(str)  # the words to show: the preview goes on with what it had

    def __init__(self, parent: QObject, facade: Callable[[], AppFacade]) -> None:
        super().__init__(parent)
        self.facade = facade
        self.inputs: EngineInputs | None = None
        self.query = BackgroundQuery(self)

    @property
    def catalog(self) -> Catalog:
        return self.inputs.rules.catalog if self.inputs is not None else self.facade().chair.rules.catalog

    @property
    def zone(self) -> ZoneInfo:
        return self.inputs.zone if self.inputs is not None else ZoneInfo(workstation_time_zone())

    @property
    def stock(self) -> Stock340b:
        return self.inputs.stock_340b if self.inputs is not None else Stock340b.ASK

    def now(self) -> dt.datetime:
        """The facility's clock (its zone, whatever this workstation is set to)."""
        return dt.datetime.now(self.zone)

    def at_facility(self, charge: ChargeForm) -> ChargeForm:
        """The form with the facility's 340B type, as the recording service will store it."""
        wanted = self.inputs.facility_type if self.inputs else None
        return charge if wanted is None or wanted is charge.facility_type else replace(charge, facility_type=wanted)

    def load(self) -> None:
        self.query.run(self.facade().chair.engine_inputs, self._arrived, self._failed)

    def _arrived(self, inputs: EngineInputs) -> None:
        self.inputs = inputs
        self.arrived.emit()

    def _failed(self, exc: Exception) -> None:
        kept = "the rules read earlier" if self.inputs else "the shipped rules"
        self.failed.emit(f"\u26a0 The facility settings could not be read ({exc}); the preview uses {kept}.")
