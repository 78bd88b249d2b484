"""The one rule contract of every scanner.

A check is a public function ``check(rule, facts, context) -> Iterable[Finding]`` of one of the checks
modules that ``CHECK_MODULES`` (next to ``SCANNER_FAMILIES`` in :mod:`csmguard.rules.model`) lists for
its scanner; a rule's YAML ``check:`` names it. The registry of a scanner is derived from those modules
(their public functions defined in the module itself); nothing registers itself on import and no table
repeats function names. :func:`run_checks` runs every rule in isolation: a check that raises becomes one
``error`` finding naming the rule and the exception, and the other rules still run.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, Generic, Protocol, TypeVar, cast

from csmguard.domain import Finding, FindingStatus, Location, Target
from csmguard.domain.finding import JsonValue
from csmguard.domain.i18n import text
from csmguard.rules.model import CHECK_MODULES, Rule

FactsT = TypeVar("FactsT", contravariant=True)
ContextT = TypeVar("ContextT", contravariant=True)
F = TypeVar("F")
C = TypeVar("C")


class Check(Protocol[FactsT, ContextT]):
    """The signature of every check: the rule (its YAML: types, messages, settings), what the scanner
    collected, and the scanner's run context (options, firm policy, the scanned target …)."""

    def __call__(self, rule: Rule, facts: FactsT, context: ContextT, /) -> Iterable[Finding]:
        """The findings of ``rule`` on ``facts``."""
        ...


def public_checks(module: ModuleType) -> dict[str, Check[Any, Any]]:
    """The checks a module offers: its public functions defined in the module itself (not imported)."""
    return {name: cast(Check[Any, Any], fn) for name, fn in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == module.__name__}


def collect_checks(modules: Iterable[ModuleType]) -> dict[str, Check[Any, Any]]:
    """Every public check of ``modules`` by name; two modules defining the same name is an error."""
    found: dict[str, Check[Any, Any]] = {}
    owner: dict[str, str] = {}
    for module in modules:
        for name, fn in public_checks(module).items():
            if name in found:
                raise ValueError(f"check {name!r} is defined in both {owner[name]} and {module.__name__}")
            found[name] = fn
            owner[name] = module.__name__
    return found


@dataclass(frozen=True)
class CheckRegistry(Generic[F, C]):
    """The checks of one scanner by name, derived from its checks modules."""

    scanner: str
    checks: Mapping[str, Check[F, C]]

    def get(self, name: str) -> Check[F, C]:
        """The check called ``name``; KeyError naming the scanner when it has none."""
        try:
            return self.checks[name]
        except KeyError:
            raise KeyError(f"{name!r} is not a check of scanner {self.scanner!r}") from None

    def names(self) -> frozenset[str]:
        """The names of every check of the scanner."""
        return frozenset(self.checks)


def has_registry(scanner: str) -> bool:
    """Whether the scanner's checks follow the contract (it has checks modules in ``CHECK_MODULES``)."""
    return scanner in CHECK_MODULES


@cache
def _registry(scanner: str) -> CheckRegistry[Any, Any]:
    modules = CHECK_MODULES.get(scanner)
    if modules is None:
        raise KeyError(f"scanner {scanner!r} has no checks modules in CHECK_MODULES")
    return CheckRegistry(scanner, collect_checks(importlib.import_module(name) for name in modules))


def registry(scanner: str, facts: type[F], context: type[C]) -> CheckRegistry[F, C]:
    """The check registry of ``scanner``, typed by the facts and context its checks take."""
    return cast(CheckRegistry[F, C], _registry(scanner))


def check_names(scanner: str) -> frozenset[str] | None:
    """The check names of ``scanner``, or None for a scanner not (yet) on the contract."""
    return _registry(scanner).names() if has_registry(scanner) else None


def rule_error(rule: Rule, exc: BaseException, where: str = "") -> Finding:
    """The ``error`` finding of a rule whose check raised: it names the rule and the exception, and
    ``where`` (the endpoint, file … the scanner ran it on, when it runs the rules once per target)."""
    detail = f"{type(exc).__name__}: {exc}"[:500]
    evidence: dict[str, JsonValue] = {"check": rule.check, "exception": type(exc).__name__,
                                      "detail": str(exc)[:500]}
    if where:
        evidence["where"] = where
    return rule.finding(
        FindingStatus.ERROR,
        Target(kind="rule", id=rule.id, name=rule.check),
        Location(resource=where or None),
        message=text(f"規則 {rule.id} 無法評估：{detail}", f"rule {rule.id} could not be evaluated: {detail}"),
        evidence=evidence,
        key=f"rule-error|{where}",
    )


def run_check(rule: Rule, check: Check[F, C], facts: F, context: C, *, where: str = "") -> list[Finding]:
    """One rule's findings, isolated: an exception in the check (also while its findings are produced
    lazily) becomes the rule's single ``error`` finding (naming ``where`` it ran)."""
    try:
        return list(check(rule, facts, context))
    except Exception as exc:  # one rule failing must not end the scan
        return [rule_error(rule, exc, where)]


def run_checks(rules: Iterable[Rule], checks: CheckRegistry[F, C], facts: F, context: C, *,
               where: str = "") -> list[Finding]:
    """Every active rule with a ``check:`` of the registry's scanner, each isolated (:func:`run_check`);
    a ``check:`` the registry lacks is that rule's error finding too. A scanner that runs the rules once
    per target (an endpoint, a file) names it in ``where``, so that the error findings stay distinct."""
    out: list[Finding] = []
    for rule in rules:
        if rule.deprecated or rule.check is None or rule.scanner != checks.scanner:
            continue
        try:
            check = checks.get(rule.check)
        except KeyError as exc:
            out.append(rule_error(rule, exc, where))
            continue
        out.extend(run_check(rule, check, facts, context, where=where))
    return out
