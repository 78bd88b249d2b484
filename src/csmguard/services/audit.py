"""Audit-trail use cases: append an entry in the caller's transaction, read, verify and export the chain.

The workspace's :class:`~csmguard.audit_seal.AuditSeal` (key and checkpoint file outside the database)
reaches this module through the connection's ``info`` (see :meth:`csmguard.workspace.Workspace.engine`):
every entry is signed, and a signed checkpoint is appended once its transaction has committed."""

from __future__ import annotations

import getpass
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session

from csmguard.audit import GENESIS_HASH, AuditEntry, ChainProblem, seal, verify_chain
from csmguard.audit_seal import CONNECTION_INFO_KEY, AuditSeal
from csmguard.cells import SafeCsvWriter
from csmguard.store.db import session_scope
from csmguard.store.models_web import AuditRow

_PG_LOCK_KEY = 7_271_001
EXPORT_FIELDS = ("seq", "at", "actor", "action", "object_type", "object_id", "before", "after", "prev_hash", "hash",
                 "mac")
_PENDING = "csmguard_audit_pending"


def os_actor() -> str:
    """Who made a change from the command line: the operating-system user (``uid:N`` when it has no name)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid:{os.getuid()}"


def _lock_chain(session: Session) -> None:
    """Serialize writers: a PostgreSQL advisory lock, or SQLite's write lock taken before reading (an
    UPDATE as the first statement, so concurrent writers wait instead of failing on a stale snapshot)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    else:
        session.execute(text("UPDATE audit_log SET seq = seq WHERE seq < 0"))


@contextmanager
def write_scope(engine: Engine) -> Iterator[Session]:
    """A transaction that takes the write lock first: for work that reads, then writes and audits."""
    with session_scope(engine) as session:
        _lock_chain(session)
        yield session


def session_seal(session: Session) -> AuditSeal:
    """The audit seal of the workspace whose database ``session`` uses."""
    found = session.connection().info.get(CONNECTION_INFO_KEY)
    if not isinstance(found, AuditSeal):
        raise RuntimeError("this database engine has no audit seal: open it through a Workspace")
    return found


def _checkpoint_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        audit_seal, key, entry = pending
        audit_seal.append(key, "head", entry.seq, entry.hash, entry.seq, entry.at)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def append(session: Session, actor: str, action: str, object_type: str, object_id: str,
           before: Any = None, after: Any = None, now: datetime | None = None) -> AuditEntry:
    """Add one signed entry after the last one, in the caller's transaction (so it commits with the
    change); once that transaction commits, a signed checkpoint of the new head is appended."""
    _lock_chain(session)
    audit_seal = session_seal(session)
    key = audit_seal.key_for_writing()
    last = session.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)).first()
    seq, prev = (1, GENESIS_HASH) if last is None else (last.seq + 1, last.hash)
    if not audit_seal.has_start():
        audit_seal.append(key, "start", seq)
    at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    entry = seal(seq, at, actor, action, object_type, object_id, before, after, prev, key)
    session.add(AuditRow(**entry.__dict__))
    session.flush()
    if not session.info.get(_PENDING + "_hooked"):
        event.listen(session, "after_commit", _checkpoint_after_commit)
        event.listen(session, "after_rollback", _forget_after_rollback)
        session.info[_PENDING + "_hooked"] = True
    session.info[_PENDING] = (audit_seal, key, entry)
    return entry


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(row.seq, row.at, row.actor, row.action, row.object_type, row.object_id, row.before,
                      row.after, row.prev_hash, row.hash, row.mac)


def iter_entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    """Every entry in sequence order, read in batches."""
    after = 0
    while True:
        rows = session.scalars(select(AuditRow).where(AuditRow.seq > after).order_by(AuditRow.seq).limit(batch)).all()
        if not rows:
            return
        yield from (_entry(row) for row in rows)
        after = rows[-1].seq


def verify(session: Session) -> tuple[int, list[ChainProblem]]:
    """Check the whole chain, its MACs and the checkpoints kept outside the database: (entries read,
    problems with their positions, first first)."""
    audit_seal = session_seal(session)
    key = audit_seal.load_key()
    return verify_chain(iter_entries(session), key, audit_seal.read_checkpoints(key))


def count(session: Session) -> int:
    """How many entries the trail holds."""
    return session.scalar(select(func.count()).select_from(AuditRow)) or 0


def page(session: Session, before_seq: int | None, limit: int = 50, action: str | None = None) -> list[AuditEntry]:
    """The newest entries (optionally of one action) older than ``before_seq``, newest first."""
    query = select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit)
    if before_seq is not None:
        query = query.where(AuditRow.seq < before_seq)
    if action:
        query = query.where(AuditRow.action == action)
    return [_entry(row) for row in session.scalars(query)]


def export_json(session: Session) -> bytes:
    """The whole trail as a JSON array (before/after decoded), for auditors."""
    items = []
    for entry in iter_entries(session):
        item: dict[str, Any] = {name: getattr(entry, name) for name in EXPORT_FIELDS}
        item["before"] = None if entry.before is None else orjson.loads(entry.before)
        item["after"] = None if entry.after is None else orjson.loads(entry.after)
        items.append(item)
    return orjson.dumps(items, option=orjson.OPT_INDENT_2) + b"\n"


def export_csv(session: Session) -> bytes:
    """The whole trail as CSV (before/after as their stored JSON text), UTF-8 with BOM for spreadsheets; a
    text that could start a formula is written with a protective ``'`` (see :mod:`csmguard.cells`)."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(EXPORT_FIELDS)
    for entry in iter_entries(session):
        writer.writerow([getattr(entry, name) for name in EXPORT_FIELDS])
    return buffer.getvalue().encode("utf-8-sig")
