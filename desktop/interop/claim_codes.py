"""Claim codes every export shares: revenue codes, place-of-service codes, code systems and NDC units.

Sources: billing-rules section 8 (revenue codes 0636 / 0335 / 0260 on hospital outpatient claims, none on
office claims); CMS Place of Service code set (11 office, 22 on-campus outpatient hospital); HL7 THO for the
FHIR code systems (HCPCS http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets, NDC
http://hl7.org/fhir/sid/ndc with the 10-digit hyphenated code); UCUM for the NDC quantity units.
"""

from __future__ import annotations

# HL7 v2 table 0396 (coding systems) as FT1-7 / FT1-25 name them.
HL7_CPT = "C4"
HL7_HCPCS = "HCPCS"

# FHIR code systems.
FHIR_HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
FHIR_CPT = "http://www.ama-assn.org/go/cpt"
FHIR_NDC = "http://hl7.org/fhir/sid/ndc"
FHIR_ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
FHIR_NPI = "http://hl7.org/fhir/sid/us-npi"
FHIR_TIN = "urn:oid:2.16.840.1.113883.4.4"  # US employer identification number (IRS)
FHIR_POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
FHIR_REVENUE = "https://www.nubc.org/CodeSystem/RevenueCodes"
FHIR_UCUM = "http://unitsofmeasure.org"
FHIR_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
FHIR_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"

PLACE_OF_SERVICE = {"office": "11", "hospital_outpatient": "22"}
DRUG_REVENUE_CODE = "0636"  # pharmacy: drugs requiring detailed coding
CHEMO_IV_REVENUE_CODE = "0335"  # chemotherapy administration, IV
IV_THERAPY_REVENUE_CODE = "0260"  # IV therapy, general
CHEMO_ADMINISTRATION = range(96401, 96550)  # the chemotherapy and highly complex drug family (section 8)
HYDRATION_AND_THERAPEUTIC = range(96360, 96380)

# The administration codes of billing-rules section 8, as a facility maps them to its charge master.
ADMINISTRATION_CODES = (
    ("96360", "hydration, initial"), ("96361", "hydration, each additional hour"),
    ("96365", "therapeutic infusion, initial"), ("96366", "therapeutic infusion, each additional hour"),
    ("96367", "therapeutic infusion, additional sequential"), ("96368", "therapeutic infusion, concurrent"),
    ("96374", "therapeutic push, initial"), ("96375", "therapeutic push, additional sequential"),
    ("96409", "chemotherapy push, initial"), ("96411", "chemotherapy push, additional"),
    ("96413", "chemotherapy infusion, first hour"), ("96415", "chemotherapy infusion, each additional hour"),
    ("96417", "chemotherapy infusion, additional sequential"),
)

# 837 CTP05-1 unit of the NDC quantity -> UCUM (qty-3: a coded unit carries its system).
NDC_UNIT_UCUM = {"ML": ("mL", "milliliter"), "GR": ("g", "gram"), "ME": ("mg", "milligram"),
                 "F2": ("[iU]", "international unit"), "UN": ("{unit}", "unit")}


def is_cpt(code: str) -> bool:
    """Level I (CPT, five digits such as 96413) rather than a level II HCPCS code such as J9302."""
    return code[:1].isdigit()


def hl7_code_system(code: str) -> str:
    return HL7_CPT if is_cpt(code) else HL7_HCPCS


def fhir_code_system(code: str) -> str:
    return FHIR_CPT if is_cpt(code) else FHIR_HCPCS


def revenue_code(kind: str, hcpcs: str, place_of_service: str) -> str | None:
    """UB-04 revenue code of a line on a hospital outpatient claim; None on office claims or for other codes."""
    if place_of_service != "hospital_outpatient":
        return None
    if kind != "administration":
        return DRUG_REVENUE_CODE
    if not hcpcs.isdigit():
        return None
    number = int(hcpcs)
    if number in CHEMO_ADMINISTRATION:
        return CHEMO_IV_REVENUE_CODE
    if number in HYDRATION_AND_THERAPEUTIC:
        return IV_THERAPY_REVENUE_CODE
    return None


def place_of_service_code(place_of_service: str) -> str:
    return PLACE_OF_SERVICE.get(place_of_service, PLACE_OF_SERVICE["hospital_outpatient"])
