"""What a parser reads from a foreign tool's report, before any mapping to the guideline."""

from __future__ import annotations

from dataclasses import dataclass, field

from csmguard.domain import FindingStatus, Location, ScanError, Severity, Target
from csmguard.domain.finding import JsonValue


@dataclass(frozen=True)
class ForeignItem:
    """One verdict of a foreign tool: its own rule ID, pass/fail (or manual), severity, target and location.
    ``key`` is what the tool knows to be stable about the item (it enters the fingerprint, never a line)."""

    rule: str
    status: FindingStatus
    severity: Severity
    title: str
    message: str
    target: Target
    location: Location = field(default_factory=Location)
    url: str | None = None
    evidence: dict[str, JsonValue] = field(default_factory=dict)
    key: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedReport:
    """A foreign report as read: the tool (canonical name) and its version, what the report is about
    (``subject``: an app, a cloud account, a repository …), the verdicts, the counts of what was recognised,
    and the entries that could not be read (each naming where it is)."""

    tool: str
    version: str | None
    subject: str
    items: tuple[ForeignItem, ...]
    recognised: dict[str, int]
    problems: tuple[ScanError, ...] = ()
    notes: tuple[str, ...] = ()


SEVERITY_WORDS = {
    "critical": Severity.CRITICAL, "high": Severity.HIGH, "error": Severity.HIGH, "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM, "warning": Severity.MEDIUM, "low": Severity.LOW, "note": Severity.LOW,
    "info": Severity.INFO, "informational": Severity.INFO, "unknown": Severity.INFO, "none": Severity.INFO,
}


def severity_of(value: object, default: Severity = Severity.MEDIUM) -> Severity:
    """A tool's severity word (any case: CRITICAL, High, warning, INFO …) as our severity; ``default`` when
    the tool left it empty (Checkov without a commercial key leaves every severity empty)."""
    if not isinstance(value, str) or not value.strip():
        return default
    return SEVERITY_WORDS.get(value.strip().lower(), default)
