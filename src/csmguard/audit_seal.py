"""The audit trail's seal: an HMAC key kept outside the database, and signed checkpoints kept apart from it.

Each entry's ``mac`` is HMAC-SHA256(key, entry hash); the entry hash covers the entry's content and the
hash of the entry before it, so the MACs chain: someone who can write the database but does not hold the
key cannot edit an entry and re-hash everything after it. After every committed write a checkpoint line
(head sequence number, head hash, entry count, time, HMAC of those) is appended to a file outside the
database, so deleting the newest entries (cutting the tail) is found as well.

Where the key comes from (decided once per workspace):

- ``CSMGUARD_AUDIT_KEY`` (64+ hex digits), when set: for a web server whose secrets come from its
  environment (the CLI that verifies must then be given the same variable);
- otherwise ``<workspace>/private/audit.key``, 32 random bytes created on the first audit write, with
  permissions 0600 in a 0700 folder.

The checkpoints are ``<workspace>/private/audit-checkpoints.jsonl`` (append-only; one JSON object a line).
Its first line marks the start of the HMAC era: entries written before it (by versions without a key)
carry no MAC and are verified by their hash chain alone.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from csmguard.domain.errors import InputError

ENV_KEY = "CSMGUARD_AUDIT_KEY"
PRIVATE_DIR = "private"
KEY_FILE = "audit.key"
CHECKPOINT_FILE = "audit-checkpoints.jsonl"
CONNECTION_INFO_KEY = "csmguard_audit_seal"


def canonical(value: Any) -> bytes:
    """Sorted-key compact JSON bytes: what a checkpoint's MAC covers."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def entry_mac(key: bytes, entry_hash: str) -> str:
    """The MAC of an entry, over its hash."""
    return hmac.new(key, b"csmguard-audit-entry\x00" + entry_hash.encode("ascii"), hashlib.sha256).hexdigest()


def record_mac(key: bytes, fields: Mapping[str, Any]) -> str:
    """The MAC of a checkpoint record (every field but ``mac``)."""
    body = {k: v for k, v in fields.items() if k != "mac"}
    return hmac.new(key, b"csmguard-audit-checkpoint\x00" + canonical(body), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """One line of the checkpoint file: ``start`` (the first signed entry) or ``head`` (after a write)."""

    line: int
    kind: str
    seq: int
    hash: str | None
    count: int | None
    valid: bool


@dataclass(frozen=True)
class AuditSeal:
    """Where a workspace's audit key and checkpoints are, and how to use them."""

    private_dir: Path
    env_key: str | None = None

    @property
    def key_file(self) -> Path:
        """The key file (unused when the key comes from the environment)."""
        return self.private_dir / KEY_FILE

    @property
    def checkpoint_file(self) -> Path:
        """The append-only checkpoint file."""
        return self.private_dir / CHECKPOINT_FILE

    def key_source(self) -> str:
        """Where the key is read from, for messages."""
        return f"${ENV_KEY}" if self.env_key else str(self.key_file)

    def load_key(self) -> bytes | None:
        """The key, or None when none was made yet."""
        if self.env_key:
            try:
                key = bytes.fromhex(self.env_key.strip())
            except ValueError as exc:
                raise InputError(f"${ENV_KEY}", "not hexadecimal") from exc
            if len(key) < 32:
                raise InputError(f"${ENV_KEY}", "too short: give at least 32 bytes (64 hex digits)")
            return key
        try:
            key = self.key_file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise InputError(str(self.key_file), f"cannot read the audit key: {exc.strerror}") from exc
        if len(key) < 32:
            raise InputError(str(self.key_file), "the audit key is damaged (shorter than 32 bytes)")
        return key

    def key_for_writing(self) -> bytes:
        """The key, made (0600 file in a 0700 folder) when there is none yet."""
        key = self.load_key()
        if key is not None:
            return key
        self.private_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        try:
            descriptor = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            made = self.load_key()
            assert made is not None
            return made
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        return key

    def append(self, key: bytes, kind: str, seq: int, entry_hash: str | None = None, count: int | None = None,
               at: str | None = None) -> None:
        """Append one signed record to the checkpoint file (one write, O_APPEND: lines never interleave)."""
        record: dict[str, Any] = {"type": kind, "seq": seq}
        if entry_hash is not None:
            record.update({"hash": entry_hash, "count": count, "at": at})
        record["mac"] = record_mac(key, record)
        self.private_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(self.checkpoint_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, canonical(record) + b"\n")
        finally:
            os.close(descriptor)

    def has_start(self) -> bool:
        """Whether the checkpoint file exists and holds a start record (read from its first line)."""
        try:
            with self.checkpoint_file.open("rb") as handle:
                first = handle.readline()
        except FileNotFoundError:
            return False
        try:
            return bool(orjson.loads(first).get("type") == "start")
        except (orjson.JSONDecodeError, AttributeError):
            return False

    def read_checkpoints(self, key: bytes | None) -> Iterator[Checkpoint]:
        """Every record of the checkpoint file, each with whether its MAC is right (False without a key)."""
        try:
            handle = self.checkpoint_file.open("rb")
        except FileNotFoundError:
            return
        with handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    record = orjson.loads(raw)
                    kind, seq = str(record["type"]), int(record["seq"])
                    entry_hash = record.get("hash")
                    count = record.get("count")
                    valid = key is not None and hmac.compare_digest(str(record.get("mac", "")),
                                                                    record_mac(key, record))
                except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                    yield Checkpoint(number, "damaged", 0, None, None, False)
                    continue
                yield Checkpoint(number, kind, seq, entry_hash if isinstance(entry_hash, str) else None,
                                 count if isinstance(count, int) else None, valid)


def seal_for_workspace(root: Path, environ: Mapping[str, str] | None = None) -> AuditSeal:
    """The seal of the workspace at ``root`` (key from ``$CSMGUARD_AUDIT_KEY`` when set)."""
    env = os.environ if environ is None else environ
    return AuditSeal(root / PRIVATE_DIR, env.get(ENV_KEY) or None)
