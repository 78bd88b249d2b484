"""One typed table per register, derived from the register's record model (columns = fields)."""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from csmguard.registers.specs import RegisterSpec, register_specs
from csmguard.store.db import Base


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The base type of a field annotation and whether it admits None."""
    nullable = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            nullable = nullable or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            return annotation, nullable


def column_type(annotation: Any) -> TypeEngine[Any]:
    """The SQL type that stores a field of this annotation."""
    base, _ = _unwrap(annotation)
    origin = typing.get_origin(base)
    if origin in (tuple, list):
        return JSON()
    if isinstance(base, type):
        if issubclass(base, bool):
            return Boolean()
        if issubclass(base, Enum):
            return String(32)
        if issubclass(base, int):
            return Integer()
        if issubclass(base, float):
            return Float()
        if issubclass(base, datetime):
            return DateTime()
        if issubclass(base, date):
            return Date()
    return Text()


def build_table(spec: RegisterSpec, metadata: MetaData) -> Table:
    """The table of one register: a surrogate ``id``, one column per field, the natural key unique."""
    columns: list[Column[Any]] = [Column("id", Integer, primary_key=True, autoincrement=True)]
    for name, info in spec.model.model_fields.items():
        _, nullable = _unwrap(info.annotation)
        columns.append(Column(name, column_type(info.annotation), nullable=nullable))
    columns.append(Column("updated_at", DateTime(timezone=True), nullable=False))
    return Table(spec.table, metadata, *columns, UniqueConstraint(*spec.key_fields))


def _build_all() -> dict[str, Table]:
    return {kind: build_table(spec, Base.metadata) for kind, spec in register_specs().items()}


REGISTER_TABLES: dict[str, Table] = _build_all()
