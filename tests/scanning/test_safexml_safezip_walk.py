"""Safe XML and plists, office documents checked before their readers, and walks that do not leave the root."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from csmguard.scanning.safexml import XmlRefused, load_plist, parse_xml
from csmguard.scanning.safezip import SafeZipError, check_office_archive
from csmguard.scanning.walk import SkippedFile, WalkOptions, files_below, walk_files
from tests.hostile import payloads


def test_xml_bombs_external_entities_and_deep_nesting_are_refused() -> None:
    with pytest.raises(XmlRefused, match="entity"):
        parse_xml(payloads.billion_laughs("manifest"), allow_doctype=True)
    with pytest.raises(XmlRefused, match="DOCTYPE"):
        parse_xml(payloads.xxe("manifest", "/etc/passwd"))
    with pytest.raises(XmlRefused, match="MAX_NESTING_DEPTH"):
        parse_xml(payloads.deep_xml(100_000))
    assert parse_xml(b"<manifest><application/></manifest>").tag == "manifest"


def test_plists_damaged_or_unsafe_are_one_error_type() -> None:
    good = plistlib.dumps({"CFBundleIdentifier": "tw.example"}, fmt=plistlib.FMT_BINARY)
    assert load_plist(good) == {"CFBundleIdentifier": "tw.example"}
    assert load_plist(plistlib.dumps({"a": 1})) == {"a": 1}
    for bad in (b"<" + good[1:], good[:20], payloads.billion_laughs("plist"), payloads.xxe("plist", "/etc/passwd")):
        with pytest.raises(XmlRefused):
            load_plist(bad)


@pytest.mark.parametrize(("name", "document", "reason"), [
    ("bomb", payloads.docx_bytes(raw=(payloads.deflate_bomb("word/document.xml"),)), "more than the cap"),
    ("lie", payloads.docx_bytes(raw=(payloads.deflate_bomb("word/document.xml", 64 * payloads.MB,
                                                           declared_size=10_000),)), "CRC"),
    ("laughs", payloads.docx_bytes(payloads.billion_laughs("w:document")), "DOCTYPE or entities"),
    ("xlsx", payloads.xlsx_bytes(raw=(payloads.deflate_bomb("xl/worksheets/sheet1.xml"),)), "more than the cap"),
])
def test_office_documents_are_checked_before_their_readers(tmp_path: Path, name: str, document: bytes,
                                                           reason: str) -> None:
    path = tmp_path / f"{name}.docx"
    path.write_bytes(document)
    with pytest.raises(SafeZipError, match=reason):
        check_office_archive(path)


def test_a_plain_office_document_passes(tmp_path: Path) -> None:
    path = tmp_path / "ok.docx"
    path.write_bytes(payloads.docx_bytes())
    check_office_archive(path)


def test_links_out_of_the_root_are_reported_and_links_inside_left_out(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "secret.md").write_text("secret", encoding="utf-8")
    (tmp_path / "secret-dir").mkdir()
    (root / "out.md").symlink_to(tmp_path / "secret.md")
    (root / "inside.md").symlink_to(root / "sub" / "a.md")
    (root / "dangling.md").symlink_to(tmp_path / "missing.md")
    (root / "outdir").symlink_to(tmp_path / "secret-dir")
    skipped: list[SkippedFile] = []
    walked = [w.relative for w in walk_files(root, WalkOptions(), skipped)]
    assert walked == ["sub/a.md"]
    assert sorted((s.path.name, s.reason.split(";")[0]) for s in skipped) == [
        ("dangling.md", "symbolic link to nothing (or a loop)"),
        ("out.md", "symbolic link to outside the scanned folder"),
        ("outdir", "symbolic link to outside the scanned folder")]
    again: list[SkippedFile] = []
    assert files_below(root, (".md",), again) == [root / "sub" / "a.md"] and len(again) == 3
