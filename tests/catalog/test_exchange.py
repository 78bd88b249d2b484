"""Catalog exports for other tools: a CISO Assistant framework library (checked with the rules of CISO
Assistant's library loader, see fixtures/SOURCES.md), and an OSCAL profile and component definition (validated
with compliance-trestle's OSCAL models)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from typer.testing import CliRunner

from csmguard.catalog.model import Catalog
from csmguard.cli.main import app

FIXTURES = Path(__file__).parent / "fixtures"
# backend/ciso_assistant/settings.py LANGUAGES (see fixtures/SOURCES.md)
CISO_LANGUAGES = {"en", "fr", "es", "de", "it", "nl", "pl", "pt", "ar", "ro", "hi", "ur", "cs", "sv", "id", "da",
                  "hu", "uk", "el", "tr", "hr", "zh", "lt", "ko", "et", "sk", "sl"}
LIBRARY_REQUIRED = {"ref_id", "urn", "locale", "objects", "version"}
OBJECT_FIELDS = {"ttp_catalogs", "tactics", "techniques", "threats", "reference_controls", "metric_definitions",
                 "risk_matrix", "risk_matrices", "framework", "frameworks", "requirement_mapping_set",
                 "requirement_mapping_sets"}


def ciso_assistant_problems(library: dict[str, Any]) -> list[str]:
    """What CISO Assistant's library loader would refuse in ``library`` (its checks, restated)."""
    problems = [f"library lacks {f}" for f in sorted(LIBRARY_REQUIRED - set(library))]
    problems += [f"library {f} is empty" for f in sorted(LIBRARY_REQUIRED & set(library)) if not library[f]]
    if library.get("locale") not in CISO_LANGUAGES:
        problems.append(f"locale {library.get('locale')!r} is not a CISO Assistant language")
    objects = library.get("objects") or {}
    if not OBJECT_FIELDS & set(objects):
        problems.append("objects holds none of the object fields")
    if "framework" in objects and "frameworks" in objects:
        problems.append("both framework and frameworks")
    frameworks = list(objects.get("frameworks") or [])
    if "framework" in objects:
        frameworks.append(objects["framework"])
    for framework in frameworks:
        problems += [f"framework lacks {f}" for f in ("ref_id", "urn") if not framework.get(f)]
        nodes = framework.get("requirement_nodes") or []
        if not nodes:
            problems.append("framework has no requirement nodes")
        seen: dict[str, int] = {}
        for index, node in enumerate(nodes):
            urn = str(node.get("urn") or "").lower()
            if not urn:
                problems.append(f"node {index} lacks urn")
                continue
            if urn in seen:
                problems.append(f"node {index}: urn {urn} repeated")
            parent = node.get("parent_urn")
            if parent and parent.lower() not in seen:
                problems.append(f"node {index}: parent {parent} is not an earlier node")
            elif parent and "depth" in node and nodes[seen[parent.lower()]].get("depth", 0) + 1 != node["depth"]:
                problems.append(f"node {index}: depth {node['depth']} is not its parent's + 1")
            for lang in node.get("translations") or {}:
                if lang not in CISO_LANGUAGES:
                    problems.append(f"node {index}: translation {lang!r} is not a CISO Assistant language")
            seen[urn] = index
    return problems


def _export(fmt: str, *extra: str) -> bytes:
    result = CliRunner().invoke(app, ["catalog", "export", "-f", fmt, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_the_checker_accepts_a_library_in_ciso_assistants_format() -> None:
    library = yaml.safe_load((FIXTURES / "ciso-assistant-example-release-checklist.yaml").read_text("utf-8"))
    assert ciso_assistant_problems(library) == []
    broken = {**library, "objects": {"framework": {**library["objects"]["framework"], "requirement_nodes": [
        {"urn": "urn:x:1", "parent_urn": "urn:x:0", "depth": 2}]}}}
    assert ciso_assistant_problems(broken) == ["node 0: parent urn:x:0 is not an earlier node"]
    nodes = [dict(n) for n in library["objects"]["framework"]["requirement_nodes"]]
    nodes[3]["depth"] = 4
    nodes[1]["translations"] = {"zh-TW": {"name": "x"}}
    deeper = {**library, "locale": "zh-TW", "objects": {"framework": {**library["objects"]["framework"],
                                                                      "requirement_nodes": nodes}}}
    assert ciso_assistant_problems(deeper) == ["locale 'zh-TW' is not a CISO Assistant language",
                                               "node 1: translation 'zh-TW' is not a CISO Assistant language",
                                               "node 3: depth 4 is not its parent's + 1"]


def test_ciso_assistant_library_of_the_catalog(catalog: Catalog) -> None:
    library = yaml.safe_load(_export("ciso-assistant"))
    assert ciso_assistant_problems(library) == []
    nodes = library["objects"]["framework"]["requirement_nodes"]
    assessable = {n["ref_id"] for n in nodes if n["assessable"]}
    assert assessable == {n.id for n in catalog.requirements()}
    by_ref = {n["ref_id"]: n for n in nodes}
    node = by_ref["CSM-14.4.3"]
    assert node["parent_urn"] == by_ref["CSM-14.4"]["urn"] and node["depth"] == by_ref["CSM-14.4"]["depth"] + 1
    assert node["description"] == catalog.node("CSM-14.4.3").text.zh_tw  # type: ignore[union-attr]
    assert node["translations"]["en"]["description"] == catalog.node("CSM-14.4.3").text.en  # type: ignore[union-attr]
    assert "DEV-" in node["annotation"]
    assert len(nodes) == len(catalog.nodes) + len(catalog.chapters)


def test_oscal_profile_and_component_definition_are_valid_oscal(catalog: Catalog) -> None:
    from trestle.oscal.component import ComponentDefinition
    from trestle.oscal.profile import Profile

    profile = Profile.model_validate(orjson.loads(_export("oscal-profile"))["profile"])
    [imported] = profile.imports
    ids = {i.root if hasattr(i, "root") else str(i) for i in imported.include_controls[0].with_ids}
    assert len(ids) == len(list(catalog.requirements()))
    document = orjson.loads(_export("oscal-component-definition", "--lang", "en"))
    components = ComponentDefinition.model_validate(document["component-definition"]).components or []
    titles = {c.title for c in components}
    assert {"CSM Guard app", "CSM Guard iac", "Checkov", "Prowler", "MobSF"} <= titles
    [checkov] = [c for c in document["component-definition"]["components"] if c["title"] == "Checkov"]
    implemented = {r["control-id"]: r for r in checkov["control-implementations"][0]["implemented-requirements"]}
    assert "CKV_AWS_3" in {p["value"] for p in implemented["csm-7.5"]["props"]}


@pytest.mark.parametrize("fmt", ["oscal-profile", "oscal-component-definition", "ciso-assistant"])
def test_exports_are_stable_apart_from_the_date(fmt: str) -> None:
    def undated(content: bytes) -> Any:
        if fmt == "ciso-assistant":
            document = yaml.safe_load(content)
            document.pop("publication_date")
            return document
        document = orjson.loads(content)
        next(iter(document.values()))["metadata"].pop("last-modified")
        return document

    assert undated(_export(fmt)) == undated(_export(fmt))
