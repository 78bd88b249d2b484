"""csmguard policy: show, confirm (who, when, value; a new value takes effect), adopt and unadopt; the
assessment lists unconfirmed defaults and adopted practices and adopted practices decide provisions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.assessment import ComplianceStatus
from csmguard.cli.main import app
from csmguard.domain.errors import InputError
from csmguard.services import registers as reg
from csmguard.services.assessment import assess_workspace
from csmguard.services.policy import (
    adopt_practice,
    adopted_practices,
    confirm_setting,
    setting_states,
    unadopt_practice,
)
from csmguard.workspace import Workspace, init_workspace, open_workspace
from tests.assessment.factory import ALL_YES

runner = CliRunner()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = init_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


def test_defaults_are_unconfirmed_until_a_person_confirms_them(ws: Workspace) -> None:
    states = {s.name: s for s in setting_states(ws)}
    audit = states["provider_audit_interval_days"]
    assert (audit.value, audit.is_default, audit.confirmed) == (365, True, False)
    assert audit.rules == ("REG-001",)
    state = confirm_setting(ws, "provider_audit_interval_days", "王資安長")
    assert (state.value, state.confirmed, state.confirmed_by) == (365, True, "王資安長")
    assert state.confirmed_at is not None


def test_a_confirmed_new_value_takes_effect_and_a_later_edit_is_unconfirmed(ws: Workspace) -> None:
    state = confirm_setting(ws, "device_wipe_days", "王資安長", "3")
    assert (state.value, state.is_default, state.confirmed) == (3, False, True)
    reopened = open_workspace(ws.root)
    try:
        assert reopened.settings.checks.device_wipe_days == 3  # written to csmguard.toml
        toml = (ws.root / "csmguard.toml").read_text(encoding="utf-8")
        (ws.root / "csmguard.toml").write_text(toml.replace("device_wipe_days = 3", "device_wipe_days = 10"),
                                              encoding="utf-8")
    finally:
        reopened.close()
    edited = open_workspace(ws.root)
    try:
        again = {s.name: s for s in setting_states(edited)}["device_wipe_days"]
        assert (again.value, again.confirmed, again.confirmed_value) == (10, False, 3)
    finally:
        edited.close()


def test_bad_confirmations_are_input_errors(ws: Workspace) -> None:
    with pytest.raises(InputError, match="unknown setting"):
        confirm_setting(ws, "nope", "A")
    with pytest.raises(InputError, match="--by"):
        confirm_setting(ws, "device_wipe_days", " ")
    with pytest.raises(InputError, match="device_wipe_days"):
        confirm_setting(ws, "device_wipe_days", "A", "-1")
    with pytest.raises(InputError, match="sla_period"):
        confirm_setting(ws, "sla_period", "A", "weekly")
    needed = confirm_setting(ws, "fleet.wireless.needed", "A", "Bluetooth, NFC")
    assert needed.value == ["Bluetooth", "NFC"] and needed.confirmed


def test_adopting_a_good_practice_makes_it_decide(ws: Workspace) -> None:
    for question, answer in ALL_YES.answers.items():
        reg.add_record(ws, "profile", {"question": question, "answer": answer})
    reg.add_record(ws, "devices", {"device_id": "PH-1", "owner": "Amy", "status": "in_use",
                                   "holds_sensitive_data": True, "mdm_managed": False})
    reg.run_register_checks(ws, date(2026, 6, 30))
    before = assess_workspace(ws, today=date(2026, 6, 30))
    assert before.requirement("CSM-14.3").status is not ComplianceStatus.NON_COMPLIANT
    assert before.adopted_practices == ()
    assert "device_wipe_days" in {s.name for s in before.unconfirmed_settings}
    with pytest.raises(InputError, match="not good practice"):
        adopt_practice(ws, "REG-001", "A")
    with pytest.raises(InputError, match="unknown rule"):
        adopt_practice(ws, "REG-999", "A")
    adopt_practice(ws, "REG-016", "王資安長")
    with pytest.raises(InputError, match="already adopted"):
        adopt_practice(ws, "REG-016", "A")
    after = assess_workspace(ws, today=date(2026, 6, 30))
    assert after.requirement("CSM-14.3").status is ComplianceStatus.NON_COMPLIANT
    assert [(a.rule_id, a.adopted_by) for a in after.adopted_practices] == [("REG-016", "王資安長")]
    unadopt_practice(ws, "REG-016", "王資安長")
    assert adopted_practices(ws) == frozenset()
    with pytest.raises(InputError, match="not adopted"):
        unadopt_practice(ws, "REG-016", "A")


def test_cli_show_confirm_adopt(ws: Workspace) -> None:
    w = ["--workspace", str(ws.root)]
    result = runner.invoke(app, ["policy", "show", *w])
    assert result.exit_code == 0 and "provider_audit_interval_days" in result.stdout and "未確認" in result.stdout
    result = runner.invoke(app, ["policy", "confirm", "byod_review_days", "--value", "180", "--by", "李經理", *w])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["policy", "adopt", "SOC-003", "--by", "李經理", *w])
    assert result.exit_code == 0, result.output
    doc = json.loads(runner.invoke(app, ["policy", "show", "--json", "--lang", "en", *w]).stdout)
    byod = next(s for s in doc["settings"] if s["name"] == "byod_review_days")
    assert (byod["value"], byod["confirmed"], byod["confirmed_by"], byod["is_default"]) == (180, True, "李經理", False)
    assert byod["duty"].startswith("CSM-15.1") and byod["rules"] == ["REG-011"]
    assert [a["rule_id"] for a in doc["adopted_practices"]] == ["SOC-003"]
    english = runner.invoke(app, ["policy", "show", "--lang", "en", *w])
    assert "Not confirmed by the firm" in english.stdout and "SOC-003" in english.stdout
    assert runner.invoke(app, ["policy", "confirm", "nope", "--by", "x", *w]).exit_code == 2
    assert runner.invoke(app, ["policy", "unadopt", "REG-016", "--by", "x", *w]).exit_code == 2
