"""Exporting one busy period (~20,000 visits of the 1,000,000-administration store) in each format, as ratios to
the bare floor of the same output measured in the same run (issue 16):

- CSV: one sqlite3 query of the same claim lines (visit, patient, drug, line, lot, code lines) written with
  csv.writer: what a one-off script would do;
- HL7: the same query, each visit's DFT^P03 built as plain f-strings (no escaping, no checks);
- FHIR: the same query, the same resources built as plain dicts and json.dumps.

The export is the application's: `export_dates(..., state all)` (a preview: read-only but for its run row),
then a billing run of the same dates (recording every transaction) once per format on a fresh copy. CPU
seconds, medians of --repeat runs. A sample of the HL7 messages is validated strictly with hl7apy and a
slice of the FHIR Bundle with fhir.resources after timing, so a fast but wrong export would fail here too.

Run: .venv/bin/python -m benchmarks.bench_export [PATH] [--days 73] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_store_generate import DAYS, FIRST_DAY, generate
from desktop.services import open_store
from desktop.services.billing_exports.exports import ExportFormat, ExportScope, export_dates

DRUG_SQL = (
    "SELECT v.id, v.date_of_service, p.mrn, p.name, p.date_of_birth, p.sex, v.payer, v.payer_class, "
    "v.diagnosis_codes, v.nurse, v.place_of_service, a.id, a.state, a.infusion_start, a.infusion_stop, "
    "c.id, c.hcpcs, c.kind, c.units, c.modifiers, c.ndc_qualifier, c.ndc11, c.ndc_unit, c.ndc_quantity, "
    "o.ndc, o.lot, o.expiry, s.changed_at, s.changed_by "
    "FROM visit v JOIN patient p ON p.id = v.patient_id JOIN administration a ON a.visit_id = v.id "
    "JOIN charge_line c ON c.administration_id = a.id AND c.kind != 'administration' "
    "LEFT JOIN package_opened o ON o.administration_id = a.id "
    "LEFT JOIN state_change s ON s.administration_id = a.id AND s.to_state = 'posted' "
    "WHERE v.date_of_service BETWEEN ? AND ? AND a.state != 'voided' "
    "ORDER BY v.date_of_service, v.id, a.position, c.position"
)
CODE_SQL = (
    "SELECT v.id, l.id, l.hcpcs, l.units, l.modifiers, l.administration_id, s.created_at "
    "FROM visit v JOIN visit_code_set s ON s.visit_id = v.id AND s.revision = v.code_revision "
    "JOIN visit_code_line l ON l.code_set_id = s.id WHERE v.date_of_service BETWEEN ? AND ? ORDER BY v.id, l.position"
)
ENRICHED = "bench_export_enriched"


def enrich(path: Path, start: dt.date, end: dt.date) -> None:
    """Give the period's records what real ones carry: an NDC and a lot per drug, infusion times, the posting
    (a state change), and the visit's administration code (revision 1). Done once, on the generated store."""
    db = sqlite3.connect(path, isolation_level=None)
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (ENRICHED,)).fetchone():
        db.close()
        return
    window = (start.isoformat(), end.isoformat())
    ids = "SELECT a.id FROM administration a JOIN visit v ON v.id = a.visit_id WHERE v.date_of_service BETWEEN ? AND ?"
    db.execute("BEGIN")
    db.execute("DROP TRIGGER IF EXISTS charge_line_no_update")  # a benchmark copy: its lines gain an NDC
    db.execute(f"UPDATE charge_line SET ndc11 = '00003377412', ndc_qualifier = 'N4', ndc_unit = 'ML', "
               f"ndc_quantity = CASE kind WHEN 'administered' THEN '21.9' ELSE '0.1' END "
               f"WHERE administration_id IN ({ids})", window)
    db.execute("CREATE TRIGGER charge_line_no_update BEFORE UPDATE ON charge_line "
               "BEGIN SELECT RAISE(ABORT, 'charge_line is append-only: UPDATE refused'); END")
    db.execute(f"UPDATE administration SET infusion_start = recorded_at, "
               f"infusion_stop = datetime(recorded_at, '+30 minutes') WHERE id IN ({ids})", window)
    db.execute(f"INSERT INTO package_opened (administration_id, position, ndc, lot, expiry, count, label_mg, "
               f"dose_type, acquired_340b, volume_ml, ndc_unit, hcpcs) SELECT id, 0, '0003-3774-12', 'L' || id, "
               f"'2027-01-31', 1, '100', 'single', 0, '10', 'ML', 'J9299' FROM administration WHERE id IN ({ids})",
               window)
    db.execute(f"INSERT INTO state_change (administration_id, from_state, to_state, changed_by, changed_at) "
               f"SELECT id, 'ticket_printed', 'posted', 'biller', recorded_at FROM administration "
               f"WHERE state IN ('posted', 'voided') AND id IN ({ids})", window)
    db.execute("INSERT INTO visit_code_set (visit_id, revision, reason, created_by, created_at) SELECT id, 1, "
               "'generated', 'gen', recorded_at FROM visit WHERE date_of_service BETWEEN ? AND ?", window)
    db.execute("INSERT INTO visit_code_line (code_set_id, position, hcpcs, units, modifiers, reason, "
               "administration_id, rule_versions) SELECT s.id, 0, '96413', 1, '', '', "
               "(SELECT min(a.id) FROM administration a WHERE a.visit_id = s.visit_id), '{}' "  # the visit's first drug
               "FROM visit_code_set s JOIN visit v ON v.id = s.visit_id WHERE v.date_of_service BETWEEN ? AND ?",
               window)
    db.execute("UPDATE visit SET code_revision = 1 WHERE date_of_service BETWEEN ? AND ?", window)
    db.execute(f"CREATE TABLE {ENRICHED} (done INTEGER)")
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()


