"""The audit trail's hash chain, as pure functions.

Each entry stores the hash of the entry before it and the SHA-256 of its own canonical content
(sequence number, time, actor, action, object, before and after JSON, previous hash). Editing an
entry changes its content hash; deleting one leaves a gap in the sequence and a link that no longer
matches; both are found by :func:`verify_chain`, which names the position.

Since the HMAC era (see :mod:`csmguard.audit_seal`) each entry also carries ``mac``, an HMAC of its hash
under a key kept outside the database, and every write leaves a signed checkpoint outside the database:
a chain edited and re-hashed (MACs no longer match) and a cut tail (the checkpoints name entries that are
gone) are found too. Entries from before the HMAC era have no MAC and are verified by the hash chain.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from csmguard.audit_seal import Checkpoint, entry_mac

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
    mac: str | None = None

    def content(self) -> dict[str, Any]:
        """What the entry's hash covers."""
        return {"seq": self.seq, "at": self.at, "actor": self.actor, "action": self.action,
                "object_type": self.object_type, "object_id": self.object_id, "before": self.before,
                "after": self.after, "prev_hash": self.prev_hash}

    def computed_hash(self) -> str:
        """The hash the entry's content gives now."""
        return hashlib.sha256(canonical_json(self.content()).encode("utf-8")).hexdigest()


def seal(seq: int, at: str, actor: str, action: str, object_type: str, object_id: str,
         before: Any, after: Any, prev_hash: str, key: bytes | None = None) -> AuditEntry:
    """A new entry chained after ``prev_hash``, with its hash computed (and its MAC, given the key)."""
    draft = AuditEntry(seq, at, actor, action, object_type, object_id,
                       None if before is None else canonical_json(before),
                       None if after is None else canonical_json(after), prev_hash, "")
    digest = draft.computed_hash()
    return AuditEntry(**{**draft.__dict__, "hash": digest, "mac": None if key is None else entry_mac(key, digest)})


@dataclass(frozen=True)
class ChainProblem:
    """Where the chain is broken and how."""

    seq: int
    kind: str  # "edited" | "missing" | "relinked" | "forged" | "unsigned" | "checkpoint" | "key"
    message: str


def verify_chain(entries: Iterable[AuditEntry], key: bytes | None = None,
                 checkpoints: Iterable[Checkpoint] = ()) -> tuple[int, list[ChainProblem]]:
    """Walk the entries in sequence order; return how many were read and every break found, first
    position first. With the key and the checkpoints, also: entries whose MAC does not match (edited and
    re-hashed), entries of the HMAC era without a MAC, and entries the checkpoints name that are gone
    (a cut tail)."""
    problems: list[ChainProblem] = []
    marks = list(checkpoints)
    for mark in marks:
        if not mark.valid:
            problems.append(ChainProblem(mark.seq, "checkpoint", f"checkpoint line {mark.line} is damaged or was "
                                         "not signed with this key"))
    era = min((m.seq for m in marks if m.valid and m.kind == "start"), default=None)
    heads: dict[int, list[Checkpoint]] = {}
    for mark in marks:
        if mark.valid and mark.kind == "head" and mark.hash:
            heads.setdefault(mark.seq, []).append(mark)
    if marks and key is None:
        problems.append(ChainProblem(0, "key", "the audit key is missing: the MACs and checkpoints cannot be checked"))
    expected_seq, prev_hash, count, first_signed = 1, GENESIS_HASH, 0, None
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
        if entry.mac is not None:
            first_signed = entry.seq if first_signed is None else first_signed
            if key is not None and not hmac.compare_digest(entry.mac, entry_mac(key, entry.hash)):
                problems.append(ChainProblem(entry.seq, "forged", f"entry {entry.seq} does not carry the MAC of "
                                             "its content: it was rewritten (edited and re-hashed) or forged"))
        elif era is not None and entry.seq >= era:
            problems.append(ChainProblem(entry.seq, "unsigned", f"entry {entry.seq} has no MAC although it was "
                                         f"written after the audit key was in use (from entry {era})"))
        for head in heads.get(entry.seq, ()):
            if head.hash != entry.hash:
                problems.append(ChainProblem(entry.seq, "rewritten", f"entry {entry.seq} is not the entry "
                                             f"checkpoint line {head.line} recorded (deleted and written again?)"))
                break
        prev_hash, expected_seq = entry.hash, entry.seq + 1
    last = expected_seq - 1
    newest = max(heads, default=0)
    if newest > last:
        gone = f"{last + 1}" if newest == last + 1 else f"{last + 1}–{newest}"
        problems.append(ChainProblem(last + 1, "missing", f"entries {gone} are missing: the checkpoints recorded "
                                     f"{newest} entries, the trail ends at {last} (its newest entries were cut)"))
    if first_signed is not None and key is not None and (era is None or first_signed < era):
        problems.append(ChainProblem(first_signed, "checkpoint", "the checkpoint file is missing or was replaced: "
                                     f"entries are signed from {first_signed}, the checkpoints start at "
                                     f"{era if era is not None else 'nothing'}"))
    problems.sort(key=lambda p: p.seq)
    return count, problems
