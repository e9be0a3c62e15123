"""Domain values the billing engine takes in and gives back: immutable, Decimal for mg."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Severity(StrEnum):
    """How a finding affects the charge."""

    ERROR = "error"  # blocks the charge; it can only be saved as held
    WARNING = "warning"  # must be acknowledged, and the acknowledgement is stored
    INFO = "info"  # for the record


class DoseType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"


class PayerClass(StrEnum):
    MEDICARE = "medicare"
    MEDICARE_ADVANTAGE = "medicare_advantage"
    MEDICAID = "medicaid"
    COMMERCIAL = "commercial"
    SELF_PAY = "self_pay"


class FacilityType(StrEnum):
    """340B covered-entity category, which decides JG or TB."""

    DSH = "dsh"
    RURAL_SCH = "rural_sch"
    CHILDRENS = "childrens"
    CANCER = "cancer"
    CAH = "cah"
    GRANTEE = "grantee"
    OTHER = "other"


class LineKind(StrEnum):
    ADMINISTERED = "administered"
    DISCARDED = "discarded"
    ADMINISTRATION = "administration"


@dataclass(frozen=True, slots=True)
class PackageUse:
    """Packages (vials) of one kind opened for an administration.

    `ndc` is None for a package not in the catalog; then `label_mg` and
    `dose_type` come from the person who recorded it.
    """

    label_mg: Decimal
    count: int
    dose_type: DoseType
    acquired_340b: bool
    ndc: str | None = None
    lot: str | None = None
    expiry: dt.date | None = None
    volume_ml: Decimal | None = None
    ndc_unit: str | None = None
    hcpcs: str | None = None  # the code the catalog says this NDC belongs to

    @property
    def total_label_mg(self) -> Decimal:
        return self.label_mg * self.count


@dataclass(frozen=True, slots=True)
class Administration:
    """One drug given to one patient on one date of service, as documented."""

    date_of_service: dt.date
    hcpcs: str
    payer_class: PayerClass
    facility_type: FacilityType
    packages: tuple[PackageUse, ...]
    administered_mg: Decimal
    discarded_mg: Decimal
    infusion_minutes: int | None = None
    free_drug: bool = False
    route: str | None = None
    ordered_dose_mg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a person must know about a charge, in words a nurse understands."""

    code: str
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class NdcDetail:
    """The NDC data a drug line carries on the claim (837P loop 2410)."""

    ndc11: str  # 11 digits, no hyphens
    qualifier: str  # always N4
    unit: str  # UN, ML, GR, F2, ME
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class ClaimLine:
    hcpcs: str
    kind: LineKind
    units: int
    modifiers: tuple[str, ...] = ()
    ndc: NdcDetail | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ChargeResult:
    """What the engine returns for one administration."""

    lines: tuple[ClaimLine, ...]
    findings: tuple[Finding, ...]
    explanations: tuple[str, ...]
    rule_versions: dict[str, str] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)
