"""Word-level differences between two versions of a text; each CJK character counts as a word."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9_'’.-]+|\n|[^\sA-Za-z0-9]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def tokens(value: str) -> list[str]:
    """Split a text into words, single CJK characters, punctuation and line breaks."""
    return _TOKEN.findall(value)


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: the words removed and the words added (either may be empty)."""

    removed: str
    added: str
    context_before: str
    context_after: str


def _join(words: list[str]) -> str:
    out = ""
    for word in words:
        if out and not out.endswith("\n") and word != "\n" and not (_CJK.match(word) or _CJK.match(out[-1])):
            out += " "
        out += word
    return out


def word_diff(old: str, new: str, *, context: int = 8) -> list[Change]:
    """The changes from ``old`` to ``new``, each with a few words of context on both sides."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        changes.append(Change(
            removed=_join(a[i1:i2]),
            added=_join(b[j1:j2]),
            context_before=_join(a[max(0, i1 - context):i1]).replace("\n", " "),
            context_after=_join(a[i2:i2 + context]).replace("\n", " "),
        ))
    return changes


def render_change(change: Change) -> str:
    """A change as one line: ``…before [-removed-]{+added+} after…``."""
    removed = f"[-{change.removed}-]" if change.removed else ""
    added = f"{{+{change.added}+}}" if change.added else ""
    return f"…{change.context_before} {removed}{added} {change.context_after}…".replace("\n", " ")