def bare_rows(raw: sqlite3.Connection, start: dt.date, end: dt.date) -> tuple[list[Any], list[Any]]:
    window = (start.isoformat(), end.isoformat())
    return raw.execute(DRUG_SQL, window).fetchall(), raw.execute(CODE_SQL, window).fetchall()


def bare_csv(raw: sqlite3.Connection, start: dt.date, end: dt.date) -> str:
    drugs, codes = bare_rows(raw, start, end)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(drugs)
    writer.writerows(codes)
    return buffer.getvalue()


def bare_hl7(raw: sqlite3.Connection, start: dt.date, end: dt.date) -> str:
    drugs, codes = bare_rows(raw, start, end)
    code_lines: dict[int, list[Any]] = {}
    for code in codes:
        code_lines.setdefault(code[0], []).append(code)
    out: list[str] = []
    visit_id = None
    n = 0
    for r in drugs:
        if r[0] != visit_id:
            if visit_id is not None:
                out += [f"FT1|{n + i}|{c[1]}||{r[1]}||CG|{c[2]}^^C4|{c[2]}||{c[3]}|||||||||{r[8]}|||||"
                        f"|{c[2]}^^C4" for i, c in enumerate(code_lines.get(visit_id, []), start=1)]
            visit_id, n = r[0], 0
            out += [f"MSH|^~\\&|APP|FAC|RCV|RCVF|20261201080000+0000||DFT^P03^DFT_P03|M{r[0]}|P|2.5.1",
                    "EVN|P03|20261201080000+0000", f"PID|1||{r[2]}^^^FAC^MR||{r[3]}||{r[4]}|{r[5] or 'U'}",
                    f"PV1|1|O||||||||||||||||||{r[0]}^^^FAC^VN|{r[7]}"]
        n += 1
        out.append(f"FT1|{n}|{r[15]}||{r[1]}|{r[27]}|CG|{r[16]}^^HCPCS|{r[16]} {r[17]}||{r[18]}|||||||||{r[8]}"
                   f"|^{r[9]}||||{r[28]}|{r[16]}^^HCPCS|{r[19]}|||{r[21]}^^NDC")
        out.append(f"ZFT|{n}||{r[20]}|{r[21]}|{r[23]}|{r[22]}|0636|22|{r[25]}|{r[26]}|{r[13]}|{r[14]}|{n}")
    return "\r".join(out) + "\r"


