"""The store on SQLite and PostgreSQL: migrations to every head, transactions, foreign keys, and the
workspace services through the same URL."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from csmguard.domain import FindingStatus, ScanResult, Target
from csmguard.registers.io import RegisterImportError
from csmguard.services import registers as svc
from csmguard.services import workspace as services
from csmguard.store.db import Base, alembic_config, make_engine, migrate, needs_migration, session_scope
from csmguard.store.models import EvidenceRow, MetaRow
from csmguard.store.register_tables import REGISTER_TABLES
from csmguard.workspace import init_workspace, open_workspace
from tests.registers.samples import SAMPLES

CORE_TABLES = {t.name for t in REGISTER_TABLES.values()} | {
    "scans", "findings", "evidence", "attestations", "attestation_evidence", "exceptions", "exception_evidence",
    "assessments", "workspace_meta", "policy_confirmations", "practice_adoptions"}


def test_migrate_reaches_every_head_and_is_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert needs_migration(engine)
        migrate(engine)
        migrate(engine)
        assert not needs_migration(engine)
        heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
        assert "core_0006" in heads
        with engine.connect() as connection:
            versions = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
        assert versions == heads
        tables = set(inspect(engine).get_table_names())
        assert tables >= CORE_TABLES
    finally:
        engine.dispose()


def _table_of(diff: Any) -> str | None:
    """The table an Alembic autogenerate difference is about."""
    if isinstance(diff, list):  # modify_* entries: [(op, schema, table, column, …)]
        return str(diff[0][2])
    op, subject = diff[0], diff[1]
    if op in {"add_table", "remove_table"}:
        return str(subject.name)
    if op in {"add_column", "remove_column"}:
        return str(diff[2])
    table = getattr(subject, "table", None)
    return str(table.name) if table is not None else None


def test_models_match_the_migrations(db_url: str) -> None:
    """Autogenerate finds nothing to add for the core tables: the migration is complete."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(db_url)
    try:
        migrate(engine)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert [d for d in diff if _table_of(d) in CORE_TABLES] == []
    finally:
        engine.dispose()


def test_session_scope_commits_or_rolls_back(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine)
        with session_scope(engine) as session:
            session.add(MetaRow(key="a", value="1"))
        with pytest.raises(RuntimeError), session_scope(engine) as session:
            session.add(MetaRow(key="b", value="2"))
            session.flush()
            raise RuntimeError("boom")
        with session_scope(engine) as session:
            assert {r.key for r in session.query(MetaRow).all()} == {"a"}
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine)
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("INSERT INTO attestation_evidence (attestation_id, sha256, position) "
                                    "VALUES ('nope', 'nope', 0)"))
    finally:
        engine.dispose()


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_workspace_services_on_the_database(tmp_path: Path, db_url: str) -> None:
    evidence = tmp_path / "report.pdf"
    evidence.write_bytes(b"%PDF-1.4 audit")
    ws = init_workspace(tmp_path / "ws", db_url=db_url)
    try:
        ref = services.add_evidence(ws, evidence)
        for kind in ("cloud-services", "cloud-providers", "devices", "staff-changes"):
            for item in SAMPLES[kind]:
                svc.add_record(ws, kind, {k: v for k, v in item.items() if k != "audit_reports"})
        bad = tmp_path / "bad.csv"
        bad.write_text("Device ID,Owner\nX-1,Amy\nX-2,\n", encoding="utf-8")
        with pytest.raises(RegisterImportError):
            svc.import_records(ws, "devices", bad)
        assert [s.key for s in svc.list_records(ws, "devices")] == ["PH-0001"]
        attestation = services.add_attestation(ws, requirement="CSM-4.3", status="implemented",
                                               statement="Audited on site", attested_by="Amy",
                                               evidence=[ref.sha256], expires_on=date(2027, 1, 1))
        assert services.list_attestations(ws) == [attestation]
        result = services.run_register_checks(ws, date(2026, 6, 30))
        assert {(f.rule_id, f.status, f.target.id) for f in result.findings
                if f.rule_id in {"REG-003", "REG-006"}} == {
            # per service (3.1): the sample's services are terminated or not critical, so REG-003 does not apply
            ("REG-003", FindingStatus.NOT_APPLICABLE, "cloud-services/Mail"),
            ("REG-003", FindingStatus.NOT_APPLICABLE, "cloud-services/下單系統備援"),
            ("REG-006", FindingStatus.FAIL, "cloud-services/下單系統備援")}
        assert {f.fingerprint for f in services.latest_findings(ws)} == {f.fingerprint for f in result.findings}
        assessment_id = services.save_assessment(ws, {"statuses": {"CSM-4.3": "compliant"}}, summary={"n": 1})
        assert services.get_assessment(ws, assessment_id) == {"statuses": {"CSM-4.3": "compliant"}}
        with session_scope(ws.engine()) as session:
            assert session.get(EvidenceRow, ref.sha256) is not None
    finally:
        ws.close()
    reopened = open_workspace(tmp_path / "ws")
    try:
        assert reopened.settings.db_url == db_url
        assert len(svc.list_records(reopened, "devices")) == 1
    finally:
        reopened.close()


def test_latest_findings_keeps_the_latest_scan_per_scanner_and_target(tmp_path: Path, db_url: str) -> None:
    from csmguard.catalog.loader import load_catalog
    from csmguard.rules.loader import load_rules

    rule = load_rules(load_catalog(), ["register"]).get("REG-003")
    ws = init_workspace(tmp_path / "ws", db_url=db_url)
    try:
        def scan(scanner: str, target: str, status: FindingStatus) -> ScanResult:
            finding = rule.finding(status, Target(kind="t", id=target))
            return ScanResult(scanner=scanner, targets=(target,), findings=(finding,))

        services.record_scan(ws, scan("app", "a.apk", FindingStatus.FAIL))
        services.record_scan(ws, scan("app", "b.apk", FindingStatus.FAIL))
        services.record_scan(ws, scan("app", "a.apk", FindingStatus.PASS))
        services.record_scan(ws, scan("iac", "a.apk", FindingStatus.FAIL))
        got = sorted((f.target.id, f.status.value) for f in services.latest_findings(ws))
        assert got == [("a.apk", "fail"), ("a.apk", "pass"), ("b.apk", "fail")]
        assert [s["scanner"] for s in services.list_scans(ws)] == ["iac", "app", "app", "app"]
    finally:
        ws.close()
