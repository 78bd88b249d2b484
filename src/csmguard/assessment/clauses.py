"""Which findings decide a provision and which are shown beside it.

A provision's status is decided by findings on its own level (its ``shall`` part, or its own level when
the provision itself is a ``should``/``may``) that rest on the text or on a firm-policy value. Findings on
a weaker clause (a 宜 recommendation inside a 應 provision) and good-practice findings the firm has not
adopted as its policy are *advisory*: they are reported beside the verdict ("應 部分符合；宜 未採行") and
never turn a met obligation into 不符合.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from csmguard.assessment.evaluate import finding_ref
from csmguard.assessment.model import ClauseNote, Reason, ReasonKind
from csmguard.domain import Basis, Finding, FindingStatus, Level, text

_LEVEL_WORDS = {Level.SHALL: ("應", "shall"), Level.SHOULD: ("宜", "should"), Level.MAY: ("可", "may")}
_BASIS_WORDS = {Basis.TEXT: ("條文", "the text"), Basis.FIRM_POLICY: ("公司政策", "firm policy"),
                Basis.GOOD_PRACTICE: ("良好實務", "good practice")}


def is_decisive(finding: Finding, level: Level, adopted: Collection[str]) -> bool:
    """Whether ``finding`` bears on the provision's own level, on a basis that can make it 不符合."""
    if finding.level is not None and finding.level.strength < level.strength:
        return False
    return finding.basis is not Basis.GOOD_PRACTICE or finding.rule_id in adopted


def split(findings: Iterable[Finding], level: Level, adopted: Collection[str]) -> tuple[list[Finding], list[Finding]]:
    """(decisive, advisory) findings of a provision at ``level``."""
    decisive: list[Finding] = []
    advisory: list[Finding] = []
    for finding in findings:
        (decisive if is_decisive(finding, level, adopted) else advisory).append(finding)
    return decisive, advisory


def clause_notes(advisory: list[Finding]) -> list[ClauseNote]:
    """One note per (clause level, basis) of the advisory findings: met, not met, or mixed."""
    groups: dict[tuple[Level, Basis], list[Finding]] = {}
    for finding in advisory:
        key = (finding.level or Level.SHALL, finding.basis or Basis.TEXT)
        groups.setdefault(key, []).append(finding)
    notes = []
    for (level, basis), group in sorted(groups.items(), key=lambda kv: (-kv[0][0].strength, kv[0][1].value)):
        fails = [f for f in group if f.status is FindingStatus.FAIL]
        passes = [f for f in group if f.status is FindingStatus.PASS]
        state = "not_met" if fails and not passes else "mixed" if fails else "met" if passes else "open"
        notes.append(ClauseNote(level=level, basis=basis, state=state,
                                rules=tuple(sorted({f.rule_id for f in group})),
                                failing=tuple(finding_ref(f) for f in sorted(fails, key=lambda f: f.fingerprint))))
    return notes


_STATE_WORDS = {"met": ("已採行", "adopted"), "not_met": ("未採行", "not adopted"),
                "mixed": ("部分採行", "partly adopted"),
                "open": ("待確認", "open")}


def clause_reasons(notes: list[ClauseNote]) -> list[Reason]:
    """The reasons that show advisory clauses beside the verdict, saying they do not decide it."""
    reasons = []
    for note in notes:
        lvl_zh, lvl_en = _LEVEL_WORDS.get(note.level, (note.level.value, note.level.value))
        basis_zh, basis_en = _BASIS_WORDS[note.basis]
        state_zh, state_en = _STATE_WORDS[note.state]
        rules = ", ".join(note.rules)
        if note.basis is Basis.GOOD_PRACTICE:
            zh = f"良好實務（非本指引之要求）：{state_zh}（{rules}）；未經公司採行為政策，不影響本條之判定"
            en = (f"Good practice (not required by the guideline): {state_en} ({rules}); not adopted as firm "
                  "policy, so it does not decide this provision")
        else:
            zh = f"「{lvl_zh}」條款（依{basis_zh}）：{state_zh}（{rules}）；僅供參考，不影響「應」之判定"
            en = (f"'{lvl_en}' clause (on {basis_en}): {state_en} ({rules}); shown beside the verdict, it does "
                  "not decide the obligation")
        reasons.append(Reason(kind=ReasonKind.ADVISORY, rule_id=note.rules[0] if len(note.rules) == 1 else None,
                              fingerprints=tuple(f.fingerprint for f in note.failing), text=text(zh, en)))
    return reasons


def summary_label(status_zh: str, status_en: str, level: Level, notes: list[ClauseNote]) -> tuple[str, str]:
    """The short combined label, e.g. ``應 部分符合；宜 未採行``."""
    lvl_zh, lvl_en = _LEVEL_WORDS.get(level, (level.value, level.value))
    zh, en = [f"{lvl_zh} {status_zh}"], [f"{lvl_en}: {status_en}"]
    for note in notes:
        n_zh, n_en = _LEVEL_WORDS.get(note.level, (note.level.value, note.level.value))
        if note.basis is Basis.GOOD_PRACTICE:
            n_zh, n_en = "良好實務", "good practice"
        zh.append(f"{n_zh} {_STATE_WORDS[note.state][0]}")
        en.append(f"{n_en}: {_STATE_WORDS[note.state][1]}")
    return "；".join(zh), "; ".join(en)
