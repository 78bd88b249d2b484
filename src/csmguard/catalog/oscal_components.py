"""OSCAL 1.1 profile and component definition of the catalog, for firms on OSCAL tooling.

The profile selects the catalog's assessable requirements (optionally only those at a level or stronger); the
component definition describes what tests them: each CSM Guard scanner, and each foreign tool CSM Guard imports
(by its mapping file), with an implemented requirement per control it tests and the rule IDs that do."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from csmguard import __version__
from csmguard.catalog.model import Catalog
from csmguard.catalog.oscal import CSMGUARD_NS, OSCAL_VERSION, control_id
from csmguard.domain import Lang, Level

_UUID_NS = uuid.UUID("0f5e6a8e-2f57-4d3b-9a43-1c1f8b7b2d61")
CATALOG_HREF = "csmguard-{edition}-catalog-{lang}.json"


def _metadata(title: str, lang: Lang, edition: str, stamp: str) -> dict[str, Any]:
    return {"title": title, "last-modified": stamp, "version": edition, "oscal-version": OSCAL_VERSION,
            "props": [{"name": "language", "ns": CSMGUARD_NS, "value": lang.value},
                      {"name": "generator", "ns": CSMGUARD_NS, "value": f"csmguard {__version__}"}]}


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).replace(microsecond=0).isoformat()


def oscal_profile(catalog: Catalog, lang: Lang, *, level: Level | None = None,
                  now: datetime | None = None) -> dict[str, Any]:
    """The profile importing the catalog (``csmguard catalog export -f oscal`` written beside it) and selecting
    its assessable requirements, at ``level`` or stronger when given."""
    floor = level.strength if level else 1
    ids = [control_id(n.id) for n in catalog.requirements() if n.level and n.level.strength >= floor]
    title = f"{catalog.title.get(lang)} — {'評估基準' if lang is Lang.ZH_TW else 'assessment baseline'}"
    if level:
        title += f" ({level.value}+)"
    return {"profile": {
        "uuid": str(uuid.uuid5(_UUID_NS, f"profile/{catalog.edition}/{lang.value}/{level or 'all'}")),
        "metadata": _metadata(title, lang, catalog.edition, _stamp(now)),
        "imports": [{"href": CATALOG_HREF.format(edition=catalog.edition, lang=lang.value),
                     "include-controls": [{"with-ids": ids}]}],
        "merge": {"as-is": True},
    }}


def _implemented(control_rules: Mapping[str, Sequence[str]], note: str, source: str) -> list[dict[str, Any]]:
    return [{"uuid": str(uuid.uuid5(_UUID_NS, f"{source}/{requirement}")), "control-id": control_id(requirement),
             "description": f"{note}: {', '.join(sorted(rules))}",
             "props": [{"name": "rule", "ns": CSMGUARD_NS, "value": rule} for rule in sorted(rules)]}
            for requirement, rules in sorted(control_rules.items())]


def oscal_component_definition(catalog: Catalog, lang: Lang, scanners: Mapping[str, Mapping[str, Sequence[str]]],
                               tools: Mapping[str, Mapping[str, Sequence[str]]], *,
                               now: datetime | None = None) -> dict[str, Any]:
    """The component definition: ``scanners`` (CSM Guard scanner → requirement → its rule IDs) and ``tools``
    (foreign tool name → requirement → the foreign rule IDs its mapping file maps there, all partial)."""
    zh = lang is Lang.ZH_TW
    source = CATALOG_HREF.format(edition=catalog.edition, lang=lang.value)
    components = []
    for name, rules in sorted(scanners.items()):
        components.append({
            "uuid": str(uuid.uuid5(_UUID_NS, f"scanner/{name}")), "type": "validation",
            "title": f"CSM Guard {name}",
            "description": f"CSM Guard 之 {name} 檢測及其規則" if zh else f"The CSM Guard {name} checks, rules",
            "control-implementations": [{
                "uuid": str(uuid.uuid5(_UUID_NS, f"scanner/{name}/impl")), "source": source,
                "description": "以下規則檢測各控制項" if zh else "These rules test the controls",
                "implemented-requirements": _implemented(rules, "CSM Guard rules", f"scanner/{name}")}],
        })
    for name, rules in sorted(tools.items()):
        components.append({
            "uuid": str(uuid.uuid5(_UUID_NS, f"tool/{name}")), "type": "validation", "title": name,
            "description": (f"{name} 之檢測結果經 csmguard import findings 對應至指引（皆為部分涵蓋）" if zh else
                            f"{name} findings, mapped to the guideline by csmguard import findings (each partly tests "
                            "its control)"),
            "control-implementations": [{
                "uuid": str(uuid.uuid5(_UUID_NS, f"tool/{name}/impl")), "source": source,
                "description": "工具規則部分涵蓋各控制項" if zh else "The tool's rules partly test the controls",
                "implemented-requirements": _implemented(rules, f"{name} rules (partial)", f"tool/{name}")}],
        })
    title = f"{catalog.title.get(lang)} — {'檢測元件' if zh else 'checking components'}"
    return {"component-definition": {
        "uuid": str(uuid.uuid5(_UUID_NS, f"components/{catalog.edition}/{lang.value}")),
        "metadata": _metadata(title, lang, catalog.edition, _stamp(now)),
        "components": components,
    }}
