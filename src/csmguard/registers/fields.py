"""Shared building blocks of register records: the base class, labelled fields and common types."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

TAIPEI = timezone(timedelta(hours=8))
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
PERIOD_RE = re.compile(r"^(?P<year>\d{4})-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4]))$")


def label(zh_tw: str, en: str, default: Any = ..., **kwargs: Any) -> Any:
    """A record field with its column label in zh-TW and English (used by templates and imports)."""
    return Field(default, title=en, json_schema_extra={"zh-TW": zh_tw}, **kwargs)


def _local_naive(value: datetime) -> datetime:
    """Times are kept as Taiwan local time without an offset; an offset given is converted."""
    if value.tzinfo is not None:
        return value.astimezone(TAIPEI).replace(tzinfo=None)
    return value


def _sha(value: str) -> str:
    value = value.strip().lower()
    if not SHA256_RE.match(value):
        raise ValueError(f"{value!r} is not a SHA-256 of a stored evidence file (64 hex digits)")
    return value


def _period(value: str) -> str:
    value = value.strip().upper()
    if not PERIOD_RE.match(value):
        raise ValueError(f"{value!r} is not a period: use YYYY-MM (month) or YYYY-Qn (quarter)")
    return value


# The one rule for list fields, in CSV/XLSX cells, CLI arguments and web forms alike: items are separated by
# ";", the full-width "；" (typed by zh-TW input methods) or a new line. Commas ("," "，") are NOT
# separators: certification names, purposes and data types often contain them.
LIST_SEPARATORS = (";", "；", "\n")
_LIST_SPLIT = re.compile(r"[;；\r\n]")


def split_list(value: str) -> tuple[str, ...]:
    """The items of a list field written as text: split on ``;``, ``；`` or new lines, blanks dropped."""
    return tuple(part.strip() for part in _LIST_SPLIT.split(value) if part.strip())


def join_list(items: Any) -> str:
    """A list field as text that :func:`split_list` reads back into the same items."""
    return "; ".join(str(item) for item in items)


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return split_list(value)
    return value


def _admin(value: str) -> str:
    if "=" not in value or not value.split("=", 1)[0].strip() or not value.split("=", 1)[1].strip():
        raise ValueError(f"{value!r}: write an administrator as name=role")
    name, role = value.split("=", 1)
    return f"{name.strip()}={role.strip()}"


LocalTime = Annotated[datetime, AfterValidator(_local_naive)]
Sha256 = Annotated[str, AfterValidator(_sha)]
Period = Annotated[str, AfterValidator(_period)]
TextList = Annotated[tuple[str, ...], BeforeValidator(_split_list)]
ShaList = Annotated[tuple[Sha256, ...], BeforeValidator(_split_list)]
AdminList = Annotated[tuple[Annotated[str, AfterValidator(_admin)], ...], BeforeValidator(_split_list)]


class RegisterRecord(BaseModel):
    """A record of a register; ``KEY`` names the fields that identify it (unique in its register)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    KEY: ClassVar[tuple[str, ...]] = ()

    def key(self) -> str:
        """The record's natural key, its parts joined by ``/``."""
        return "/".join(str(getattr(self, name)) for name in self.KEY)


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a ``YYYY-MM`` or ``YYYY-Qn`` period."""
    match = PERIOD_RE.match(period)
    if not match:
        raise ValueError(f"{period!r} is not a period")
    year = int(match["year"])
    if match["month"]:
        first_month = last_month = int(match["month"])
    else:
        first_month = (int(match["quarter"]) - 1) * 3 + 1
        last_month = first_month + 2
    start = date(year, first_month, 1)
    end = date(year + (last_month == 12), last_month % 12 + 1, 1) - timedelta(days=1)
    return start, end
