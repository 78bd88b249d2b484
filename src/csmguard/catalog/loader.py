"""Reads a catalog edition from the package data (nested YAML) into a flat, validated :class:`Catalog`."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from csmguard.catalog.model import (
    Actor,
    Catalog,
    Chapter,
    CheckMethod,
    Condition,
    ControlMapping,
    Domain,
    Framework,
    Node,
    NodeKind,
    Question,
    WeakerClause,
)
from csmguard.domain import Level, LocalizedText
from csmguard.domain.errors import InputError, input_error_from_validation

DEFAULT_EDITION = "csm-17"


class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _RawProvisionFields(_Raw):
    text: LocalizedText | None = None
    level: Level | None = None
    weaker_clauses: list[WeakerClause] = []
    actor: Actor | None = None
    applies_when: list[Condition] = []
    check: CheckMethod | None = None
    evidence: list[LocalizedText] = []
    mappings: list[ControlMapping] = []


class _RawItem(_RawProvisionFields):
    number: int


class _RawParagraph(_RawProvisionFields):
    number: int
    items: list[_RawItem] = []


class _RawArticle(_RawProvisionFields):
    number: int
    title: LocalizedText
    paragraphs: list[_RawParagraph] = []


class _RawChapter(_Raw):
    number: int
    title: LocalizedText
    domain: Domain
    articles: list[_RawArticle]


class _RawCatalog(_Raw):
    edition: str
    title: LocalizedText
    publisher: LocalizedText
    frameworks: list[Framework]
    questions: list[Question]
    chapters: list[_RawChapter]


def available_editions() -> list[str]:
    """The catalog editions shipped with the package."""
    data = resources.files("csmguard.catalog").joinpath("data")
    return sorted(p.name.removesuffix(".yaml") for p in data.iterdir() if p.name.endswith(".yaml"))


def load_catalog(edition: str = DEFAULT_EDITION) -> Catalog:
    """Load a shipped edition of the guideline (``csm-17`` by default)."""
    if edition not in available_editions():
        raise InputError(None, f"unknown catalog edition {edition!r}; known: {', '.join(available_editions())}")
    resource = resources.files("csmguard.catalog").joinpath("data", f"{edition}.yaml")
    return parse_catalog(resource.read_text(encoding="utf-8"), source=f"catalog/data/{edition}.yaml")


def parse_catalog(content: str, source: str) -> Catalog:
    """Parse and validate nested catalog YAML, then flatten it into nodes with stable IDs."""
    try:
        data: Any = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {exc}") from exc
    try:
        raw = _RawCatalog.model_validate(data)
    except ValidationError as exc:
        raise input_error_from_validation(source, exc) from exc
    nodes = _flatten(raw, source)
    catalog = Catalog(
        edition=raw.edition,
        title=raw.title,
        publisher=raw.publisher,
        frameworks=tuple(raw.frameworks),
        questions=tuple(raw.questions),
        chapters=tuple(Chapter(number=c.number, title=c.title, domain=c.domain) for c in raw.chapters),
        nodes=tuple(nodes),
    )
    _validate_references(catalog, source)
    return catalog


def _flatten(raw: _RawCatalog, source: str) -> list[Node]:
    nodes: list[Node] = []
    for ci, chapter in enumerate(raw.chapters):
        for ai, article in enumerate(chapter.articles):
            field = f"chapters[{ci}].articles[{ai}]"
            article_id = f"CSM-{article.number}"
            if article.paragraphs and article.text is not None:
                raise InputError(source, "an article has either text or paragraphs, not both", field=field)
            nodes.append(_node(article, article_id, None, NodeKind.ARTICLE, chapter, article,
                               source, field, paragraph=None, item=None))
            for pi, paragraph in enumerate(article.paragraphs):
                paragraph_id = f"{article_id}.{paragraph.number}"
                pfield = f"{field}.paragraphs[{pi}]"
                nodes.append(_node(paragraph, paragraph_id, article_id, NodeKind.PARAGRAPH, chapter,
                                   article, source, pfield, paragraph=paragraph.number, item=None))
                for ii, item in enumerate(paragraph.items):
                    nodes.append(_node(item, f"{paragraph_id}.{item.number}", paragraph_id, NodeKind.ITEM,
                                       chapter, article, source, f"{pfield}.items[{ii}]",
                                       paragraph=paragraph.number, item=item.number))
    return nodes


def _node(
    raw: _RawProvisionFields,
    node_id: str,
    parent: str | None,
    kind: NodeKind,
    chapter: _RawChapter,
    article: _RawArticle,
    source: str,
    field: str,
    *,
    paragraph: int | None,
    item: int | None,
) -> Node:
    if raw.text is not None:
        for name in ("level", "actor", "check"):
            if getattr(raw, name) is None:
                raise InputError(source, f"{node_id} has text but no {name}", field=f"{field}.{name}")
        assert raw.level is not None
        if raw.level.assessable and not raw.evidence:
            raise InputError(source, f"{node_id} is a requirement but lists no evidence", field=f"{field}.evidence")
        for wi, clause in enumerate(raw.weaker_clauses):
            if clause.level.strength >= raw.level.strength:
                raise InputError(source, f"weaker clause of {node_id} is not weaker than {raw.level.value}",
                                 field=f"{field}.weaker_clauses[{wi}].level")
            if clause.text.zh_tw.replace(" ", "") not in raw.text.zh_tw.replace(" ", ""):
                raise InputError(source, f"weaker clause of {node_id} is not part of its text",
                                 field=f"{field}.weaker_clauses[{wi}].text")
    elif kind is not NodeKind.ARTICLE:
        raise InputError(source, f"{node_id} has no text", field=f"{field}.text")
    return Node(
        id=node_id,
        parent=parent,
        kind=kind,
        chapter=chapter.number,
        article=article.number,
        paragraph=paragraph,
        item=item,
        title=article.title,
        text=raw.text,
        level=raw.level,
        weaker_clauses=tuple(raw.weaker_clauses),
        actor=raw.actor,
        domain=chapter.domain,
        applies_when=tuple(raw.applies_when),
        check=raw.check,
        evidence=tuple(raw.evidence),
        mappings=tuple(raw.mappings),
    )


def _validate_references(catalog: Catalog, source: str) -> None:
    questions = {q.id for q in catalog.questions}
    frameworks = {f.id for f in catalog.frameworks}
    seen: set[str] = set()
    for node in catalog.nodes:
        if node.id in seen:
            raise InputError(source, f"duplicate node ID {node.id}", field="chapters")
        seen.add(node.id)
        for condition in node.applies_when:
            if condition.question not in questions:
                raise InputError(source, f"{node.id} names unknown scope question {condition.question!r}",
                                 field="applies_when")
        for mapping in node.mappings:
            if mapping.framework not in frameworks:
                raise InputError(source, f"{node.id} maps to unknown framework {mapping.framework!r}",
                                 field="mappings")
