"""Firm-policy use cases: show every setting the guideline leaves to the firm (value, default or set,
confirmed or not, the rules using it), confirm a value (who, when, which value), and adopt or withdraw
good-practice rules as the firm's policy (only adopted ones may make a provision 不符合)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Basis, LocalizedText
from csmguard.domain.errors import InputError, input_error_from_validation
from csmguard.policy.settings import AppliedIn, SettingSpec, setting_spec, setting_specs
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.scanners.fleet.baseline import FleetBaseline, default_baseline_data
from csmguard.store.db import session_scope
from csmguard.store.models_policy import PolicyConfirmationRow, PracticeAdoptionRow
from csmguard.workspace import SETTINGS_FILE, Workspace, settings_toml

SOURCE = "csmguard.toml"


@dataclass(frozen=True)
class SettingState:
    """A setting as the workspace has it: the value in force, whether it is the shipped default, whether a
    person confirmed that value (and who, when), and the rules whose thresholds use it."""

    spec: SettingSpec
    value: Any
    is_default: bool
    confirmed: bool
    confirmed_by: str | None
    confirmed_at: datetime | None
    confirmed_value: Any
    rules: tuple[str, ...]

    @property
    def name(self) -> str:
        """The setting's name."""
        return self.spec.name


@dataclass(frozen=True)
class Adoption:
    """A good-practice rule the firm adopted as its policy, with who adopted it and when."""

    rule_id: str
    adopted_by: str
    adopted_at: datetime
    title: LocalizedText | None = None


def _rules(ws: Workspace) -> RuleSet:
    return load_rules(load_catalog(ws.settings.edition))


def _latest_confirmations(ws: Workspace) -> dict[str, PolicyConfirmationRow]:
    with session_scope(ws.engine()) as session:
        rows = session.scalars(select(PolicyConfirmationRow).order_by(PolicyConfirmationRow.id)).all()
    return {row.setting: row for row in rows}


def setting_states(ws: Workspace, rules: RuleSet | None = None, *,
                   checks: RegisterCheckSettings | None = None) -> list[SettingState]:
    """Every firm-policy setting of the workspace, in registry order (``checks``: the register-check settings
    in force, when they changed since ``ws`` was opened)."""
    rules = rules or _rules(ws)
    checks = checks or ws.settings.checks
    users: dict[str, list[str]] = {}
    for rule in rules.rules:
        for name in rule.settings:
            users.setdefault(name, []).append(rule.id)
    confirmations = _latest_confirmations(ws)
    states = []
    for spec in setting_specs():
        row = confirmations.get(spec.name)
        if spec.applied_in is AppliedIn.WORKSPACE:
            value = getattr(checks, spec.name)
        else:  # applied by a scan option or baseline file: the confirmed value is what the firm says it uses
            value = row.value if row is not None else spec.default
        states.append(SettingState(
            spec=spec, value=value, is_default=value == spec.default,
            confirmed=row is not None and row.value == value,
            confirmed_by=row.confirmed_by if row else None, confirmed_at=row.confirmed_at if row else None,
            confirmed_value=row.value if row else None, rules=tuple(sorted(users.get(spec.name, ())))))
    return states


def unconfirmed_settings(ws: Workspace, rules: RuleSet | None = None) -> list[SettingState]:
    """The settings whose value in force no person has confirmed (shipped defaults included)."""
    return [s for s in setting_states(ws, rules) if not s.confirmed]


def _parse_value(ws: Workspace, spec: SettingSpec, raw: str) -> Any:
    """``raw`` as the setting's type, validated as its own settings model validates it."""
    where = f"setting {spec.name}"
    if spec.applied_in is AppliedIn.WORKSPACE:
        try:
            checks = RegisterCheckSettings.model_validate({**ws.settings.checks.model_dump(), spec.name: raw})
        except ValidationError as exc:
            raise input_error_from_validation(where, exc) from exc
        return getattr(checks, spec.name)
    if spec.applied_in is AppliedIn.FLEET_BASELINE:
        section, key = spec.name.split(".")[1:]
        value: Any = [p.strip() for p in raw.split(",") if p.strip()] if key == "needed" else raw
        if key == "needed" and raw.strip().lower() in ("", "none", "null"):
            value = None
        data = default_baseline_data()
        data[section] = {**data.get(section, {}), key: value}
        try:
            baseline = FleetBaseline.model_validate(data)
        except ValidationError as exc:
            raise input_error_from_validation(where, exc) from exc
        parsed = getattr(getattr(baseline, section), key)
        return list(parsed) if isinstance(parsed, tuple) else parsed
    try:
        days = int(raw)
    except ValueError as exc:
        raise InputError(where, f"not a whole number of days: {raw!r}", field="value") from exc
    if days < 1:
        raise InputError(where, f"must be at least 1 day, got {days}", field="value")
    return days


