"""Rules as data: what each rule tests, why, how to fix it, and the requirements it bears on."""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter
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
from csmguard.domain.i18n import Lang
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

# The checks modules of each scanner on the rule contract (csmguard.rules.contract): a rule's ``check:``
# names a public function of one of them; the loader rejects any other name. The single place where a
# scanner is tied to its checks.
CHECK_MODULES: dict[str, tuple[str, ...]] = {
    "iac": tuple(f"csmguard.scanners.iac.checks_{name}" for name in (
        "storage", "datastores", "buckets", "network", "exposure", "identity", "grants", "k8s_rbac",
        "managed_k8s", "logging", "detection", "transport", "images", "changes", "k8s", "resilience", "keys",
        "resource_policies")),
    "endpoint": tuple(f"csmguard.scanners.endpoint.checks_{name}" for name in ("tls", "transfer", "backend")),
    "register": tuple(f"csmguard.registers.checks_{name}" for name in ("cloud", "people", "more")),
    "social": ("csmguard.social.checks",),
    "site": ("csmguard.scanners.site.checks",),
    "messages": ("csmguard.scanners.messages.checks",),
    "policydoc": ("csmguard.scanners.policydoc.checks",),
}


class RuleMessageError(ValueError):
    """A check asked for a message its rule does not declare, or left out one of its fields."""


def template_fields(template: str) -> frozenset[str]:
    """The names of the ``{field}`` placeholders of a message template (``{a.b}``, ``{a[0]}`` count as a)."""
    names = set()
    for _, field, _, _ in Formatter().parse(template):
        if field is not None:
            if not field or field.isdigit():
                raise ValueError(f"placeholders are named, e.g. {{resource}}; found {{{field}}} in {template!r}")
            names.add(field.split(".", 1)[0].split("[", 1)[0])
    return frozenset(names)


def message_fields(message: LocalizedText) -> frozenset[str]:
    """The field names of a bilingual template; ValueError when zh-TW and en use different ones."""
    zh, en = template_fields(message.zh_tw), template_fields(message.en)
    if zh != en:
        raise ValueError(f"zh-TW and en use different fields: zh-TW {sorted(zh)}, en {sorted(en)}")
    return zh


def fill(template: LocalizedText, values: Mapping[str, object]) -> LocalizedText:
    """The template with its fields filled: a LocalizedText value gives each language its own text."""
    def language(lang: Lang) -> str:
        local = {k: v.get(lang) if isinstance(v, LocalizedText) else v for k, v in values.items()}
        return template.get(lang).format(**local)

    return LocalizedText.model_validate({"zh-TW": language(Lang.ZH_TW), "en": language(Lang.EN)})


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
    messages: dict[str, LocalizedText] = Field(default_factory=dict, description="named bilingual templates "
                                               "a check picks by name and fills with named fields")
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
        if self.condition is None and self.check is None and not self.flow:
            raise ValueError("a rule names its 'check' (a function; 'condition' then holds its parameters), "
                             "declaratively only a 'condition', or 'flow' (program-model checks)")
        if self.clause is not None and self.clause not in (Level.SHOULD, Level.MAY):
            raise ValueError("clause names a weaker clause: should or may")
        if self.basis is not Basis.TEXT and self.basis_note is None:
            raise ValueError(f"a {self.basis.value} rule says what it rests on in basis_note")
        for name, template in self.messages.items():
            try:
                message_fields(template)
            except ValueError as exc:
                raise ValueError(f"message {name!r}: {exc}") from None
        if self.basis is Basis.FIRM_POLICY and not self.settings:
            raise ValueError("a firm-policy rule names the settings its thresholds use")
        return self

    def finding(
        self,
        status: FindingStatus,
        target: Target,
        location: Location | None = None,
        *,
        values: Mapping[str, object] | None = None,
        message: LocalizedText | str | None = None,
        evidence: dict[str, JsonValue] | None = None,
        key: str = "",
    ) -> Finding:
        """A finding of this rule: title and requirements from the rule, and a stable fingerprint. The
        message is the rule's template called ``message`` (a name in its YAML ``messages:``) filled with
        ``values``; a LocalizedText is used as given; none: the single ``message`` template (else the title).
        An unknown message name or a field the template needs but ``values`` lacks is a RuleMessageError."""
        location = location or Location()
        if not isinstance(message, LocalizedText):
            message = self.render(message, values or {})
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

    def render(self, name: str | None, values: Mapping[str, object]) -> LocalizedText:
        """The message template ``name`` of this rule (None: its single ``message``, else its title)
        filled with ``values``; RuleMessageError for an unknown name or a missing field."""
        if name is None:
            template = self.message or self.title
        else:
            found = self.messages.get(name)
            if found is None:
                raise RuleMessageError(f"rule {self.id} has no message {name!r} (it has: "
                                       f"{', '.join(sorted(self.messages)) or 'none'})")
            template = found
        if not values and name is None:
            return template
        try:
            return fill(template, values)
        except (KeyError, IndexError, AttributeError) as exc:
            raise RuleMessageError(f"rule {self.id} message {name or 'message'!r} needs field {exc} "
                                   f"(given: {', '.join(sorted(values)) or 'none'})") from None
