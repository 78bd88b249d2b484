"""An import with any bad row writes nothing and names every bad row with its column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from csmguard.domain.errors import InputError
from csmguard.registers.io import RegisterImportError, RowError
from csmguard.services import registers as svc
from csmguard.workspace import Workspace

GOOD_ROW = ["D-001", "王小明", "資訊部", "company", "是", "iOS", "17.5", "true", "in_use", "", ""]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_csv_with_bad_rows_writes_nothing_and_names_rows_and_columns(tmp_path: Path, ws: Workspace) -> None:
    svc.add_record(ws, "devices", {"device_id": "KEEP", "owner": "Someone"})
    header = ["裝置編號", "使用人", "部門", "所有權", "存有敏感性資料", "平台", "作業系統版本", "MDM 納管", "狀態",
              "狀態變更日", "重新配發給"]
    rows = [header,
            GOOD_ROW,                                                                         # row 2 fine
            ["D-002", "", "", "company", "否", "", "", "false", "in_use", "", ""],            # row 3 no owner
            ["D-003", "Amy", "", "rented", "否", "", "", "maybe", "in_use", "2026-13-01", ""],  # row 4 three bad
            ["D-001", "Bob", "", "byod", "否", "", "", "false", "wiped", "2026-01-02", ""],    # row 5 duplicate key
            ["D-004", "Cid", "", "byod", "否", "", "", "false", "in_use", "", ""]]             # row 6 fine
    path = _csv(tmp_path / "devices.csv", rows)
    with pytest.raises(RegisterImportError) as caught:
        svc.import_records(ws, "devices", path)
    problems = {(e.row, e.column) for e in caught.value.errors}
    assert problems == {(3, "使用人"), (4, "所有權"), (4, "MDM 納管"), (4, "狀態變更日"), (5, "裝置編號")}
    assert all(isinstance(e, RowError) and e.message for e in caught.value.errors)
    assert "nothing imported" in caught.value.describe()
    assert [s.key for s in svc.list_records(ws, "devices")] == ["KEEP"]


def test_unknown_column_and_unknown_evidence_are_reported(tmp_path: Path, ws: Workspace) -> None:
    path = _csv(tmp_path / "policies.csv", [
        ["Kind", "Title", "Version", "Approved", "File", "Colour"],
        ["social_media_use", "Policy", "1", "yes", "ab" * 32, "blue"],
        ["mobile_device", "Devices", "1", "yes", "not-a-hash", ""],
    ])
    with pytest.raises(RegisterImportError) as caught:
        svc.import_records(ws, "policies", path)
    got = {(e.row, e.column) for e in caught.value.errors}
    assert got == {(1, "Colour"), (2, "File"), (3, "File")}
    assert svc.list_records(ws, "policies") == []


def test_xlsx_bad_rows(tmp_path: Path, ws: Workspace) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Provider", "Reference", "Occurred at", "Notified at", "Agreed notification hours"])
    sheet.append(["Acme", "INC-1", "2026-03-01 08:00", "2026-03-01 10:00", 4])
    sheet.append(["Acme", "INC-2", "yesterday", None, -1])
    sheet.append([None, "INC-3", "2026-03-01 08:00", None, None])
    path = tmp_path / "incidents.xlsx"
    book.save(path)
    with pytest.raises(RegisterImportError) as caught:
        svc.import_records(ws, "provider-incidents", path)
    assert {(e.row, e.column) for e in caught.value.errors} == {
        (3, "Occurred at"), (3, "Agreed notification hours"), (4, "Provider"), (4, "Agreed notification hours")}
    assert svc.list_records(ws, "provider-incidents") == []


def test_yaml_bad_items(tmp_path: Path, ws: Workspace) -> None:
    path = tmp_path / "apps.yaml"
    path.write_text(
        "- {app_id: tw.acme.trade, name: Trade, platform: android}\n"
        "- {app_id: tw.acme.fund, name: Fund, platform: symbian}\n"
        "- just a string\n"
        "- {app_id: tw.acme.x, name: X, platform: ios, colour: red}\n", encoding="utf-8")
    with pytest.raises(RegisterImportError) as caught:
        svc.import_records(ws, "apps", path)
    assert {(e.row, e.column) for e in caught.value.errors} == {(2, "platform"), (3, None), (4, "colour")}
    assert svc.list_records(ws, "apps") == []


def test_profile_import_rejects_unknown_question(tmp_path: Path, ws: Workspace) -> None:
    path = _csv(tmp_path / "profile.csv", [["Question", "Answer"], ["uses_iaas", "true"], ["likes_cats", "true"]])
    with pytest.raises(RegisterImportError) as caught:
        svc.import_records(ws, "profile", path)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "Question")]
    assert svc.list_records(ws, "profile") == []


def test_unreadable_file_is_an_input_error(tmp_path: Path, ws: Workspace) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="cannot read as xlsx"):
        svc.import_records(ws, "apps", bad)
    with pytest.raises(InputError, match="unknown file type"):
        svc.import_records(ws, "apps", tmp_path / "x.txt")


def test_valid_import_creates_and_updates(tmp_path: Path, ws: Workspace) -> None:
    svc.add_record(ws, "devices", {"device_id": "D-001", "owner": "Old Owner"})
    header = ["Device ID", "Owner", "Ownership"]
    path = _csv(tmp_path / "d.csv", [header, ["D-001", "New Owner", "company"], ["D-002", "Amy", "byod"]])
    report = svc.import_records(ws, "devices", path)
    assert (report.rows, report.created, report.updated) == (2, 1, 1)
    records = {s.key: s.record for s in svc.list_records(ws, "devices")}
    assert records["D-001"].owner == "New Owner"  # type: ignore[attr-defined]
    assert records["D-002"].ownership.value == "byod"  # type: ignore[attr-defined]


def test_filled_in_xlsx_template_with_native_cells(tmp_path: Path, ws: Workspace) -> None:
    """A template filled in Excel: real date/datetime/bool/number cells and zh-TW headers import as typed."""
    from datetime import date, datetime

    from openpyxl import load_workbook

    from csmguard.registers.io import RegisterFormat

    path = tmp_path / "incidents.xlsx"
    path.write_bytes(svc.register_template("provider-incidents", RegisterFormat.XLSX, "zh-TW"))
    book = load_workbook(path)
    book.worksheets[0].append(["Acme Cloud", 20260301, datetime(2026, 3, 1, 8, 15), datetime(2026, 3, 2, 9, 45),
                               24, "帳號外洩", True])
    book.save(path)
    assert svc.import_records(ws, "provider-incidents", path).created == 1
    [stored] = svc.list_records(ws, "provider-incidents")
    record = stored.record
    assert record.key() == "Acme Cloud/20260301"
    assert record.occurred_at == datetime(2026, 3, 1, 8, 15)  # type: ignore[attr-defined]
    assert record.resolved is True  # type: ignore[attr-defined]
    devices = tmp_path / "devices.xlsx"
    devices.write_bytes(svc.register_template("byod-agreements", RegisterFormat.XLSX, "en"))
    book = load_workbook(devices)
    book.worksheets[0].append(["Amy", "BY-1", "email; calendar", "internal", date(2026, 1, 1), date(2026, 12, 31),
                               date(2025, 12, 20), None])
    book.save(devices)
    svc.import_records(ws, "byod-agreements", devices)
    agreement = svc.get_record(ws, "byod-agreements", "Amy/BY-1").record
    assert agreement.permitted_purposes == ("email", "calendar")  # type: ignore[attr-defined]
    assert agreement.valid_until == date(2026, 12, 31) and agreement.last_review is None  # type: ignore[attr-defined]
