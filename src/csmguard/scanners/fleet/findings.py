"""Turning verdicts into Findings: per device (fail, unknown, manual; passes on request) and one fleet
summary per rule against the pass-rate target."""

from __future__ import annotations

from dataclasses import dataclass

from csmguard.domain import Finding, FindingStatus, Location, Target, text
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.fleet.evaluate import FLEET_ONLY_REASONS, DeviceResult, FleetTally
from csmguard.scanners.fleet.facts import FAIL, NOT_APPLICABLE, NOT_ENFORCEABLE, PASS, UNKNOWN
from csmguard.scanners.fleet.reasons import reason_text

STATUS_OF_VERDICT = {
    PASS: FindingStatus.PASS,
    FAIL: FindingStatus.FAIL,
    UNKNOWN: FindingStatus.UNKNOWN,
    NOT_ENFORCEABLE: FindingStatus.MANUAL,
    NOT_APPLICABLE: FindingStatus.NOT_APPLICABLE,
}
FLEET_TARGET = Target(kind="fleet", id="fleet", name="device fleet")
MAX_DEPARTMENTS_IN_EVIDENCE = 20


def device_label(result: DeviceResult) -> str:
    """How a device is named in messages: its name, else serial, else ID."""
    d = result.device
    return d.name or d.serial or d.id


def device_findings(rules: tuple[Rule, ...], result: DeviceResult, *, include_passes: bool) -> list[Finding]:
    """The findings of one device: each non-passing verdict (and passes when asked); never not-applicable."""
    out: list[Finding] = []
    d = result.device
    target: Target | None = None
    label = device_label(result)
    for rule, (verdict, code, detail) in zip(rules, result.outcomes, strict=True):
        if verdict == NOT_APPLICABLE or (verdict == PASS and not include_passes) or code in FLEET_ONLY_REASONS:
            continue
        if target is None:
            target = Target(kind="device", id=d.id, name=d.name or d.serial)
        reason = reason_text(code, detail)
        message = text(f"{label}：{reason.zh_tw}", f"{label}: {reason.en}")
        evidence: dict[str, JsonValue] = {
            "verdict": verdict, "reason": code, "detail": detail, "platform": d.platform,
            "ownership": d.ownership, "sensitive": result.sensitive, "user": d.user, "department": d.department,
            "serial": d.serial, "os_version": d.os_version, "source": d.source, "row": d.row,
        }
        out.append(rule.finding(STATUS_OF_VERDICT[verdict], target, Location(device_id=d.id), message=message,
                                evidence={k: v for k, v in evidence.items() if v is not None}))
    return out


@dataclass(frozen=True)
class FleetRuleSummary:
    """One rule over the fleet: counts, pass rate and the resulting status."""

    rule: Rule
    counts: dict[str, int]
    pass_rate: float | None
    sensitive_failures: int
    status: FindingStatus
    register_missing: bool


def summarize_rule(tally: FleetTally, index: int, target_rate: float) -> FleetRuleSummary:
    """The fleet status of the rule at ``index``: fail below the target pass rate or on any failure of a
    sensitive-data rule on a sensitive device; unknown when its register was not given."""
    rule = tally.rules[index]
    counts = tally.rule_counts(index)
    decided = counts[PASS] + counts[FAIL] + counts[UNKNOWN]
    reasons = tally.reason_counts(index)
    register_missing = bool(reasons) and counts[UNKNOWN] > 0 and \
        sum(n for code, n in reasons.items() if code in FLEET_ONLY_REASONS) >= counts[UNKNOWN] and counts[PASS] == 0
    sensitive_failures = tally.sensitive_failures(index) if tally.tagged(index) else 0
    rate = counts[PASS] / decided if decided else None
    if register_missing:
        status = FindingStatus.UNKNOWN
    elif sensitive_failures:
        status = FindingStatus.FAIL
    elif rate is None:
        status = FindingStatus.MANUAL if counts[NOT_ENFORCEABLE] else FindingStatus.NOT_APPLICABLE
    elif rate < target_rate:
        status = FindingStatus.FAIL
    else:
        status = FindingStatus.PASS
    return FleetRuleSummary(rule, counts, rate, sensitive_failures, status, register_missing)


def _fleet_message(s: FleetRuleSummary, target_rate: float) -> tuple[str, str]:
    c = s.counts
    if s.register_missing:
        return ("未提供所需名冊，無法判斷（請以 --staff-changes / --byod-agreements 提供）",
                "the register this rule needs was not given (use --staff-changes / --byod-agreements)")
    if s.pass_rate is None:
        if c[NOT_ENFORCEABLE]:
            return (f"{c[NOT_ENFORCEABLE]} 台裝置無法由平台強制，需人工判斷補償控制",
                    f"{c[NOT_ENFORCEABLE]} device(s) where the platform cannot enforce it; a person must judge "
                    "the compensating controls")
        return "無適用裝置", "no device to which the rule applies"
    decided = c[PASS] + c[FAIL] + c[UNKNOWN]
    zh = (f"通過率 {s.pass_rate:.1%}（{c[PASS]}/{decided}），目標 {target_rate:.0%}；不合格 {c[FAIL]}、"
          f"無法判斷 {c[UNKNOWN]}、需人工判斷 {c[NOT_ENFORCEABLE]}")
    en = (f"pass rate {s.pass_rate:.1%} ({c[PASS]}/{decided}), target {target_rate:.0%}; {c[FAIL]} failing, "
          f"{c[UNKNOWN]} unknown, {c[NOT_ENFORCEABLE]} manual")
    if s.sensitive_failures:
        zh += f"；存放敏感性資料的裝置有 {s.sensitive_failures} 台不合格，整體判定不合格"
        en += f"; {s.sensitive_failures} failing device(s) hold sensitive data, so the fleet fails"
    return zh, en


def fleet_finding(tally: FleetTally, index: int, target_rate: float) -> Finding:
    """The fleet summary finding of the rule at ``index``, with breakdowns in its evidence."""
    s = summarize_rule(tally, index, target_rate)
    zh, en = _fleet_message(s, target_rate)
    departments = tally.breakdown(index, 2)
    worst = sorted(departments.items(), key=lambda kv: (-kv[1][FAIL], kv[0]))[:MAX_DEPARTMENTS_IN_EVIDENCE]
    evidence: dict[str, JsonValue] = {
        "counts": {("manual" if k == NOT_ENFORCEABLE else k): v for k, v in s.counts.items()},
        "pass_rate": round(s.pass_rate, 4) if s.pass_rate is not None else None,
        "target_pass_rate": target_rate,
        "sensitive_failures": s.sensitive_failures,
        "warnings": tally.warnings(index),
        "by_platform": tally.breakdown(index, 0),
        "by_ownership": tally.breakdown(index, 1),
        "by_department": dict(worst),
        "departments_total": len(departments),
        "reasons": tally.reason_counts(index),
    }
    return s.rule.finding(s.status, FLEET_TARGET, Location(resource=f"fleet/{s.rule.id}"),
                          message=text(zh, en), evidence=evidence)
