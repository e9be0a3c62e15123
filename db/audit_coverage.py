"""Which rows the audit chain proves, and each row as canonical JSON built from its mapped columns.

Coverage is generic: every table of the models is covered unless `NOT_COVERED` names it (with the reason),
so a new table or column is in the audited snapshot without any change here.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, Table, column, select, tuple_
from sqlalchemy import table as sql_table
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnClause, TableClause

from db.models import Base

# The one list: tables left out of the snapshot, and why. Everything else in the models is covered.
NOT_COVERED: Mapping[str, str] = {
    "audit_event": "the chain itself: each event is proven by its keyed hash and its link",
    "audit_head": "the chain's own head: checked against the last event and the anchor outside the database",
}

RowImage = dict[str, Any]
RowKey = tuple[str, str]  # (table name, primary key as text)


def covered_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_COVERED]


def covered_table(name: str) -> Table | None:
    table = Base.metadata.tables.get(name)
    return None if table is None or name in NOT_COVERED else table


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if value.tzinfo else value).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def primary_key_text(table: Table, row: Mapping[Any, Any]) -> str:
    values = [_plain(row[c.name]) for c in table.primary_key.columns]
    return str(values[0]) if len(values) == 1 else json.dumps(values, separators=(",", ":"))


def row_image(table: Table, row: Mapping[Any, Any]) -> RowImage:
    """The row's stored values as JSON-ready text, numbers, booleans and nulls, by column name."""
    return {column.name: _plain(row[column.name]) for column in table.columns}


def image_digest(image: RowImage | None) -> bytes:
    text = json.dumps(image, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).digest()


def _key_values(table: Table, key: str) -> tuple[Any, ...]:
    columns = list(table.primary_key.columns)
    raw = [key] if len(columns) == 1 else json.loads(key)
    values = []
    for key_column, text in zip(columns, raw, strict=True):
        values.append(int(text) if _is_integer(key_column) else text)
    return tuple(values)


def _is_integer(column: Any) -> bool:
    try:
        return column.type.python_type is int
    except NotImplementedError:
        return False


@functools.cache  # one clause per table, so SQLAlchemy's statement cache can reuse the compiled SELECT
def _raw(table: Table) -> tuple[TableClause, list[ColumnClause[Any]]]:
    """The table with untyped columns: values exactly as the driver returns them, so a hand-edited value that
    the app's types could not read (e.g. "abc" in an amount) is still shown, and "219.0" is not "219"."""
    columns: list[ColumnClause[Any]] = [column(c.name) for c in table.columns]
    return sql_table(table.name, *columns), columns


def _pk(table: Table, raw_columns: list[ColumnClause[Any]]) -> list[ColumnClause[Any]]:
    names = [c.name for c in table.primary_key.columns]
    return [c for c in raw_columns if c.name in names]


def read_images(connection: Connection | Session, table: Table, keys: Iterable[str]) -> dict[str, RowImage | None]:
    """The rows with these primary keys as stored now; None for a key with no row (deleted)."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, RowImage | None] = dict.fromkeys(wanted)
    raw, raw_columns = _raw(table)
    pk = _pk(table, raw_columns)
    for start in range(0, len(wanted), 500):
        chunk = [_key_values(table, k) for k in wanted[start:start + 500]]
        condition = pk[0].in_([v[0] for v in chunk]) if len(pk) == 1 else tuple_(*pk).in_(chunk)
        for row in connection.execute(select(*raw_columns).select_from(raw).where(condition)).mappings():
            found[primary_key_text(table, row)] = row_image(table, row)
    return found


def all_images(connection: Connection | Session, table: Table, batch: int = 2000) -> Iterator[tuple[str, RowImage]]:
    """Every row of a covered table in primary-key order, read in batches (keyset paging)."""
    raw, raw_columns = _raw(table)
    pk = _pk(table, raw_columns)
    last: tuple[Any, ...] | None = None
    while True:
        query = select(*raw_columns).select_from(raw).order_by(*pk).limit(batch)
        if last is not None:
            query = query.where(tuple_(*pk) > tuple_(*last) if len(pk) > 1 else pk[0] > last[0])
        rows = connection.execute(query).mappings().all()
        if not rows:
            return
        for row in rows:
            yield primary_key_text(table, row), row_image(table, row)
        last = tuple(row[c.name] for c in pk)
