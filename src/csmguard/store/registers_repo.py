"""Reading and writing register records in their typed tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from csmguard.registers.fields import RegisterRecord
from csmguard.registers.specs import RegisterSpec
from csmguard.store.register_tables import REGISTER_TABLES


@dataclass(frozen=True)
class StoredRecord:
    """A register record as stored: its row number, register kind and the typed record."""

    id: int
    kind: str
    record: RegisterRecord

    @property
    def key(self) -> str:
        """The record's natural key."""
        return self.record.key()


def table_of(spec: RegisterSpec) -> Table:
    """The table that holds the records of ``spec``."""
    return REGISTER_TABLES[spec.kind]


def record_values(record: RegisterRecord) -> dict[str, Any]:
    """The column values of a record (enums as their values, tuples as lists)."""
    out: dict[str, Any] = {}
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def _to_stored(spec: RegisterSpec, row: Any) -> StoredRecord:
    mapping = dict(row._mapping)
    row_id = int(mapping.pop("id"))
    mapping.pop("updated_at", None)
    return StoredRecord(row_id, spec.kind, spec.model.model_validate(mapping))


def list_records(session: Session, spec: RegisterSpec, *, limit: int | None = None,
                 offset: int = 0) -> list[StoredRecord]:
    """The records of a register, ordered by natural key: every one, or ``limit`` from ``offset``."""
    table = table_of(spec)
    order = [table.c[name] for name in spec.key_fields]
    query = select(table).order_by(*order, table.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_to_stored(spec, row) for row in session.execute(query)]


def count_records(session: Session, spec: RegisterSpec) -> int:
    """How many records a register holds."""
    return int(session.execute(select(func.count()).select_from(table_of(spec))).scalar_one())


def find_by_key(session: Session, spec: RegisterSpec, record: RegisterRecord) -> StoredRecord | None:
    """The stored record with the same natural key as ``record``."""
    table = table_of(spec)
    values = record_values(record)
    condition = [table.c[name] == values[name] for name in spec.key_fields]
    row = session.execute(select(table).where(*condition)).first()
    return _to_stored(spec, row) if row is not None else None


def find(session: Session, spec: RegisterSpec, ident: str) -> StoredRecord | None:
    """The record whose row number is ``ident``, else whose natural key (parts joined by ``/``) is ``ident``;
    ``key:…`` looks up the natural key only (for keys made of digits)."""
    if ident.isdigit():
        table = table_of(spec)
        row = session.execute(select(table).where(table.c.id == int(ident))).first()
        if row is not None:
            return _to_stored(spec, row)
    wanted = ident.removeprefix("key:")
    for stored in list_records(session, spec):
        if stored.key == wanted:
            return stored
    return None


def upsert(session: Session, spec: RegisterSpec, record: RegisterRecord) -> tuple[int, bool]:
    """Insert ``record`` or replace the record with its natural key; returns (row number, created)."""
    table = table_of(spec)
    values = {**record_values(record), "updated_at": datetime.now(UTC)}
    existing = find_by_key(session, spec, record)
    if existing is not None:
        session.execute(update(table).where(table.c.id == existing.id).values(**values))
        return existing.id, False
    new_id = session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    return int(new_id), True


def replace(session: Session, spec: RegisterSpec, row_id: int, record: RegisterRecord) -> None:
    """Overwrite the record at ``row_id`` with ``record``."""
    table = table_of(spec)
    values = {**record_values(record), "updated_at": datetime.now(UTC)}
    session.execute(update(table).where(table.c.id == row_id).values(**values))


def remove(session: Session, spec: RegisterSpec, row_id: int) -> None:
    """Delete the record at ``row_id``."""
    table = table_of(spec)
    session.execute(delete(table).where(table.c.id == row_id))
