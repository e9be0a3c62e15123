"""The example run of the interface specification (resources/docs/interfaces.md): built here, written by each
exporter, and compared with the specification's examples field by field.

Run 42 sends two visits: visit 7 (three charges: J9302 given, J9302 waste with JW, 96413) and visit 5, whose
J9302 was corrected (reversals of the charges 900 and 901 sent before, then the replacement's charges).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from desktop.interop.export_model import (
    ExportLine,
    PatientRecord,
    Provider,
    Purpose,
    RunHeader,
    Sender,
    Transaction,
    TransactionKind,
    VisitExport,
)

UTC = dt.UTC
CREATED = dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SENDER = Sender(
    facility_name="Riverside Infusion Center", npi="1234567893", tin="123456789", hl7_facility="RIVERSIDE",
    receiving_application="HB_BILLING", receiving_facility="RIVERSIDE_HOSP", mrn_authority="RIVERSIDE_MRN",
    rendering_provider=Provider("Maya Chen", "1245319599"),
)
ORDERING = Provider("Ravi Patel", "1987654328")
START, STOP = dt.datetime(2026, 11, 29, 14, 0, tzinfo=UTC), dt.datetime(2026, 11, 29, 15, 30, tzinfo=UTC)
POSTED = dt.datetime(2026, 11, 30, 16, 20, tzinfo=UTC)
TIMES_5 = {"infusion_start": dt.datetime(2026, 11, 28, 15, 0, tzinfo=UTC),
           "infusion_stop": dt.datetime(2026, 11, 28, 16, 0, tzinfo=UTC)}
CORRECTED = dt.datetime(2026, 11, 30, 17, 5, tzinfo=UTC)


def _j9302(number: int, kind: str, units: int, modifiers: tuple[str, ...], quantity: str,
           **more: object) -> ExportLine:
    values: dict[str, object] = {
        "visit_line_number": number, "kind": kind, "hcpcs": "J9302", "units": units, "modifiers": modifiers,
        "administration_id": 31, "ndc11": "00078066913", "ndc10": "0078-0669-13", "ndc_qualifier": "N4",
        "ndc_unit": "ML", "ndc_quantity": Decimal(quantity), "lots": ("OF1",), "expiries": (dt.date(2027, 5, 31),),
        "infusion_start": START, "infusion_stop": STOP, "revenue_code": "0636", "cdm": "25093020",
        "unit_price": Decimal("110.00"),
    }
    values.update(more)
    return ExportLine(**values)  # type: ignore[arg-type]


def _code(number: int, drug: int, **more: object) -> ExportLine:
    values: dict[str, object] = {
        "visit_line_number": number, "kind": "administration", "hcpcs": "96413", "units": 1, "administration_id": drug,
        "infusion_start": START, "infusion_stop": STOP, "revenue_code": "0335", "unit_price": Decimal("350.00"),
    }
    values.update(more)
    return ExportLine(**values)  # type: ignore[arg-type]


VISIT_7 = VisitExport(
    visit_id=7, date_of_service=dt.date(2026, 11, 29), place_of_service="hospital_outpatient",
    patient=PatientRecord("MRN302", "Ann Ofa", dt.date(1958, 4, 12), "F"), payer="Medicare Part B",
    payer_class="medicare", diagnosis_codes=("C34.90", "Z51.11"), prior_authorization=None, ordering_provider=ORDERING,
    nurse="Rosa Alvarez", chair="Chair 3",
    transactions=(
        Transaction(TransactionKind.CHARGE, _j9302(1, "administered", 28, ("TB",), "13.75"), 1001, None, POSTED,
                    "biller"),
        Transaction(TransactionKind.CHARGE, _j9302(2, "discarded", 2, ("JW", "TB"), "1.25"), 1002, None, POSTED,
                    "biller"),
        Transaction(TransactionKind.CHARGE, _code(3, 31), 1003, None, POSTED, "biller"),
    ),
)
REASON = "Dose entered as 300 mg; 275 mg given"
VISIT_5 = VisitExport(
    visit_id=5, date_of_service=dt.date(2026, 11, 28), place_of_service="hospital_outpatient",
    patient=PatientRecord("MRN288", "Bo Ruiz", dt.date(1961, 9, 3), "M"), payer="Blue Cross PPO",
    payer_class="commercial", diagnosis_codes=("C50.911",), prior_authorization="PA-55120", ordering_provider=ORDERING,
    nurse="Sam Lee", chair=None,
    transactions=(
        Transaction(TransactionKind.REVERSAL, _j9302(1, "administered", 30, (), "15", administration_id=24,
                                                     lots=("OF7",), expiries=(dt.date(2027, 3, 31),), **TIMES_5),
                    1004, 900, CORRECTED, "rn.lee", REASON),
        Transaction(TransactionKind.REVERSAL, _code(2, 24, **TIMES_5), 1005, 901, CORRECTED, "rn.lee", REASON),
        Transaction(TransactionKind.CHARGE, _j9302(1, "administered", 28, (), "13.75", administration_id=25,
                                                   lots=("OF7",), expiries=(dt.date(2027, 3, 31),), **TIMES_5),
                    1006, None, CORRECTED, "rn.lee"),
        Transaction(TransactionKind.CHARGE, _code(2, 25, **TIMES_5), 1007, None, CORRECTED, "rn.lee"),
    ),
)
VISITS = (VISIT_7, VISIT_5)
HEADER = RunHeader(run_id=42, purpose=Purpose.BILLING, created_at=CREATED, created_by="biller", sender=SENDER)
