"""Turning the many spellings of MDM export values into typed facts; a bad value raises FieldError."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from csmguard.scanners.fleet.facts import ANDROID, COMPANY, IOS, MACOS, OTHER, PERSONAL, UNKNOWN_OWNER, WINDOWS
from csmguard.scanning.budget import MAX_FIELD_TEXT_CHARS

F = TypeVar("F")


def small_cache(fn: Callable[[Any], F]) -> Callable[[Any], F]:
    """Memoise a one-argument normaliser of low-cardinality values (states, platforms); unhashable
    values (JSON lists) are computed each time."""
    memo = lru_cache(maxsize=4096)(fn)

    def wrapper(value: Any) -> F:
        try:
            return memo(value)
        except TypeError:
            return fn(value)

    wrapper.__doc__ = fn.__doc__
    return wrapper


class FieldError(ValueError):
    """A value of one field that cannot be read; the record is rejected with the field named."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


_TRUE = frozenset({"true", "yes", "y", "1", "on", "enabled", "encrypted", "jailbroken", "rooted", "compromised",
                   "present", "是"})
_FALSE = frozenset({"false", "no", "n", "0", "off", "disabled", "not encrypted", "normal", "not jailbroken",
                    "no compromise detected", "absent", "否"})
_UNKNOWN = frozenset({"", "unknown", "null", "none", "n/a", "na", "-", "unsupported", "not available", "未知"})


def tri(value: object, field: str) -> bool | None:
    """A three-state flag: True, False or None (unknown) from booleans, 0/1 and the words exports use."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise FieldError(field, f"expected a yes/no value, got {value!r}")
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        if word in _UNKNOWN:
            return None
    raise FieldError(field, f"expected a yes/no value (True/False/Unknown), got {str(value)[:40]!r}")


def text_or_none(value: object) -> str | None:
    """A stripped string, or None for empty values; cut to MAX_FIELD_TEXT_CHARS with a visible "…" (no
    device name, version or serial is that long, and the value travels into findings' evidence)."""
    if value is None:
        return None
    out = str(value).strip()
    if len(out) > MAX_FIELD_TEXT_CHARS:
        out = out[: MAX_FIELD_TEXT_CHARS - 1] + "…"
    return out or None


def int_or_none(value: object, field: str) -> int | None:
    """A whole number, or None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldError(field, f"expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise FieldError(field, f"expected a whole number, got {str(value)[:40]!r}") from None


def timestamp(value: object, field: str) -> datetime | None:
    """A UTC datetime from ISO 8601 (with or without zone, 7-digit fractions) or epoch milliseconds."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    raw = str(value).strip()
    if not raw or raw.startswith("0001-01-01"):
        return None  # Graph's "never" value
    if raw.isdigit():
        return datetime.fromtimestamp(int(raw) / 1000, UTC)
    try:
        moment = datetime.fromisoformat(raw)  # Python 3.11 reads Graph's "…T08:15:00.1234567Z"
    except ValueError:
        for fmt in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%Y/%m/%d %H:%M:%S", "%m/%d/%Y"):
            try:
                moment = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
        else:
            raise FieldError(field, f"expected a date and time, got {raw[:40]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def day(value: object, field: str) -> date | None:
    """A calendar date from ``YYYY-MM-DD``, a timestamp or epoch milliseconds."""
    if value is None or value == "":
        return None
    raw = str(value).strip()
    if len(raw) == 10 and raw[4] == "-":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise FieldError(field, f"expected a date YYYY-MM-DD, got {raw!r}") from None
    moment = timestamp(value, field)
    return moment.date() if moment else None


@small_cache
def platform(value: object) -> str:
    """ios, android, windows, macos or other from the names exports use (iPadOS counts as iOS)."""
    word = str(value or "").strip().lower()
    if not word:
        return OTHER
    if word.startswith(("ios", "ipados", "iphone", "ipad", "apple")) and "mac" not in word:
        return IOS
    if word.startswith("android") or word in {"aosp"}:
        return ANDROID
    if word.startswith(("windows", "win")):
        return WINDOWS
    if word.startswith(("macos", "mac os", "osx", "os x", "mac")):
        return MACOS
    return OTHER


@small_cache
def ownership(value: object) -> str:
    """company, personal or unknown from Intune, Jamf, Workspace ONE (C/E/S) and Google spellings."""
    word = str(value or "").strip().lower().replace("_", "").replace("-", "").replace(" ", "")
    if word in {"company", "corporate", "corporateowned", "companyowned", "institutional", "c", "s", "shared",
                "corporatededicated", "corporateshared", "公司"}:
        return COMPANY
    if word in {"personal", "personallyowned", "userowned", "employeeowned", "e", "byod", "personaldeviceprofile",
                "userenrollment", "個人"}:
        return PERSONAL
    return UNKNOWN_OWNER


@lru_cache(maxsize=8192)
def version_tuple(value: str) -> tuple[int, ...]:
    """A comparable tuple from a version string (``17.4.1`` → (17, 4, 1); ``Android 14`` → (14,))."""
    parts: list[int] = []
    for piece in value.replace("-", ".").split("."):
        digits = ""
        for char in piece.strip():
            if char.isdigit():
                digits += char
            elif digits:
                break
        if digits:
            parts.append(int(digits))
        elif parts:
            break
    return tuple(parts)


def split_list(value: object) -> tuple[str, ...]:
    """Items of a ``;``- or ``|``-separated cell, or of a JSON list."""
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raw = str(value)
    sep = ";" if ";" in raw else "|" if "|" in raw else ","
    return tuple(part.strip() for part in raw.split(sep) if part.strip())


_DROP = str.maketrans("", "", " _-")


@small_cache
def reduced(value: object) -> str | None:
    """A state word reduced for comparison: lower case, no spaces, underscores or hyphens."""
    if value is None:
        return None
    word = str(value).lower().translate(_DROP)
    return word or None


_COMPLIANCE = {"compliant": "compliant", "noncompliant": "noncompliant", "notcompliant": "noncompliant",
               "ingraceperiod": "ingraceperiod", "graceperiod": "ingraceperiod", "conflict": "conflict",
               "error": "error", "unknown": "unknown", "notevaluated": "unknown", "configmanager": "configmanager"}


@small_cache
def compliance(value: object) -> str | None:
    """Intune's compliance states (and the CSV's words) in one spelling: compliant, noncompliant …"""
    word = reduced(value)
    if word is None:
        return None
    if word in {"true", "yes"}:
        return "compliant"
    if word in {"false", "no"}:
        return "noncompliant"
    return _COMPLIANCE.get(word, word)


def user_name(value: object) -> str | None:
    """A user principal name or e-mail in lower case (a JSON list: the first entry)."""
    if isinstance(value, list):
        value = value[0] if value else None
    name = text_or_none(value)
    return name.lower() if name else None
