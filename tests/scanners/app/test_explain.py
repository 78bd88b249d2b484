"""``csmguard scan app --explain RULE`` and the rules' recorded examples: each example does what it says when
scanned (the fail examples are reported by their rule, the pass examples are not)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.domain import FindingStatus
from csmguard.rules.model import Example, Rule
from csmguard.scanners.app.scan import AppScanner, AppScanOptions
from csmguard.services.app_scan import load_app_rules

runner = CliRunner()
RULES = [r for r in load_app_rules().for_scanner("app") if r.examples]
_JAVA_MEMBER = re.compile(r"^(?:(?:public|private|protected|static|final)\s+)*[\w<>\[\], ]+\s+\w+\s*\([^)]*\)\s*"
                          r"(?:throws [\w, ]+)?\s*\{|^(?:private|public|static|final)\s", re.M)
_JAVA_TYPE = re.compile(r"^(?:public\s+)?(?:class|interface)\s", re.M)


def _source(example: Example) -> tuple[str, str]:
    code = example.code
    if example.language == "java":
        if _JAVA_TYPE.search(code):
            return "Example.java", code
        if _JAVA_MEMBER.search(code):
            return "Example.java", f"class Example extends ContentProvider {{\n{code}\n}}\n"
        return "Example.java", f"class Example {{\nvoid example() throws Exception {{\n{code}\n}}\n}}\n"
    if "fun " in code or code.lstrip().startswith("val client"):
        return "Example.kt", code
    return "Example.kt", f"class Example {{\nfun example(web: WebView, cm: ClipboardManager) {{\n{code}\n}}\n}}\n"


@pytest.mark.parametrize(("rule", "index"), [(r, i) for r in RULES for i in range(len(r.examples))],
                         ids=[f"{r.id}-{i}" for r in RULES for i in range(len(r.examples))])
def test_examples_do_what_they_say(tmp_path: Path, rule: Rule, index: int) -> None:
    example = rule.examples[index]
    name, text = _source(example)
    (tmp_path / name).write_text(text, encoding="utf-8")
    outcome = AppScanner([rule]).scan_target(tmp_path / name, AppScanOptions())
    reported = [f for f in outcome.findings if f.status is FindingStatus.FAIL]
    assert bool(reported) == (example.verdict == "fail"), (text, [f.message.en for f in reported])


def test_explain_prints_rationale_examples_and_remediation_in_the_chosen_language() -> None:
    result = runner.invoke(app, ["scan", "app", "--explain", "app-045", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "APP-045 — Content provider builds a file path" in result.stdout
    assert "getCanonicalPath" in result.stdout and "CWE-22" in result.stdout
    assert "[java, reported]" in result.stdout and "[java, not reported]" in result.stdout
    zh = runner.invoke(app, ["scan", "app", "--explain", "APP-045"])
    assert "修正建議" in zh.stdout and "會被報告" in zh.stdout


def test_explain_of_an_unknown_rule_exits_2() -> None:
    result = runner.invoke(app, ["scan", "app", "--explain", "APP-999"])
    assert result.exit_code == 2
    assert "APP-999" in result.output
