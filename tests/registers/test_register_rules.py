"""Every REG- rule on its fixtures (tests/rules/REG-NNN/fail.yaml and pass.yaml): exactly which records
fail, pass or are not applicable."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from csmguard.catalog.model import Catalog
from csmguard.registers.check_helpers import RegisterCheckContext
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.facts import FACT_FIELDS, RegisterFacts
from csmguard.registers.specs import get_spec
from csmguard.rules.contract import registry
from csmguard.rules.loader import RuleSet, load_rules

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
REG_DIRS = sorted(p for p in RULES_DIR.glob("REG-*") if p.is_dir())


def facts_from(registers: dict[str, list[dict[str, Any]]]) -> RegisterFacts:
    """Typed register facts from a fixture's ``registers`` mapping (validated like any import)."""
    values: dict[str, Any] = {}
    answers: dict[str, bool] = {}
    for kind, items in registers.items():
        spec = get_spec(kind)
        records = tuple(spec.model.model_validate(item) for item in items)
        if kind == "profile":
            answers = {r.question: r.answer for r in records}  # type: ignore[attr-defined]
        else:
            values[FACT_FIELDS[kind]] = records
    return RegisterFacts(answers=answers, **values)


@pytest.fixture(scope="module")
def register_rules(catalog: Catalog) -> RuleSet:
    return load_rules(catalog, ["register"])


def test_every_register_rule_has_fixtures(register_rules: RuleSet) -> None:
    ids = {r.id for r in register_rules.for_scanner("register")}
    assert ids == {p.name for p in REG_DIRS}
    for folder in REG_DIRS:
        assert (folder / "fail.yaml").is_file() and (folder / "pass.yaml").is_file(), folder


def _cases(path: Path) -> list[tuple[date, dict[str, Any], dict[str, list[str]], dict[str, Any]]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = doc.get("cases") or [{"registers": doc["registers"], "expect": doc["expect"],
                                  "evidence": doc.get("evidence", {})}]
    return [(doc["as_of"], c["registers"], c["expect"], c.get("evidence", {})) for c in cases]


@pytest.mark.parametrize("folder", REG_DIRS, ids=lambda p: p.name)
@pytest.mark.parametrize("variant", ["fail", "pass"])
def test_rule_on_fixtures(folder: Path, variant: str, register_rules: RuleSet) -> None:
    rule = register_rules.get(folder.name)
    assert rule.check is not None
    for as_of, registers, expect, evidence in _cases(folder / f"{variant}.yaml"):
        check = registry("register", RegisterFacts, RegisterCheckContext).get(rule.check)
        findings = check(rule, facts_from(registers), RegisterCheckContext(RegisterCheckSettings(), as_of))
        got: dict[str, list[str]] = {}
        for finding in findings:
            assert finding.rule_id == rule.id
            assert finding.requirements == rule.requirements
            assert finding.message.zh_tw and finding.message.en
            got.setdefault(finding.status.value, []).append(finding.target.id.removeprefix(""))
        expected = {status: sorted(ids) for status, ids in expect.items()}
        assert {k: sorted(v) for k, v in got.items()} == expected
        if variant == "fail":
            assert set(got) == {"fail"}
        for target_id, wanted in evidence.items():
            finding = next(f for f in findings if f.target.id == target_id)
            for key, value in wanted.items():
                assert finding.evidence[key] == value