def bare_fhir(raw: sqlite3.Connection, start: dt.date, end: dt.date) -> str:
    drugs, codes = bare_rows(raw, start, end)
    entries: list[dict[str, Any]] = []
    visit_id = None
    for r in drugs:
        if r[0] != visit_id:
            visit_id = r[0]
            entries += [
                {"fullUrl": f"urn:uuid:p-{r[2]}", "resource": {"resourceType": "Patient", "identifier": [
                    {"system": "mrn", "value": r[2]}], "name": [{"text": r[3]}], "birthDate": r[4]}},
                {"fullUrl": f"urn:uuid:a-{r[0]}", "resource": {"resourceType": "Account", "status": "active",
                                                               "identifier": [{"value": str(r[0])}]}},
                {"fullUrl": f"urn:uuid:e-{r[0]}", "resource": {"resourceType": "Encounter", "status": "completed",
                                                               "identifier": [{"value": str(r[0])}]}},
            ]
        entries.append({"fullUrl": f"urn:uuid:c-{r[15]}", "resource": {
            "resourceType": "ChargeItem", "identifier": [{"value": str(r[15])}], "status": "billable",
            "code": {"coding": [{"system": "hcpcs", "code": r[16]}]}, "subject": {"reference": f"urn:uuid:p-{r[2]}"},
            "encounter": {"reference": f"urn:uuid:e-{r[0]}"}, "occurrencePeriod": {"start": r[13], "end": r[14]},
            "quantity": {"value": r[18]}, "enteredDate": r[27], "enterer": {"display": r[28]},
            "product": [{"concept": {"coding": [{"system": "ndc", "code": r[24]}]}}],
            "extension": [{"url": "ndc", "valueQuantity": {"value": float(r[23]), "unit": r[22]}}]}})
    for c in codes:
        entries.append({"fullUrl": f"urn:uuid:c-{c[1]}", "resource": {
            "resourceType": "ChargeItem", "status": "billable", "code": {"coding": [{"system": "cpt", "code": c[2]}]},
            "quantity": {"value": c[3]}, "encounter": {"reference": f"urn:uuid:e-{c[0]}"}}})
    return json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}, separators=(",", ":"))


def timed(action: Callable[[], object]) -> tuple[float, Any]:
    """CPU time of this process (SQLite runs in it): on a workstation shared with other work, wall time
    measures the neighbours as much as the export."""
    start = time.process_time()
    value = action()
    return time.process_time() - start, value


def check(fmt: ExportFormat, text: str) -> str:
    """Validate a sample of what was exported, after timing: strictly with hl7apy, with fhir.resources."""
    if fmt is ExportFormat.HL7:
        from tests.interop.spec import read_hl7

        cut = text.index("MSH", 0)
        messages = text[cut:].split("\rMSH")[:200]
        sample = text[:cut] + "\rMSH".join(messages) + "\rBTS|200\rFTS|1\r"
        return f"{len(read_hl7(sample).messages)} messages valid (hl7apy strict)"
    if fmt is ExportFormat.FHIR:
        from fhir.resources.bundle import Bundle

        bundle = json.loads(text)
        bundle["entry"] = bundle["entry"][:800]
        return f"{len(Bundle.model_validate(bundle).entry)} entries valid (fhir.resources R5)"
    return f"{text.count(chr(10)) - 1} rows"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path, nargs="?",
                        default=Path(tempfile.gettempdir()) / "infusion-bench-export-1m.sqlite3")
    parser.add_argument("--administrations", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=73, help="period length (73 days of the 1M store: ~20,000)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    end = FIRST_DAY + dt.timedelta(days=DAYS - 2)
    start = end - dt.timedelta(days=args.days - 1)
    if not args.path.exists():
        generate(args.path, args.administrations)
    enrich(args.path, start, end)
    work = args.path.with_name(args.path.stem + "-work.sqlite3")
    shutil.copyfile(args.path, work)  # billing runs record their transactions: never in the generated store
    store = open_store(f"sqlite:///{work}")
    raw = sqlite3.connect(work)
    bare = {ExportFormat.CSV: bare_csv, ExportFormat.HL7: bare_hl7, ExportFormat.FHIR: bare_fhir}
    print(f"store {args.path.name}: {args.administrations:,} administrations; dates {start} to {end}; "
          f"CPU seconds, median of {args.repeat}")
    for fmt in (ExportFormat.CSV, ExportFormat.HL7, ExportFormat.FHIR):
        floors, ours, text = [], [], ""
        for _ in range(args.repeat):
            floors.append(timed(lambda f=fmt: bare[f](raw, start, end))[0])
            took, result = timed(lambda f=fmt: export_dates(store, f, start, end, ExportScope.ALL, user="bench"))
            ours.append(took)
            text = result.text
        floor, median = statistics.median(floors), statistics.median(ours)
        billing, run = timed(lambda f=fmt: export_dates(store, f, start, end, user="bench"))
        print(f"{fmt.value:4}: {result.run.visit_count:,} visits, {result.run.transaction_count:,} lines; "
              f"bare {floor:.2f} s, export {median:.2f} s: ratio {median / floor:.1f}x; "
              f"billing run (records {run.run.transaction_count:,} transactions) {billing:.2f} s: "
              f"ratio {billing / floor:.1f}x; {len(text) / 2**20:.0f} MiB; {check(fmt, text)}")
    store.close()
    raw.close()
    work.unlink()


if __name__ == "__main__":
    main()
