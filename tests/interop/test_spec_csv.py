"""The CSV against the interface specification, column by column (read back with the csv module)."""

from __future__ import annotations

import csv
import io

import pytest

from desktop.interop.csv_export import COLUMNS, to_csv
from tests.interop.samples import HEADER, VISITS
from tests.interop.spec import EMPTY, Row, spec_rows

ROWS = spec_rows("csv")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    text = to_csv(HEADER, VISITS)
    assert text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_each_column_as_specified(rows: list[dict[str, str]], row: Row) -> None:
    charge, reversal = rows[0], next(r for r in rows if r["record_type"] == "reversal")
    for read, example in ((charge, row.charge), (reversal, row.reversal)):
        assert read[row.name] == ("" if example == EMPTY else example), read["transaction_id"]


def test_every_column_is_specified_in_order() -> None:
    assert [row.name for row in ROWS] == list(COLUMNS)


def test_one_row_per_transaction_reversals_before_the_replacement(rows: list[dict[str, str]]) -> None:
    assert [(r["visit_id"], r["record_type"], r["transaction_id"], r["reverses_transaction_id"]) for r in rows] == [
        ("7", "charge", "1001", ""), ("7", "charge", "1002", ""), ("7", "charge", "1003", ""),
        ("5", "reversal", "1004", "900"), ("5", "reversal", "1005", "901"), ("5", "charge", "1006", ""),
        ("5", "charge", "1007", ""),
    ]
    assert all(int(r["units"]) > 0 for r in rows), "a reversal says so by its type, never by a negative quantity"
