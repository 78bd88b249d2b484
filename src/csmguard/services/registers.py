"""Register use cases: create, list, show, update, delete, import, export and templates, and the
register checks (REG-) over the workspace's records."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from csmguard.catalog.loader import load_catalog
from csmguard.domain import ScanResult
from csmguard.domain.errors import InputError, input_errors_from_validation
from csmguard.registers import models as m
from csmguard.registers.checks import CHECKS, run_checks
from csmguard.registers.facts import FACT_FIELDS, RegisterFacts
from csmguard.registers.fields import SHA256_RE, RegisterRecord
from csmguard.registers.io import (
    DEFAULT_MAX_ROWS,
    ImportErrors,
    RegisterFormat,
    RegisterImportError,
    RowCapExceeded,
    RowError,
    guess_format,
    read_file,
    template,
    validate_rows,
    write_records,
)
from csmguard.registers.specs import RegisterSpec, get_spec, register_specs
from csmguard.rules.loader import load_rules
from csmguard.services import audit
from csmguard.services.records import record_scan
from csmguard.store import registers_repo as repo
from csmguard.store.db import session_scope
from csmguard.store.models import EvidenceRow
from csmguard.store.registers_repo import StoredRecord
from csmguard.workspace import Workspace

__all__ = [
    "DEFAULT_MAX_ROWS",
    "ImportReport",
    "RegisterFormat",
    "RegisterImportError",
    "RegisterSpec",
    "RowCapExceeded",
    "StoredRecord",
    "add_record",
    "delete_record",
    "export_records",
    "get_record",
    "import_records",
    "list_records",
    "load_facts",
    "register_specs",
    "register_template",
    "run_register_checks",
    "update_record",
]


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows read, records created and records updated."""

    kind: str
    rows: int
    created: int
    updated: int


def _evidence_fields(spec: RegisterSpec) -> list[str]:
    return [name for name in spec.fields() if name in {"document", "audit_reports", "scan_report", "vendor_evidence"}]


def _problems(session: Session, spec: RegisterSpec, record: RegisterRecord,
              questions: set[str] | None) -> list[tuple[str, str]]:
    """Checks that need the workspace: evidence files exist, profile questions are known."""
    out: list[tuple[str, str]] = []
    for name in _evidence_fields(spec):
        value = getattr(record, name)
        for sha in (value if isinstance(value, tuple) else (value,) if value else ()):
            if SHA256_RE.match(sha) and session.get(EvidenceRow, sha) is None:
                out.append((name, f"no evidence file {sha[:12]}… in this workspace (add it with "
                                  "'csmguard evidence add')"))
    if isinstance(record, m.ScopeAnswer) and questions is not None and record.question not in questions:
        out.append(("question", f"unknown scope question {record.question!r}; known: {', '.join(sorted(questions))}"))
    return out


def _questions(ws: Workspace, spec: RegisterSpec) -> set[str] | None:
    if spec.kind != "profile":
        return None
    return {q.id for q in load_catalog(ws.settings.edition).questions}


def _validate(spec: RegisterSpec, data: Mapping[str, Any]) -> RegisterRecord:
    try:
        return spec.model.model_validate(dict(data))
    except ValidationError as exc:
        errors = input_errors_from_validation(spec.kind, exc)
        first = errors[0]
        if len(errors) > 1:
            first.message += "; " + "; ".join(e.describe() for e in errors[1:])
        raise first from exc


def _check(session: Session, ws: Workspace, spec: RegisterSpec, record: RegisterRecord) -> None:
    problems = _problems(session, spec, record, _questions(ws, spec))
    if problems:
        field, message = problems[0]
        raise InputError(spec.kind, message, field=field)


def list_records(ws: Workspace, kind: str) -> list[StoredRecord]:
    """Every record of register ``kind``."""
    spec = get_spec(kind)
    with session_scope(ws.engine()) as session:
        return repo.list_records(session, spec)


def page_records(ws: Workspace, kind: str, limit: int, offset: int = 0) -> tuple[list[StoredRecord], int]:
    """``limit`` records of register ``kind`` from ``offset`` (by natural key), and how many it holds: a page
    of a large register without reading the rest."""
    spec = get_spec(kind)
    with session_scope(ws.engine()) as session:
        return repo.list_records(session, spec, limit=limit, offset=offset), repo.count_records(session, spec)


def count_records(ws: Workspace, kind: str) -> int:
    """How many records register ``kind`` holds."""
    with session_scope(ws.engine()) as session:
        return repo.count_records(session, get_spec(kind))


def get_record(ws: Workspace, kind: str, ident: str) -> StoredRecord:
    """One record, by row number or natural key (parts joined by ``/``)."""
    spec = get_spec(kind)
    with session_scope(ws.engine()) as session:
        found = repo.find(session, spec, ident)
    if found is None:
        raise InputError(kind, f"no record {ident!r}", field="/".join(spec.key_fields))
    return found


def _view(record: RegisterRecord) -> dict[str, Any]:
    return record.model_dump(mode="json")


def add_record(ws: Workspace, kind: str, data: Mapping[str, Any], *, actor: str | None = None) -> StoredRecord:
    """Create a record; InputError if one with the same key exists or a field is invalid. The audit entry
    (by ``actor``, default :func:`audit.os_actor`) is written in the same transaction as the record."""
    spec = get_spec(kind)
    record = _validate(spec, data)
    with audit.write_scope(ws.engine()) as session:
        if repo.find_by_key(session, spec, record) is not None:
            raise InputError(kind, f"a record {record.key()!r} already exists; use update",
                             field="/".join(spec.key_fields))
        _check(session, ws, spec, record)
        row_id, _ = repo.upsert(session, spec, record)
        audit.append(session, actor or audit.os_actor(), "register.create", kind, record.key(), None, _view(record))
    return StoredRecord(row_id, kind, record)


