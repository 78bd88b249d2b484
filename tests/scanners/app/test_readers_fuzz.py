"""The binary readers never fail with anything but their own error on damaged input (property-based)."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from csmguard.scanners.app.axml import AxmlError, parse_axml, resource_table_strings
from csmguard.scanners.app.dex import DexError, read_dex
from csmguard.scanners.app.protoxml import ProtoXmlError, parse_proto_xml
from csmguard.scanners.app.scan import AppScanner, AppScanOptions
from csmguard.services.app_scan import load_app_rules
from tests.scanners.app.builders import (
    El,
    encode_axml,
    encode_dex,
    encode_proto_xml,
    encode_resource_table,
    manifest,
    write_zip,
)

AXML = encode_axml(manifest(app_attrs={"debuggable": True}, components=[El("service", {"name": ".S"})]))
DEX = encode_dex(["AKIAZ7Q3XW2RT5YHBN4K", "中文", "x" * 300], methods=[("Landroid/webkit/WebView;", "loadUrl")],
                 fields=[("La;", "Lb;", "c")])
PROTO = encode_proto_xml(manifest(app_attrs={"allowBackup": False}))
ARSC = encode_resource_table(["a", "AIzaSyD3kLq8Zx7vR2mN9pW4tY6uB1cE5fG0hJk", "字" * 200])


def _damage(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    out = bytearray(data)
    for pos, value in edits:
        out[pos % len(out)] = value
    return bytes(out[: max(1, len(out) - cut)])


edits = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8)
cuts = st.integers(0, 200)
fuzz = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fuzz
@given(edits, cuts)
def test_axml_reader(changes: list[tuple[int, int]], cut: int) -> None:
    try:
        root = parse_axml(_damage(AXML, changes, cut))
    except AxmlError as exc:
        assert str(exc)
    else:
        assert root.tag


@fuzz
@given(edits, cuts)
def test_dex_reader(changes: list[tuple[int, int]], cut: int) -> None:
    try:
        dex = read_dex(_damage(DEX, changes, cut), "classes.dex")
    except DexError as exc:
        assert str(exc)
    else:
        assert dex.path == "classes.dex" and all(isinstance(s, str) for s in dex.strings)


@fuzz
@given(edits, cuts)
def test_proto_xml_reader(changes: list[tuple[int, int]], cut: int) -> None:
    try:
        root = parse_proto_xml(_damage(PROTO, changes, cut))
    except ProtoXmlError as exc:
        assert str(exc)
    else:
        assert root.tag


@fuzz
@given(edits, cuts)
def test_resource_table_reader(changes: list[tuple[int, int]], cut: int) -> None:
    try:
        strings = resource_table_strings(_damage(ARSC, changes, cut))
    except AxmlError as exc:
        assert str(exc)
    else:
        assert all(isinstance(s, str) for s in strings)


@pytest.mark.parametrize("reader", [parse_axml, parse_proto_xml, resource_table_strings])
def test_random_bytes(reader: object) -> None:
    for blob in (b"", b"\x03\x00\x08\x00", bytes(range(256)) * 3, b"\x02\x00\x0c\x00" + b"\xff" * 64):
        with pytest.raises((AxmlError, ProtoXmlError)):
            reader(blob)  # type: ignore[operator]


PLIST = plistlib.dumps({"CFBundleIdentifier": "tw.example", "CFBundleExecutable": "App",
                        "NSAppTransportSecurity": {"NSAllowsArbitraryLoads": True,
                                                   "NSExceptionDomains": {"a.tw": {"NSIncludesSubdomains": True}}}},
                       fmt=plistlib.FMT_BINARY)


@pytest.fixture(scope="module")
def scanner() -> AppScanner:
    return AppScanner(load_app_rules().for_scanner("app"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(edits, cuts)
# Found by this test about once in 36 runs: a damaged binary plist starting with "<" went to the XML
# parser and raised an uncaught ExpatError.
@example(changes=[(0, ord("<"))], cut=0)
def test_damaged_packages_give_errors_not_crashes(scanner: AppScanner, tmp_path: Path,
                                                  changes: list[tuple[int, int]], cut: int) -> None:
    ipa = write_zip(tmp_path / "a.ipa", {"Payload/App.app/Info.plist": _damage(PLIST, changes, cut),
                                         "Payload/App.app/App": b"\x00" * 10})
    apk = write_zip(tmp_path / "a.apk", {"AndroidManifest.xml": _damage(AXML, changes, cut),
                                         "classes.dex": _damage(DEX, changes, cut)})
    for package in (ipa, apk):
        outcome = scanner.scan_target(package, AppScanOptions())
        assert outcome.stats["files_read"] == outcome.stats["files_scanned"] + outcome.stats["files_rejected"]
        assert all(e.path for e in outcome.errors)
