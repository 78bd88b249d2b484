"""Each reference field of a rule holds controls of its own standard: an ISO/IEC 27001 Annex A number filed
under ISO/IEC 27017, or a CCM control of the wrong domain, is refused when the rule loads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from csmguard.catalog.model import Catalog
from csmguard.domain.errors import InputError
from csmguard.rules.loader import load_rules
from csmguard.rules.references import (
    CCM_CONTROLS,
    ISO27017_CONTROLS,
    MASVS_CONTROLS,
    mapping_problem,
    reference_problem,
)

RULES = Path(__file__).resolve().parents[2] / "src" / "csmguard" / "rules"
RULE = """\
id: DOC-900
scanner: policydoc
title: {{zh-TW: 測試, en: Test}}
severity: low
requirements: [CSM-14.1]
rationale: {{zh-TW: 理由, en: Why}}
remediation: {{zh-TW: 修正, en: Fix}}
references: {{{field}: [{value}]}}
check: anything
"""


def test_the_standards_have_their_published_sizes() -> None:
    assert len(ISO27017_CONTROLS) == 114 + 7  # ISO/IEC 27002:2013 controls + the seven CLD controls
    assert len(CCM_CONTROLS) == 197
    assert len(MASVS_CONTROLS) == 24


@pytest.mark.parametrize(("field", "value"), [
    ("iso27017", "A.6.2.1"), ("iso27017", "A.13.2.1"), ("iso27017", "5.1.3"), ("iso27017", "CLD.9.5.3"),
    ("ccm", "SEF-09"), ("ccm", "XYZ-01"), ("ccm", "SEF-7"), ("masvs", "MASVS-NETWORK-3"),
    ("masvs", "OWASP MASVS-NETWORK-1"), ("cwe", "319"), ("checkov", "CKV_aws_1"), ("mobsf", "static analysis"),
])
def test_a_value_of_another_standard_is_refused(field: str, value: str) -> None:
    assert reference_problem(field, value) is not None


@pytest.mark.parametrize(("field", "value"), [
    ("iso27017", "6.2.1"), ("iso27017", "18.2.3"), ("iso27017", "CLD.12.4.5"), ("ccm", "SEF-07"), ("ccm", "A&A-02"),
    ("masvs", "MASVS-CODE-4"), ("cwe", "CWE-1357"), ("checkov", "CKV2_AWS_5"), ("mobsf", "android_logging"),
    ("other", "anything at all"),
])
def test_a_control_of_the_field_s_standard_is_accepted(field: str, value: str) -> None:
    assert reference_problem(field, value) is None


def test_an_annex_a_number_under_iso27017_stops_the_rule_from_loading(tmp_path: Path, catalog: Catalog) -> None:
    folder = tmp_path / "policydoc"
    folder.mkdir()
    (folder / "DOC-900.yaml").write_text(RULE.format(field="iso27017", value="A.6.2.1"), encoding="utf-8")
    with pytest.raises(InputError, match="Annex A"):
        load_rules(catalog, ["policydoc"], root=tmp_path)


def test_no_shipped_rule_files_a_27001_number_as_27017() -> None:
    for path in sorted(RULES.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for field, values in (data.get("references") or {}).items():
            for value in values or ():
                assert reference_problem(field, str(value)) is None, (path.name, field, value)


def test_reg_005_cites_breach_notification() -> None:
    data = yaml.safe_load((RULES / "register" / "REG-005.yaml").read_text(encoding="utf-8"))
    assert data["references"]["ccm"] == ["SEF-07"]  # SEF-07 security breach notification; SEF-08 is points of contact


def test_the_doc_and_site_rules_carry_27017_numbers_or_none() -> None:
    for path in [*sorted((RULES / "policydoc").glob("DOC-*.yaml")), RULES / "site" / "SITE-001.yaml"]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        iso = (data.get("references") or {}).get("iso27017") or []
        assert all(not str(v).startswith("A.") for v in iso), path.name
    site = yaml.safe_load((RULES / "site" / "SITE-001.yaml").read_text(encoding="utf-8"))
    assert "iso27017" not in site["references"]  # no 27002:2013 control is about a leave-site prompt


def test_every_catalog_mapping_names_a_control_of_its_framework(catalog: Catalog) -> None:
    for node in catalog.requirements():
        for mapping in node.mappings:
            assert mapping_problem(mapping.framework, mapping.control) is None, (node.id, mapping)
