"""The per-device engine: the context of each device (policies, registers, sensitivity), every rule's
verdict, and a compact fleet tally (one counter per distinct device signature, expanded at the end)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from operator import itemgetter

from csmguard.rules.model import Rule
from csmguard.scanners.fleet.baseline import FleetBaseline
from csmguard.scanners.fleet.checks import CheckFn
from csmguard.scanners.fleet.collect_registers import Registers
from csmguard.scanners.fleet.context import AllowList, DeviceContext, Outcome
from csmguard.scanners.fleet.facts import (
    FAIL,
    NOT_APPLICABLE,
    PASS,
    RETIRED_STATES,
    UNKNOWN_OWNER,
    VERDICTS,
    Device,
    Policy,
)
from csmguard.scanners.fleet.policies import applicable, merge

DEPARTURE_CHECK = "departure"
SENSITIVE_TAG = "sensitive-data"
# Reasons that say a whole register is missing: reported once for the fleet, not once per device.
FLEET_ONLY_REASONS = frozenset({"no_staff_register", "no_byod_register"})
# Reasons of a pass that still deserve attention.
WARNING_REASONS = frozenset({"checkin_warn"})


@dataclass(frozen=True, slots=True)
class DeviceResult:
    """One device's verdicts, aligned with the evaluator's rules."""

    device: Device
    sensitive: bool
    outcomes: tuple[Outcome, ...]


class FleetEvaluator:
    """Evaluates devices one at a time against the rules; holds only per-policy-combination caches."""

    def __init__(self, rules: Sequence[Rule], checks: Mapping[str, CheckFn], baseline: FleetBaseline,
                 policies: Sequence[Policy], registers: Registers, today: date) -> None:
        self.rules = tuple(rules)
        self._fns = tuple(checks[rule.check or ""] for rule in self.rules)
        self._departure_index = tuple(i for i, r in enumerate(self.rules) if r.check == DEPARTURE_CHECK)
        self.baseline = baseline
        self.policies = tuple(policies)
        self.registers = registers
        self.today = today
        self._sensitive_groups = frozenset(baseline.sensitivity.sensitive_groups)
        self._settings_cache: dict[tuple[str, bool, frozenset[str]], tuple[object, AllowList]] = {}
        self._base_allowed = tuple(baseline.apps.allowed)
        self._context_cache: dict[tuple[int, bool], DeviceContext] = {}

    def groups_of(self, device: Device) -> frozenset[str]:
        """The device's groups: from the export plus the group-members register (by ID, serial or user)."""
        members = self.registers.group_members
        if not members:
            return frozenset(device.groups)
        found: set[str] = set(device.groups)
        for key in (device.id, device.aad_device_id, device.serial, device.user):
            if key:
                found |= members.get(key.lower(), frozenset())
        return frozenset(found)

    def _settings(self, device: Device, groups: frozenset[str]) -> tuple[object, AllowList]:
        key = (device.platform, device.work_profile, groups)
        cached = self._settings_cache.get(key)
        if cached is None:
            settings = merge(p.settings for p in applicable(self.policies, device, groups))
            extra = settings.allowed_apps if self.baseline.apps.allowed_by_policy else ()
            cached = (settings, AllowList.of((*self._base_allowed, *extra)))
            self._settings_cache[key] = cached
        return cached

    def context(self, device: Device) -> DeviceContext:
        """The context one device is judged in."""
        groups = self.groups_of(device)
        settings, allowed = self._settings(device, groups)
        if device.holds_sensitive_data is not None:
            sensitive = device.holds_sensitive_data
        elif groups & self._sensitive_groups:
            sensitive = True
        else:
            sensitive = self.baseline.sensitivity.unknown_is_sensitive
        staff = self.registers.staff_changes
        byod = self.registers.byod_agreements
        user = device.user
        shared = staff is None and byod is None  # then the context depends only on settings and sensitivity
        if shared:
            cached = self._context_cache.get((id(settings), sensitive))
            if cached is not None:
                return cached
        ctx = DeviceContext(
            today=self.today, baseline=self.baseline, settings=settings,  # type: ignore[arg-type]
            allowed_apps=allowed, policies_loaded=bool(self.policies), sensitive=sensitive,
            staff_register=staff is not None,
            staff_change=staff.get(user) if staff is not None and user else None,
            agreements=(byod.get(user, ()) if user else ()) if byod is not None else None,
        )
        if shared:
            self._context_cache[(id(settings), sensitive)] = ctx
        return ctx

    def registered(self, device: Device) -> Device:
        """The device completed from the devices register (matched by MDM device ID, Entra device ID or serial
        number, case-insensitive): the register fills the user, department and ownership the export does not
        report, and the device holds sensitive data when either the export or the register says so."""
        register = self.registers.devices
        if not register:
            return device
        entry = None
        for key in (device.id, device.aad_device_id, device.serial):
            if key:
                entry = register.get(key.lower())
                if entry is not None:
                    break
        if entry is None:
            return device
        sensitive = device.holds_sensitive_data is True or entry.holds_sensitive_data
        return replace(device, user=device.user or entry.owner, department=device.department or entry.department,
                       ownership=entry.ownership if device.ownership == UNKNOWN_OWNER else device.ownership,
                       holds_sensitive_data=sensitive)

    def evaluate(self, device: Device) -> DeviceResult:
        """Every rule's verdict on one device (a wiped or retired device is judged only on departures)."""
        device = self.registered(device)
        ctx = self.context(device)
        if device.management_state in RETIRED_STATES:
            state = device.management_state or ""
            outcomes = tuple(fn(device, ctx) if i in self._departure_index else (NOT_APPLICABLE, "retired", state)
                             for i, fn in enumerate(self._fns))
        else:
            outcomes = tuple([fn(device, ctx) for fn in self._fns])
        return DeviceResult(device, ctx.sensitive, outcomes)


