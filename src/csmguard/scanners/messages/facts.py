"""What the message scanner read: message records and the sensitive values detected in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Kind(StrEnum):
    """The kinds of sensitive value the scanner recognises."""

    NATIONAL_ID = "national_id"
    UBN = "ubn"
    PHONE = "phone"
    EMAIL = "email"
    CARD = "card"
    ACCOUNT = "account"
    PASSWORD = "password"  # noqa: S105 - the name of a kind, not a password
    OTP = "otp"
    PLACEHOLDER = "placeholder"  # a template field that inserts sensitive data


# Kinds that identify an account holder: an OTP sent beside one of these, unmasked, fails MSG-008.
ACCOUNT_IDENTIFIERS = frozenset({Kind.NATIONAL_ID, Kind.ACCOUNT, Kind.CARD})


class Detection(NamedTuple):
    """One sensitive value in a message: its kind, whether it was masked, and a safe display form.

    (A named tuple rather than a dataclass: a large log holds millions of them.)"""

    kind: Kind
    masked: bool
    display: str
    subtype: str = ""


class Hit(NamedTuple):
    """A detection at its place: the line in the file (when known), the column, and the field name."""

    detection: Detection
    line: int | None
    column: int
    field: str | None


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One message (a text line, a CSV row, a JSON record) holding at least one detection.

    (Slotted: a large log holds one per message with a detection, and no per-instance dict.)"""

    record: int
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class FileFacts:
    """What one input file yielded: the messages holding detections, and what was read and rejected."""

    path: str
    format: str
    records_read: int
    records_rejected: int
    bytes_read: int
    records: tuple[MessageRecord, ...] = ()
    problems: tuple[tuple[int | None, str | None, str], ...] = field(default=())
    by_kind: dict[Kind, tuple[tuple[int, Hit], ...]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    unlisted_masked: dict[Kind, int] = field(default_factory=dict)  # counted, not located (beyond the cap)

    @property
    def records_evaluated(self) -> int:
        """Messages read and evaluated (read = evaluated + rejected)."""
        return self.records_read - self.records_rejected
