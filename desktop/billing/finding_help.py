"""What each finding code means, one paragraph each, for a docs page or a help view (codes in findings.SEVERITY)."""

from __future__ import annotations

FINDING_HELP: dict[str, str] = {
    "UNKNOWN_HCPCS": "The drug code is not in the catalog, so nothing can be computed for it. Pick the drug from "
    "the catalog, or ask an administrator to add the code with its billing unit and packages.",
    "NO_PACKAGES": "No vial or bag is recorded for the drug. Units given can be counted, but the NDC, the waste "
    "(JW) and the check that given plus discarded matches the labels need the packages opened.",
    "NDC_HCPCS_MISMATCH": "A vial's NDC belongs to another HCPCS code in the catalog (for example a Tecentriq vial "
    "on an ofatumumab J9302 line). Units of the billed drug computed from it would mean nothing, so no drug line "
    "is produced until the vial or the drug is corrected.",
    "NDC_NOT_IN_CATALOG": "The NDC written for a package is not listed in the catalog (or the imported CMS "
    "crosswalk) under the line's code. The line is still computed from the label amount given, but nobody has "
    "checked that this NDC is that drug: compare the vial label with the code, or add the NDC to the catalog.",
    "PACKAGE_EXPIRED": "A vial expired before the date of service. Expired drug must not be given or billed: "
    "check the expiry written, or the vial.",
    "SUBCUTANEOUS_ON_IV_CODE": "A subcutaneous route is recorded on a code for the intravenous product. "
    "Subcutaneous products (e.g. Tecentriq Hybreza, Opdivo Qvantig) have codes of their own.",
    "ROUTE_NOT_ALLOWED": "The route recorded is a known route, but not one the drug's code allows (for example "
    "intramuscular on an IV-only code). Check the route, or the code being billed.",
    "UNKNOWN_ROUTE": "The route written is not in the route vocabulary (HL7 table 0162 names and their usual "
    "spellings, resources/routes.toml). Write it as one of the listed routes.",
    "MIXED_340B_SOURCE": "Some packages of one administration are 340B-acquired and some are not. One line cannot "
    "carry both answers, so record them as two administrations, each with its own amounts.",
    "UNACCOUNTED_DRUG": "Given plus discarded is less than the single-dose labels opened: some drug is not "
    "accounted for. The JW line is computed from the labels but the charge is blocked until the rest is "
    "documented as given or discarded.",
    "NOTHING_ADMINISTERED": "No drug was given, so there is no drug line and no administration code. Save the "
    "record as held with the reason so billing can review the opened vials.",
    "INVALID_INFUSION_TIME": "The infusion minutes, or the start and stop times, give a duration that cannot be "
    "(zero, negative, or more than 24 hours). No administration code is computed from them.",
    "MULTI_DOSE_OVERDRAWN": "More was given than the multiple-dose vials recorded hold. Check the amount given and "
    "add the vials used; billing stops at the label amount.",
    "DUPLICATE_ADMINISTRATION": "The same drug is recorded twice for the same patient and date at overlapping "
    "times (or without times to tell them apart). Remove the repeat, or record it as a split dose with a reason.",
    "DUPLICATE_SERIAL": "The same vial serial number (GS1 AI 21) is recorded twice in one visit: one vial read "
    "twice by the scanner is still one vial.",
    "OVERLAPPING_INFUSIONS": "Two chemotherapy infusions overlap in time. They cannot be billed as concurrent "
    "(only a therapeutic infusion can be, 96368): check the times, or record a mixed bag as one infusion.",
    "DIFFERENT_DATES_OF_SERVICE": "An administration is dated, or started, on another day than its visit. A claim "
    "bills one date of service: record it in the visit of its own date, or correct the time.",
    "NO_ADMINISTRATIONS": "The visit has no drug recorded, so there is nothing to bill: add each drug given in "
    "the visit.",
    "OVERFILL": "Given plus discarded is more than the single-dose labels: overfill was used (or discarded), or a "
    "number is wrong. Billing stops at the label amount; the message says whether the amount given or the "
    "amount discarded is too large.",
    "LEAST_WASTE": "The vials opened waste more than the best combination of the catalog's package sizes. "
    "Contractors may deny waste beyond the least-waste combination.",
    "MIXED_DOSE_TYPES": "Single-dose and multiple-dose packages are mixed in one administration, so the waste of "
    "the single-dose vials cannot be separated and no JW line is billed.",
    "MUE_EXCEEDED": "The units of one code on the date of service (JW lines included) exceed the Medically "
    "Unlikely Edit published by CMS for the setting (practitioner or outpatient hospital). The line may be "
    "denied without supporting documentation.",
    "DOSE_BELOW_ORDER": "Less was given than ordered (beyond 1%). Document why, for example a stopped infusion; "
    "payers may expect a modifier on the administration line.",
    "DOSE_ABOVE_ORDER": "More was given than ordered (beyond 1%). Check the amounts or document the changed order.",
    "NDC_MISSING": "A package has no NDC, so the claim line goes without NDC data (837P loop 2410), which many "
    "payers require.",
    "DATE_OF_SERVICE_IN_FUTURE": "The date of service is after today. A charge is billed after the drug is given: "
    "check the date.",
    "FREE_DRUG": "The drug came free from a manufacturer program: it is not billed, its administration is.",
    "NO_340B_MODIFIER": "The drug is 340B-acquired, but no row of the 340B table applies to this facility type on "
    "this date, so the line carries no JG or TB.",
    "CATALOG_UNVERIFIED": "The catalog entry for the package is marked not verified against a primary source. "
    "Compare it with the vial label.",
    "MULTI_DOSE_LEFTOVER": "Drug left in a multiple-dose vial is not waste and is never billed with JW.",
    "NO_INFUSION_TIME": "Start and stop times (or minutes) are missing, so the administration code for this drug "
    "is not computed.",
    "SPLIT_DOSE": "The same drug is given again in a visit and a person recorded why (a split dose). The reason is "
    "kept with the charge; no second administration code is billed for the same drug.",
}
