"""The catalog as an OSCAL 1.1 catalog document, one per language, with the same control IDs."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from csmguard import __version__
from csmguard.catalog.model import Catalog, Node
from csmguard.domain import Lang

OSCAL_VERSION = "1.1.2"
CSMGUARD_NS = "https://csmguard.github.io/ns/oscal"
_UUID_NS = uuid.UUID("5b2bd1c6-8a0c-4c55-9d3f-3f1b3a8e3c11")


def control_id(node_id: str) -> str:
    """The OSCAL control ID of a requirement ID: ``CSM-14.4.3`` → ``csm-14.4.3``."""
    return node_id.lower()


def oscal_catalog(
    catalog: Catalog,
    lang: Lang,
    coverage: Mapping[str, Sequence[str]],
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Build the OSCAL catalog for ``lang``: chapters are groups, articles controls, paragraphs and
    items nested controls; the text is the statement part, evidence the assessment objectives,
    mappings links to the other frameworks."""
    stamp = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    groups = []
    for chapter in catalog.chapters:
        articles = [n for n in catalog.nodes if n.chapter == chapter.number and n.parent is None]
        groups.append({
            "id": f"ch-{chapter.number}",
            "class": "chapter",
            "title": chapter.title.get(lang),
            "props": [_prop("domain", chapter.domain.value)],
            "controls": [_control(article, catalog, lang, coverage) for article in articles],
        })
    return {"catalog": {
        "uuid": str(uuid.uuid5(_UUID_NS, f"{catalog.edition}/{lang.value}")),
        "metadata": {
            "title": catalog.title.get(lang),
            "last-modified": stamp,
            "version": catalog.edition,
            "oscal-version": OSCAL_VERSION,
            "props": [_prop("language", lang.value), _prop("generator", f"csmguard {__version__}")],
            "parties": [{
                "uuid": str(uuid.uuid5(_UUID_NS, "publisher")),
                "type": "organization",
                "name": catalog.publisher.get(lang),
            }],
        },
        "groups": groups,
    }}


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": CSMGUARD_NS, "value": value}


def _control(node: Node, catalog: Catalog, lang: Lang, coverage: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    cid = control_id(node.id)
    title = node.title.get(lang) if node.parent is None else f"{node.title.get(lang)} {node.id}"
    control: dict[str, Any] = {"id": cid, "class": node.kind.value, "title": title}
    props = [_prop("label", node.id), _prop("domain", node.domain.value)]
    if node.level:
        props.append(_prop("level", node.level.value))
    if node.actor:
        props.append(_prop("actor", node.actor.value))
    if node.check:
        props.append(_prop("check-method", node.check.value))
    props += [_prop("rule", rule) for rule in sorted(coverage.get(node.id, ()))]
    props += [_prop("applies-when", f"{c.question}={'true' if c.answer else 'false'}") for c in node.applies_when]
    control["props"] = props
    parts: list[dict[str, Any]] = []
    if node.text:
        statement: dict[str, Any] = {"id": f"{cid}_smt", "name": "statement", "prose": node.text.get(lang)}
        if node.weaker_clauses:
            statement["parts"] = [
                {"id": f"{cid}_smt.w{i + 1}", "name": "item", "props": [_prop("level", c.level.value)],
                 "prose": c.text.get(lang)} for i, c in enumerate(node.weaker_clauses)
            ]
        parts.append(statement)
    if node.evidence:
        parts.append({
            "id": f"{cid}_obj", "name": "assessment-objective",
            "parts": [{"id": f"{cid}_obj.{i + 1}", "name": "assessment-objective", "prose": e.get(lang)}
                      for i, e in enumerate(node.evidence)],
        })
    if parts:
        control["parts"] = parts
    if node.mappings:
        control["links"] = [
            {"href": f"#{m.framework}/{m.control}", "rel": m.relationship.value, "text": f"{m.framework} {m.control}"}
            for m in node.mappings
        ]
    children = catalog.children(node.id)
    if children:
        control["controls"] = [_control(child, catalog, lang, coverage) for child in children]
    return control
