from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from openpyxl import load_workbook
from trestle.oscal.catalog import Model as OscalModel

from csmguard.domain import Lang
from csmguard.services.catalog import CatalogFormat, CatalogView, export_catalog, open_catalog


@pytest.fixture(scope="module")
def view() -> CatalogView:
    return open_catalog("csm-17")


def test_json_export_has_the_fields_of_every_node(view: CatalogView) -> None:
    nodes = json.loads(export_catalog(view, CatalogFormat.JSON, Lang.ZH_TW))
    assert len(nodes) == len(view.catalog.nodes)
    required = {"id", "parent", "article", "level", "text", "title", "actor", "domain", "applies_when", "check",
                "mappings"}
    for node in nodes:
        assert required <= node.keys()
    item = next(n for n in nodes if n["id"] == "CSM-14.4.3")
    assert item["parent"] == "CSM-14.4" and item["article"] == 14 and item["level"] == "should"
    assert set(item["text"]) == {"zh-TW", "en"} and "越獄" in item["text"]["zh-TW"]
    assert item["check"]["method"] in {"automated", "hybrid", "manual"}
    assert isinstance(item["check"]["rules"], list)


def test_oscal_export_loads_with_trestle_in_both_languages(view: CatalogView) -> None:
    ids = {}
    for lang in Lang:
        document = json.loads(export_catalog(view, CatalogFormat.OSCAL, lang))
        model = OscalModel.model_validate(document)
        controls: list[str] = []

        def walk(items: list, out: list[str]) -> None:  # type: ignore[type-arg]
            for control in items or []:
                out.append(control.id)
                walk(control.controls, out)

        for group in model.catalog.groups or []:
            walk(group.controls, controls)
        ids[lang] = controls
        title = model.catalog.metadata.title
        assert ("雲端" in title) if lang is Lang.ZH_TW else ("Cloud" in title)
    assert ids[Lang.ZH_TW] == ids[Lang.EN]
    assert "csm-14.4.3" in ids[Lang.EN] and len(ids[Lang.EN]) == len(view.catalog.nodes)


def test_yaml_csv_xlsx_markdown_exports(view: CatalogView, tmp_path) -> None:  # type: ignore[no-untyped-def]
    document = yaml.safe_load(export_catalog(view, CatalogFormat.YAML, Lang.EN))
    assert document["edition"] == "csm-17" and len(document["nodes"]) == len(view.catalog.nodes)

    rows = list(csv.reader(io.StringIO(export_catalog(view, CatalogFormat.CSV, Lang.EN).decode("utf-8-sig"))))
    assert rows[0][0] == "id" and len(rows) == len(view.catalog.nodes) + 1
    en_row = next(r for r in rows if r[0] == "CSM-16.3")
    assert "certificate" in en_row[11].lower()

    path = tmp_path / "catalog.xlsx"
    path.write_bytes(export_catalog(view, CatalogFormat.XLSX, Lang.ZH_TW))
    sheet = load_workbook(path)["catalog"]
    texts = {row[0].value: row[11].value for row in sheet.iter_rows(min_row=2)}
    assert "憑證驗證" in texts["CSM-16.3"]

    markdown = export_catalog(view, CatalogFormat.MARKDOWN, Lang.ZH_TW).decode()
    assert "### CSM-16" in markdown and "**CSM-16.3**" in markdown
