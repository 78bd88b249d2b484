"""The per-device engine: the context of each device (policies, registers, sensitivity), every rule's
verdict, and a compact fleet tally (one counter per distinct device signature, expanded at the end).

Speed: the checks are pure functions of the device's facts and its context, and a fleet has far fewer distinct
fact combinations than devices, so the outcomes of most checks are memoised by a key made of every Device field
except those no memoised check reads (``KEY_EXCLUDED``) and the context (policy settings, sensitivity). A few
cheap checks of facts that differ between devices (``LIVE_CHECKS``) and, whenever a register is given, the
register checks run for every device; each combination of memoised and live outcomes is joined once. The
result carries a number for its (verdicts, reasons), so the fleet tally counts small keys."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

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
# Checks that read the registers by the device's user or serial: never memoised while a register is given.
REGISTER_CHECKS = frozenset({"departure", "byod_agreement", "byod_review"})
# Cheap checks of facts that differ from device to device (check-in day, OS version and patch, threat state):
# run for every device, so that the memo key can leave those facts out.
LIVE_CHECKS = frozenset({"checkin", "os_current", "threat"})
# Device fields no memoised check reads (sensitivity reaches the checks through the context; the live checks
# read the last four); every other field is part of the memo key, so a new field is safe by default.
KEY_EXCLUDED = frozenset({"id", "source", "row", "serial", "name", "user", "department", "enrollment", "groups",
                          "holds_sensitive_data", "aad_device_id", "last_checkin", "os_version", "security_patch",
                          "threat_state"})
_KEY_FIELDS = itemgetter(*(i for i, name in enumerate(Device._fields) if name not in KEY_EXCLUDED))
MEMO_LIMIT = 50_000  # distinct combinations kept per memo; beyond, the memo starts afresh
_VERDICT = itemgetter(0)
_REASON = itemgetter(1)
_VERDICT_REASON = itemgetter(0, 1)


class DeviceResult(NamedTuple):
    """One device's verdicts, aligned with the evaluator's rules (a NamedTuple: one is built per device)."""

    device: Device
    sensitive: bool
    outcomes: tuple[Outcome, ...]
    verdicts: tuple[str, ...] = ()  # the outcomes' verdicts and reason codes when the evaluator had them at hand
    reasons: tuple[str, ...] = ()
    code: int = -1  # the evaluator's number for (verdicts, reasons): a cheap key for tallies; -1 when none


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
        varies = registers.staff_changes is not None or registers.byod_agreements is not None
        live = LIVE_CHECKS | (REGISTER_CHECKS if varies else frozenset())
        memo_index = tuple(i for i, r in enumerate(self.rules) if r.check not in live)
        live_index = tuple(i for i, r in enumerate(self.rules) if r.check in live)
        self._memo_fns = tuple(self._fns[i] for i in memo_index)
        self._live_fns = tuple(self._fns[i] for i in live_index)
        order = memo_index + live_index
        self._order = None if order == tuple(range(len(order))) else tuple(order.index(i) for i in range(len(order)))
        # memo key → the memoised checks' outcomes and their number (with the context when context-free)
        self._memo: dict[tuple[Any, ...], tuple[tuple[Outcome, ...], int]] = {}
        # Without group members and person registers the context is a function of the device's platform, work
        # profile (both in the memo key), groups and sensitivity flag: then a memo hit needs no context at all.
        self._context_free = not varies and not registers.group_members
        self._fast: dict[tuple[Any, ...], tuple[DeviceContext, tuple[tuple[Outcome, ...], int]]] = {}
        self._part_codes: dict[tuple[Outcome, ...], int] = {}
        self._combined: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[str, ...], int]] = {}
        self._reorder = itemgetter(*self._order) if self._order is not None else None
        self._codes: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}

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
        return device._replace(user=device.user or entry.owner, department=device.department or entry.department,
                       ownership=entry.ownership if device.ownership == UNKNOWN_OWNER else device.ownership,
                       holds_sensitive_data=sensitive)

    def evaluate(self, device: Device) -> DeviceResult:
        """Every rule's verdict on one device (a wiped or retired device is judged only on departures)."""
        if self.registers.devices:
            device = self.registered(device)
        if device.management_state in RETIRED_STATES:
            ctx = self.context(device)
            state = device.management_state or ""
            outcomes = tuple(fn(device, ctx) if i in self._departure_index else (NOT_APPLICABLE, "retired", state)
                             for i, fn in enumerate(self._fns))
            return DeviceResult(device, ctx.sensitive, outcomes)
        if self._context_free:
            key: tuple[Any, ...] = (device.groups, device.holds_sensitive_data, _KEY_FIELDS(device))
            entry = self._fast.get(key)
            if entry is None:
                ctx = self.context(device)
                entry = self._remember(self._fast, key, (ctx, self._part(device, ctx)))
            ctx, part = entry
        else:
            ctx = self.context(device)
            key = (id(ctx.settings), ctx.sensitive, _KEY_FIELDS(device))
            part = self._memo.get(key) or self._remember(self._memo, key, self._part(device, ctx))
        return self._combine(device, ctx, part)

    @staticmethod
    def _remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = value
        return value

    def _part(self, device: Device, ctx: DeviceContext) -> tuple[tuple[Outcome, ...], int]:
        """The memoised checks' outcomes, with a number standing for them."""
        outcomes = tuple([fn(device, ctx) for fn in self._memo_fns])
        return outcomes, self._part_codes.setdefault(outcomes, len(self._part_codes))

    def _combine(self, device: Device, ctx: DeviceContext, part: tuple[tuple[Outcome, ...], int]) -> DeviceResult:
        """The memoised part joined with the live checks, in rule order; the verdicts, reasons and their number
        are worked out once per combination of the part and the live verdicts and reasons."""
        outcomes, number = part
        live = tuple([fn(device, ctx) for fn in self._live_fns])
        merged = outcomes + live
        if self._reorder is not None:
            merged = self._reorder(merged)
        key = (number, tuple(map(_VERDICT_REASON, live)))
        full = self._combined.get(key)
        if full is None:
            verdicts = tuple(map(_VERDICT, merged))
            reasons = tuple(map(_REASON, merged))
            code = self._codes.setdefault((verdicts, reasons), len(self._codes))
            full = self._remember(self._combined, key, (verdicts, reasons, code))
        return DeviceResult(device, ctx.sensitive, merged, *full)


