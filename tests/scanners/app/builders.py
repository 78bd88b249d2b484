"""Builders of real binary app artefacts for tests and benchmarks: Android binary XML, DEX files, APKs, IPAs."""

from __future__ import annotations

import hashlib
import plistlib
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from csmguard.scanners.app.axml import ANDROID_ATTRS

ANDROID_NS = "http://schemas.android.com/apk/res/android"
_ATTR_IDS = {name: rid for rid, name in ANDROID_ATTRS.items()}


@dataclass
class El:
    """An element to encode: tag, android: attributes (str, bool or int values), children."""

    tag: str
    attrs: dict[str, str | bool | int] = field(default_factory=dict)
    children: list[El] = field(default_factory=list)


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_axml(root: El, *, strip_names: bool = False) -> bytes:
    """Android binary XML for ``root``; attribute names go in the resource map (emptied when ``strip_names``)."""
    attr_names: list[str] = []

    def collect(el: El) -> None:
        for name in el.attrs:
            if name in _ATTR_IDS and name not in attr_names:
                attr_names.append(name)
        for child in el.children:
            collect(child)

    collect(root)
    strings: list[str] = ["" if strip_names else n for n in attr_names]
    index: dict[str, int] = {}

    def sid(value: str) -> int:
        if value not in index:
            index[value] = len(strings)
            strings.append(value)
        return index[value]

    def attr_index(name: str) -> int:
        if name in attr_names:
            return attr_names.index(name)
        return sid(name)

    android_ns = sid(ANDROID_NS)
    prefix = sid("android")
    body = bytearray()

    def chunk(ctype: int, header: bytes, payload: bytes) -> bytes:
        return struct.pack("<HHI", ctype, 8 + len(header), 8 + len(header) + len(payload)) + header + payload

    def emit(el: El) -> None:
        attrs = bytearray()
        for name, value in el.attrs.items():
            ns = android_ns if name in _ATTR_IDS else 0xFFFFFFFF
            if isinstance(value, bool):
                attrs += struct.pack("<IIIHBBI", ns, attr_index(name), 0xFFFFFFFF, 8, 0, 0x12,
                                     0xFFFFFFFF if value else 0)
            elif isinstance(value, int):
                attrs += struct.pack("<IIIHBBI", ns, attr_index(name), 0xFFFFFFFF, 8, 0, 0x10, value)
            else:
                s = sid(value)
                attrs += struct.pack("<IIIHBBI", ns, attr_index(name), s, 8, 0, 0x03, s)
        ext = struct.pack("<IIHHHHHH", 0xFFFFFFFF, sid(el.tag), 20, 20, len(el.attrs), 0, 0, 0)
        body.extend(chunk(0x0102, struct.pack("<II", 1, 0xFFFFFFFF), ext + bytes(attrs)))
        for child in el.children:
            emit(child)
        body.extend(chunk(0x0103, struct.pack("<II", 1, 0xFFFFFFFF), struct.pack("<II", 0xFFFFFFFF, sid(el.tag))))

    ns_start = chunk(0x0100, struct.pack("<II", 1, 0xFFFFFFFF), struct.pack("<II", prefix, android_ns))
    emit(root)
    ns_end = chunk(0x0101, struct.pack("<II", 1, 0xFFFFFFFF), struct.pack("<II", prefix, android_ns))
    # UTF-16 string pool.
    data = bytearray()
    offsets = []
    for s in strings:
        offsets.append(len(data))
        encoded = s.encode("utf-16-le")
        data += struct.pack("<H", len(encoded) // 2) + encoded + b"\x00\x00"
    while len(data) % 4:
        data += b"\x00"
    pool_header = struct.pack("<IIIII", len(strings), 0, 0, 28 + 4 * len(strings), 0)
    pool = chunk(0x0001, pool_header, struct.pack(f"<{len(offsets)}I", *offsets) + bytes(data))
    resmap = chunk(0x0180, b"", struct.pack(f"<{len(attr_names)}I", *(_ATTR_IDS[n] for n in attr_names)))
    content = pool + resmap + ns_start + bytes(body) + ns_end
    return struct.pack("<HHI", 0x0003, 8, 8 + len(content)) + content


def encode_dex(strings: Sequence[str], methods: Sequence[tuple[str, str]] = (),
               fields: Sequence[tuple[str, str, str]] = ()) -> bytes:
    """A DEX file whose string pool holds ``strings`` and whose method/field IDs name (class, member) pairs."""
    pool = set(strings)
    types = sorted({cls for cls, _ in methods} | {cls for cls, _, _ in fields} | {t for _, t, _ in fields})
    pool |= set(types) | {name for _, name in methods} | {name for _, _, name in fields}
    ordered = sorted(pool)
    sidx = {s: i for i, s in enumerate(ordered)}
    tidx = {t: i for i, t in enumerate(types)}
    n_s, n_t, n_f, n_m = len(ordered), len(types), len(fields), len(methods)
    string_off = 0x70
    type_off = string_off + 4 * n_s
    field_off = type_off + 4 * n_t
    method_off = field_off + 8 * n_f
    data_off = method_off + 8 * n_m
    data = bytearray()
    string_data_offsets = []
    for s in ordered:
        string_data_offsets.append(data_off + len(data))
        data += _uleb(len(s.encode("utf-16-le")) // 2) + s.encode("utf-8") + b"\x00"
    while len(data) % 4:
        data += b"\x00"
    body = bytearray()
    body += struct.pack(f"<{n_s}I", *string_data_offsets)
    body += struct.pack(f"<{n_t}I", *(sidx[t] for t in types))
    for cls, typ, name in fields:
        body += struct.pack("<HHI", tidx[cls], tidx[typ], sidx[name])
    for cls, name in methods:
        body += struct.pack("<HHI", tidx[cls], 0, sidx[name])
    body += data
    file_size = 0x70 + len(body)
    header = bytearray(0x70)
    header[0:8] = b"dex\n035\x00"
    struct.pack_into("<III", header, 0x20, file_size, 0x70, 0x12345678)
    struct.pack_into("<10I", header, 0x38, n_s, string_off if n_s else 0, n_t, type_off if n_t else 0, 0, 0,
                     n_f, field_off if n_f else 0, n_m, method_off if n_m else 0)
    struct.pack_into("<II", header, 0x68, len(data), data_off)
    blob = bytes(header) + bytes(body)
    signature = hashlib.sha1(blob[0x20:]).digest()
    blob = blob[:0x0C] + signature + blob[0x20:]
    checksum = zlib.adler32(blob[0x0C:])
    return blob[:8] + struct.pack("<I", checksum) + blob[12:]


def manifest(package: str = "tw.example.trade", *, app_attrs: dict[str, str | bool | int] | None = None,
             components: Sequence[El] = (), target_sdk: int = 34, permissions: Sequence[str] = ()) -> El:
    """A manifest element tree."""
    children = [El("uses-sdk", {"minSdkVersion": 24, "targetSdkVersion": target_sdk})]
    children += [El("uses-permission", {"name": p}) for p in permissions]
    children.append(El("application", dict(app_attrs or {}), list(components)))
    return El("manifest", {"package": package}, children)


def write_zip(path: Path, entries: dict[str, bytes], *, compress: bool = True) -> Path:
    """A zip archive of ``entries``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return path


def ipa_entries(app: str, plist: dict[str, object], executable: bytes, *, binary_plist: bool = True,
                extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The entries of an IPA: Payload/<app>.app/Info.plist, the executable, and ``extra`` files of the app."""
    fmt = plistlib.FMT_BINARY if binary_plist else plistlib.FMT_XML
    base = f"Payload/{app}.app/"
    entries = {base + "Info.plist": plistlib.dumps({"CFBundleExecutable": app, **plist}, fmt=fmt),
               base + app: executable}
    for name, content in (extra or {}).items():
        entries[base + name] = content
    return entries


def _pb_key(number: int, wire: int) -> bytes:
    return _uleb((number << 3) | wire)


def _pb_bytes(number: int, payload: bytes) -> bytes:
    return _pb_key(number, 2) + _uleb(len(payload)) + payload


def _pb_int(number: int, value: int) -> bytes:
    return _pb_key(number, 0) + _uleb(value)


def encode_proto_xml(root: El) -> bytes:
    """aapt2 protocol-buffer XML (``aapt.pb.XmlNode``) for ``root``, as in an app bundle; booleans and integers
    are given only as compiled items, strings only as values."""
    def node(el: El, line: int) -> bytes:
        element = _pb_bytes(3, el.tag.encode("utf-8"))
        for name, value in el.attrs.items():
            attr = b""
            if name in _ATTR_IDS:
                attr += _pb_bytes(1, ANDROID_NS.encode("utf-8"))
            attr += _pb_bytes(2, name.encode("utf-8"))
            if isinstance(value, bool):
                attr += _pb_bytes(6, _pb_bytes(7, _pb_int(8, 1 if value else 0)))
            elif isinstance(value, int):
                attr += _pb_bytes(6, _pb_bytes(7, _pb_int(6, value)))
            else:
                attr += _pb_bytes(3, value.encode("utf-8"))
            if name in _ATTR_IDS:
                attr += _pb_int(5, _ATTR_IDS[name])
            element += _pb_bytes(4, attr)
        for offset, child in enumerate(el.children, start=1):
            element += _pb_bytes(5, node(child, line + offset))
        return _pb_bytes(1, element) + _pb_bytes(3, _pb_int(1, line))

    return node(root, 1)


def encode_resource_table(strings: Sequence[str]) -> bytes:
    """A compiled resource table (``resources.arsc``) holding ``strings`` in its global UTF-8 string pool."""
    data = bytearray()
    offsets = []
    for s in strings:
        encoded = s.encode("utf-8")
        offsets.append(len(data))
        data += bytes([len(s) & 0x7F]) if len(s) < 0x80 else bytes([0x80 | (len(s) >> 8), len(s) & 0xFF])
        data += bytes([len(encoded)]) if len(encoded) < 0x80 else bytes([0x80 | (len(encoded) >> 8),
                                                                          len(encoded) & 0xFF])
        data += encoded + b"\x00"
    while len(data) % 4:
        data += b"\x00"
    header = struct.pack("<HHIIIIII", 0x0001, 28, 28 + 4 * len(strings) + len(data), len(strings), 0, 0x100,
                         28 + 4 * len(strings), 0)
    pool = header + struct.pack(f"<{len(offsets)}I", *offsets) + bytes(data)
    return struct.pack("<HHII", 0x0002, 12, 12 + len(pool), 0) + pool
