"""Reading a report file and the small helpers every parser shares."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from csmguard.domain import FindingStatus, redact
from csmguard.domain.errors import InputError

MAX_REPORT_BYTES = 200 * 1024 * 1024
_SHORT = 300


def read_bytes(path: Path) -> bytes:
    """The file's content; InputError naming it when it is missing, a folder or too large."""
    if not path.is_file():
        raise InputError(str(path), "no such file")
    size = path.stat().st_size
    if size > MAX_REPORT_BYTES:
        raise InputError(str(path), f"{size} bytes is more than the {MAX_REPORT_BYTES // (1024 * 1024)} MB a "
                                    "report may have")
    return path.read_bytes()


def load_json(content: bytes, source: str, expected: str) -> Any:
    """Parse JSON; InputError naming the file and the format that was expected otherwise."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise InputError(source, f"not JSON ({exc}); expected {expected}") from exc


def not_format(source: str, expected: str, found: str) -> InputError:
    """The error for a file that is not of the named tool's format: what was expected, what was found."""
    return InputError(source, f"this is not {expected}: {found}")


def describe_json(data: Any) -> str:
    """A short description of a JSON document's shape, for 'expected X, found Y' messages."""
    if isinstance(data, dict):
        keys = ", ".join(list(data)[:8])
        return f"a JSON object with keys {keys}" if keys else "an empty JSON object"
    if isinstance(data, list):
        return f"a JSON list of {len(data)} item(s)"
    return f"a JSON {type(data).__name__}"


def short(value: object, limit: int = _SHORT) -> str:
    """A tool's text cut to ``limit`` characters (reports hold long descriptions)."""
    text = " ".join(str(value or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def masked(secret: object) -> str:
    """A secret as shown in evidence: kept when the tool already masked it, else redacted."""
    value = str(secret or "")
    if not value or set(value) <= {"*", "x", "X", "•", "…"} or "REDACTED" in value:
        return value
    return redact(value)


def digest(*parts: object) -> str:
    """A short stable hash of ``parts`` (fingerprint keys that must not hold a secret)."""
    material = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def status_word(value: object) -> FindingStatus | None:
    """PASS/FAIL/MANUAL (any case, also PASSED/FAILED) as a finding status; None for anything else."""
    word = str(value or "").strip().upper()
    if word in {"PASS", "PASSED"}:
        return FindingStatus.PASS
    if word in {"FAIL", "FAILED"}:
        return FindingStatus.FAIL
    if word in {"MANUAL", "WARNING", "REVIEW"}:
        return FindingStatus.MANUAL
    return None


def first_line(value: object) -> int | None:
    """The first positive line number in an int, a list, or a text like ``"12,40"``; None when there is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    if isinstance(value, list | tuple):
        for item in value:
            line = first_line(item)
            if line is not None:
                return line
        return None
    if isinstance(value, str):
        for part in value.replace(" ", "").split(","):
            if part.isdigit() and int(part) >= 1:
                return int(part)
    return None
