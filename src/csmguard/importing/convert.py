"""A parsed foreign report → a CSM Guard scan result: mapped verdicts become findings with provenance, passes
of a rule that only partly tests its clause cover their target without claiming the clause, and verdicts of
rules with no mapping are listed (rule, count), never dropped.

Why a pass under a ``partial`` mapping is not a pass finding: such a rule tests only part of the clause (an
encrypted disk says nothing about who may copy its snapshots), so its pass must not make the clause 符合. It is
kept as coverage, so it still resolves an earlier failure of the same rule on the same target."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from csmguard.domain import Finding, FindingStatus, Provenance, ScanResult, make_fingerprint, text
from csmguard.domain.coverage import Coverage, examined, target_key
from csmguard.importing.mapping import Mapped, ToolMapping
from csmguard.importing.model import ForeignItem, ParsedReport

_COVERAGE_ZH = {"full": "完整涵蓋", "partial": "部分涵蓋"}
_COVERAGE_EN = {"full": "fully tests", "partial": "partly tests"}


def scanner_name(tool: str) -> str:
    """The scanner name an imported scan is recorded under (``import:checkov``)."""
    return f"import:{tool}"


def _finding(item: ForeignItem, mapped: Mapped, mapping: ToolMapping, report: ParsedReport, source: str,
             observed_at: datetime) -> Finding:
    tool = mapping.name
    version = f" {report.version}" if report.version else ""
    clauses = "、".join(mapped.requirements)
    clauses_en = ", ".join(mapped.requirements)
    url = item.url or (mapping.rule_url.format(rule=item.rule) if mapping.rule_url else None)
    status = FindingStatus.MANUAL if mapped.review and item.status is FindingStatus.FAIL else item.status
    return Finding(
        rule_id=mapped.rule_id, status=status, severity=item.severity, level=mapped.level,
        requirements=mapped.requirements,
        title=text(f"{tool} {item.rule}：{item.title}", f"{tool} {item.rule}: {item.title}"),
        message=text(
            f"{item.message}（由 {tool}{version} 檢出，規則 {item.rule}；{_COVERAGE_ZH[mapped.coverage]} {clauses}："
            f"{mapped.note.zh_tw}）",
            f"{item.message} (reported by {tool}{version}, rule {item.rule}; {_COVERAGE_EN[mapped.coverage]} "
            f"{clauses_en}: {mapped.note.en})"),
        target=item.target, location=item.location, evidence=item.evidence,
        fingerprint=make_fingerprint(mapped.rule_id, item.target, item.location, f"{item.rule}\x1f{item.key}"),
        observed_at=observed_at,
        provenance=Provenance(tool=tool, version=report.version, rule_id=item.rule, url=url,
                              coverage=mapped.coverage, file=source))


def unmapped_summary(items: list[ForeignItem]) -> dict[str, Any]:
    """The rules with no mapping: how many verdicts and rules, and per rule its count and statuses."""
    by_rule: dict[str, Counter[str]] = {}
    for item in items:
        by_rule.setdefault(item.rule, Counter())[item.status.value] += 1
    rules = [{"rule": rule, "count": sum(c.values()), "statuses": dict(sorted(c.items()))}
             for rule, c in sorted(by_rule.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))]
    return {"findings": len(items), "rules": len(rules), "by_rule": rules}


def to_scan_result(report: ParsedReport, mapping: ToolMapping, *, source: str, fmt: str,
                   started_at: datetime | None = None) -> ScanResult:
    """The scan result of one foreign report (see the module's docstring for how verdicts are kept)."""
    started = started_at or datetime.now(UTC)
    findings: list[Finding] = []
    covered: dict[str, set[str]] = {}
    unmapped: list[ForeignItem] = []
    covered_passes = 0
    for item in report.items:
        mapped = mapping.lookup(item.rule, item.aliases)
        if mapped is None:
            unmapped.append(item)
        elif item.status is FindingStatus.PASS and mapped.coverage == "partial":
            covered.setdefault(mapped.rule_id, set()).add(target_key(item.target.kind, item.target.id))
            covered_passes += 1
        else:
            findings.append(_finding(item, mapped, mapping, report, source, started))
    coverage = Coverage(recognised=dict(report.recognised),
                        examined=tuple(examined([rule], targets) for rule, targets in sorted(covered.items())))
    stats: dict[str, Any] = {"import": {
        "tool": mapping.name, "tool_key": report.tool, "tool_version": report.version, "format": fmt,
        "file": source, "subject": report.subject, "verdicts_read": len(report.items),
        "mapped_findings": len(findings), "passes_as_coverage": covered_passes,
        "unmapped": unmapped_summary(unmapped), "notes": list(report.notes)}}
    return ScanResult(scanner=scanner_name(report.tool), targets=(source,), findings=tuple(findings),
                      errors=report.problems, stats=stats, coverage=coverage, started_at=started,
                      finished_at=datetime.now(UTC))


def unmapped_text(info: dict[str, Any]) -> tuple[str, str] | None:
    """'42 findings from 7 rules with no mapping: …' in zh-TW and English from an import's ``stats.import``
    (as recorded with the scan), or None when every verdict was mapped."""
    unmapped = info.get("unmapped") or {}
    if not unmapped.get("findings"):
        return None
    rules = ", ".join(f"{r['rule']} ({r['count']})" for r in unmapped["by_rule"][:10])
    more = f" …+{unmapped['rules'] - 10}" if unmapped["rules"] > 10 else ""
    return (f"{unmapped['findings']} 項發現來自 {unmapped['rules']} 條無對應條文之規則：{rules}{more}",
            f"{unmapped['findings']} findings from {unmapped['rules']} rules with no mapping: {rules}{more}")


def unmapped_line(result: ScanResult) -> tuple[str, str] | None:
    """'42 findings from 7 rules with no mapping' in zh-TW and English, or None when every verdict was mapped."""
    return unmapped_text(result.stats.get("import", {}))
