"""Rules as data: what each rule tests, why, how to fix it, and the requirements it bears on."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from csmguard.domain import (
    Basis,
    Finding,
    FindingStatus,
    Level,
    LocalizedText,
    Location,
    RequirementId,
    RuleId,
    Severity,
    Target,
    make_fingerprint,
)
from csmguard.domain.finding import JsonValue
from csmguard.rules.references import reference_problem

# The rule-ID family of each scanner; the single place where the two are tied together.
SCANNER_FAMILIES: dict[str, str] = {
    "app": "APP",
    "iac": "IAC",
    "endpoint": "EP",
    "site": "SITE",
    "fleet": "DEV",
    "messages": "MSG",
    "policydoc": "DOC",
    "register": "REG",
    "social": "SOC",
}


class References(BaseModel):
    """Where a rule comes from and what it corresponds to in other tools and standards."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cwe: tuple[str, ...] = ()
    masvs: tuple[str, ...] = ()
    ccm: tuple[str, ...] = ()
    iso27017: tuple[str, ...] = ()
    checkov: tuple[str, ...] = ()
    mobsf: tuple[str, ...] = ()
    other: tuple[str, ...] = ()

    @field_validator("cwe", "masvs", "ccm", "iso27017", "checkov", "mobsf")
    @classmethod
    def _of_its_standard(cls, values: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        problems = [p for p in (reference_problem(str(info.field_name), v) for v in values) if p]
        if problems:
            raise ValueError("; ".join(problems))
        return values


class Example(BaseModel):
    """A short piece of code the rule reports (``fail``) or leaves alone (``pass``), shown by ``--explain``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict: str = Field(pattern="^(fail|pass)$")
    language: str
    code: str = Field(min_length=1)
    note: LocalizedText | None = None


class Rule(BaseModel):
    """One rule file, validated against the catalog (``level`` is derived from its requirements)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: RuleId
    scanner: str
    title: LocalizedText
    message: LocalizedText | None = None
    severity: Severity
    requirements: tuple[RequirementId, ...] = Field(min_length=1)
    rationale: LocalizedText
    remediation: LocalizedText
    references: References = Field(default_factory=References)
    condition: dict[str, Any] | None = None
    check: str | None = None
    flow: tuple[str, ...] = Field(default=(), description="app: the program-model checks of the rule (source "
                                  "parsed into syntax trees, and DEX), run besides its condition or check")
    examples: tuple[Example, ...] = ()
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    clause: Level | None = Field(default=None, description="the weaker clause (should or may) of the named "
                                 "provisions this rule tests; none: the provisions' own (strongest) level")
    basis: Basis = Basis.TEXT
    basis_note: LocalizedText | None = Field(default=None, description="text: the words quoted; firm-policy: "
                                             "the duty the firm sets a value for; good-practice: the source")
    settings: tuple[str, ...] = Field(default=(), description="the firm-policy settings the rule's thresholds use")
    resource_types: tuple[str, ...] = Field(default=(), description="IaC: the resource types the check reads "
                                            "(Terraform, CloudFormation or Kubernetes kinds)")
    level: Level | None = None
    source: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        family = SCANNER_FAMILIES.get(self.scanner)
        if family is None:
            raise ValueError(f"unknown scanner {self.scanner!r}; known: {', '.join(SCANNER_FAMILIES)}")
        if not self.id.startswith(f"{family}-"):
            raise ValueError(f"rule {self.id} of scanner {self.scanner!r} must have an ID {family}-NNN")
        if self.condition is not None and self.check is not None:
            raise ValueError("a rule has exactly one of 'condition' (declarative) or 'check' (a named function)")
        if self.condition is None and self.check is None and not self.flow:
            raise ValueError("a rule has 'condition' (declarative), 'check' (a named function) or 'flow' "
                             "(program-model checks)")
        if self.clause is not None and self.clause not in (Level.SHOULD, Level.MAY):
            raise ValueError("clause names a weaker clause: should or may")
        if self.basis is not Basis.TEXT and self.basis_note is None:
            raise ValueError(f"a {self.basis.value} rule says what it rests on in basis_note")
        if self.basis is Basis.FIRM_POLICY and not self.settings:
            raise ValueError("a firm-policy rule names the settings its thresholds use")
        return self

    def finding(
        self,
        status: FindingStatus,
        target: Target,
        location: Location | None = None,
        *,
        values: dict[str, object] | None = None,
        message: LocalizedText | None = None,
        evidence: dict[str, JsonValue] | None = None,
        key: str = "",
    ) -> Finding:
        """A finding of this rule: title and requirements from the rule, the message from its
        template filled with ``values`` (or ``message`` as given), and a stable fingerprint."""
        location = location or Location()
        if message is None:
            template = self.message or self.title
            message = template.format(**values) if values else template
        return Finding(
            rule_id=self.id,
            status=status,
            severity=self.severity,
            level=self.level,
            basis=self.basis,
            requirements=self.requirements,
            title=self.title,
            message=message,
            target=target,
            location=location,
            evidence=evidence or {},
            fingerprint=make_fingerprint(self.id, target, location, key),
        )
