"""Requirement levels read from the guideline's modal words, and severities of findings."""

from __future__ import annotations

from enum import StrEnum

from csmguard.domain.i18n import LocalizedText, text


class Level(StrEnum):
    """How binding a provision is: 應 shall, 宜 should, 可/得 may; the rest are not assessed."""

    SHALL = "shall"
    SHOULD = "should"
    MAY = "may"
    DEFINITION = "definition"
    SCOPE = "scope"
    PURPOSE = "purpose"

    @property
    def assessable(self) -> bool:
        """Whether a provision of this level is assessed (definitions, scope and purpose are not)."""
        return self in _STRENGTH

    @property
    def strength(self) -> int:
        """3 for shall, 2 for should, 1 for may, 0 for the levels that are not assessed."""
        return _STRENGTH.get(self, 0)


_STRENGTH = {Level.SHALL: 3, Level.SHOULD: 2, Level.MAY: 1}


def strongest(levels: list[Level]) -> Level | None:
    """The most binding assessable level among ``levels``, or None when there is none."""
    assessable = [lvl for lvl in levels if lvl.assessable]
    return max(assessable, key=lambda lvl: lvl.strength) if assessable else None


class Basis(StrEnum):
    """What a check rests on. Only ``text`` (the guideline's own words), or a ``firm-policy`` value the
    firm sets for a duty the text leaves open (how often "regularly" is), makes a provision 不符合;
    ``good-practice`` (standards, successor editions, peers' baselines) is informative unless the firm has
    adopted it as its policy."""

    TEXT = "text"
    FIRM_POLICY = "firm-policy"
    GOOD_PRACTICE = "good-practice"


class Severity(StrEnum):
    """How bad a failing finding is."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """4 for critical down to 0 for info."""
        return _SEVERITY_RANK[self]

    @property
    def label(self) -> LocalizedText:
        """The severity in words (嚴重／高／中／低／資訊)."""
        return SEVERITY_WORDS[self]


SEVERITY_WORDS: dict[Severity, LocalizedText] = {
    Severity.CRITICAL: text("嚴重", "critical"),
    Severity.HIGH: text("高", "high"),
    Severity.MEDIUM: text("中", "medium"),
    Severity.LOW: text("低", "low"),
    Severity.INFO: text("資訊", "info"),
}

_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}
