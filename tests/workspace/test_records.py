"""Attestations, exceptions, saved assessments and the organization profile in a workspace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from csmguard.catalog.scope import ScopeProfile
from csmguard.domain.attestation import AttestedStatus
from csmguard.domain.errors import InputError
from csmguard.services import registers as svc
from csmguard.services import workspace as services
from csmguard.workspace import Workspace, init_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = init_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


def test_attestations_are_recorded_and_expire(ws: Workspace) -> None:
    live = services.add_attestation(ws, requirement="CSM-4.3", status=AttestedStatus.IMPLEMENTED,
                                    statement="Annual on-site audit", attested_by="Amy", reviewer="Bob",
                                    attested_on=date(2026, 1, 10), expires_on=date(2027, 1, 10))
    old = services.add_attestation(ws, requirement="CSM-6.1", status="partially_implemented",
                                   statement="Reports sometimes late", attested_by="Amy",
                                   attested_on=date(2024, 1, 1), expires_on=date(2025, 1, 1))
    listed = services.list_attestations(ws)
    assert [a.id for a in listed] == [old.id, live.id]
    assert [a.is_live(date(2026, 6, 30)) for a in listed] == [False, True]
    assert listed[1].reviewer == "Bob" and listed[1].recorded_at is not None
    services.delete_attestation(ws, old.id)
    assert [a.id for a in services.list_attestations(ws)] == [live.id]


def test_attestation_requirement_must_be_assessable(ws: Workspace) -> None:
    with pytest.raises(InputError, match="not in catalog"):
        services.add_attestation(ws, requirement="CSM-99", status="implemented", statement="x", attested_by="a")
    with pytest.raises(InputError, match="not an assessable requirement"):
        services.add_attestation(ws, requirement="CSM-2", status="implemented", statement="x", attested_by="a")
    with pytest.raises(InputError, match="no evidence file"):
        services.add_attestation(ws, requirement="CSM-4.3", status="implemented", statement="x", attested_by="a",
                                 evidence=["deadbeef" * 8])


def test_exceptions_are_recorded_with_rules_and_expiry(ws: Workspace) -> None:
    record = services.add_exception(ws, requirement="CSM-4.3", rationale="Provider refuses on-site audits",
                                    compensating_controls="SOC 2 Type II report reviewed yearly",
                                    approver="CISO", approved_on=date(2026, 1, 5), expires_on=date(2026, 12, 31),
                                    rule_ids=["REG-002"])
    [stored] = services.list_exceptions(ws)
    assert stored == record and stored.rule_ids == ("REG-002",)
    assert stored.is_live(date(2026, 12, 31)) and not stored.is_live(date(2027, 1, 1))
    services.delete_exception(ws, record.id)
    assert services.list_exceptions(ws) == []
    with pytest.raises(InputError):
        services.delete_exception(ws, record.id)


def test_assessments_are_saved_listed_and_found_by_prefix(ws: Workspace) -> None:
    first = services.save_assessment(ws, {"when": date(2026, 1, 1), "n": 1}, summary={"compliant": 3})
    second = services.save_assessment(ws, {"n": 2}, summary={"compliant": 4})
    assert services.get_assessment(ws, first) == {"when": "2026-01-01", "n": 1}
    assert services.get_assessment(ws, second[:8]) == {"n": 2}
    assert services.get_assessment(ws, "latest") == {"n": 2}
    assert [(a.id, a.summary) for a in services.list_assessments(ws)] == [(second, {"compliant": 4}),
                                                                          (first, {"compliant": 3})]
    with pytest.raises(InputError, match="no saved assessment"):
        services.get_assessment(ws, "nope")


def test_profile_is_the_profile_register(ws: Workspace) -> None:
    profile = ScopeProfile(organization="範例證券", answers={"uses_external_cloud": True, "allows_byod": False},
                           notes={"allows_byod": "禁止"})
    services.set_profile(ws, profile)
    assert services.get_profile(ws) == profile
    assert sorted(s.key for s in svc.list_records(ws, "profile")) == ["allows_byod", "uses_external_cloud"]
    svc.update_record(ws, "profile", "allows_byod", {"answer": True})
    assert services.get_profile(ws).answers["allows_byod"] is True
    with pytest.raises(InputError, match="unknown scope question"):
        services.set_profile(ws, ScopeProfile(answers={"nonsense": True}))
    assert services.get_profile(ws).organization == "範例證券"


def test_register_crud(ws: Workspace) -> None:
    created = svc.add_record(ws, "apps", {"app_id": "tw.acme.trade", "name": "Trade", "platform": "android"})
    assert svc.get_record(ws, "apps", str(created.id)).key == "tw.acme.trade"
    with pytest.raises(InputError, match="already exists"):
        svc.add_record(ws, "apps", {"app_id": "tw.acme.trade", "name": "Again", "platform": "ios"})
    updated = svc.update_record(ws, "apps", "tw.acme.trade", {"vendor": "V Ltd", "store_ids": "a; b"})
    assert updated.record.vendor == "V Ltd" and updated.record.store_ids == ("a", "b")  # type: ignore[attr-defined]
    cleared = svc.update_record(ws, "apps", "tw.acme.trade", {"vendor": None})
    assert cleared.record.vendor is None  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="unknown field"):
        svc.update_record(ws, "apps", "tw.acme.trade", {"colour": "red"})
    with pytest.raises(InputError):
        svc.update_record(ws, "apps", "tw.acme.trade", {"platform": "symbian"})
    svc.add_record(ws, "app-releases", {"app_id": "tw.acme.trade", "version": "1.0"})
    assert svc.get_record(ws, "app-releases", "tw.acme.trade/1.0").record.version == "1.0"  # type: ignore[attr-defined]
    # digits are a row number; key: names a key made of digits
    svc.add_record(ws, "devices", {"device_id": "7", "owner": "Seven"})
    svc.add_record(ws, "devices", {"device_id": "1", "owner": "One"})
    assert svc.get_record(ws, "devices", "1").record.owner == "Seven"  # type: ignore[attr-defined]
    assert svc.get_record(ws, "devices", "key:1").record.owner == "One"  # type: ignore[attr-defined]
    assert svc.get_record(ws, "devices", "7").record.owner == "Seven"  # type: ignore[attr-defined]
    svc.delete_record(ws, "apps", "tw.acme.trade")
    assert svc.list_records(ws, "apps") == []
    with pytest.raises(InputError, match="unknown register"):
        svc.list_records(ws, "spaceships")
