"""Suppressions (a baseline file): findings accepted by fingerprint, with a reason, an owner and an expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from csmguard.domain import Finding, ScanResult
from csmguard.domain.errors import InputError, input_error_from_validation
from csmguard.scanning.budget import BudgetExceeded, safe_load_yaml


class Suppression(BaseModel):
    """One accepted finding: who accepted it, why, and until when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fingerprint: str = Field(min_length=8)
    rule_id: str | None = None
    reason: str = Field(min_length=3)
    owner: str = Field(min_length=1)
    expires: date


class SuppressionFile(BaseModel):
    """The baseline file: a list of suppressions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    suppressions: tuple[Suppression, ...] = ()


@dataclass(frozen=True)
class SuppressionOutcome:
    """The findings that still count, and what the suppressions did."""

    findings: tuple[Finding, ...]
    suppressed: tuple[tuple[Finding, Suppression], ...]
    expired: tuple[Suppression, ...]
    unused: tuple[Suppression, ...]


def load_suppressions(path: Path) -> SuppressionFile:
    """Read a baseline file; every problem names the file and the field."""
    try:
        data: Any = safe_load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"not valid YAML: {exc}") from exc
    except BudgetExceeded as exc:
        raise InputError(str(path), f"not read: {exc}") from exc
    try:
        return SuppressionFile.model_validate(data or {})
    except ValidationError as exc:
        raise input_error_from_validation(str(path), exc) from exc


def apply_suppressions(findings: tuple[Finding, ...], baseline: SuppressionFile, today: date) -> SuppressionOutcome:
    """Remove the findings a live suppression covers; an expired suppression covers nothing."""
    live = {s.fingerprint: s for s in baseline.suppressions if s.expires >= today}
    expired = tuple(s for s in baseline.suppressions if s.expires < today)
    kept: list[Finding] = []
    suppressed: list[tuple[Finding, Suppression]] = []
    used: set[str] = set()
    for finding in findings:
        suppression = live.get(finding.fingerprint)
        if suppression is not None and (suppression.rule_id in (None, finding.rule_id)):
            suppressed.append((finding, suppression))
            used.add(suppression.fingerprint)
        else:
            kept.append(finding)
    unused = tuple(s for s in live.values() if s.fingerprint not in used)
    return SuppressionOutcome(tuple(kept), tuple(suppressed), expired, unused)


def suppress_result(result: ScanResult, baseline: SuppressionFile, today: date) -> ScanResult:
    """The result with suppressed findings removed and the suppressions recorded in its stats."""
    outcome = apply_suppressions(result.findings, baseline, today)
    stats = {
        **result.stats,
        "suppressed": [
            {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "reason": s.reason, "owner": s.owner,
             "expires": s.expires.isoformat()} for f, s in outcome.suppressed
        ],
        "expired_suppressions": [
            {"fingerprint": s.fingerprint, "rule_id": s.rule_id, "owner": s.owner, "expired": s.expires.isoformat()}
            for s in outcome.expired
        ],
    }
    return result.model_copy(update={"findings": outcome.findings, "stats": stats})


def baseline_from_result(result: ScanResult, *, reason: str, owner: str, expires: date) -> SuppressionFile:
    """A baseline that accepts every failing finding of ``result`` (``--write-baseline``)."""
    return SuppressionFile(suppressions=tuple(
        Suppression(fingerprint=f.fingerprint, rule_id=f.rule_id, reason=reason, owner=owner, expires=expires)
        for f in result.findings if f.failing
    ))


def read_scan_result(path: Path) -> ScanResult:
    """A scan result from the JSON that ``csmguard scan … --format json`` wrote; InputError naming the file
    and the finding when it is not one."""
    try:
        data: Any = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    except orjson.JSONDecodeError as exc:
        raise InputError(str(path), f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list) or "scanner" not in data:
        raise InputError(str(path), "not a scan result: write one with `csmguard scan … --format json`")
    findings = []
    for index, item in enumerate(data["findings"]):
        try:
            findings.append(Finding.model_validate(item))
        except ValidationError as exc:
            error = input_error_from_validation(str(path), exc)
            raise InputError(str(path), error.message, field=f"findings[{index}].{error.field}") from exc
    return ScanResult(scanner=str(data["scanner"]), targets=tuple(data.get("targets") or ()), findings=tuple(findings))


def dump_suppressions(baseline: SuppressionFile) -> str:
    """The baseline as YAML."""
    return yaml.safe_dump(baseline.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
