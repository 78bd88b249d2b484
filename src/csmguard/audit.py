"""The audit trail's hash chain, as pure functions.

Each entry stores the hash of the entry before it and the SHA-256 of its own canonical content
(sequence number, time, actor, action, object, before and after JSON, previous hash). Editing an
entry changes its content hash; deleting one leaves a gap in the sequence and a link that no longer
matches; both are found by :func:`verify_chain`, which names the position.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no white space: the same value always gives the same text."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode("utf-8")


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit trail as stored: ``before`` and ``after`` are canonical JSON texts."""

    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    before: str | None
    after: str | None
    prev_hash: str
    hash: str

    def content(self) -> dict[str, Any]:
        """What the entry's hash covers."""
        return {"seq": self.seq, "at": self.at, "actor": self.actor, "action": self.action,
                "object_type": self.object_type, "object_id": self.object_id, "before": self.before,
                "after": self.after, "prev_hash": self.prev_hash}

    def computed_hash(self) -> str:
        """The hash the entry's content gives now."""
        return hashlib.sha256(canonical_json(self.content()).encode("utf-8")).hexdigest()


def seal(seq: int, at: str, actor: str, action: str, object_type: str, object_id: str,
         before: Any, after: Any, prev_hash: str) -> AuditEntry:
    """A new entry chained after ``prev_hash``, with its hash computed."""
    draft = AuditEntry(seq, at, actor, action, object_type, object_id,
                       None if before is None else canonical_json(before),
                       None if after is None else canonical_json(after), prev_hash, "")
    return AuditEntry(**{**draft.__dict__, "hash": draft.computed_hash()})


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain is broken and how."""

    seq: int
    kind: str  # "edited" | "missing" | "relinked"
    message: str


def verify_chain(entries: Iterable[AuditEntry]) -> tuple[int, list[ChainProblem]]:
    """Walk the entries in sequence order; return how many were read and every break found."""
    problems: list[ChainProblem] = []
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    for entry in entries:
        count += 1
        gap = entry.seq != expected_seq
        if gap:
            missing = f"{expected_seq}" if entry.seq == expected_seq + 1 else f"{expected_seq}–{entry.seq - 1}"
            problems.append(ChainProblem(expected_seq, "missing",
                                         f"entries {missing} are missing (deleted) before entry {entry.seq}"))
        if entry.computed_hash() != entry.hash:
            problems.append(ChainProblem(entry.seq, "edited",
                                         f"entry {entry.seq} was changed after it was written"))
        elif entry.prev_hash != prev_hash and not gap:
            problems.append(ChainProblem(entry.seq, "relinked",
                                         f"entry {entry.seq} does not follow the entry before it"))
        prev_hash, expected_seq = entry.hash, entry.seq + 1
    return count, problems
