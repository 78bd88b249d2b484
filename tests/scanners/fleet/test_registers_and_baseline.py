"""Register CSV files (staff changes, BYOD agreements, group members) and the baseline file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from csmguard.domain.errors import InputError
from csmguard.scanners.fleet.baseline import load_baseline
from csmguard.scanners.fleet.collect_registers import read_byod_agreements, read_group_members, read_staff_changes


def test_staff_changes(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("User,Change Type,Effective Date,New Department\n"
                    "Ann@Firm.tw,離職,2026-10-01,\n"
                    "ann@firm.tw,transfer,2026-11-01,Risk\n"
                    "bob@firm.tw,promotion,2026-10-01,\n"
                    "cat@firm.tw,departure,,\n")
    changes, errors = read_staff_changes(path)
    assert list(changes) == ["ann@firm.tw"]
    assert (changes["ann@firm.tw"].change_type, changes["ann@firm.tw"].effective,
            changes["ann@firm.tw"].new_department) == ("transfer", date(2026, 11, 1), "Risk")
    assert [(e.row, e.field) for e in errors] == [(4, "change_type"), (5, "effective_date")]


def test_byod_agreements(tmp_path: Path) -> None:
    path = tmp_path / "byod.csv"
    path.write_text("user,device_serial,signed_on,expires_on,last_reviewed_on,permitted_data_types,status\n"
                    "ann@firm.tw,SER1,2026-01-01,2027-01-01,2026-06-01,Email; Sensitive,active\n"
                    "ann@firm.tw,,2025-01-01,,,email,revoked\n"
                    "bob@firm.tw,,01/02/2026,,,email,\n"
                    "cat@firm.tw,,2026-13-01,,,email,\n")
    agreements, errors = read_byod_agreements(path)
    assert [a.device_serial for a in agreements["ann@firm.tw"]] == ["SER1", None]
    assert agreements["ann@firm.tw"][0].permitted_data_types == ("email", "sensitive")
    assert agreements["bob@firm.tw"][0].signed_on == date(2026, 1, 2)
    assert agreements["bob@firm.tw"][0].status == "active"
    assert [(e.row, e.field) for e in errors] == [(5, "signed_on")]


def test_group_members_and_missing_register(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("group_id,member\ng1,DEV-1\ng2,dev-1\ng1,\n")
    members, errors = read_group_members(path)
    assert members == {"dev-1": frozenset({"g1", "g2"})}
    assert [(e.row, e.field) for e in errors] == [(4, "member")]
    with pytest.raises(InputError, match="no such file"):
        read_staff_changes(tmp_path / "missing.csv")


def test_baseline_defaults_and_partial_override(tmp_path: Path) -> None:
    default = load_baseline()
    assert (default.passcode.min_length, default.passcode.auto_lock_minutes_sensitive,
            default.passcode.wipe_after_failures, default.checkin.max_days, default.checkin.warn_days) == (
        6, 2, 10, 30, 14)
    assert default.sources  # every default names its sources
    override = tmp_path / "b.yaml"
    override.write_text("passcode: {min_length: 8}\nos: {minimum_versions: {ios: '18.0'}}\n")
    custom = load_baseline(override)
    assert (custom.passcode.min_length, custom.passcode.block_simple) == (8, True)
    assert custom.os.minimum_versions == {"ios": "18.0", "android": "13", "windows": "10.0.19045", "macos": "14.0"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("passcode: {min_length: 2}\nunknown_section: 1\n")
    with pytest.raises(InputError) as caught:
        load_baseline(bad)
    assert caught.value.file == str(bad)
