"""Named bilingual messages in a rule's YAML: the loader rejects a template whose zh-TW and en use
different fields; a check picks a message by name and fills its fields; an unknown name or a missing
field is the rule's ``error`` finding, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, FindingStatus, Target
from csmguard.domain.errors import InputError
from csmguard.domain.i18n import text
from csmguard.rules.contract import CheckRegistry, run_checks
from csmguard.rules.loader import load_rules
from csmguard.rules.model import Rule, RuleMessageError, message_fields

SOURCE = Path(__file__).parents[2] / "src/csmguard/rules/iac/IAC-060.yaml"


def _rule(tmp_path: Path, messages: str) -> Rule:
    (tmp_path / "iac").mkdir(exist_ok=True)
    content = SOURCE.read_text(encoding="utf-8").replace("severity: high", messages + "\nseverity: high")
    (tmp_path / "iac" / "IAC-060.yaml").write_text(content, encoding="utf-8")
    return load_rules(load_catalog("csm-17"), ["iac"], root=tmp_path).get("IAC-060")


GOOD = """messages:
  privileged:
    zh-TW: '特權容器：{containers}（共 {count} 個）'
    en: 'privileged container(s): {containers} ({count})'
  none:
    zh-TW: 沒有特權容器
    en: no privileged container"""


def test_a_check_picks_a_message_by_name_and_fills_its_fields(tmp_path: Path) -> None:
    rule = _rule(tmp_path, GOOD)
    finding = rule.finding(FindingStatus.FAIL, Target(kind="k", id="1"), message="privileged",
                           values={"containers": "web", "count": 1})
    assert finding.message == text("特權容器：web（共 1 個）", "privileged container(s): web (1)")
    assert rule.finding(FindingStatus.PASS, Target(kind="k", id="1"), message="none").message.en == \
        "no privileged container"


def test_a_localized_value_fills_each_language_with_its_own_text(tmp_path: Path) -> None:
    rule = _rule(tmp_path, GOOD)
    rendered = rule.render("privileged", {"containers": text("網頁", "web"), "count": 2})
    assert rendered == text("特權容器：網頁（共 2 個）", "privileged container(s): web (2)")


def test_the_loader_rejects_templates_with_different_fields(tmp_path: Path) -> None:
    bad = GOOD.replace("（共 {count} 個）", "（共 {n} 個）")
    with pytest.raises(InputError, match=r"message 'privileged': zh-TW and en use different fields: "
                                         r"zh-TW \['containers', 'n'\], en \['containers', 'count'\]"):
        _rule(tmp_path, bad)


def test_the_loader_rejects_positional_placeholders(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="placeholders are named"):
        _rule(tmp_path, GOOD.replace("{containers}", "{}"))


def test_fields_of_a_template() -> None:
    assert message_fields(text("{a.b}：{c[0]}{{literal}}", "{c[1]} {a}")) == {"a", "c"}


@pytest.mark.parametrize(("name", "values", "problem"), [
    ("no_such", {}, "has no message 'no_such'"),
    ("privileged", {"containers": "web"}, "needs field 'count'"),
])
def test_an_unknown_message_or_missing_field_is_the_rules_error_finding(
        tmp_path: Path, name: str, values: dict[str, object], problem: str) -> None:
    rule = _rule(tmp_path, GOOD)
    with pytest.raises(RuleMessageError, match=problem):
        rule.render(name, values)

    def check(rule_: Rule, facts: None, context: None) -> list[Finding]:
        return [rule_.finding(FindingStatus.FAIL, Target(kind="k", id="1"), message=name, values=values)]

    [finding] = run_checks([rule], CheckRegistry("iac", {"privileged_containers": check}), None, None)
    assert finding.status is FindingStatus.ERROR
    assert problem in finding.message.en
