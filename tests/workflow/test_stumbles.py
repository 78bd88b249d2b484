"""Regression tests of what a new user stumbled on (issue #17.7)."""

from __future__ import annotations

import ast
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy.orm import Session

from csmguard.domain import FindingStatus, ScanResult, Severity, Target, make_fingerprint, text
from csmguard.domain.finding import Finding, Location
from csmguard.registers.specs import get_spec
from csmguard.services.registers import import_records, list_records
from csmguard.services.web_queries import FindingFilter, find_findings
from csmguard.services.workspace import record_scan
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace

SRC = Path(__file__).parents[2] / "src" / "csmguard"


def _finding(rule_id: str, severity: Severity) -> Finding:
    target, location = Target(kind="app", id="tw.example.trade"), Location(path=f"{rule_id}.xml")
    return Finding(rule_id=rule_id, status=FindingStatus.FAIL, severity=severity, requirements=("CSM-16.3",),
                   title=text("標題", "Title"), message=text("訊息", "Message"), target=target, location=location,
                   fingerprint=make_fingerprint(rule_id, target, location))


def test_findings_are_listed_most_severe_first(ws: Workspace) -> None:
    findings = (_finding("APP-001", Severity.LOW), _finding("APP-050", Severity.CRITICAL),
                _finding("APP-020", Severity.MEDIUM), _finding("APP-030", Severity.CRITICAL))
    record_scan(ws, ScanResult(scanner="app", targets=("trade.apk",), findings=findings))
    session: Session
    with session_scope(ws.engine()) as session:
        found, total = find_findings(session, FindingFilter(status=FindingStatus.FAIL), 10)
    assert total == 4
    assert [f.rule_id for f in found] == ["APP-030", "APP-050", "APP-020", "APP-001"]


def test_xlsx_import_takes_a_typed_star_level_number_and_zh_tw_audit_kind(ws: Workspace, tmp_path: Path) -> None:
    spec = get_spec("cloud-providers")
    labels = spec.labels("zh-TW")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([labels["name"], labels["star_level"], labels["star_award"], labels["last_audit_kind"]])
    sheet.append(["雲端甲公司", 2, "金級", "實地稽核"])
    sheet.append(["雲端乙公司", "3", "bronze", "Certification report"])
    path = tmp_path / "providers.xlsx"
    book.save(path)
    import_records(ws, "cloud-providers", path)
    stored = {s.record.name: s.record for s in list_records(ws, "cloud-providers")}  # type: ignore[attr-defined]
    first, second = stored["雲端甲公司"], stored["雲端乙公司"]
    assert (first.star_level.value, first.star_award.value, first.last_audit_kind.value) == ("2", "gold", "on_site")
    assert (second.star_level.value, second.last_audit_kind.value) == ("3", "certification_report")


def test_services_never_import_the_web_package() -> None:
    """``web/auth`` held no web code but the services imported it: it is ``csmguard.auth`` now, and nothing
    outside ``csmguard.web`` (and the command that serves it) imports the web package."""
    allowed = {SRC / "cli" / "serve_cmd.py"}
    offenders = []
    for path in SRC.rglob("*.py"):
        if SRC / "web" in path.parents or path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("csmguard.web"):
                offenders.append(f"{path.relative_to(SRC)}: {node.module}")
    assert offenders == []


def test_every_upload_kind_names_its_own_scanner() -> None:
    """A new upload kind silently fell through to the messages scanner: each kind now names its scanner, and
    the web app refuses to start if one does not."""
    from csmguard.jobs.kinds import UPLOAD_KINDS, _upload_scanners
    from csmguard.web.routes.scans import UploadKind

    scanners = _upload_scanners()
    assert set(scanners) == set(UPLOAD_KINDS) == {k.value for k in UploadKind}
    assert len({id(scan) for scan in scanners.values()}) == len(UploadKind)


def test_the_default_zh_tw_scan_table_names_verdicts_and_severities_in_chinese(infra: Path) -> None:
    """``fail``/``critical`` showed in the zh-TW table; progress phases were English or mixed."""
    from typer.testing import CliRunner

    from csmguard.cli.main import app
    from csmguard.domain import Lang
    from csmguard.scanning.progress import phase_label

    shown = CliRunner().invoke(app, ["scan", "iac", str(infra), "--fail-on", "never", "-q"])
    assert shown.exit_code == 0
    rows = [line for line in shown.stdout.splitlines() if "IAC-" in line]
    assert rows and all("未通過" in row or "無法判定" in row or "需人工判定" in row for row in rows)
    assert not any(" fail " in row or "critical" in row or " high " in row for row in rows)
    english = CliRunner().invoke(app, ["scan", "iac", str(infra), "--fail-on", "never", "-q", "--lang", "en"])
    assert any(" fail " in line for line in english.stdout.splitlines() if "IAC-" in line)
    assert (phase_label("iac", Lang.ZH_TW), phase_label("iac", Lang.EN)) == ("基礎設施程式碼檔案", "IaC files")
    assert phase_label("trade.apk", Lang.ZH_TW) == "trade.apk"
