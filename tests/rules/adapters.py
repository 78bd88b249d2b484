"""How each scanner turns a fixture (a file or folder under tests/rules/<ID>/pass|fail/) into the facts
and context its checks take, and which key names a finding in expect.yaml. One adapter per scanner on
the rule contract; tests/rules/test_rule_fixtures.py runs them all."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from csmguard.domain import Finding
from csmguard.registers.check_helpers import RegisterCheckContext
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.scanners.iac.collect import collect as collect_iac
from csmguard.scanners.iac.facts import IacOptions
from csmguard.scanning.progress import NoProgress
from tests.registers.facts import facts_from


@dataclass(frozen=True)
class Adapter:
    """``load(fixture, context)`` -> (facts, context) for the scanner's checks; ``key(finding)`` -> the
    name expect.yaml lists it by; ``problems(fixture, facts)`` -> what makes the fixture unusable."""

    load: Callable[[Path, Mapping[str, Any]], tuple[Any, Any]]
    key: Callable[[Finding], str]
    problems: Callable[[Any], list[str]]


def _iac_load(fixture: Path, context: Mapping[str, Any]) -> tuple[Any, Any]:
    options = IacOptions(**{k: tuple(v) if isinstance(v, list) else v for k, v in context.items()})
    return collect_iac([fixture], progress=NoProgress()), options


def _register_load(fixture: Path, context: Mapping[str, Any]) -> tuple[Any, Any]:
    """A register fixture is one YAML file: ``as_of`` (the day judged) and ``registers`` (kind -> records)."""
    data = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    settings = RegisterCheckSettings(**context)
    return facts_from(data["registers"]), RegisterCheckContext(settings, data["as_of"])


ADAPTERS: dict[str, Adapter] = {
    "iac": Adapter(load=_iac_load, key=lambda f: f.location.resource or "",
                   problems=lambda facts: [e.describe() for e in facts.errors]),
    "register": Adapter(load=_register_load, key=lambda f: f.target.id, problems=lambda facts: []),
}
