"""What a scan actually covered: what it recognised in its inputs, and which rules examined which targets.

A verdict may rest only on what was examined. A scan that recognised nothing of its kind has *failed*: it
is kept for the record but contributes no finding and resolves nothing. A scan with errors on some inputs
is *partial*: it resolves only the (target, rule) pairs it covered. Only a *complete* scan (nothing left
unread) speaks for the whole of what it was given.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ScanState(StrEnum):
    """How much of its input a scan really judged."""

    COMPLETE = "complete"
    PARTIAL = "partial"
    FAILED = "failed"


def target_key(kind: str, ident: str) -> str:
    """The one string form of a target used to match coverage and findings: ``kind:id``."""
    return f"{kind}:{ident}"


class CoverageGroup(BaseModel):
    """These rules examined each of these targets (target keys as made by :func:`target_key`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[str, ...]
    targets: tuple[str, ...]


class Coverage(BaseModel):
    """What a scan recognised (counts by kind, e.g. ``{"apk": 1}`` or ``{"iac-resource": 360}``), what it
    found instead when it recognised nothing (``found``: a short description per input), and the rules that
    examined targets without necessarily leaving a finding on them (``examined``). Every finding is itself
    proof that its rule examined its target, so ``examined`` only needs the silent pairs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    recognised: dict[str, int] = Field(default_factory=dict)
    found: dict[str, str] = Field(default_factory=dict)
    examined: tuple[CoverageGroup, ...] = ()

    @property
    def recognised_anything(self) -> bool:
        """Whether the scan recognised at least one thing of its kind."""
        return any(count > 0 for count in self.recognised.values())

    def examined_keys(self) -> set[tuple[str, str]]:
        """Every declared (target key, rule id) pair."""
        return {(target, rule) for group in self.examined for target in group.targets for rule in group.rules}

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON form kept with a recorded scan."""
        return self.model_dump(mode="json")


def examined(rules: Iterable[str], targets: Iterable[str]) -> CoverageGroup:
    """A coverage group of sorted, de-duplicated rules and targets."""
    return CoverageGroup(rules=tuple(sorted(set(rules))), targets=tuple(sorted(set(targets))))


def merge(coverages: Iterable[Coverage]) -> Coverage:
    """One coverage for several results of the same scanner read as one (counts added, groups kept)."""
    recognised: dict[str, int] = {}
    found: dict[str, str] = {}
    groups: list[CoverageGroup] = []
    for coverage in coverages:
        for kind, count in coverage.recognised.items():
            recognised[kind] = recognised.get(kind, 0) + count
        found.update(coverage.found)
        groups.extend(coverage.examined)
    return Coverage(recognised=recognised, found=found, examined=tuple(groups))
