"""Catalog exports for other tools: the CISO Assistant framework library, the OSCAL profile and the OSCAL
component definition (scanners from the rule set, foreign tools from the mapping files)."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from csmguard.catalog.ciso_assistant import to_ciso_assistant_yaml
from csmguard.catalog.model import Catalog
from csmguard.catalog.oscal_components import oscal_component_definition, oscal_profile
from csmguard.domain import Lang
from csmguard.importing.mapping import TOOLS, load_mapping
from csmguard.rules.loader import RuleSet


def scanner_coverage(rules: RuleSet) -> dict[str, dict[str, list[str]]]:
    """CSM Guard scanner → requirement → the IDs of its (not deprecated) rules bearing on it."""
    out: dict[str, dict[str, list[str]]] = {}
    for rule in rules.rules:
        if rule.deprecated:
            continue
        for requirement in rule.requirements:
            out.setdefault(rule.scanner, {}).setdefault(requirement, []).append(rule.id)
    return out


def tool_coverage(edition: str) -> dict[str, dict[str, list[str]]]:
    """Foreign tool name → requirement → the tool's rule IDs its bundled mapping file maps there."""
    out: dict[str, dict[str, list[str]]] = {}
    for tool in TOOLS:
        mapping = load_mapping(tool, edition)
        for mapped in mapping.by_foreign.values():
            for requirement in mapped.requirements:
                out.setdefault(mapping.name, {}).setdefault(requirement, []).append(mapped.foreign)
    return out


def export_exchange(catalog: Catalog, rules: RuleSet, fmt: str, lang: Lang, *, now: datetime | None = None) -> bytes:
    """``ciso-assistant`` (YAML), ``oscal-profile`` or ``oscal-component-definition`` (JSON) of ``catalog``."""
    now = now or datetime.now(UTC)
    if fmt == "ciso-assistant":
        return to_ciso_assistant_yaml(catalog, rules.coverage(), published=now.date()).encode("utf-8")
    if fmt == "oscal-profile":
        document = oscal_profile(catalog, lang, now=now)
    else:
        document = oscal_component_definition(catalog, lang, scanner_coverage(rules), tool_coverage(catalog.edition),
                                              now=now)
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
