from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.catalog.model import Catalog
from csmguard.domain import FindingStatus, Level, Location, Target
from csmguard.domain.errors import InputError
from csmguard.rules.loader import load_rules

VALID = """\
id: APP-900
scanner: app
title: {zh-TW: 測試規則, en: Test rule}
message: {zh-TW: "於 {where} 發現", en: "Found at {where}"}
severity: high
requirements: [CSM-17.1.2, CSM-16.3]
rationale: {zh-TW: 理由, en: Why}
remediation: {zh-TW: 修正, en: Fix}
references: {cwe: [CWE-798], masvs: [MASVS-STORAGE-1]}
condition: {pattern: "x"}
"""


def _write(root: Path, scanner: str, name: str, content: str) -> Path:
    folder = root / scanner
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def test_a_valid_rule_loads_with_its_level_and_makes_findings(tmp_path: Path, catalog: Catalog) -> None:
    _write(tmp_path, "app", "APP-900.yaml", VALID)
    rules = load_rules(catalog, ["app"], root=tmp_path)
    rule = rules.get("APP-900")
    assert rule.level is Level.SHALL  # 16.3 is shall, 17.1.2 is shall
    assert rules.coverage() == {"CSM-17.1.2": ["APP-900"], "CSM-16.3": ["APP-900"]}
    target = Target(kind="source", id="app/")
    first = rule.finding(FindingStatus.FAIL, target, Location(path="a.java", line=3), values={"where": "a.java"})
    moved = rule.finding(FindingStatus.FAIL, target, Location(path="a.java", line=90), values={"where": "a.java"})
    assert first.message.en == "Found at a.java" and first.message.zh_tw == "於 a.java 發現"
    assert first.fingerprint == moved.fingerprint
    assert first.requirements == ("CSM-17.1.2", "CSM-16.3")


@pytest.mark.parametrize(("name", "content", "field", "fragment"), [
    ("APP-900.yaml", VALID.replace("CSM-16.3", "CSM-99.1"), "requirements[1]", "not in catalog"),
    ("APP-900.yaml", VALID.replace("CSM-16.3", "CSM-2"), "requirements[1]", "not an assessable"),
    ("APP-900.yaml", VALID.replace("CSM-16.3", "CSM-16"), "requirements[1]", "not an assessable"),
    ("APP-900.yaml", VALID.replace("CSM-16.3", "CSM_16.3"), "requirements[1]", "not a requirement ID"),
    ("APP-900.yaml", VALID.replace("severity: high", "severity: dire"), "severity", "Input should be"),
    ("APP-900.yaml", VALID.replace("title: {zh-TW: 測試規則, en: Test rule}\n", ""), "title", "Field required"),
    ("APP-900.yaml", VALID.replace('condition: {pattern: "x"}\n', ""), None, "names its 'check'"),
    ("APP-900.yaml", VALID.replace("scanner: app", "scanner: iac"), None, "IAC-NNN"),
    ("APP-901.yaml", VALID, "id", "must be named APP-900.yaml"),
    ("APP-900.yaml", "id: [unclosed\n", None, "not valid YAML"),
    ("APP-900.yaml", VALID + "colour: red\n", "colour", "Extra inputs"),
])
def test_malformed_rules_name_the_file_and_field(tmp_path: Path, catalog: Catalog, name: str, content: str,
                                                 field: str | None, fragment: str) -> None:
    path = _write(tmp_path, "app", name, content)
    with pytest.raises(InputError) as info:
        load_rules(catalog, ["app"], root=tmp_path)
    assert info.value.file == str(path)
    assert info.value.field == field
    assert fragment in info.value.message


def test_duplicate_ids_are_rejected(tmp_path: Path, catalog: Catalog) -> None:
    _write(tmp_path, "app", "APP-900.yaml", VALID)
    _write(tmp_path, "app", "APP-900.yml", VALID)
    with pytest.raises(InputError, match="duplicate rule ID APP-900"):
        load_rules(catalog, ["app"], root=tmp_path)


def test_an_unregistered_check_function_is_rejected(tmp_path: Path, catalog: Catalog) -> None:
    _write(tmp_path, "app", "APP-900.yaml", VALID.replace('condition: {pattern: "x"}', "check: no_such_check"))
    assert load_rules(catalog, ["app"], root=tmp_path).get("APP-900").check == "no_such_check"
    with pytest.raises(InputError, match="not a registered check") as info:
        load_rules(catalog, ["app"], root=tmp_path, known_checks={"app": {"other_check"}})
    assert info.value.field == "check"


def test_every_shipped_rule_is_valid(catalog: Catalog) -> None:
    rules = load_rules(catalog)
    for rule in rules.rules:
        assert rule.level is not None
        assert rule.source is not None and rule.source.endswith(f"{rule.id}.yaml")
