"""The evaluator memoises verdicts by device facts: for many varied devices, one shared evaluator must give
exactly the outcomes a fresh evaluator (no memo yet) gives each device, with and without policies, group
members and registers."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from csmguard.rules.loader import RuleSet
from csmguard.scanners.fleet.baseline import load_baseline
from csmguard.scanners.fleet.checks import CHECKS
from csmguard.scanners.fleet.collect_policies import read_policies
from csmguard.scanners.fleet.collect_registers import Registers
from csmguard.scanners.fleet.evaluate import FleetEvaluator, signature
from csmguard.scanners.fleet.facts import ByodAgreement, Device, Policy, RegisteredDevice, StaffChange
from tests.scanners.fleet.conftest import AS_OF

BOOL = (True, False, None)


def _device(rng: random.Random, n: int) -> Device:
    plat = rng.choice(("ios", "android", "windows", "macos", "other"))
    return Device(
        id=f"d{n}", source="x", row=n, platform=plat, serial=rng.choice((None, f"S{n % 7}")),
        user=rng.choice((None, "ann@f.tw", "ben@f.tw", "cat@f.tw")), department=rng.choice((None, "Risk", "IT")),
        os_version=rng.choice((None, "12", "13", "14", "17.5", "18.1", "10.0.19045.1")),
        security_patch=rng.choice((None, AS_OF - timedelta(days=30), AS_OF - timedelta(days=200))),
        ownership=rng.choice(("company", "personal", "unknown")), user_enrollment=rng.random() < 0.2,
        work_profile=rng.random() < 0.2, supervised=rng.choice(BOOL), managed=rng.choice(BOOL),
        management_agent=rng.choice((None, "mdm", "eas")),
        management_state=rng.choice((None, None, None, "managed", "retired")),
        encrypted=rng.choice(BOOL), jailbroken=rng.choice(BOOL), passcode_present=rng.choice(BOOL),
        passcode_compliant=rng.choice(BOOL), passcode_min_length=rng.choice((None, 4, 6, 8)),
        simple_passcode_blocked=rng.choice(BOOL), auto_lock_minutes=rng.choice((None, 1, 5, 15)),
        wipe_after_failures=rng.choice((None, 6, 10, 20)), nfc_blocked=rng.choice(BOOL),
        bluetooth_restricted=rng.choice(BOOL), airdrop_blocked=rng.choice(BOOL), tethering_blocked=rng.choice(BOOL),
        last_checkin=rng.choice((None, datetime(2026, 11, 29, 8, tzinfo=UTC) - timedelta(days=rng.randrange(60)))),
        threat_state=rng.choice((None, "secured", "highseverity", "unknown")),
        compliance_state=rng.choice((None, "compliant", "noncompliant")),
        apps=rng.choice((None, (), ("com.microsoft.outlook",), ("com.bad.app", "com.apple.mobilesafari"))),
        groups=rng.choice(((), ("grp-trading",), ("grp-other",))),
        holds_sensitive_data=rng.choice(BOOL), aad_device_id=None)


def _registers(kind: str) -> Registers:
    if kind == "none":
        return Registers()
    staff = {"ann@f.tw": StaffChange("ann@f.tw", "departure", date(2026, 10, 1), None, "r", 2),
             "cat@f.tw": StaffChange("cat@f.tw", "transfer", date(2026, 11, 28), "Risk", "r", 3)}
    byod = {"ben@f.tw": (ByodAgreement("ben@f.tw", "S3", date(2026, 1, 1), None, None, ("email",), None, "active",
                                       "r", 2),)}
    devices = {"s1": RegisteredDevice("S1", "ann@f.tw", "IT", "personal", True, "r", 2)}
    members = {"s2": frozenset({"grp-trading"})}
    return Registers(staff_changes=staff, byod_agreements=byod, devices=devices, group_members=members)


@pytest.mark.parametrize("kind", ["none", "registers"])
@pytest.mark.parametrize("with_policies", [False, True])
def test_memoised_outcomes_equal_fresh_evaluation(samples: Path, fleet_rules: RuleSet, kind: str,
                                                  with_policies: bool) -> None:
    rules = tuple(fleet_rules.for_scanner("fleet"))
    baseline = load_baseline()
    policies = [p for p in read_policies(samples / "intune-policies.json") if isinstance(p, Policy)] \
        if with_policies else []
    registers = _registers(kind)
    shared = FleetEvaluator(rules, CHECKS, baseline, policies, registers, AS_OF)
    rng = random.Random(f"{kind}-{with_policies}")
    made: list[Device] = []
    for n in range(3000):
        if made and n % 2:  # a device like an earlier one but for its identity, people and live facts: a memo hit
            other = _device(rng, n)
            device = rng.choice(made)._replace(
                id=other.id, row=n, serial=other.serial, user=other.user, department=other.department,
                last_checkin=other.last_checkin, os_version=other.os_version, security_patch=other.security_patch,
                threat_state=other.threat_state)
        else:
            device = _device(rng, n)
            made.append(device)
        fresh = FleetEvaluator(rules, CHECKS, baseline, policies, registers, AS_OF).evaluate(device)
        memo = shared.evaluate(device)
        assert (memo.device, memo.sensitive, memo.outcomes) == (fresh.device, fresh.sensitive, fresh.outcomes), n
        assert signature(memo) == signature(fresh)
    assert len(shared._fast) + len(shared._memo) < 2000  # the memo was used
