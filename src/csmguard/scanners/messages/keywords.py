"""The keyword search of the message detector: keywords (with case variants) from the settings, reduced to
those no shorter keyword ends, rendered as a trie-shaped regular expression. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from csmguard.scanners.messages.config import MessagesSettings
from csmguard.scanners.messages.facts import Kind


def case_variants(word: str) -> set[str]:
    """The word as given, lower, upper and title case (ASCII words only)."""
    if word.isascii():
        return {word, word.lower(), word.upper(), word[:1].upper() + word[1:].lower()}
    return {word}


def keyword_table(settings: MessagesSettings) -> dict[str, Kind]:
    """Every keyword (with its case variants) → the kind of value it introduces; earlier kinds win."""
    table: dict[str, Kind] = {}
    for kind, words in ((Kind.OTP, settings.otp_keywords), (Kind.PASSWORD, settings.password_keywords),
                        (Kind.UBN, settings.ubn_keywords), (Kind.CARD, settings.card_keywords),
                        (Kind.ACCOUNT, settings.account_keywords)):
        for word in words:
            for variant in case_variants(word.strip()):
                if variant:
                    table.setdefault(variant, kind)
    return table


def minimal_keywords(table: dict[str, Kind]) -> tuple[dict[str, Kind], dict[str, tuple[tuple[str, Kind], ...]]]:
    """Drop every keyword that ends with a shorter keyword (``證券帳號`` is found as ``帳號``): fewer, rarer
    first characters make the search faster. When the longer keyword introduces another kind of value
    (``動態密碼`` is a one-time code, ``密碼`` a password), it is kept as an override: its prefix is checked
    in front of the shorter keyword's match."""
    core: dict[str, Kind] = {}
    overrides: dict[str, list[tuple[str, Kind]]] = {}
    for word in sorted(table, key=len):
        suffix = max((c for c in core if word.endswith(c) and c != word), key=len, default=None)
        if suffix is None:
            core[word] = table[word]
        elif table[word] is not core[suffix]:
            overrides.setdefault(suffix, []).append((word[: len(word) - len(suffix)], table[word]))
    return core, {k: tuple(sorted(v, key=lambda item: -len(item[0]))) for k, v in overrides.items()}


def trie_alternation(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, the longest first, factored as a trie so that the
    engine tries one branch per distinct next character instead of every word."""
    trie: dict[str, dict[str, Any]] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        """The alternation below one trie node."""
        ends = "" in node
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return render(trie)