_VERDICT = itemgetter(0)
_REASON = itemgetter(1)

# (platform, ownership, department, sensitive, verdicts, reason codes)
Signature = tuple[str, str, str, bool, tuple[str, ...], tuple[str, ...]]


def signature(result: DeviceResult) -> Signature:
    """What the fleet tally keeps of one device: its dimensions and each rule's verdict and reason code."""
    d = result.device
    outcomes = result.outcomes
    return (d.platform, d.ownership, d.department or "", result.sensitive, tuple(map(_VERDICT, outcomes)),
            tuple(map(_REASON, outcomes)))


class FleetTally:
    """Counts of verdicts per rule, platform, ownership and department, kept as one counter of device
    signatures so that a million devices cost one dictionary update each."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.signatures: Counter[Signature] = Counter()
        self._collapsed_cache: dict[int, Counter[tuple[str, tuple[str, ...]]]] = {}

    def add(self, result: DeviceResult) -> None:
        """Count one device."""
        self.signatures[signature(result)] += 1

    def add_signature(self, key: Signature, count: int = 1) -> None:
        """Count ``count`` devices with the same signature (from a worker process)."""
        self.signatures[key] += count

    @property
    def devices(self) -> int:
        """How many devices were counted."""
        return sum(self.signatures.values())

    def rule_counts(self, index: int) -> dict[str, int]:
        """Verdict → count for the rule at ``index``."""
        out = dict.fromkeys(VERDICTS, 0)
        for sig, n in self.signatures.items():
            out[sig[4][index]] += n
        return out

    def sensitive_failures(self, index: int) -> int:
        """Failures of the rule at ``index`` on devices holding sensitive data."""
        return sum(n for sig, n in self.signatures.items() if sig[3] and sig[4][index] == FAIL)

    def _collapsed(self, dimension: int) -> Counter[tuple[str, tuple[str, ...]]]:
        cached = self._collapsed_cache.get(dimension)
        if cached is None:
            cached = Counter()
            for sig, n in self.signatures.items():
                cached[(str(sig[dimension]) or "(none)", sig[4])] += n
            self._collapsed_cache[dimension] = cached
        return cached

    def breakdown(self, index: int, dimension: int) -> dict[str, dict[str, int]]:
        """Verdict counts of one rule per platform (0), ownership (1) or department (2)."""
        out: dict[str, dict[str, int]] = {}
        for (name, verdicts), n in self._collapsed(dimension).items():
            bucket = out.get(name)
            if bucket is None:
                bucket = out[name] = dict.fromkeys(VERDICTS, 0)
            bucket[verdicts[index]] += n
        return out

    def reason_counts(self, index: int) -> dict[str, int]:
        """Reason code → count of non-passing verdicts of the rule at ``index``."""
        out: Counter[str] = Counter()
        for sig, n in self.signatures.items():
            if sig[4][index] != PASS:
                out[sig[5][index]] += n
        return dict(out)

    def warnings(self, index: int) -> int:
        """Passing verdicts of the rule at ``index`` that carry a warning (e.g. a check-in nearing the limit)."""
        return sum(n for sig, n in self.signatures.items()
                   if sig[4][index] == PASS and sig[5][index] in WARNING_REASONS)

    def reportable(self) -> int:
        """How many device verdicts become findings by default (fail, unknown, manual; no register gaps)."""
        return sum(n * sum(1 for v, c in zip(sig[4], sig[5], strict=True)
                           if v not in (PASS, NOT_APPLICABLE) and c not in FLEET_ONLY_REASONS)
                   for sig, n in self.signatures.items())

    def tagged(self, index: int, tag: str = SENSITIVE_TAG) -> bool:
        """Whether the rule at ``index`` carries ``tag``."""
        return tag in self.rules[index].tags
