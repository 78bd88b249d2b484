"""The mapping tables and their path language: every table loads, names only derive functions that exist
and only Terraform types some IaC rule reads; paths fold case and underscores, decode JSON text and
URL-encoded documents, filter and pick list elements."""

from __future__ import annotations

from pathlib import Path

import pytest

import csmguard.scanners.iac as iac_package
from csmguard.scanners.iac.collect_exports import DERIVERS
from csmguard.scanners.iac.exportmap import NOT_IN_EXPORT, apply_fields, load_map, resolve

PROVIDERS = ("aws", "azure", "gcp")


def _rule_sources() -> str:
    """The text of every check module and rule file: a mapped type must appear in one of them."""
    package = Path(iac_package.__file__).parent
    rules = package.parent.parent / "rules" / "iac"
    files = [*package.glob("check*.py"), package / "network.py", *rules.glob("*.yaml")]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tables_name_existing_derivers_and_types_rules_read(provider: str) -> None:
    table = load_map(provider)
    sources = _rule_sources()
    assert table.types
    for source_type, targets in table.types.items():
        for target in targets:
            assert target.derive is None or target.derive in DERIVERS, (source_type, target.derive)
            assert f'"{target.type}"' in sources or f"- {target.type}\n" in sources, (source_type, target.type)


def test_paths_fold_case_and_underscores_and_decode_json_text() -> None:
    roots = {"": {"MultiAZ": False, "supplementaryConfiguration": {"BucketPolicy": '{"policyText": "{\\"a\\": 1}"}'}},
             "iam": {"audit_configs": [{"service": "allServices"}]}}
    assert resolve("multiAZ", roots) is False
    assert resolve("supplementaryConfiguration.BucketPolicy.policyText", roots) == {"a": 1}
    assert resolve("$iam.auditConfigs[].service", roots) == ["allServices"]
    assert resolve("missing.path", roots) is None


def test_paths_pick_and_filter_list_elements() -> None:
    roots = {"": {"versions": [{"isDefaultVersion": False, "document": "old"},
                               {"isDefaultVersion": True, "document": "new"}],
                  "logging": {"clusterLogging": [{"enabled": True, "types": ["api"]},
                                                 {"enabled": False, "types": ["audit"]}]}}}
    assert resolve("versions[isDefaultVersion=true].document", roots) == "new"
    assert resolve("versions[0].document", roots) == "old"
    assert resolve("versions[5].document", roots) is None
    assert resolve("logging.clusterLogging[?enabled=true].types[]", roots) == ["api"]


def test_value_specs() -> None:
    roots = {"": {"status": "ENABLED", "sku": {"name": "Standard_GRS"}, "doc": "%7B%22Version%22%3A%222012%22%7D",
                  "tags": [{"key": "tier", "value": "1"}], "ip": "", "rules": [{"p": 22}, {"p": 80}]}}
    fields = {
        "enabled": {"path": "status", "map": {"enabled": True}, "else": False},
        "replication": {"path": "sku.name", "regex": "_([A-Za-z]+)$"},
        "policy": {"path": "doc", "urldecode": True},
        "tags": {"path": "tags", "as_map": True},
        "public": {"path": "ip", "nonempty": True},
        "unknown": {"path": "absent", "absent": "unknown"},
        "left_out": "absent",
        "ports": {"each": "rules", "fields": {"port": "p"}, "where": {"p": 22}},
        "block": {"block": {"x": "status"}},
        "merged": {"all": ["rules[].p", "sku.name", "absent", "rules[].p"]},
    }
    assert apply_fields(fields, roots) == {
        "enabled": True, "replication": "GRS", "policy": {"Version": "2012"}, "tags": {"tier": "1"},
        "public": False, "unknown": NOT_IN_EXPORT, "ports": [{"port": 22}], "block": [{"x": "ENABLED"}],
        "merged": [22, 80, "Standard_GRS"]}
