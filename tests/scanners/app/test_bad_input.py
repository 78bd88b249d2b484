"""Bad input never crashes a scan and never passes silently: an error names the file, the rest is still scanned."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from csmguard.domain import FindingStatus, ScanResult
from csmguard.rules.loader import RuleSet
from csmguard.scanners.app.scan import AppScanOptions
from csmguard.scanning.safezip import SafeZip, SafeZipError, ZipLimits
from csmguard.services.app_scan import load_app_rules, scan_app
from tests.scanners.app.builders import encode_axml, encode_dex, manifest, write_zip

GOOD_DEX = encode_dex(["AKIAZ7Q3XW2RT5YHBN4K"])


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_app_rules()


def _errors(result: ScanResult) -> list[tuple[str | None, str]]:
    return [(e.path, e.message) for e in result.errors]


def _failing_rules(result: ScanResult) -> set[str]:
    return {f.rule_id for f in result.findings if f.status is FindingStatus.FAIL}


def test_not_a_zip(tmp_path: Path, rules: RuleSet) -> None:
    apk = tmp_path / "fake.apk"
    apk.write_bytes(b"this is not an archive at all")
    result, _ = scan_app([apk], rules=rules)
    assert len(result.errors) == 1 and result.errors[0].target == str(apk)
    assert "not a zip archive or truncated" in result.errors[0].message
    assert result.findings == ()


def test_truncated_archive_and_other_targets_go_on(tmp_path: Path, rules: RuleSet) -> None:
    whole = write_zip(tmp_path / "whole.apk", {"AndroidManifest.xml": encode_axml(manifest()), "classes.dex": GOOD_DEX})
    cut = tmp_path / "cut.apk"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    result, _ = scan_app([cut, whole], rules=rules)
    assert [e.target for e in result.errors] == [str(cut)]
    assert "APP-001" in _failing_rules(result)


def test_corrupt_entry_is_an_error_and_other_entries_are_read(tmp_path: Path, rules: RuleSet) -> None:
    apk = write_zip(tmp_path / "c.apk", {"classes.dex": GOOD_DEX * 50,
                                        "assets/a.json": b'{"u": "http://api.broker-example.com.tw/"}'})
    data = bytearray(apk.read_bytes())
    with zipfile.ZipFile(apk) as zf:
        info = zf.getinfo("classes.dex")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0xFF
    apk.write_bytes(bytes(data))
    result, _ = scan_app([apk], rules=rules)
    assert [p for p, _ in _errors(result)] == ["classes.dex"]
    assert "corrupt or truncated entry" in result.errors[0].message
    assert _failing_rules(result) == {"APP-010"}


def test_zip_bomb_ratio(tmp_path: Path, rules: RuleSet) -> None:
    apk = write_zip(tmp_path / "bomb.apk", {"assets/bomb.json": b"0" * (8 * 1024 * 1024),
                                           "classes.dex": GOOD_DEX})
    result, _ = scan_app([apk], rules=rules)
    assert [p for p, _ in _errors(result)] == ["assets/bomb.json"]
    assert "compression ratio" in result.errors[0].message and "zip bomb" in result.errors[0].message
    assert "APP-001" in _failing_rules(result)


def test_zip_bomb_total_cap(tmp_path: Path, rules: RuleSet) -> None:
    apk = write_zip(tmp_path / "big.apk", {f"assets/{i}.json": bytes(range(256)) * 400 for i in range(10)})
    options = AppScanOptions(zip_limits=ZipLimits(max_total_bytes=500_000))
    result, _ = scan_app([apk], rules=rules, options=options)
    assert len(result.errors) == 1 and result.errors[0].path is None
    assert "more than the cap of 500000" in result.errors[0].message


def test_entry_lying_about_its_size(tmp_path: Path) -> None:
    apk = write_zip(tmp_path / "liar.apk", {"classes.dex": b"A" * 100_000})
    data = bytearray(apk.read_bytes())
    with zipfile.ZipFile(apk) as zf:
        info = zf.getinfo("classes.dex")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header: uncompressed size
    cd = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 1000)  # central directory: uncompressed size
    apk.write_bytes(bytes(data))
    with SafeZip(apk) as zf, pytest.raises(SafeZipError) as caught:
        zf.read("classes.dex")
    assert caught.value.entry == "classes.dex"


def test_path_traversal_names(tmp_path: Path, rules: RuleSet) -> None:
    apk = write_zip(tmp_path / "evil.apk", {"../../etc/evil.dex": GOOD_DEX, "/abs/classes.dex": GOOD_DEX,
                                           "classes.dex": GOOD_DEX})
    result, _ = scan_app([apk], rules=rules)
    assert sorted(_errors(result)) == [
        ("../../etc/evil.dex", "unsafe entry name skipped: path escapes the archive ('..')"),
        ("/abs/classes.dex", "unsafe entry name skipped: absolute path")]
    assert [f.location.path for f in result.findings if f.rule_id == "APP-001"] == ["classes.dex"]
    assert not (tmp_path.parent / "etc" / "evil.dex").exists()


def test_malformed_axml_and_dex(tmp_path: Path, rules: RuleSet) -> None:
    bad_dex = bytearray(GOOD_DEX)
    struct.pack_into("<II", bad_dex, 0x38, 10_000, 0x70)  # 10000 strings in a tiny file
    apk = write_zip(tmp_path / "m.apk", {
        "AndroidManifest.xml": b"\x03\x00\x08\x00" + b"\xff" * 40,
        "res/xml/network_security_config.xml": encode_axml(manifest())[:60],
        "classes.dex": bytes(bad_dex), "classes2.dex": b"dex\n035\x00" + bytes(20), "classes3.dex": GOOD_DEX,
        "resources.arsc": b"\x02\x00\x0c\x00" + bytes(8)})
    result, _ = scan_app([apk], rules=rules)
    errors = dict(_errors(result))
    assert set(errors) == {"AndroidManifest.xml", "res/xml/network_security_config.xml", "classes.dex",
                           "classes2.dex", "resources.arsc"}
    assert "string_ids section" in errors["classes.dex"] and "truncated DEX header" in errors["classes2.dex"]
    assert [f.location.path for f in result.findings if f.rule_id == "APP-001"] == ["classes3.dex"]
    stats = result.stats
    assert stats["files_read"] == stats["files_scanned"] + stats["files_rejected"] == 6


def test_aab_with_a_malformed_protobuf_manifest(tmp_path: Path, rules: RuleSet) -> None:
    aab = write_zip(tmp_path / "app.aab", {"base/manifest/AndroidManifest.xml": b"\x0a\xff\xff\xff\x0f\x00",
                                          "base/dex/classes.dex": GOOD_DEX})
    result, _ = scan_app([aab], rules=rules)
    assert [p for p, _ in _errors(result)] == ["base/manifest/AndroidManifest.xml"]
    assert "protocol-buffer XML" in result.errors[0].message
    assert [f.location.path for f in result.findings if f.rule_id == "APP-001"] == ["base/dex/classes.dex"]


def test_bad_files_in_a_source_tree(tmp_path: Path, rules: RuleSet) -> None:
    src = tmp_path / "app"
    (src / "node_modules" / "lib").mkdir(parents=True)
    (src / "build").mkdir()
    (src / "node_modules" / "lib" / "x.js").write_text('const k = "AKIAZ7Q3XW2RT5YHBN4K";', encoding="utf-8")
    (src / "build" / "Gen.java").write_text('String k = "AKIAZ7Q3XW2RT5YHBN4K";', encoding="utf-8")
    (src / "Binary.java").write_bytes(b"\x00\x01\x02" * 100)
    (src / "Latin.kt").write_bytes(b"val s = \"\xff\xfe\xfa\xfb\x80\"\n")
    (src / "Big5.java").write_bytes('String msg = "密碼"; String u = "http://api.broker-example.com.tw/";'.encode("cp950"))
    (src / "Huge.java").write_bytes(b"// x\n" * 1_200_000)
    (src / "logo.png").write_bytes(b"\x89PNG" + bytes(100))
    (src / "Keys.java").write_text('String k = "AKIAZ7Q3XW2RT5YHBN4K";', encoding="utf-8")
    (src / "test").mkdir()
    (src / "test" / "FakeKeys.java").write_text('String k = "AKIAZ7Q3XW2RT5YHBN4K";', encoding="utf-8")
    (src / "Manifest").mkdir()
    (src / "Manifest" / "AndroidManifest.xml").write_text(
        '<!DOCTYPE m [<!ENTITY a "aaaa">]><manifest>&a;</manifest>', encoding="utf-8")
    result, _ = scan_app([src], rules=rules, options=AppScanOptions(excludes=("test/*",)))
    errors = dict(_errors(result))
    assert set(errors) == {"Binary.java", "Latin.kt", "Huge.java", "Manifest/AndroidManifest.xml"}
    assert "binary or undecodable" in errors["Binary.java"] and "binary or undecodable" in errors["Latin.kt"]
    assert "larger than" in errors["Huge.java"] and "DOCTYPE" in errors["Manifest/AndroidManifest.xml"]
    assert sorted(f.location.path or "" for f in result.findings if f.rule_id == "APP-001") == ["Keys.java"]
    assert [f.location.path for f in result.findings if f.rule_id == "APP-010"] == ["Big5.java"]
    stats = result.stats
    assert stats["files_read"] == stats["files_scanned"] + stats["files_rejected"]
    assert stats["files_rejected"] == 3 and stats["files_ignored"] == 1
