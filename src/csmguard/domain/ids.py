"""The identifiers that are stable forever: requirement IDs and rule IDs."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

REQUIREMENT_ID_RE = re.compile(r"^CSM-(?P<article>[1-9]\d*)(?:\.(?P<paragraph>[1-9]\d*)(?:\.(?P<item>[1-9]\d*))?)?$")
RULE_ID_RE = re.compile(r"^(?P<family>[A-Z]{2,5})-(?P<number>\d{3})$")


def check_requirement_id(value: str) -> str:
    """Validate a requirement ID such as ``CSM-14.4.3`` and return it."""
    if not REQUIREMENT_ID_RE.match(value):
        raise ValueError(f"{value!r} is not a requirement ID (CSM-<article>[.<paragraph>[.<item>]])")
    return value


def check_rule_id(value: str) -> str:
    """Validate a rule ID such as ``APP-012`` and return it."""
    if not RULE_ID_RE.match(value):
        raise ValueError(f"{value!r} is not a rule ID (<FAMILY>-<NNN>, e.g. APP-001)")
    return value


def requirement_sort_key(value: str) -> tuple[int, int, int]:
    """Sort key that orders requirement IDs by article, paragraph and item numerically."""
    match = REQUIREMENT_ID_RE.match(value)
    if not match:
        return (10**6, 0, 0)
    return (
        int(match["article"]),
        int(match["paragraph"] or 0),
        int(match["item"] or 0),
    )


RequirementId = Annotated[str, AfterValidator(check_requirement_id)]
RuleId = Annotated[str, AfterValidator(check_rule_id)]
