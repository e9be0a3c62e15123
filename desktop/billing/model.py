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


class DrugFamily(StrEnum):
    """The administration-code family of a drug (billing-rules section 8), highest rank first."""

    CHEMO = "chemo"  # chemotherapy and highly complex drugs/biologics: 96401-96417
    THERAPEUTIC = "therapeutic"  # therapeutic, prophylactic, diagnostic: 96365-96379
    HYDRATION = "hydration"  # 96360-96361


class PlaceOfService(StrEnum):
    """Where the visit is billed from: a hospital outpatient department (POS 22) or an office (POS 11)."""

    HOSPITAL_OUTPATIENT = "hospital_outpatient"
    OFFICE = "office"

    @property
    def cms_code(self) -> str:
        return "22" if self is PlaceOfService.HOSPITAL_OUTPATIENT else "11"


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
    serial: str | None = None  # GS1 AI (21) of the vial scanned (then count is 1)

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
    infusion_start: dt.datetime | None = None  # timezone-aware
    infusion_stop: dt.datetime | None = None
    split_dose_reason: str | None = None  # a person said this repeat of the same drug is a split dose


@dataclass(frozen=True, slots=True)
class Visit:
    """One patient, one date, one place: the administrations billed together on one claim."""

    date_of_service: dt.date
    payer_class: PayerClass
    facility_type: FacilityType
    administrations: tuple[Administration, ...]
    place_of_service: PlaceOfService = PlaceOfService.HOSPITAL_OUTPATIENT


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a person must know about a charge, in words a nurse understands."""

    code: str
    severity: Severity
    message: str
    administration: int | None = None  # index in the visit; None: the visit as a whole
    field: str | None = None  # the input the finding is about, e.g. "infusion_start"


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
    administration: int | None = None  # index in the visit of the administration the line bills


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
