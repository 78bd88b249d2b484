"""List fields parsed by one rule everywhere; empty imports refused; the row cap and summarised errors
(issues #11.5, #11.6, #12)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from bench.registers.generate import huge_xlsx
from openpyxl import Workbook
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.domain.errors import InputError
from csmguard.registers.fields import join_list, split_list
from csmguard.registers.io import RegisterImportError, RowCapExceeded
from csmguard.services import registers as svc
from csmguard.workspace import Workspace

LIST_TEXT = "ISO 27001; ISO 27017；CSA STAR, Level 2\nSOC 2\r\n; "
LIST_ITEMS = ("ISO 27001", "ISO 27017", "CSA STAR, Level 2", "SOC 2")


def test_one_list_rule() -> None:
    assert split_list(LIST_TEXT) == LIST_ITEMS
    assert split_list(join_list(LIST_ITEMS)) == LIST_ITEMS
    assert split_list(" ; ；\n") == ()


def test_csv_and_cli_split_lists_the_same_way(tmp_path: Path, ws: Workspace) -> None:
    csv_path = tmp_path / "providers.csv"
    csv_path.write_text('name,other_certifications\nFrom CSV,"' + LIST_TEXT + '"\n', encoding="utf-8")
    svc.import_records(ws, "cloud-providers", csv_path)
    result = CliRunner().invoke(app, ["register", "cloud-providers", "add", "name=From CLI",
                                      f"other_certifications={LIST_TEXT}", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    stored = {s.key: s.record.other_certifications  # type: ignore[attr-defined]
              for s in svc.list_records(ws, "cloud-providers")}
    assert stored == {"From CSV": LIST_ITEMS, "From CLI": LIST_ITEMS}


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbfdevice_id,owner\n", b"device_id,owner\n\n,\n"])
def test_empty_csv_import_exits_2_unless_allowed(tmp_path: Path, ws: Workspace, content: bytes) -> None:
    path = tmp_path / "devices.csv"
    path.write_bytes(content)
    runner = CliRunner(env={"COLUMNS": "1000"})  # long temporary paths stay on one line
    refused = runner.invoke(app, ["register", "devices", "import", str(path), "-w", str(ws.root)])
    assert refused.exit_code == 2
    assert f"no rows in {path}" in " ".join(refused.output.split())
    allowed = runner.invoke(app, ["register", "devices", "import", str(path), "--allow-empty", "-w", str(ws.root)])
    assert allowed.exit_code == 0, allowed.output
    assert "0 row(s)" in " ".join(allowed.output.split())


def test_empty_xlsx_and_yaml_imports_are_refused(tmp_path: Path, ws: Workspace) -> None:
    book = Workbook()
    book.active.append(["device_id", "owner"])  # type: ignore[union-attr]
    xlsx = tmp_path / "devices.xlsx"
    book.save(xlsx)
    yaml_files = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    yaml_files[0].write_text("[]\n", encoding="utf-8")
    yaml_files[1].write_text("# nothing\n", encoding="utf-8")
    for path in (xlsx, *yaml_files):
        with pytest.raises(InputError, match=f"no rows in {path}"):
            svc.import_records(ws, "devices", path)
        assert svc.import_records(ws, "devices", path, allow_empty=True).rows == 0
    assert svc.list_records(ws, "devices") == []


def _bad_csv(path: Path, rows: int) -> Path:
    # every row has a bad ownership; every 10th row also a bad "holds sensitive data"
    lines = ["device_id,owner,ownership,holds_sensitive_data"]
    lines += [f"D{i},P{i},rented,{'maybe' if i % 10 == 0 else 'true'}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_errors_are_summarised_by_kind(tmp_path: Path, ws: Workspace) -> None:
    path = _bad_csv(tmp_path / "devices.csv", 1000)
    with pytest.raises(RegisterImportError) as caught:
        svc.import_records(ws, "devices", path)
    error = caught.value
    assert error.total == 1100 and len(error.errors) == 20
    assert [(s.count, s.example.column) for s in error.summary] == [(982, "ownership"), (98, "holds_sensitive_data")]
    assert error.summary[0].describe().startswith("and 982 more row(s) with: column ownership: ")
    result = CliRunner().invoke(app, ["register", "devices", "import", str(path), "-w", str(ws.root)],
                                env={"COLUMNS": "400"})
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1 + 20 + 2, result.output
    assert "1,100 error(s), nothing imported" in lines[0]
    assert svc.list_records(ws, "devices") == []


def test_row_cap_names_the_file_and_the_cap(tmp_path: Path, ws: Workspace) -> None:
    path = _bad_csv(tmp_path / "devices.csv", 60)
    with pytest.raises(RowCapExceeded) as caught:
        svc.import_records(ws, "devices", path, max_rows=50)
    assert caught.value.file == str(path) and "50 rows" in caught.value.message
    result = CliRunner().invoke(app, ["register", "devices", "import", str(path), "--max-rows", "50",
                                      "-w", str(ws.root)])
    assert result.exit_code == 2 and "import limit is 50 rows" in " ".join(result.output.split())


def test_blank_rows_are_bounded_too(tmp_path: Path, ws: Workspace) -> None:
    path = tmp_path / "devices.csv"
    path.write_text("device_id,owner\nD1,Amy\n" + " ,\n" * 250, encoding="utf-8")
    with pytest.raises(RowCapExceeded, match="more than 200 rows, blank ones included"):
        svc.import_records(ws, "devices", path, max_rows=100)
    assert svc.import_records(ws, "devices", path, max_rows=200).created == 1


@pytest.mark.slow
def test_huge_xlsx_stops_at_the_cap_with_bounded_memory(tmp_path: Path, ws: Workspace) -> None:
    """3M rows in a small XLSX: the import stops at the cap without reading the rest (a small cap here;
    the default is 100,000) and without the memory the whole sheet would take."""
    path = huge_xlsx(tmp_path / "devices.xlsx", 3_000_000)
    assert path.stat().st_size < 2_000_000
    tracemalloc.start()
    try:
        with pytest.raises(RowCapExceeded, match="more than 2,000 data rows"):
            svc.import_records(ws, "devices", path, max_rows=2000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert svc.list_records(ws, "devices") == []
