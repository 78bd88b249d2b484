"""Fuzz harnesses of the mobile app readers: binary manifests (AXML), DEX files, property lists. Each may
only return its result or raise its own error type."""

from __future__ import annotations

import plistlib
import struct

from hypothesis import example, given

from csmguard.scanners.app.axml import AxmlError, parse_axml
from csmguard.scanners.app.dex import DexError, read_dex
from csmguard.scanning.safexml import XmlRefused, load_plist
from tests.fuzz.strategies import inputs
from tests.scanners.app.builders import El, encode_axml, encode_dex, manifest

AXML = encode_axml(manifest(app_attrs={"debuggable": True}, components=[El("activity", {"name": ".Main"})]))
DEX = encode_dex(["AKIAZ7Q3XW2RT5YHBN4K", "中文", "x" * 300], methods=[("Landroid/webkit/WebView;", "loadUrl")],
                 fields=[("La;", "Lb;", "c")])
PLIST_BINARY = plistlib.dumps({"CFBundleIdentifier": "tw.example", "NSAppTransportSecurity": {
    "NSAllowsArbitraryLoads": True, "NSExceptionDomains": {"a.tw": {"NSIncludesSubdomains": True}}}},
    fmt=plistlib.FMT_BINARY)
PLIST_XML = plistlib.dumps({"CFBundleIdentifier": "tw.example", "list": [1, 2.5, "字", b"\x00"]})


@given(inputs(AXML))
def test_axml(data: bytes) -> None:
    try:
        root = parse_axml(data)
    except AxmlError as exc:
        assert str(exc)
    else:
        assert isinstance(root.tag, str)


def _empty_section_far_away(dex: bytes) -> bytes:
    """``dex`` with an empty method_ids section whose offset lies far outside the file."""
    return dex[:0x58] + struct.pack("<II", 0, 0xD8000000) + dex[0x60:]


@given(inputs(DEX))
# Found by make fuzz: an empty section with an offset outside the file raised struct.error.
@example(_empty_section_far_away(DEX))
def test_dex(data: bytes) -> None:
    try:
        dex = read_dex(data, "classes.dex")
    except DexError as exc:
        assert str(exc)
    else:
        assert all(isinstance(s, str) for s in dex.strings)


@given(inputs(PLIST_BINARY))
@example(b"<" + PLIST_BINARY[1:])  # the damaged Info.plist that raised an uncaught ExpatError
def test_binary_plist(data: bytes) -> None:
    try:
        load_plist(data)
    except XmlRefused as exc:
        assert str(exc)


@given(inputs(PLIST_XML))
@example(PLIST_XML.replace(b"<plist", b"<!DOCTYPE x [<!ENTITY a 'b'>]><plist", 1))
@example(PLIST_XML.replace(b"UTF-8", b"aTF-8", 1))  # found by make fuzz: LookupError for an unknown encoding
def test_xml_plist(data: bytes) -> None:
    try:
        load_plist(data)
    except XmlRefused as exc:
        assert str(exc)
