"""The declarative condition of a DOC rule (concepts made of weighted bilingual phrases, looked for in a
window of consecutive paragraphs) and where a document meets it. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from csmguard.domain.errors import input_error_from_validation
from csmguard.rules.model import Rule
from csmguard.scanners.policydoc.facts import DocumentFacts, DocumentKind

_SPACE = re.compile(r"\s+")
_QUOTE_MAX = 160


class Concept(BaseModel):
    """One idea an element needs (e.g. "private use"), with the phrases that express it and their weights."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    phrases: dict[str, int] = Field(min_length=1)


class ElementCondition(BaseModel):
    """The declarative condition of a DOC rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: DocumentKind
    element: str
    concepts: tuple[Concept, ...] = Field(min_length=1)
    min_score: int = Field(default=2, ge=1)
    window: int = Field(default=2, ge=1, le=5)


def condition_of(rule: Rule) -> ElementCondition:
    """The rule's condition, validated; errors name the rule file and the field."""
    try:
        return ElementCondition.model_validate(rule.condition or {})
    except ValidationError as exc:
        raise input_error_from_validation(rule.source, exc) from exc


def _compact(value: str) -> str:
    return _SPACE.sub("", value).lower()


@dataclass(frozen=True)
class Match:
    """Where an element was found, with the phrases that made it."""

    index: int
    score: int
    phrases: tuple[str, ...]


def find_element(facts: DocumentFacts, condition: ElementCondition) -> Match | None:
    """The best window of paragraphs where every concept appears and the weights reach ``min_score``."""
    compacted = [_compact(p.text) for p in facts.paragraphs]
    best: Match | None = None
    for start in range(len(compacted)):
        window = "".join(compacted[start:start + condition.window])
        score = 0
        found: list[str] = []
        complete = True
        for concept in condition.concepts:
            hits = [(phrase, weight) for phrase, weight in concept.phrases.items() if _compact(phrase) in window]
            if not hits:
                complete = False
                break
            score += sum(weight for _, weight in hits)
            found.extend(phrase for phrase, _ in hits)
        if complete and score >= condition.min_score and (best is None or score > best.score):
            best = Match(start, score, tuple(found))
    return best


def quote(facts: DocumentFacts, match: Match) -> tuple[str, str]:
    """A short quote around the first phrase found, and where it is."""
    for paragraph in facts.paragraphs[match.index:match.index + 2]:
        lowered = paragraph.text.lower()
        for phrase in match.phrases:
            at = lowered.find(phrase.lower())
            if at >= 0:
                start = max(0, at - 40)
                text = paragraph.text[start:start + _QUOTE_MAX]
                return ("…" if start else "") + text + ("…" if start + _QUOTE_MAX < len(paragraph.text) else ""), \
                    paragraph.where
    paragraph = facts.paragraphs[match.index]
    return paragraph.text[:_QUOTE_MAX], paragraph.where


def validate_conditions(rules: list[Rule]) -> None:
    """Fail early, naming the file and field, when a DOC rule's condition is malformed."""
    for rule in rules:
        condition_of(rule)

