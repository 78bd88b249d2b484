"""The guideline as typed data: nodes with stable IDs, levels, scope conditions and mappings."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from csmguard.domain import Level, LocalizedText, requirement_sort_key


class NodeKind(StrEnum):
    """Where a node sits in the text's structure."""

    ARTICLE = "article"
    PARAGRAPH = "paragraph"
    ITEM = "item"


class Actor(StrEnum):
    """Who a provision addresses."""

    ORGANIZATION = "organization"
    CLOUD_SERVICE_CUSTOMER = "cloud_service_customer"
    CLOUD_SERVICE_PROVIDER = "cloud_service_provider"


class Domain(StrEnum):
    """The guideline's subject areas."""

    GENERAL = "general"
    CLOUD = "cloud"
    SOCIAL_MEDIA = "social_media"
    MOBILE = "mobile"


class CheckMethod(StrEnum):
    """How a provision can be judged."""

    AUTOMATED = "automated"
    HYBRID = "hybrid"
    MANUAL = "manual"


class Relationship(StrEnum):
    """How a provision relates to a control of another framework (set-theoretic, as in NIST OLIR)."""

    EQUAL = "equal"
    SUBSET = "subset"
    SUPERSET = "superset"
    INTERSECTS = "intersects"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Framework(_Frozen):
    """A framework that provisions are mapped to."""

    id: str
    name: str


class ControlMapping(_Frozen):
    """One correspondence between a provision and a control of another framework."""

    framework: str
    control: str = Field(min_length=1)
    relationship: Relationship


class Condition(_Frozen):
    """A scope question and the answer that makes a provision apply."""

    question: str
    answer: bool


class Question(_Frozen):
    """A yes/no scope question asked of the organization."""

    id: str
    text: LocalizedText
    help: LocalizedText


class WeakerClause(_Frozen):
    """A clause of a provision whose level is weaker than the provision's own."""

    level: Level
    text: LocalizedText


class Chapter(_Frozen):
    """A chapter of the guideline."""

    number: int
    title: LocalizedText
    domain: Domain


class Node(_Frozen):
    """One node of the catalog: an article, a numbered paragraph, or an item.

    Provisions (nodes with text) carry the level, scope conditions, evidence and mappings; an
    article that is divided into paragraphs is a container without text of its own.
    """

    id: str
    parent: str | None
    kind: NodeKind
    chapter: int
    article: int
    paragraph: int | None = None
    item: int | None = None
    title: LocalizedText
    text: LocalizedText | None = None
    level: Level | None = None
    weaker_clauses: tuple[WeakerClause, ...] = ()
    actor: Actor | None = None
    domain: Domain
    applies_when: tuple[Condition, ...] = ()
    check: CheckMethod | None = None
    evidence: tuple[LocalizedText, ...] = ()
    mappings: tuple[ControlMapping, ...] = ()

    @property
    def is_provision(self) -> bool:
        """Whether the node carries text of the guideline (rather than only grouping others)."""
        return self.text is not None

    @property
    def is_requirement(self) -> bool:
        """Whether the node is assessed: a provision at shall, should or may."""
        return self.level is not None and self.level.assessable


class Catalog(_Frozen):
    """One edition of the guideline as data."""

    edition: str
    title: LocalizedText
    publisher: LocalizedText
    frameworks: tuple[Framework, ...]
    questions: tuple[Question, ...]
    chapters: tuple[Chapter, ...]
    nodes: tuple[Node, ...]

    def by_id(self) -> dict[str, Node]:
        """All nodes keyed by ID."""
        return {node.id: node for node in self.nodes}

    def node(self, node_id: str) -> Node:
        """The node with ``node_id``; KeyError when the catalog has no such node."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def has(self, node_id: str) -> bool:
        """Whether the catalog has a node with ``node_id``."""
        return any(node.id == node_id for node in self.nodes)

    def children(self, node_id: str) -> list[Node]:
        """The direct children of a node, in text order."""
        return [node for node in self.nodes if node.parent == node_id]

    def provisions(self) -> Iterator[Node]:
        """Every node that carries text, in text order."""
        return (node for node in self.nodes if node.is_provision)

    def requirements(self) -> Iterator[Node]:
        """Every assessable provision (shall, should, may), in text order."""
        return (node for node in self.nodes if node.is_requirement)

    def chapter(self, number: int) -> Chapter:
        """The chapter with ``number``."""
        for chapter in self.chapters:
            if chapter.number == number:
                return chapter
        raise KeyError(number)

    def question(self, question_id: str) -> Question:
        """The scope question with ``question_id``."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def article_ids(self) -> list[str]:
        """The IDs of the article nodes, in order."""
        return sorted((n.id for n in self.nodes if n.kind is NodeKind.ARTICLE), key=requirement_sort_key)
