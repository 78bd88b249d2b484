"""Helpers shared by the register checks: targets, bilingual messages and findings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from csmguard.domain import Finding, FindingStatus, LocalizedText, Location, Target, text
from csmguard.domain.finding import JsonValue
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.fields import RegisterRecord
from csmguard.rules.model import Rule


@dataclass(frozen=True)
class RegisterCheckContext:
    """What a register check needs besides the records: the thresholds and the day to judge as of."""

    settings: RegisterCheckSettings
    today: date


def where(kind: str, record: RegisterRecord | str, name: str | None = None) -> tuple[Target, Location]:
    """The target and location of a finding about one register record (or a whole register)."""
    key = record if isinstance(record, str) else record.key()
    return Target(kind="register", id=f"{kind}/{key}", name=name or key), Location(register_id=kind, record=key)


def message(rule: Rule, zh: Mapping[str, object], en: Mapping[str, object]) -> LocalizedText:
    """The rule's message template filled with values in each language."""
    template = rule.message or rule.title
    return text(template.zh_tw.format(**zh), template.en.format(**en))


def fail(rule: Rule, kind: str, record: RegisterRecord | str, msg: LocalizedText,
         evidence: dict[str, JsonValue] | None = None, key: str = "") -> Finding:
    """A failing finding of ``rule`` about one record."""
    target, location = where(kind, record)
    return rule.finding(FindingStatus.FAIL, target, location, message=msg, evidence=evidence, key=key)


def passed(rule: Rule, kind: str, record: RegisterRecord | str, zh: str, en: str, key: str = "") -> Finding:
    """A passing finding of ``rule`` about one record, saying what was found in order."""
    target, location = where(kind, record)
    return rule.finding(FindingStatus.PASS, target, location, message=text(zh, en), key=key)


def not_applicable(rule: Rule, kind: str, zh: str, en: str) -> Finding:
    """A not-applicable finding of ``rule`` with the reason."""
    target, location = where(kind, "*", name=kind)
    return rule.finding(FindingStatus.NOT_APPLICABLE, target, location, message=text(zh, en))


def iso(value: date | None) -> str:
    """A date as ISO text, or a dash."""
    return value.isoformat() if value else "-"


def undetermined(rule: Rule, kind: str, record: RegisterRecord | str, zh: str, en: str) -> Finding:
    """An unknown finding of ``rule`` about one record: what it needs is not known (never a pass)."""
    target, location = where(kind, record)
    return rule.finding(FindingStatus.UNKNOWN, target, location, message=text(zh, en))


def out_of_scope(rule: Rule, kind: str, record: RegisterRecord | str, zh: str, en: str) -> Finding:
    """A not-applicable finding of ``rule`` about one record, with the reason."""
    target, location = where(kind, record)
    return rule.finding(FindingStatus.NOT_APPLICABLE, target, location, message=text(zh, en))
