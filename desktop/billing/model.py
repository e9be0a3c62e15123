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
    """Billing-rules §8: which administration codes a drug's administration takes, in rank order."""

    CHEMO = "chemo"  # chemotherapy and highly complex drugs/biologics: 96401-96417
    THERAPEUTIC = "therapeutic"  # therapeutic, prophylactic, diagnostic injections and infusions: 96365-96379
    HYDRATION = "hydration"  # 96360-96361

    @property
    def rank(self) -> int:
        """0 outranks 1 outranks 2: the visit's initial service goes to the best rank."""
        return _FAMILY_RANK[self]

    @property
    def words(self) -> str:
        return _FAMILY_WORDS[self]


_FAMILY_RANK = {DrugFamily.CHEMO: 0, DrugFamily.THERAPEUTIC: 1, DrugFamily.HYDRATION: 2}
_FAMILY_WORDS = {DrugFamily.CHEMO: "chemotherapy", DrugFamily.THERAPEUTIC: "therapeutic",
                 DrugFamily.HYDRATION: "hydration"}


class PlaceOfService(StrEnum):
    """Where the visit is billed from: a facility setting (billing-rules §8)."""

    HOSPITAL_OUTPATIENT = "hospital_outpatient"  # POS 22, UB-04 / 837I, revenue codes
    OFFICE = "office"  # POS 11, CMS-1500 / 837P, no revenue codes

    @property
    def cms_code(self) -> str:
        """The CMS place-of-service code."""
        return "22" if self is PlaceOfService.HOSPITAL_OUTPATIENT else "11"

    @property
    def words(self) -> str:
        return "hospital outpatient" if self is PlaceOfService.HOSPITAL_OUTPATIENT else "physician office"


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
    serial: str | None = None  # GS1 AI (21): one physical vial, so the same serial twice is one vial read twice

    @property
    def total_label_mg(self) -> Decimal:
        return self.label_mg * self.count


@dataclass(frozen=True, slots=True)
class Administration:
    """One drug given to one patient on one date of service, as documented.

    Amounts (`administered_mg`, `discarded_mg`, `ordered_dose_mg`, package labels) are in the drug's
    unit of measure (`Drug.measure`): mg for most drugs, mcg for palonosetron, mL for saline.
    """

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
    # Timezone-aware; minutes are real elapsed minutes (a DST change counts as it happened). When
    # `infusion_minutes` is None and both are given, the minutes come from these times.
    infusion_start: dt.datetime | None = None
    infusion_stop: dt.datetime | None = None
    split_dose_reason: str | None = None  # a person said this repeat of the same drug is a split dose
    carrier: bool = False  # a bag that only carries another drug: never billed as hydration (§8)

    @property
    def minutes(self) -> int | None:
        """Documented minutes: `infusion_minutes`, else real elapsed minutes from start to stop."""
        if self.infusion_minutes is not None:
            return self.infusion_minutes
        if self.infusion_start is None or self.infusion_stop is None:
            return None
        return elapsed_minutes(self.infusion_start, self.infusion_stop)


def elapsed_minutes(start: dt.datetime, stop: dt.datetime) -> int:
    """Whole minutes actually elapsed, whatever the offsets (never converts: year 1 at +14:00 cannot overflow)."""
    start_offset = start.utcoffset() or dt.timedelta(0)
    stop_offset = stop.utcoffset() or dt.timedelta(0)
    naive = stop.replace(tzinfo=None) - start.replace(tzinfo=None)
    return int((naive - (stop_offset - start_offset)).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class Visit:
    """One patient's encounter on one date at one place: what a claim bills (billing-rules §8)."""

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
    administration: int | None = None  # index in the visit; None = the visit as a whole
    field: str | None = None  # the input it is about: "infusion_start", "packages[0].lot", ...


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
    administration: int | None = None  # index in the visit of the drug this line bills or administers


@dataclass(frozen=True, slots=True)
class ChargeResult:
    """What the engine returns for a visit (or one administration, a visit of one)."""

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
