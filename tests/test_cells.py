"""No CSV or XLSX cell CSM Guard writes can become a formula (OWASP CSV injection, issue #12.4), and the
protective quote comes off again on import, so export → import gives back every original value."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from csmguard.assessment import assess
from csmguard.assessment.model import ScanRef
from csmguard.catalog.export import to_csv, to_xlsx
from csmguard.catalog.loader import load_catalog
from csmguard.cells import neutralise, restore
from csmguard.cli.main import app
from csmguard.domain import Lang
from csmguard.domain.attestation import Attestation, AttestedStatus
from csmguard.output.csv_out import write_csv
from csmguard.reports import ReportFormat, build_report, render
from csmguard.services import audit
from csmguard.services import registers as svc
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace, init_workspace
from tests.assessment.factory import ALL_YES, TODAY, evidence

HOSTILE = ["=1+1", "+1", "-2", "@SUM(A1)", "\t=cmd", "\r=cmd", "  =HYPERLINK(\"http://x\")", " \t+1",
           "=cmd|' /C calc'!A0", "'", "'abc", "''=x", "'=x"]
HARMLESS = ["", "abc", "a=b", "1-2", "email@example.com", "台灣 = Taiwan", "ISO 27001"]
DANGER = ("=", "+", "-", "@", "\t", "\r")


def dangerous(cell: Any) -> bool:
    """Whether a written cell could be read by a spreadsheet as a formula."""
    return isinstance(cell, str) and (cell.startswith(DANGER) or cell.lstrip().startswith(DANGER))


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_texts_are_quoted_and_restored(value: str) -> None:
    written = neutralise(value)
    assert written == "'" + value and not dangerous(written)
    assert restore(written) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_texts_are_left_alone(value: str) -> None:
    assert neutralise(value) == value and restore(value) == value


@given(st.text(alphabet=st.sampled_from("=+-@'\t\r a1;"), max_size=8))
def test_restore_undoes_neutralise(value: str) -> None:
    assert restore(neutralise(value)) == value
    assert not dangerous(neutralise(value))


def test_numbers_dates_and_booleans_are_written_as_such() -> None:
    for value in (-5, 2.5, True, date(2026, 1, 1), None):
        assert neutralise(value) is value


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws")


HOSTILE_PROVIDER = {"name": "=HYPERLINK(\"http://evil\",\"x\")", "service_level": "'=x +99.9%",
                    "redundancy_backup": "\t=cmd|' /C calc'!A0", "other_certifications": "@SUM(1); -ISO; 'quoted"}


def _xlsx_cells(body: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(body))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return [c.value for c in cells]


@pytest.mark.parametrize("fmt", list(svc.RegisterFormat))
def test_register_export_is_neutralised_and_round_trips(tmp_path: Path, ws: Workspace,
                                                        fmt: svc.RegisterFormat) -> None:
    original = svc.add_record(ws, "cloud-providers", HOSTILE_PROVIDER).record
    body = svc.export_records(ws, "cloud-providers", fmt, "en")
    if fmt is not svc.RegisterFormat.YAML:  # YAML is not a spreadsheet: written as it is
        cells = (_xlsx_cells(body) if fmt is svc.RegisterFormat.XLSX
                 else [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for c in row])
        assert [c for c in cells if dangerous(c)] == []
        assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells
    path = tmp_path / f"back.{fmt.value}"
    path.write_bytes(body)
    svc.delete_record(ws, "cloud-providers", original.key())
    svc.import_records(ws, "cloud-providers", path)
    [back] = svc.list_records(ws, "cloud-providers")
    assert back.record == original
    assert back.record.other_certifications == ("@SUM(1)", "-ISO", "'quoted")  # type: ignore[attr-defined]


def test_cli_register_export_to_a_file(tmp_path: Path, ws: Workspace) -> None:
    svc.add_record(ws, "cloud-providers", HOSTILE_PROVIDER)
    out = tmp_path / "providers.xlsx"
    result = CliRunner().invoke(app, ["register", "cloud-providers", "export", "-f", "xlsx", "-o", str(out),
                                      "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert [c for c in _xlsx_cells(out.read_bytes()) if dangerous(c)] == []


def test_audit_csv_export_is_neutralised(ws: Workspace) -> None:
    with session_scope(ws.engine()) as db:
        audit.append(db, "=cmd|' /C calc'!A0", "register.update", "@devices", "-1", {"a": "=1"}, None)
        body = audit.export_csv(db)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [c for row in rows for c in row if dangerous(c)] == []
    assert rows[1][2:6] == ["'=cmd|' /C calc'!A0", "register.update", "'@devices", "'-1"]


def test_report_xlsx_attestation_fields_are_text() -> None:
    statement = "=HYPERLINK(\"http://evil\",\"click\")"
    hostile = Attestation(id="@ATT", requirement="CSM-14.1", status=AttestedStatus.IMPLEMENTED, statement=statement,
                          evidence=(evidence(),), attested_by="-me", reviewer="+you", attested_on=date(2026, 6, 1),
                          expires_on=date(2027, 6, 1))
    result = assess(load_catalog(), ALL_YES, [], [hostile], [], TODAY)
    scan = ScanRef(id="-1", scanner="app", subject="=evil.apk", recorded_at=datetime(2026, 6, 1, tzinfo=UTC),
                   state="complete", counted=False, voided_at=datetime(2026, 6, 2, tzinfo=UTC), voided_by="@x",
                   void_reason="+wrong file")
    result = result.model_copy(update={"scans": (scan,)})
    body = render(build_report(result, load_catalog(), Lang.EN), ReportFormat.XLSX)
    cells = _xlsx_cells(body)
    assert [c for c in cells if dangerous(c)] == []
    assert "'" + statement in cells and "'@ATT" in cells and "'-me" in cells and "'=evil.apk" in cells


def test_catalog_exports_are_neutralised() -> None:
    catalog = load_catalog()
    rows = list(csv.reader(io.StringIO(to_csv(catalog, {}, Lang.ZH_TW))))
    assert len(rows) > 50 and [c for row in rows for c in row if dangerous(c)] == []
    assert [c for c in _xlsx_cells(to_xlsx(catalog, {}, Lang.EN)) if dangerous(c)] == []


def test_scan_csv_output_is_neutralised() -> None:
    from csmguard.domain import ScanResult
    from tests.assessment.factory import finding

    hostile = finding("APP-001", "CSM-16.3", target="=evil.apk")
    result = ScanResult(scanner="app", targets=("=evil.apk",), findings=(hostile,))
    stream = io.StringIO()
    write_csv(result, stream, lang=Lang.EN)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert [c for row in rows for c in row if dangerous(c)] == []
    assert "'=evil.apk" in rows[1]
