"""The wording a leave-site prompt must have (CSM-11.2: tell the user the link is not the organisation's own
website), kept as data in ``data/prompt_phrases.yaml`` and matched after normalising both sides. Pure."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

_DROPPED = ("P", "S", "Z", "C")  # punctuation, symbols, separators (spaces), control characters


def normalize(content: str) -> str:
    """``content`` in NFKC, case-folded, without whitespace, punctuation or symbols (so 「離開，本公司 網站」 and
    "Leaving our web-site" compare as 離開本公司網站 and leavingourwebsite)."""
    folded = unicodedata.normalize("NFKC", content).casefold()
    return "".join(char for char in folded if not unicodedata.category(char).startswith(_DROPPED))


@dataclass(frozen=True)
class PromptWording:
    """The accepted phrasings, those naming the organisation ({org}), and the cues of a leave-site prompt."""

    accepted: tuple[str, ...]
    org_templates: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    legal_forms: tuple[str, ...] = ()

    def names(self, org_names: tuple[str, ...]) -> tuple[str, ...]:
        """Each organisation name, and the name without its legal form (範例證券股份有限公司 → 範例證券)."""
        out: list[str] = []
        for name in (n.strip() for n in org_names):
            if not name:
                continue
            out.append(name)
            lowered = name.casefold()
            form = next((f for f in self.legal_forms if lowered.endswith(f.casefold())), None)
            short = name[: len(name) - len(form)].strip(" ,") if form else ""
            if short and normalize(short):
                out.append(short)
        return tuple(dict.fromkeys(out))

    def phrases(self, org_names: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The accepted phrasings, with each template filled with each organisation name."""
        filled = [t.replace("{org}", name) for t in self.org_templates for name in self.names(org_names)]
        return (*self.accepted, *filled)

    def says_outside(self, content: str, org_names: tuple[str, ...] = ()) -> str | None:
        """The accepted phrasing found in ``content`` (a prompt's text), or None."""
        return find_phrase(content, self.phrases(org_names))

    def cue(self, content: str) -> str | None:
        """A word showing that ``content`` is about leaving or going elsewhere, or None."""
        return find_phrase(content, self.cues)


def find_phrase(content: str, phrases: tuple[str, ...]) -> str | None:
    """The first of ``phrases`` found in ``content``, both normalised; None when none is. A phrase beginning
    with 非 does not count inside 除非 ("unless"): 「除非本公司另有規定」 says nothing about the link."""
    normalized = normalize(content)
    if not normalized:
        return None
    for phrase in phrases:
        key = normalize(phrase)
        if key and _occurs(normalized, key):
            return phrase
    return None


def _occurs(normalized: str, key: str) -> bool:
    at = normalized.find(key)
    while at >= 0:
        if not (key.startswith("非") and at and normalized[at - 1] == "除"):
            return True
        at = normalized.find(key, at + 1)
    return False


def load_wording() -> PromptWording:
    """The shipped wording (``data/prompt_phrases.yaml``)."""
    raw = resources.files("csmguard.scanners.site").joinpath("data", "prompt_phrases.yaml").read_text(encoding="utf-8")
    data: Any = yaml.safe_load(raw)
    return PromptWording(accepted=tuple(str(p) for p in data["accepted"]),
                         org_templates=tuple(str(p) for p in data.get("org_templates") or ()),
                         cues=tuple(str(p) for p in data.get("cues") or ()),
                         legal_forms=tuple(str(p) for p in data.get("legal_forms") or ()))
