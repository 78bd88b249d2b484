"""What the message scanner read: message records and the sensitive values detected in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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


# Kinds that identify an account holder: an OTP sent beside one of these, unmasked, fails MSG-008.
ACCOUNT_IDENTIFIERS = frozenset({Kind.NATIONAL_ID, Kind.ACCOUNT, Kind.CARD})


@dataclass(frozen=True, slots=True)
class Detection:
    """One sensitive value in a message: its kind, whether it was masked, and a safe display form."""

    kind: Kind
    masked: bool
    display: str
    column: int
    subtype: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """A detection at its place: the line in the file (when known) and the field or column name."""

    detection: Detection
    line: int | None
    field: str | None


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One message (a text line, a CSV row, a JSON record) holding at least one detection."""

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

    @property
    def records_evaluated(self) -> int:
        """Messages read and evaluated (read = evaluated + rejected)."""
        return self.records_read - self.records_rejected
