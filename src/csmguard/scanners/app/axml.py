"""A reader for Android binary XML (AXML: AndroidManifest.xml and res/xml/*.xml inside an APK).

Reads the string pool, the resource map (so that attributes whose names were stripped by an obfuscator are
still known by their android:attr resource ID), and the element tree. Every structural problem raises
:class:`AxmlError`; sizes and offsets are checked before use, so a malformed file cannot loop or blow up.
"""

from __future__ import annotations

import struct

from csmguard.scanners.app.facts import XmlNode

RES_STRING_POOL = 0x0001
RES_XML = 0x0003
RES_XML_START_NAMESPACE = 0x0100
RES_XML_END_NAMESPACE = 0x0101
RES_XML_START_ELEMENT = 0x0102
RES_XML_END_ELEMENT = 0x0103
RES_XML_CDATA = 0x0104
RES_XML_RESOURCE_MAP = 0x0180
UTF8_FLAG = 0x100
NO_INDEX = 0xFFFFFFFF
MAX_DEPTH = 256
MAX_STRINGS = 1_000_000

TYPE_REFERENCE = 0x01
TYPE_STRING = 0x03
TYPE_INT_DEC = 0x10
TYPE_INT_HEX = 0x11
TYPE_INT_BOOLEAN = 0x12

# android.R.attr IDs of the attributes the checks read, for names an obfuscator removed.
ANDROID_ATTRS: dict[int, str] = {
    0x01010003: "name",
    0x01010006: "permission",
    0x0101000E: "enabled",
    0x0101000F: "debuggable",
    0x01010010: "exported",
    0x01010280: "allowBackup",
    0x010104EC: "usesCleartextTraffic",
    0x01010527: "networkSecurityConfig",
    0x0101020C: "minSdkVersion",
    0x01010270: "targetSdkVersion",
    0x0101021B: "versionCode",
    0x0101021C: "versionName",
    0x01010018: "authorities",
    0x01010024: "value",
}
BINARY_XML_MAGIC = b"\x03\x00\x08\x00"


class AxmlError(ValueError):
    """The bytes are not well-formed Android binary XML."""


def is_binary_xml(data: bytes) -> bool:
    """Whether ``data`` starts like an Android binary XML document."""
    return data[:4] == BINARY_XML_MAGIC


def _string_pool(data: bytes, offset: int, size: int) -> list[str]:
    header_size, = struct.unpack_from("<H", data, offset + 2)
    count, _styles, flags, strings_start, _styles_start = struct.unpack_from("<IIIII", data, offset + 8)
    if count > MAX_STRINGS or offset + header_size + 4 * count > offset + size:
        raise AxmlError(f"string pool of {count} strings does not fit its chunk")
    offsets = struct.unpack_from(f"<{count}I", data, offset + header_size)
    base = offset + strings_start
    end = offset + size
    utf8 = bool(flags & UTF8_FLAG)
    out: list[str] = []
    for rel in offsets:
        pos = base + rel
        if pos >= end:
            raise AxmlError("string offset outside the string pool")
        if utf8:
            pos += 2 if data[pos] & 0x80 else 1  # character count, unused
            n = data[pos]
            if n & 0x80:
                n = ((n & 0x7F) << 8) | data[pos + 1]
                pos += 2
            else:
                pos += 1
            if pos + n > end:
                raise AxmlError("string runs past the string pool")
            out.append(data[pos:pos + n].decode("utf-8", errors="replace"))
        else:
            n, = struct.unpack_from("<H", data, pos)
            pos += 2
            if n & 0x8000:
                low, = struct.unpack_from("<H", data, pos)
                n = ((n & 0x7FFF) << 16) | low
                pos += 2
            if pos + 2 * n > end:
                raise AxmlError("string runs past the string pool")
            out.append(data[pos:pos + 2 * n].decode("utf-16-le", errors="replace"))
    return out


RES_TABLE = 0x0002


