"""Declarative pattern rules: a rule's ``condition`` compiled once into regexes with a literal prefilter.

A condition has one block per kind of text it reads — ``source`` (with ``kinds``: java, kotlin, xml, swift,
objc, dart, js, config), ``dex`` (the strings and ``Lclass;->member`` references of a DEX file) and
``binary`` (printable strings of an iOS executable) — each with::

    prefilter: [literal, ...]   # required: patterns only run on lines holding one (any case in source)
    span: 0                     # further lines after such a line that a (multi-line) match may reach
    patterns: [regex, ...]      # a hit is a match of any of these
    near: regex                 # optional: the hit counts only if this also matches within `window` lines
    unless: regex               # optional: the hit is dropped if this matches within `window` lines
    window: 0                   # lines either side of the hit for `near` / `unless`; -1 for the whole text

``absent: true`` turns the rule into a target-level one: the patterns are evidence of a control (pinning,
root detection …); the target passes when any matched, and is reported for manual review when none did.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from csmguard.domain import redact
from csmguard.domain.errors import InputError
from csmguard.rules.model import Rule
from csmguard.scanners.app.facts import BINARY_KIND, DEX_KIND, SOURCE_KINDS, TextUnit

_BLOCKS = {"source", "dex", "binary"}
# Long opaque tokens in a snippet may be secrets: they are shown redacted.
_LONG_TOKEN = re.compile(r"[A-Za-z0-9+=_\-]{24,}")


def _redact_token(match: re.Match[str]) -> str:
    token = match.group(0)
    opaque = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
    return redact(token) if opaque else token
_KEYS = {"kinds", "prefilter", "patterns", "near", "unless", "window", "span"}


@dataclass(frozen=True)
class Block:
    """One compiled block of a condition."""

    kinds: frozenset[str]
    prefilter: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    near: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    window: int
    span: int = 0


@dataclass(frozen=True)
class PatternRule:
    """A rule whose condition is patterns, ready to run."""

    rule: Rule
    blocks: tuple[Block, ...]
    absent: bool
    platform: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A match of a rule in a text unit."""

    rule: Rule
    unit: TextUnit
    start: int
    end: int
    values: dict[str, str]
    key: str
    evidence: dict[str, str]


def _compile(rule: Rule, where: str, source: Any) -> re.Pattern[str]:
    if not isinstance(source, str):
        raise InputError(rule.source, "a pattern is a string (a regular expression)", field=where)
    try:
        return re.compile(source, re.MULTILINE)
    except re.error as exc:
        raise InputError(rule.source, f"not a valid regular expression: {exc}", field=where) from exc


def compile_condition(rule: Rule) -> PatternRule:
    """Compile the ``condition`` of ``rule``; InputError naming the rule file and field when it is malformed."""
    condition = rule.condition or {}
    unknown = set(condition) - _BLOCKS - {"absent", "platform"}
    if unknown:
        raise InputError(rule.source, f"unknown condition keys: {', '.join(sorted(unknown))}", field="condition")
    blocks: list[Block] = []
    for name in ("source", "dex", "binary"):
        spec = condition.get(name)
        if spec is None:
            continue
        where = f"condition.{name}"
        if not isinstance(spec, dict) or set(spec) - _KEYS or not spec.get("patterns") or not spec.get("prefilter"):
            raise InputError(rule.source, f"a block has 'prefilter' and 'patterns', and optionally {sorted(_KEYS)}",
                             field=where)
        if name == "source":
            kinds = frozenset(spec.get("kinds") or SOURCE_KINDS)
            if kinds - SOURCE_KINDS:
                raise InputError(rule.source, f"unknown kinds {sorted(kinds - SOURCE_KINDS)}", field=f"{where}.kinds")
        else:
            kinds = frozenset({DEX_KIND if name == "dex" else BINARY_KIND})
        patterns = tuple(_compile(rule, f"{where}.patterns[{i}]", p) for i, p in enumerate(spec["patterns"]))
        if len(patterns) > 1:
            # One alternation runs once per candidate line instead of once per pattern.
            patterns = (_compile(rule, f"{where}.patterns", "|".join(f"(?:{p.pattern})" for p in patterns)),)
        near = _compile(rule, f"{where}.near", spec["near"]) if spec.get("near") else None
        unless = _compile(rule, f"{where}.unless", spec["unless"]) if spec.get("unless") else None
        # Source prefilters match in any case; DEX and executable strings are matched exactly as written.
        literals = tuple(str(lit).lower() if name == "source" else str(lit) for lit in spec["prefilter"])
        blocks.append(Block(kinds, literals, patterns, near, unless, int(spec.get("window", 0)),
                            int(spec.get("span", 0))))
    if not blocks:
        raise InputError(rule.source, "a condition needs a source, dex or binary block", field="condition")
    platform = str(condition.get("platform", "any"))
    if platform not in {"any", "android", "ios"}:
        raise InputError(rule.source, "platform is any, android or ios", field="condition.platform")
    return PatternRule(rule, tuple(blocks), bool(condition.get("absent", False)), platform)


_MAX_WINDOW = 2000


def _window(unit: TextUnit, start: int, lines: int) -> str:
    """The text ``lines`` lines either side of ``start`` (-1: all of it); in minified code, where one line can
    hold a whole program, at most a few hundred characters either side."""
    text = unit.text
    if lines < 0:
        return text
    lo = start
    for _ in range(lines + 1):
        lo = text.rfind("\n", 0, lo)
        if lo == -1:
            break
    hi = start
    for _ in range(lines + 1):
        hi = text.find("\n", hi + 1)
        if hi == -1:
            hi = len(text)
            break
    if hi - lo > _MAX_WINDOW * (lines + 1):
        return text[max(lo + 1, start - _MAX_WINDOW // 4):min(hi, start + _MAX_WINDOW // 4)]
    return text[lo + 1:hi]


def _comment_line(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("//", "/*", "* ", "#", "<!--")) or stripped == "*"


def block_hits(prule: PatternRule, block: Block, unit: TextUnit, *, first_only: bool = False) -> Iterator[Hit]:
    """The hits of one block in ``unit``, one per line, comment lines of source files left out."""
    text = unit.text
    regions = unit.regions(block.prefilter, block.span)
    if not regions:
        return
    seen_lines: set[int] = set()
    for pattern in block.patterns:
        for match in (m for start, end in regions for m in pattern.finditer(text, start, end)):
            start = match.start()
            line_text = unit.line_text(start)
            if unit.kind in SOURCE_KINDS and _comment_line(line_text):
                continue
            if block.near is not None or block.unless is not None:
                window = _window(unit, start, block.window)
                if block.near is not None and not block.near.search(window):
                    continue
                if block.unless is not None and block.unless.search(window):
                    continue
            line_start = text.rfind("\n", 0, start)
            if line_start in seen_lines:
                continue
            seen_lines.add(line_start)
            snippet = _LONG_TOKEN.sub(_redact_token, line_text.strip()[:160])
            yield Hit(prule.rule, unit, start, match.end(), {"snippet": snippet}, match.group(0)[:200],
                      {"snippet": snippet})
            if first_only:
                return


def unit_hits(prule: PatternRule, unit: TextUnit, *, first_only: bool = False) -> Iterator[Hit]:
    """The hits of a pattern rule in one text unit (every block that applies to the unit's kind)."""
    for block in prule.blocks:
        if unit.kind in block.kinds:
            yield from block_hits(prule, block, unit, first_only=first_only)
