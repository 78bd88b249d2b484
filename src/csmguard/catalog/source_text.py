"""Splits the guideline's own text into its provisions, to verify the catalog against the source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_CHAPTER_RE = re.compile(r"^第\s*(\d+)\s*章")
_ARTICLE_RE = re.compile(r"^第\s*(\d+)\s*條\s*(.*)$")
_PARAGRAPH_RE = re.compile(r"^(\d+)、\s*(.*)$")
_ITEM_RE = re.compile(r"^\((\d+)\)\s*(.*)$")
_MARKERS = ("[bookmark: _GoBack]",)


@dataclass(frozen=True, slots=True)
class Provision:
    """One provision of the source text: its requirement ID and its text."""

    id: str
    text: str


def source_text(edition: str = "csm-17") -> str:
    """The guideline text the package keeps for ``edition``."""
    resource = resources.files("csmguard.catalog").joinpath("text", f"{edition}.zh-TW.txt")
    return resource.read_text(encoding="utf-8")


def normalize(value: str) -> str:
    """The text with every kind of white space removed, for comparisons that ignore it."""
    return re.sub(r"\s+", "", value)


def split_provisions(content: str) -> list[Provision]:
    """Split the guideline into provisions: article bodies, numbered paragraphs and items."""
    for marker in _MARKERS:
        content = content.replace(marker, "")
    provisions: list[Provision] = []
    article: int | None = None
    paragraph: int | None = None
    body: list[str] = []

    def flush_body() -> None:
        if article is not None and body:
            provisions.append(Provision(f"CSM-{article}", " ".join(body).strip()))
        body.clear()

    for raw_line in content.splitlines():
        line = raw_line.strip()
        if not line or _CHAPTER_RE.match(line):
            continue
        if match := _ARTICLE_RE.match(line):
            flush_body()
            article, paragraph = int(match[1]), None
            continue
        if article is None:
            continue  # the title lines before article 1
        if match := _PARAGRAPH_RE.match(line):
            flush_body()
            paragraph = int(match[1])
            provisions.append(Provision(f"CSM-{article}.{paragraph}", match[2].strip()))
        elif (match := _ITEM_RE.match(line)) and paragraph is not None:
            provisions.append(Provision(f"CSM-{article}.{paragraph}.{int(match[1])}", match[2].strip()))
        elif paragraph is None:
            body.append(line)
        else:
            last = provisions[-1]
            provisions[-1] = Provision(last.id, f"{last.text} {line}")
    flush_body()
    return provisions