def resource_table_strings(data: bytes) -> list[str]:
    """The global string pool of a compiled resource table (``resources.arsc``): every string value of the app's
    resources; AxmlError when the table is malformed."""
    try:
        chunk_type, header_size, total = struct.unpack_from("<HHI", data, 0)
        if chunk_type != RES_TABLE or total > len(data) or header_size < 12:
            raise AxmlError("not a compiled resource table (bad header)")
        pool_type, _pool_header, pool_size = struct.unpack_from("<HHI", data, header_size)
        if pool_type != RES_STRING_POOL or header_size + pool_size > len(data):
            raise AxmlError("resource table without a global string pool")
        return _string_pool(data, header_size, pool_size)
    except (struct.error, IndexError) as exc:
        raise AxmlError(f"truncated resource table: {exc}") from exc


def _typed_value(strings: list[str], raw_index: int, data_type: int, value: int) -> str:
    if raw_index != NO_INDEX and raw_index < len(strings):
        return strings[raw_index]
    if data_type == TYPE_STRING and value < len(strings):
        return strings[value]
    if data_type == TYPE_INT_BOOLEAN:
        return "true" if value else "false"
    if data_type == TYPE_REFERENCE:
        return f"@0x{value:08x}"
    if data_type == TYPE_INT_HEX:
        return f"0x{value:x}"
    if data_type == TYPE_INT_DEC:
        return str(value - (1 << 32) if value & 0x80000000 else value)
    return str(value)


def parse_axml(data: bytes) -> XmlNode:
    """The root element of an Android binary XML document; AxmlError when it is malformed."""
    try:
        return _parse(data)
    except struct.error as exc:
        raise AxmlError(f"truncated binary XML: {exc}") from exc
    except IndexError as exc:
        raise AxmlError("truncated binary XML") from exc


def _parse(data: bytes) -> XmlNode:
    if len(data) < 8 or not is_binary_xml(data):
        raise AxmlError("not Android binary XML (bad magic)")
    _type, header_size, total = struct.unpack_from("<HHI", data, 0)
    total = min(total, len(data))
    strings: list[str] = []
    res_map: list[int] = []
    stack: list[tuple[str, dict[str, str], list[XmlNode], int]] = []
    root: XmlNode | None = None
    offset = header_size
    while offset + 8 <= total:
        chunk_type, chunk_header, chunk_size = struct.unpack_from("<HHI", data, offset)
        if chunk_size < 8 or offset + chunk_size > total:
            raise AxmlError(f"chunk at offset {offset} has a bad size {chunk_size}")
        if chunk_type == RES_STRING_POOL:
            strings = _string_pool(data, offset, chunk_size)
        elif chunk_type == RES_XML_RESOURCE_MAP:
            res_map = list(struct.unpack_from(f"<{(chunk_size - chunk_header) // 4}I", data, offset + chunk_header))
        elif chunk_type == RES_XML_START_ELEMENT:
            line, = struct.unpack_from("<I", data, offset + 8)
            body = offset + chunk_header
            _ns, name_idx, attr_start, attr_size, attr_count = struct.unpack_from("<IIHHH", data, body)
            if name_idx >= len(strings):
                raise AxmlError("element name outside the string pool")
            if attr_size < 20 or body + attr_start + attr_count * attr_size > offset + chunk_size:
                raise AxmlError("attributes do not fit their element chunk")
            attrs: dict[str, str] = {}
            for i in range(attr_count):
                pos = body + attr_start + i * attr_size
                _ans, aname, raw, _vsize, _res0, dtype, value = struct.unpack_from("<IIIHBBI", data, pos)
                key = strings[aname] if aname < len(strings) else ""
                if aname < len(res_map) and res_map[aname] in ANDROID_ATTRS:
                    key = ANDROID_ATTRS[res_map[aname]]
                if key:
                    attrs[key] = _typed_value(strings, raw, dtype, value)
            if len(stack) >= MAX_DEPTH:
                raise AxmlError(f"elements nested deeper than {MAX_DEPTH}")
            stack.append((strings[name_idx], attrs, [], line))
        elif chunk_type == RES_XML_END_ELEMENT:
            if not stack:
                raise AxmlError("end of an element that was never started")
            tag, attrs, children, line = stack.pop()
            node = XmlNode(tag, attrs, tuple(children), line or None)
            if stack:
                stack[-1][2].append(node)
            elif root is None:
                root = node
        offset += chunk_size
    if root is None:
        raise AxmlError("no complete root element")
    return root
