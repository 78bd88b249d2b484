"""The mapping files: every mapped clause exists and is assessable, IDs are in their family and unique, and a
bad mapping file is an error naming the file and field."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from csmguard.catalog.model import Catalog
from csmguard.domain.errors import InputError
from csmguard.importing.mapping import TOOLS, load_mapping, parse_mapping


@pytest.mark.parametrize("tool", TOOLS)
def test_every_mapped_clause_exists_in_the_catalog(tool: str, catalog: Catalog) -> None:
    mapping = load_mapping(tool)
    assert mapping.by_foreign, f"{tool}: no rule mapped"
    raw = yaml.safe_load(resources.files("csmguard.mappings").joinpath(f"{tool}.yaml").read_text("utf-8"))
    assert len(raw["rules"]) == len(mapping.by_foreign)
    ids = [m.rule_id for m in mapping.by_foreign.values()]
    assert len(ids) == len(set(ids))
    for mapped in mapping.by_foreign.values():
        assert mapped.rule_id.startswith(mapping.family + "-")
        for clause in mapped.requirements:
            node = catalog.node(clause)
            assert node.is_requirement, f"{tool} {mapped.foreign}: {clause} is not assessable"
        assert mapped.level is not None and mapped.coverage in {"full", "partial"}
        assert mapped.note.zh_tw and mapped.note.en


def test_families_are_distinct() -> None:
    families = [load_mapping(tool).family for tool in TOOLS]
    assert len(families) == len(set(families))


def _write(tmp_path: Path, rules: list[dict[str, object]], family: str = "XCKV") -> str:
    return yaml.safe_dump({"tool": "checkov", "name": "Checkov", "family": family, "rules": rules})


NOTE = {"zh-TW": "說明", "en": "note"}


@pytest.mark.parametrize(("rules", "family", "field", "words"), [
    ([{"id": "XCKV-001", "foreign": "A", "clauses": ["CSM-99.1"], "coverage": "partial", "note": NOTE}], "XCKV",
     "rules[0].clauses[0]", "not an assessable requirement"),
    ([{"id": "XCKV-001", "foreign": "A", "clauses": ["CSM-2"], "coverage": "partial", "note": NOTE}], "XCKV",
     "rules[0].clauses[0]", "not an assessable requirement"),
    ([{"id": "XCKV-001", "foreign": "A", "clauses": ["CSM-7.5"], "coverage": "partial", "level": "may",
       "note": NOTE}], "XCKV", "rules[0].level", "has no may clause"),
    ([{"id": "XPRW-001", "foreign": "A", "clauses": ["CSM-7.5"], "coverage": "partial", "note": NOTE}], "XCKV",
     "rules[0].id", "not in family"),
    ([{"id": "XCKV-001", "foreign": "A", "clauses": ["CSM-7.5"], "coverage": "partial", "note": NOTE},
      {"id": "XCKV-002", "foreign": "A", "clauses": ["CSM-7.4"], "coverage": "partial", "note": NOTE}], "XCKV",
     "rules[1].foreign", "mapped twice"),
    ([], "CKV", "family", "must be X"),
])
def test_a_bad_mapping_names_the_file_and_field(tmp_path: Path, catalog: Catalog, rules: list[dict[str, object]],
                                                family: str, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_mapping(_write(tmp_path, rules, family), "mine.yaml", catalog)
    assert caught.value.file == "mine.yaml" and caught.value.field == field and words in caught.value.message


def test_a_firms_own_mapping_is_added(tmp_path: Path) -> None:
    own = tmp_path / "own.yaml"
    own.write_text(_write(tmp_path, [{"id": "XCKV-900", "foreign": "CKV_AWS_23", "clauses": ["CSM-7.3"],
                                      "coverage": "partial", "note": NOTE}]), encoding="utf-8")
    merged = load_mapping("checkov", extra=own)
    assert merged.by_foreign["CKV_AWS_23"].rule_id == "XCKV-900"
    assert "CKV_AWS_3" in merged.by_foreign
    other = tmp_path / "other.yaml"
    other.write_text(_write(tmp_path, [], family="XABC"), encoding="utf-8")
    with pytest.raises(InputError, match="does not match the checkov family"):
        load_mapping("checkov", extra=other)
