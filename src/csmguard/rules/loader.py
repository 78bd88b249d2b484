"""Loads rule files (one YAML file per rule) and validates them against the catalog."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from csmguard.catalog.model import Catalog
from csmguard.domain import Level, strongest
from csmguard.domain.errors import InputError, input_error_from_validation
from csmguard.domain.i18n import LocalizedText
from csmguard.rules.contract import check_names
from csmguard.rules.model import SCANNER_FAMILIES, Rule, message_fields


@dataclass(frozen=True)
class RuleSet:
    """The loaded rules, in ID order."""

    rules: tuple[Rule, ...]

    def get(self, rule_id: str) -> Rule:
        """The rule with ``rule_id``; KeyError if none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def by_id(self) -> dict[str, Rule]:
        """All rules keyed by ID."""
        return {rule.id: rule for rule in self.rules}

    def for_scanner(self, scanner: str, *, include_deprecated: bool = False) -> list[Rule]:
        """The active rules of one scanner."""
        return [r for r in self.rules if r.scanner == scanner and (include_deprecated or not r.deprecated)]

    def coverage(self) -> dict[str, list[str]]:
        """Requirement ID → the IDs of the active rules that test it."""
        out: dict[str, list[str]] = {}
        for rule in self.rules:
            if rule.deprecated:
                continue
            for requirement in rule.requirements:
                out.setdefault(requirement, []).append(rule.id)
        return out


def default_rules_root() -> Traversable:
    """The folder of rule files shipped with the package (one subfolder per scanner)."""
    return resources.files("csmguard.rules")


def load_rules(
    catalog: Catalog,
    scanners: Iterable[str] | None = None,
    *,
    root: Traversable | Path | None = None,
    known_checks: Mapping[str, Collection[str]] | None = None,
) -> RuleSet:
    """Load and validate the rule files of ``scanners`` (all when None) below ``root``.

    Rejects a malformed file, an ID that does not match its file name or scanner, a duplicate ID,
    a requirement the catalog does not have or does not assess, a message template whose zh-TW and en
    use different fields, and a ``check`` that names no check of the scanner: for a scanner on the rule
    contract its checks modules (``CHECK_MODULES``), otherwise ``known_checks`` when given. Every error
    names the file and the field.
    """
    base: Traversable | Path = root if root is not None else default_rules_root()
    wanted = list(scanners) if scanners is not None else list(SCANNER_FAMILIES)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for scanner in wanted:
        if scanner not in SCANNER_FAMILIES:
            raise InputError(None, f"unknown scanner {scanner!r}; known: {', '.join(SCANNER_FAMILIES)}")
        folder = base.joinpath(scanner)
        if not folder.is_dir():
            continue
        shared = shared_messages(folder)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith((".yaml", ".yml")) or entry.name.startswith("_"):
                continue
            source = str(entry)
            rule = parse_rule(entry.read_text(encoding="utf-8"), source, catalog)
            if shared:
                clash = sorted(set(shared) & set(rule.messages))
                if clash:
                    raise InputError(source, f"message {clash[0]!r} is one of the scanner's shared messages "
                                     f"({SHARED_MESSAGES}); use another name", field=f"messages.{clash[0]}")
                rule = rule.model_copy(update={"messages": {**shared, **rule.messages}})
            if rule.scanner != scanner:
                raise InputError(source, f"rule is in the folder of scanner {scanner!r} but says {rule.scanner!r}",
                                 field="scanner")
            stem = entry.name.rsplit(".", 1)[0]
            if stem != rule.id:
                raise InputError(source, f"the file of rule {rule.id} must be named {rule.id}.yaml", field="id")
            if rule.id in seen:
                raise InputError(source, f"duplicate rule ID {rule.id} (also in {seen[rule.id]})", field="id")
            checks: Collection[str] | None = check_names(scanner)
            if checks is None and known_checks:
                checks = known_checks.get(scanner)
            if rule.check is not None and checks is not None and rule.check not in checks:
                raise InputError(source, f"check {rule.check!r} is not a registered check of scanner {scanner!r}",
                                 field="check")
            seen[rule.id] = source
            rules.append(rule)
    return RuleSet(tuple(sorted(rules, key=lambda r: r.id)))


SHARED_MESSAGES = "_shared.yaml"


def shared_messages(folder: Traversable | Path) -> dict[str, LocalizedText]:
    """The messages every rule of a scanner shares (``_shared.yaml`` in its rule folder, if any); each
    template's zh-TW and en use the same fields."""
    entry = folder.joinpath(SHARED_MESSAGES)
    if not entry.is_file():
        return {}
    source = str(entry)
    try:
        data: Any = yaml.safe_load(entry.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("messages"), dict) or set(data) != {"messages"}:
        raise InputError(source, "a shared-messages file is a mapping with one field, messages: name -> "
                         "{zh-TW, en}")
    out: dict[str, LocalizedText] = {}
    for name, value in data["messages"].items():
        try:
            out[str(name)] = LocalizedText.model_validate(value)
            message_fields(out[str(name)])
        except ValidationError as exc:
            raise input_error_from_validation(source, exc) from exc
        except ValueError as exc:
            raise InputError(source, str(exc), field=f"messages.{name}") from exc
    return out


def parse_rule(content: str, source: str, catalog: Catalog) -> Rule:
    """Parse one rule file and validate it. Its level is that of the clause it tests: the weaker clause it
    names (which each of its provisions must have), else the strongest level of its provisions."""
    try:
        data: Any = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(source, "a rule file is a mapping of fields (id, title, severity, requirements …)")
    try:
        rule = Rule.model_validate({**data, "source": source})
    except ValidationError as exc:
        raise input_error_from_validation(source, exc) from exc
    levels: list[Level] = []
    nodes = catalog.by_id()
    for index, requirement in enumerate(rule.requirements):
        node = nodes.get(requirement)
        if node is None:
            raise InputError(source, f"requirement {requirement} is not in catalog {catalog.edition}",
                             field=f"requirements[{index}]")
        if not node.is_requirement or node.level is None:
            raise InputError(source, f"{requirement} is not an assessable requirement "
                             "(definition, scope, purpose or container)", field=f"requirements[{index}]")
        if rule.clause is not None and not any(c.level is rule.clause for c in node.weaker_clauses):
            raise InputError(source, f"{requirement} has no {rule.clause.value} clause (its level is "
                             f"{node.level.value}; weaker clauses: "
                             f"{', '.join(c.level.value for c in node.weaker_clauses) or 'none'})", field="clause")
        levels.append(node.level)
    return rule.model_copy(update={"level": rule.clause or strongest(levels)})
