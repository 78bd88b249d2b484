"""Mapping files: each foreign rule ID a tool reports → the guideline clause(s) it really tests, how fully
(``full`` or ``partial``), a note, and the CSM Guard rule ID under which its findings are kept.
``review: true`` marks a rule whose hits a person must confirm (a heuristic such as secrets judged by
variable names): its failures are imported as ``manual``.

Imported findings keep the rule-ID pattern of every finding (``<FAMILY>-<NNN>``): each tool has a family
starting with X (eXternal: XMSF MobSF, XMSS mobsfscan, XCKV Checkov, XPRW Prowler, XTRV Trivy, XGLK gitleaks,
XASF Security Hub ASFF, XSRF any SARIF), and each mapped foreign rule gets a number of its own, fixed in the
mapping file and never reused. The tool's own rule ID stays on the finding, in its ``provenance``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from csmguard.catalog.model import Catalog
from csmguard.domain import Level, LocalizedText, RuleId, strongest
from csmguard.domain.errors import InputError, input_error_from_validation

FAMILY_RE = re.compile(r"^X[A-Z]{2,4}$")
TOOLS = ("mobsf", "mobsfscan", "checkov", "prowler", "trivy", "gitleaks", "asff", "sarif")


class MappedRule(BaseModel):
    """One foreign rule of a mapping file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: RuleId
    foreign: str = Field(min_length=1)
    clauses: tuple[str, ...] = Field(min_length=1)
    level: Level | None = None
    coverage: str = Field(pattern="^(full|partial)$")
    review: bool = False
    note: LocalizedText


class MappingFile(BaseModel):
    """A tool's mapping file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tool: str = Field(min_length=1)
    name: str = Field(min_length=1)
    family: str
    rule_url: str | None = None
    rules: tuple[MappedRule, ...] = ()


@dataclass(frozen=True)
class Mapped:
    """A foreign rule resolved against the catalog: our rule ID, the clauses, their level, coverage, note."""

    rule_id: str
    foreign: str
    requirements: tuple[str, ...]
    level: Level | None
    coverage: str
    note: LocalizedText
    review: bool = False


@dataclass(frozen=True)
class ToolMapping:
    """A validated mapping file, looked up by foreign rule ID."""

    tool: str
    name: str
    family: str
    rule_url: str | None
    by_foreign: dict[str, Mapped]

    def lookup(self, rule: str, aliases: tuple[str, ...] = ()) -> Mapped | None:
        """The mapping of ``rule`` (or, failing that, of the first of its ``aliases`` that is mapped)."""
        for key in (rule, *aliases):
            found = self.by_foreign.get(key)
            if found is not None:
                return found
        return None

    def merged(self, other: ToolMapping) -> ToolMapping:
        """This mapping with ``other``'s entries added (a firm's own mapping file wins on the same foreign ID)."""
        return ToolMapping(self.tool, self.name, self.family, self.rule_url, {**self.by_foreign, **other.by_foreign})


def parse_mapping(content: str, source: str, catalog: Catalog) -> ToolMapping:
    """Parse and validate a mapping file: every ID in the tool's family and unique, every foreign rule once,
    every clause an assessable requirement of ``catalog``, a ``level`` only where the clause has one (its own
    or a weaker clause's). InputError naming the file and field otherwise."""
    try:
        data: Any = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(source, "a mapping file is a mapping with tool, name, family and rules")
    try:
        mapping = MappingFile.model_validate(data)
    except ValidationError as exc:
        raise input_error_from_validation(source, exc) from exc
    if not FAMILY_RE.match(mapping.family):
        raise InputError(source, f"family {mapping.family!r} must be X and 2 to 4 capital letters", field="family")
    nodes = catalog.by_id()
    by_foreign: dict[str, Mapped] = {}
    ids: set[str] = set()
    for index, rule in enumerate(mapping.rules):
        where = f"rules[{index}]"
        if not rule.id.startswith(f"{mapping.family}-"):
            raise InputError(source, f"{rule.id} is not in family {mapping.family}", field=f"{where}.id")
        if rule.id in ids:
            raise InputError(source, f"{rule.id} is used twice", field=f"{where}.id")
        if rule.foreign in by_foreign:
            raise InputError(source, f"foreign rule {rule.foreign!r} is mapped twice", field=f"{where}.foreign")
        levels: list[Level] = []
        for number, clause in enumerate(rule.clauses):
            node = nodes.get(clause)
            if node is None or not node.is_requirement or node.level is None:
                raise InputError(source, f"{clause} is not an assessable requirement of catalog {catalog.edition}",
                                 field=f"{where}.clauses[{number}]")
            allowed = {node.level, *(w.level for w in node.weaker_clauses)}
            if rule.level is not None and rule.level not in allowed:
                raise InputError(source, f"{clause} has no {rule.level.value} clause (it has "
                                 f"{', '.join(sorted(lvl.value for lvl in allowed))})", field=f"{where}.level")
            levels.append(node.level)
        ids.add(rule.id)
        by_foreign[rule.foreign] = Mapped(rule.id, rule.foreign, rule.clauses, rule.level or strongest(levels),
                                          rule.coverage, rule.note, rule.review)
    return ToolMapping(mapping.tool, mapping.name, mapping.family, mapping.rule_url, by_foreign)


@cache
def _bundled(tool: str, edition: str) -> ToolMapping:
    from csmguard.catalog.loader import load_catalog

    source = resources.files("csmguard.mappings").joinpath(f"{tool}.yaml")
    return parse_mapping(source.read_text(encoding="utf-8"), f"mappings/{tool}.yaml", load_catalog(edition))


def load_mapping(tool: str, edition: str = "csm-17", extra: Path | None = None) -> ToolMapping:
    """The bundled mapping of ``tool``, with the entries of a firm's own mapping file ``extra`` added."""
    if tool not in TOOLS:
        raise InputError(None, f"unknown tool {tool!r}; known: {', '.join(TOOLS)}", field="--tool")
    mapping = _bundled(tool, edition)
    if extra is None:
        return mapping
    from csmguard.catalog.loader import load_catalog

    try:
        content = extra.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(extra), f"cannot read the mapping file: {exc.strerror}") from exc
    own = parse_mapping(content, str(extra), load_catalog(edition))
    if own.family != mapping.family:
        raise InputError(str(extra), f"family {own.family} does not match the {tool} family {mapping.family}",
                         field="family")
    return mapping.merged(own)
