"""Values the database could not hold are refused before it sees them: text longer than its column, or a NUL.

PostgreSQL answers both with a DataError and SQLite silently stores a 10 MB route; this check runs in every
flush (all models, so new columns are covered) and raises StoredValueError naming the field in words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from db.errors import StoredValueError


def _stored_text(column: Any, value: Any, dialect: Any) -> Any:
    column_type = column.type
    if isinstance(column_type, TypeDecorator) and not isinstance(value, str):
        try:
            return column_type.process_bind_param(value, dialect)
        except (TypeError, ValueError) as exc:
            raise StoredValueError(f"{column.name.replace('_', ' ')}: {exc}") from exc
    return value


def _length_of(column: Any) -> int | None:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    return column_type.length if isinstance(column_type, String) else None


def check_row(instance: Any, dialect: Any) -> None:
    state = inspect(instance)
    for attribute in state.mapper.column_attrs:
        if attribute.key not in state.dict:
            continue  # not loaded, so not changed
        column = attribute.columns[0]
        text = _stored_text(column, state.dict[attribute.key], dialect)
        if not isinstance(text, str):
            continue
        name = column.name.replace("_", " ")
        if "\x00" in text:
            raise StoredValueError(f"{name} contains a NUL character, which cannot be stored: remove it")
        limit = _length_of(column)
        if limit is not None and len(text) > limit:
            raise StoredValueError(f"{name} is {len(text)} characters long; at most {limit} can be stored")


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    dialect = session.get_bind().dialect
    for instance in (*session.new, *session.dirty):
        check_row(instance, dialect)


event.listen(Session, "before_flush", _before_flush)
