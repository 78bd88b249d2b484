from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from csmguard.domain import Finding, FindingStatus, Level, ScanError, ScanResult, Severity, Target, text
from csmguard.domain.errors import InputError
from csmguard.scanning.gate import FailOn, exit_code
from csmguard.scanning.suppressions import (
    SuppressionFile,
    baseline_from_result,
    dump_suppressions,
    load_suppressions,
    suppress_result,
)


def _finding(fp: str, status: FindingStatus = FindingStatus.FAIL, level: Level = Level.SHALL) -> Finding:
    return Finding(rule_id="APP-001", status=status, severity=Severity.HIGH, level=level,
                   requirements=("CSM-16.3",), title=text("t", "t"), message=text("m", "m"),
                   target=Target(kind="apk", id="a.apk"), fingerprint=fp)


def test_exit_codes_follow_fail_on_levels() -> None:
    should_fail = ScanResult(scanner="app", targets=("a",), findings=(_finding("f" * 16, level=Level.SHOULD),))
    assert exit_code(should_fail, FailOn.SHALL) == 0
    assert exit_code(should_fail, FailOn.SHOULD) == 1
    assert exit_code(should_fail, FailOn.NEVER) == 0
    passing = ScanResult(scanner="app", targets=("a",), findings=(_finding("p" * 16, FindingStatus.PASS),))
    assert exit_code(passing, FailOn.MAY) == 0
    broken = ScanResult(scanner="app", targets=("a",), errors=(ScanError(target="a", message="truncated"),))
    assert exit_code(broken, FailOn.SHALL) == 2


def test_live_suppressions_hide_findings_and_expired_ones_do_not(tmp_path: Path) -> None:
    result = ScanResult(scanner="app", targets=("a",), findings=(_finding("a" * 16), _finding("b" * 16)))
    path = tmp_path / "baseline.yaml"
    path.write_text(
        "suppressions:\n"
        f"  - {{fingerprint: {'a' * 16}, reason: accepted risk, owner: alice, expires: 2030-01-01}}\n"
        f"  - {{fingerprint: {'b' * 16}, reason: accepted risk, owner: bob, expires: 2020-01-01}}\n",
        encoding="utf-8")
    outcome = suppress_result(result, load_suppressions(path), date(2026, 11, 29))
    assert [f.fingerprint for f in outcome.findings] == ["b" * 16]
    assert outcome.stats["suppressed"][0]["owner"] == "alice"
    assert outcome.stats["expired_suppressions"][0]["owner"] == "bob"
    assert exit_code(outcome, FailOn.SHALL) == 1


def test_a_written_baseline_suppresses_what_it_was_made_from() -> None:
    result = ScanResult(scanner="app", targets=("a",), findings=(_finding("c" * 16),))
    baseline = baseline_from_result(result, reason="legacy", owner="carol", expires=date(2027, 1, 1))
    reloaded = SuppressionFile.model_validate(__import__("yaml").safe_load(dump_suppressions(baseline)))
    assert suppress_result(result, reloaded, date(2026, 12, 1)).findings == ()


def test_a_malformed_baseline_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "baseline.yaml"
    path.write_text("suppressions:\n  - {fingerprint: abcdefabcdef, owner: x, expires: 2030-01-01}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_suppressions(path)
    assert info.value.field == "suppressions[0].reason"
