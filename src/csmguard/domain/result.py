"""The result of one scan run: the findings, the inputs that could not be read, and counts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from csmguard import __version__
from csmguard.domain.coverage import Coverage, ScanState, target_key
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
    coverage: Coverage | None = None
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None

    def effective_coverage(self) -> Coverage:
        """The coverage the scanner declared; for a result that declares none (an uploaded or older JSON
        result), the targets its findings name are what it recognised, and nothing more."""
        if self.coverage is not None:
            return self.coverage
        kinds = Counter(kind for kind, _ in {(f.target.kind, f.target.id) for f in self.findings})
        return Coverage(recognised=dict(kinds))

    @property
    def state(self) -> ScanState:
        """failed when nothing of the scanner's kind was recognised; partial when some input could not be
        read or a rule could not be evaluated; complete otherwise."""
        if not self.effective_coverage().recognised_anything:
            return ScanState.FAILED
        unevaluated = any(f.status is FindingStatus.ERROR for f in self.findings)
        return ScanState.PARTIAL if self.errors or unevaluated else ScanState.COMPLETE

    def rules_examined(self) -> dict[str, int]:
        """How many targets each rule examined (declared or proven by a finding), by rule ID."""
        targets: dict[str, set[str]] = {}
        for target, rule in self.covered_keys():
            targets.setdefault(rule, set()).add(target)
        return {rule: len(found) for rule, found in sorted(targets.items())}

    def covered_keys(self) -> set[tuple[str, str]]:
        """Every (target key, rule id) this scan examined: the declared pairs and those its findings prove."""
        keys = self.effective_coverage().examined_keys()
        keys.update((target_key(f.target.kind, f.target.id), f.rule_id) for f in self.findings)
        return keys

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
            "state": self.state.value,
            "coverage": {**self.effective_coverage().to_json_dict(), "rules_examined": self.rules_examined()},
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }
