"""Every rule on its fixtures, one format for every scanner: tests/rules/<ID>/pass/… holds inputs the
rule must not fail, tests/rules/<ID>/fail/… inputs it must fail, and tests/rules/<ID>/expect.yaml says,
per fixture, which findings (by the scanner's key, or a count) have which status:

    context: {…}              # optional: the scanner's options for every fixture of the rule
    fixtures:
      fail/terraform:         # a path below the rule's folder
        fail: [aws_ebs_volume.plain]
        pass: [aws_ebs_volume.encrypted]
        unknown: 2            # a count when the keys do not matter
        evidence:             # optional: evidence fields of the finding with that key
          cloud-services/Trading DB: {missing_periods: ["2026-02"]}

A status the entry does not name must not occur. The rule runs through the contract's runner, so a check
that raises shows up as an ``error`` finding. Each scanner's adapter (adapters.py) reads the fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from csmguard.catalog.loader import load_catalog
from csmguard.domain import FindingStatus
from csmguard.rules.contract import registry, run_checks
from csmguard.rules.loader import RuleSet, load_rules
from tests.rules.adapters import ADAPTERS

HERE = Path(__file__).parent
KINDS = ("pass", "fail")
RULES: RuleSet = load_rules(load_catalog("csm-17"), sorted(ADAPTERS))


def _cases() -> list[tuple[str, str]]:
    out = []
    for expect in sorted(HERE.glob("*/expect.yaml")):
        data = yaml.safe_load(expect.read_text(encoding="utf-8")) or {}
        out += [(expect.parent.name, fixture) for fixture in data.get("fixtures") or {}]
    return out


CASES = _cases()


def _expect(rule_id: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((HERE / rule_id / "expect.yaml").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("scanner", sorted(ADAPTERS))
def test_every_rule_of_the_scanner_has_fixtures(scanner: str) -> None:
    rules = {r.id for r in RULES.for_scanner(scanner)}
    assert rules - {p.parent.name for p in HERE.glob("*/expect.yaml")} == set()


@pytest.mark.parametrize("rule_id", sorted({rule_id for rule_id, _ in CASES}))
def test_expect_yaml_lists_exactly_the_fixtures(rule_id: str) -> None:
    data = _expect(rule_id)
    assert set(data) <= {"context", "fixtures"}
    on_disk = {f"{kind}/{p.name}" for kind in KINDS for p in (HERE / rule_id / kind).glob("*")}
    assert set(data["fixtures"]) == on_disk
    assert on_disk, "a rule has at least one fixture"


@pytest.mark.parametrize(("rule_id", "fixture"), CASES, ids=[f"{r}:{f}" for r, f in CASES])
def test_rule_on_its_fixture(rule_id: str, fixture: str) -> None:
    rule = RULES.get(rule_id)
    adapter = ADAPTERS[rule.scanner]
    data = _expect(rule_id)
    expected: dict[str, Any] = dict(data["fixtures"][fixture] or {})
    evidence: dict[str, dict[str, Any]] = expected.pop("evidence", None) or {}
    assert set(expected) <= {s.value for s in FindingStatus}, "statuses: fail, pass, unknown, manual …"
    facts, context = adapter.load(HERE / rule_id / fixture, data.get("context") or {})
    assert adapter.problems(facts) == []
    findings = run_checks([rule], registry(rule.scanner, object, object), facts, context)
    got: dict[str, list[str]] = {}
    for finding in findings:
        got.setdefault(finding.status.value, []).append(adapter.key(finding))
        assert finding.requirements == rule.requirements
    for status in FindingStatus:
        want = expected.get(status.value)
        keys = sorted(got.get(status.value, []))
        if isinstance(want, int):
            assert len(keys) == want, (status.value, keys)
        else:
            assert keys == sorted(want or []), status.value
    for key, fields in evidence.items():
        finding = next(f for f in findings if adapter.key(f) == key)
        assert {name: finding.evidence.get(name) for name in fields} == fields, key
    kind = fixture.split("/", 1)[0]
    if kind == "fail":
        assert got.get("fail"), "a fail/ fixture makes the rule fail"
    else:
        assert not got.get("fail"), "a pass/ fixture never makes the rule fail"
