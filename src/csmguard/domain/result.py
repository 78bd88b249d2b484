"""The result of one scan run: the findings, the inputs that could not be read, and counts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from csmguard import __version__
from csmguard.domain.finding import Finding, FindingStatus


class ScanError(BaseModel):
    """An input that could not be read or evaluated; the run goes on without it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: str
    path: str | None = None
    message: str
    row: int | None = None
    field: str | None = None

    def describe(self) -> str:
        """One line naming the input, the row/field where known, and what is wrong."""
        where = self.path or self.target
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class ScanResult(BaseModel):
    """Everything one ``csmguard scan …`` run produced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scanner: str
    targets: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    errors: tuple[ScanError, ...] = ()
    stats: dict[str, Any] = Field(default_factory=dict)
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None

    def status_counts(self) -> dict[str, int]:
        """How many findings have each status."""
        counts = Counter(f.status.value for f in self.findings)
        return {status.value: counts.get(status.value, 0) for status in FindingStatus}

    def to_json_dict(self) -> dict[str, Any]:
        """The scan-result JSON of the design."""
        return {
            "tool": {"name": "csmguard", "version": __version__},
            "scanner": self.scanner,
            "targets": list(self.targets),
            "findings": [f.to_json_dict() for f in self.findings],
            "errors": [e.model_dump(exclude_none=True) for e in self.errors],
            "stats": {**self.stats, "status_counts": self.status_counts()},
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }
