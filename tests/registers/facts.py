"""Typed register facts from a fixture's ``registers`` mapping, for the register tests and the REG
adapter of tests/rules/test_rule_fixtures.py."""

from __future__ import annotations

from typing import Any

from csmguard.registers.facts import FACT_FIELDS, RegisterFacts
from csmguard.registers.specs import get_spec


def facts_from(registers: dict[str, list[dict[str, Any]]]) -> RegisterFacts:
    """Typed register facts from a fixture's ``registers`` mapping (validated like any import)."""
    values: dict[str, Any] = {}
    answers: dict[str, bool] = {}
    for kind, items in registers.items():
        spec = get_spec(kind)
        records = tuple(spec.model.model_validate(item) for item in items)
        if kind == "profile":
            answers = {r.question: r.answer for r in records}  # type: ignore[attr-defined]
        else:
            values[FACT_FIELDS[kind]] = records
    return RegisterFacts(answers=answers, **values)
