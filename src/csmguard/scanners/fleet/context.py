"""What a check knows besides the device: the baseline, the effective policy settings, the registers, the date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from csmguard.scanners.fleet.baseline import FleetBaseline
from csmguard.scanners.fleet.facts import ByodAgreement, PolicySettings, StaffChange

# A check's answer: (verdict, reason code, detail). Reason codes are keys of reasons.REASONS.
Outcome = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class AllowList:
    """Allowed app IDs: exact IDs and prefixes (entries ending in ``*``)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, entries: tuple[str, ...]) -> AllowList:
        """An allow-list from baseline and policy entries (case-insensitive)."""
        lowered = [e.strip().lower() for e in entries if e.strip()]
        return cls(frozenset(e for e in lowered if not e.endswith("*")),
                   tuple(e[:-1] for e in lowered if e.endswith("*")))

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes)

    def allows(self, app: str) -> bool:
        """Whether ``app`` is on the list."""
        key = app.lower()
        return key in self.exact or key.startswith(self.prefixes)


@dataclass(frozen=True, slots=True)
class DeviceContext:
    """Everything a check may use besides the device itself."""

    today: date
    baseline: FleetBaseline
    settings: PolicySettings
    allowed_apps: AllowList
    policies_loaded: bool
    sensitive: bool
    staff_register: bool
    staff_change: StaffChange | None
    agreements: tuple[ByodAgreement, ...] | None
