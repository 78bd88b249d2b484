"""What the policy document scanner read: the document's paragraphs, language and kind."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DocumentKind(StrEnum):
    """The kinds of document the guideline asks for."""

    SOCIAL_MEDIA_POLICY = "social-media-policy"
    MOBILE_DEVICE_POLICY = "mobile-device-policy"
    BYOD_AGREEMENT = "byod-agreement"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph (or table cell, or PDF line block) and where it is: ``paragraph 12``, ``page 3``."""

    text: str
    where: str


@dataclass(frozen=True)
class DocumentFacts:
    """A document read into paragraphs, with its detected language and its kind (given or detected)."""

    path: str
    format: str
    paragraphs: tuple[Paragraph, ...]
    language: str
    kind: DocumentKind | None
    kind_source: str  # "given" | "detected" | "undetermined"
    kind_scores: tuple[tuple[str, int], ...] = ()