def confirm_setting(ws: Workspace, name: str, by: str, value: str | None = None, *,
                    now: datetime | None = None) -> SettingState:
    """Record that ``by`` confirmed the setting ``name``: its value in force, or ``value`` (which becomes the
    value in force: written to csmguard.toml for the workspace's own settings). InputError for an unknown
    setting, an empty name of the person, or a value the setting does not accept."""
    spec = setting_spec(name)
    if spec is None:
        raise InputError(None, f"unknown setting {name!r}; known: {', '.join(s.name for s in setting_specs())}",
                         field="setting")
    if not by.strip():
        raise InputError(None, "who confirms is required (--by)", field="by")
    rules = _rules(ws)
    current = next(s for s in setting_states(ws, rules) if s.name == name)
    new_value = current.value if value is None else _parse_value(ws, spec, value)
    checks = ws.settings.checks
    if spec.applied_in is AppliedIn.WORKSPACE and new_value != current.value:
        checks = checks.model_copy(update={name: new_value})
        (ws.root / SETTINGS_FILE).write_text(settings_toml(ws.settings.model_copy(update={"checks": checks})),
                                             encoding="utf-8")
    with session_scope(ws.engine()) as session:
        session.add(PolicyConfirmationRow(setting=name, value=new_value, confirmed_by=by.strip(),
                                          confirmed_at=now or datetime.now(UTC)))
    return next(s for s in setting_states(ws, rules, checks=checks) if s.name == name)


def _adoption_rows(ws: Workspace) -> dict[str, PracticeAdoptionRow]:
    with session_scope(ws.engine()) as session:
        rows = session.scalars(select(PracticeAdoptionRow).order_by(PracticeAdoptionRow.id)).all()
    return {row.rule_id: row for row in rows}


def adoptions(ws: Workspace, rules: RuleSet | None = None) -> list[Adoption]:
    """The good-practice rules currently adopted as the firm's policy, by rule ID."""
    rules = rules or _rules(ws)
    titles = {r.id: r.title for r in rules.rules}
    return [Adoption(row.rule_id, row.decided_by, row.decided_at, titles.get(row.rule_id))
            for rule_id, row in sorted(_adoption_rows(ws).items()) if row.adopted]


def adopted_practices(ws: Workspace) -> frozenset[str]:
    """The IDs of the adopted good-practice rules (what ``assess(..., adopted_practices=...)`` takes)."""
    return frozenset(rule_id for rule_id, row in _adoption_rows(ws).items() if row.adopted)


def _decide(ws: Workspace, rule_id: str, by: str, adopted: bool, now: datetime | None) -> None:
    rules = _rules(ws)
    known = {r.id: r for r in rules.rules}
    rule = known.get(rule_id)
    if rule is None:
        raise InputError(None, f"unknown rule {rule_id!r}", field="rule")
    if rule.basis is not Basis.GOOD_PRACTICE:
        raise InputError(None, f"{rule_id} rests on {rule.basis.value}, not good practice: only good-practice "
                         "rules are adopted as firm policy", field="rule")
    if not by.strip():
        raise InputError(None, "who decides is required (--by)", field="by")
    current = rule_id in adopted_practices(ws)
    if current == adopted:
        state = "already adopted" if adopted else "not adopted"
        raise InputError(None, f"{rule_id} is {state}", field="rule")
    with session_scope(ws.engine()) as session:
        session.add(PracticeAdoptionRow(rule_id=rule_id, adopted=adopted, decided_by=by.strip(),
                                        decided_at=now or datetime.now(UTC)))


def adopt_practice(ws: Workspace, rule_id: str, by: str, *, now: datetime | None = None) -> None:
    """Adopt the good-practice rule ``rule_id`` as the firm's policy: from now its failures decide provisions."""
    _decide(ws, rule_id, by, True, now)


def unadopt_practice(ws: Workspace, rule_id: str, by: str, *, now: datetime | None = None) -> None:
    """Withdraw an adopted good-practice rule: its findings are again shown beside the verdicts only."""
    _decide(ws, rule_id, by, False, now)