def update_record(ws: Workspace, kind: str, ident: str, changes: Mapping[str, Any], *,
                  actor: str | None = None) -> StoredRecord:
    """Change fields of a record (``None`` clears an optional field); audited in the same transaction."""
    spec = get_spec(kind)
    unknown = [name for name in changes if name not in spec.model.model_fields]
    if unknown:
        raise InputError(kind, f"unknown field(s) {', '.join(unknown)}; fields: {', '.join(spec.fields())}",
                         field=unknown[0])
    with audit.write_scope(ws.engine()) as session:
        found = repo.find(session, spec, ident)
        if found is None:
            raise InputError(kind, f"no record {ident!r}", field="/".join(spec.key_fields))
        merged = {**found.record.model_dump(), **changes}
        record = _validate(spec, {k: v for k, v in merged.items() if v is not None})
        clash = repo.find_by_key(session, spec, record)
        if clash is not None and clash.id != found.id:
            raise InputError(kind, f"another record already has the key {record.key()!r}",
                             field="/".join(spec.key_fields))
        _check(session, ws, spec, record)
        repo.replace(session, spec, found.id, record)
        audit.append(session, actor or audit.os_actor(), "register.update", kind, record.key(), _view(found.record),
                     _view(record))
    return StoredRecord(found.id, kind, record)


def delete_record(ws: Workspace, kind: str, ident: str, *, actor: str | None = None) -> StoredRecord:
    """Delete a record; returns what was deleted. Audited in the same transaction."""
    spec = get_spec(kind)
    with audit.write_scope(ws.engine()) as session:
        found = repo.find(session, spec, ident)
        if found is None:
            raise InputError(kind, f"no record {ident!r}", field="/".join(spec.key_fields))
        repo.remove(session, spec, found.id)
        audit.append(session, actor or audit.os_actor(), "register.delete", kind, found.key, _view(found.record), None)
    return found


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_records(ws: Workspace, kind: str, path: Path, fmt: RegisterFormat | None = None, *,
                   actor: str | None = None, allow_empty: bool = False, max_rows: int = DEFAULT_MAX_ROWS,
                   name: str | None = None) -> ImportReport:
    """Import a CSV, XLSX or YAML file into register ``kind``: records with a known key are replaced,
    the others created. Every row is validated first; if any is bad NOTHING is written and
    :class:`RegisterImportError` gives the first errors and a summary of the rest. A file without data rows
    is an InputError unless ``allow_empty``; one with more than ``max_rows`` is :class:`RowCapExceeded`.
    The writes and their audit entry (file ``name``, its SHA-256 and the counts) are one transaction."""
    spec = get_spec(kind)
    fmt = fmt or guess_format(path)
    shown = name or str(path)
    rows, header_errors, columns = read_file(spec, path, fmt, max_rows=max_rows)
    errors = ImportErrors()
    errors.extend(header_errors)
    if not rows and not header_errors and not allow_empty:
        raise InputError(shown, f"no rows in {shown}: nothing to import (pass --allow-empty to accept an empty file)")
    records, row_errors = validate_rows(spec, rows, columns)
    errors.extend(row_errors)
    questions = _questions(ws, spec)
    created = updated = 0
    with audit.write_scope(ws.engine()) as session:
        for number, record in records:
            for field, message in _problems(session, spec, record, questions):
                errors.add(RowError(number, columns.get(field, field), message, f"{field}:workspace"))
        if errors:
            raise RegisterImportError(shown, errors)
        for _, record in records:
            _, was_created = repo.upsert(session, spec, record)
            created += was_created
            updated += not was_created
        audit.append(session, actor or audit.os_actor(), "register.import", kind, shown, None,
                     {"file": shown, "sha256": _sha256_of(path), "rows": len(rows), "created": created,
                      "updated": updated})
    return ImportReport(kind, len(rows), created, updated)


def export_records(ws: Workspace, kind: str, fmt: RegisterFormat, lang: str = "zh-TW") -> bytes:
    """Every record of register ``kind`` as a CSV, XLSX or YAML file (headers in ``lang``)."""
    spec = get_spec(kind)
    return write_records(spec, [s.record for s in list_records(ws, kind)], fmt, lang)


def register_template(kind: str, fmt: RegisterFormat, lang: str = "zh-TW") -> bytes:
    """An empty file of register ``kind`` to fill in, with headers in ``lang``."""
    return template(get_spec(kind), fmt, lang)


def load_facts(ws: Workspace) -> RegisterFacts:
    """Every register's records and the scope answers, for the register checks."""
    specs = register_specs()
    values: dict[str, Any] = {}
    with session_scope(ws.engine()) as session:
        for kind, field in FACT_FIELDS.items():
            values[field] = tuple(s.record for s in repo.list_records(session, specs[kind]))
        answers = {s.record.question: s.record.answer for s in repo.list_records(session, specs["profile"])
                   if isinstance(s.record, m.ScopeAnswer)}
    return RegisterFacts(answers=answers, **values)


def run_register_checks(ws: Workspace, today: date | None = None, *, record: bool = True) -> ScanResult:
    """Run every REG- rule over the registers as of ``today`` (default: today); the run is recorded
    as the latest ``register`` scan unless ``record`` is False."""
    catalog = load_catalog(ws.settings.edition)
    rules = load_rules(catalog, ["register"], known_checks={"register": CHECKS.keys()})
    result = run_checks(rules, load_facts(ws), ws.settings.checks, today or date.today(),
                        target=f"registers:{ws.root}")
    if record:
        record_scan(ws, result, subject="registers")
    return result
