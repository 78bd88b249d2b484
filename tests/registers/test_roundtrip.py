"""Export → import loses nothing, for every register and every format, in either header language."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.domain.errors import InputError
from csmguard.registers.io import RegisterFormat
from csmguard.registers.specs import register_specs
from csmguard.services import registers as svc
from csmguard.workspace import Workspace
from tests.registers.conftest import make_workspace
from tests.registers.samples import SAMPLES


def test_samples_cover_every_register_and_field() -> None:
    assert set(SAMPLES) == set(register_specs())
    for kind, spec in register_specs().items():
        filled = set().union(*(item.keys() for item in SAMPLES[kind]))
        assert filled == set(spec.fields()), kind


def _fill(ws: Workspace) -> None:
    for kind, items in SAMPLES.items():
        for item in items:
            svc.add_record(ws, kind, item)


@pytest.mark.parametrize("fmt", list(RegisterFormat))
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_round_trip_every_register(tmp_path: Path, ws: Workspace, fmt: RegisterFormat, lang: str) -> None:
    _fill(ws)
    target = make_workspace(tmp_path / "other")
    try:
        for kind in register_specs():
            original = [s.record for s in svc.list_records(ws, kind)]
            assert len(original) == len(SAMPLES[kind])
            exported = tmp_path / f"{kind}.{fmt.value}"
            exported.write_bytes(svc.export_records(ws, kind, fmt, lang))
            report = svc.import_records(target, kind, exported)
            assert (report.rows, report.created, report.updated) == (len(original), len(original), 0)
            assert [s.record for s in svc.list_records(target, kind)] == original, kind
            if fmt is RegisterFormat.CSV:
                # importing the same file again updates in place and changes nothing
                again = svc.import_records(target, kind, exported)
                assert (again.created, again.updated) == (0, len(original))
                assert [s.record for s in svc.list_records(target, kind)] == original, kind
    finally:
        target.close()


def test_exported_csv_has_headers_in_the_chosen_language(ws: Workspace) -> None:
    _fill(ws)
    zh = svc.export_records(ws, "cloud-providers", RegisterFormat.CSV, "zh-TW").decode("utf-8-sig")
    en = svc.export_records(ws, "cloud-providers", RegisterFormat.CSV, "en").decode("utf-8-sig")
    assert zh.splitlines()[0].startswith("業者名稱,服務水準（含資安防護）")
    assert "STAR 認證獎項" in zh.splitlines()[0] and "CSA STAR 等級" in zh.splitlines()[0]
    assert en.splitlines()[0].startswith("Provider name,Service level incl. security")
    assert "ISO 27001; ISO 27017" in en


@pytest.mark.parametrize("fmt", list(RegisterFormat))
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_templates_import_as_empty_files(tmp_path: Path, ws: Workspace, fmt: RegisterFormat, lang: str) -> None:
    """An unfilled template is refused as empty (issue #11.6), and accepted with allow_empty."""
    for kind in register_specs():
        path = tmp_path / f"{kind}-template.{fmt.value}"
        path.write_bytes(svc.register_template(kind, fmt, lang))
        with pytest.raises(InputError, match="no rows in"):
            svc.import_records(ws, kind, path)
        report = svc.import_records(ws, kind, path, allow_empty=True)
        assert (report.rows, report.created) == (0, 0)


def test_xlsx_template_has_labels_and_help_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    path.write_bytes(svc.register_template("devices", RegisterFormat.XLSX, "zh-TW"))
    book = load_workbook(path)
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:4] == ["裝置編號", "使用人", "部門", "所有權"]
    help_rows = list(book["說明"].iter_rows(values_only=True))
    assert ("ownership", "所有權", "company | byod", None) in help_rows
    assert ("device_id", "裝置編號", "文字", "必填") in help_rows
