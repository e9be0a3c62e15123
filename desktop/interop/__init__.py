"""Exports and imports: CSV, HL7 v2, FHIR, GS1 scans."""