# (platform, ownership, department, sensitive, verdicts, reason codes)
Signature = tuple[str, str, str, bool, tuple[str, ...], tuple[str, ...]]


def small_key(result: DeviceResult) -> tuple[Any, ...]:
    """A key that stands for the device's signature within one evaluator's results: the dimensions and the
    number of its (verdicts, reasons), cheap to hash; the full signature itself when there is no number."""
    if result.code < 0:
        return signature(result)
    d = result.device
    return d.platform, d.ownership, d.department or "", result.sensitive, result.code


def signature(result: DeviceResult) -> Signature:
    """What the fleet tally keeps of one device: its dimensions and each rule's verdict and reason code."""
    d = result.device
    if result.verdicts:
        return d.platform, d.ownership, d.department or "", result.sensitive, result.verdicts, result.reasons
    outcomes = result.outcomes
    return (d.platform, d.ownership, d.department or "", result.sensitive, tuple(map(_VERDICT, outcomes)),
            tuple(map(_REASON, outcomes)))


class FleetTally:
    """Counts of verdicts per rule, platform, ownership and department, kept as one counter of device
    signatures so that a million devices cost one dictionary update each."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._signatures: Counter[Signature] = Counter()
        self._pending: dict[tuple[Any, ...], int] = {}  # small key → devices not yet moved to _signatures
        self._full: dict[tuple[Any, ...], Signature] = {}
        self._collapsed_cache: dict[int, Counter[tuple[str, tuple[str, ...]]]] = {}

    def add(self, result: DeviceResult) -> None:
        """Count one device (by its small key; the full signature is built once per distinct key)."""
        key = small_key(result)
        count = self._pending.get(key)
        if count is None:
            if key not in self._full:
                self._full[key] = signature(result)
            self._pending[key] = 1
        else:
            self._pending[key] = count + 1

    def add_signature(self, key: Signature, count: int = 1) -> None:
        """Count ``count`` devices with the same signature (from a worker process)."""
        self._signatures[key] += count

    @property
    def signatures(self) -> Counter[Signature]:
        """Device count per signature."""
        if self._pending:
            for key, count in self._pending.items():
                self._signatures[self._full[key]] += count
            self._pending.clear()
            self._collapsed_cache.clear()
        return self._signatures

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
