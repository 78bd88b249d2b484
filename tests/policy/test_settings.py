"""The firm-policy settings registry: every setting quotes its provision verbatim, every firm-policy rule names
real settings, and every setting is used by a rule."""

from __future__ import annotations

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Basis
from csmguard.policy.settings import SOCIAL_REVIEW_DEFAULT, AppliedIn, setting_specs
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.rules.loader import load_rules
from csmguard.services.social import DEFAULT_REVIEW_WITHIN_DAYS

CATALOG = load_catalog()


def test_every_register_check_setting_is_in_the_registry_with_its_default() -> None:
    specs = {s.name: s for s in setting_specs() if s.applied_in is AppliedIn.WORKSPACE}
    assert set(specs) == set(RegisterCheckSettings.model_fields)
    defaults = RegisterCheckSettings()
    assert all(spec.default == getattr(defaults, name) for name, spec in specs.items())
    assert SOCIAL_REVIEW_DEFAULT == DEFAULT_REVIEW_WITHIN_DAYS


def test_every_duty_quotes_its_provision_verbatim() -> None:
    by_id = CATALOG.by_id()
    for spec in setting_specs():
        node = by_id[spec.requirement]
        assert node.text is not None and spec.quote in node.text.zh_tw, spec.name
        assert spec.duty.zh_tw.startswith(spec.requirement) and spec.duty.en


def test_rules_name_real_settings_and_every_setting_is_used() -> None:
    names = {s.name for s in setting_specs()}
    used: set[str] = set()
    for rule in load_rules(CATALOG).rules:
        assert set(rule.settings) <= names, (rule.id, set(rule.settings) - names)
        if rule.basis is Basis.FIRM_POLICY:
            assert rule.settings, rule.id
        used |= set(rule.settings)
    assert used == names
