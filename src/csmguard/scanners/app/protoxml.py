"""A reader for the protocol-buffer XML of Android App Bundles (``base/manifest/AndroidManifest.xml`` in an AAB).

aapt2 compiles XML in bundles to ``aapt.pb.XmlNode`` messages instead of binary XML. Only what the checks need is
decoded: element names, attributes (name, resource ID, string value, or the compiled boolean / integer /
reference), children and line numbers. A minimal wire-format decoder; every length is checked, so a malformed
file raises :class:`ProtoXmlError` instead of looping or reading past the end.
"""

from __future__ import annotations

from csmguard.scanners.app.axml import ANDROID_ATTRS
from csmguard.scanners.app.facts import XmlNode

MAX_DEPTH = 256


class ProtoXmlError(ValueError):
    """The bytes are not a well-formed aapt2 protocol-buffer XML document."""


Field = tuple[int, int, int | bytes]


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = 0
    shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ProtoXmlError("truncated or overlong varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def fields(data: bytes) -> list[Field]:
    """The (field number, wire type, value) triples of one message; length-delimited values as bytes."""
    out: list[Field] = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            out.append((number, wire, value))
        elif wire == 2:
            length, pos = _varint(data, pos)
            if pos + length > len(data):
                raise ProtoXmlError("length-delimited field runs past the end")
            out.append((number, wire, data[pos:pos + length]))
            pos += length
        elif wire == 5:
            pos += 4
            out.append((number, wire, 0))
        elif wire == 1:
            pos += 8
            out.append((number, wire, 0))
        else:
            raise ProtoXmlError(f"unsupported wire type {wire}")
        if pos > len(data):
            raise ProtoXmlError("field runs past the end")
    return out


def _text(value: int | bytes) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def _compiled(item: bytes) -> str | None:
    for number, _wire, value in fields(item):
        if number == 7 and isinstance(value, bytes):  # Primitive
            for pnum, _pw, pval in fields(value):
                if pnum == 8:
                    return "true" if pval else "false"
                if pnum in (6, 7) and isinstance(pval, int):
                    return str(pval)
        if number == 1 and isinstance(value, bytes):  # Reference
            for rnum, _rw, rval in fields(value):
                if rnum == 2 and isinstance(rval, int):
                    return f"@0x{rval:08x}"
    return None


def _attribute(data: bytes) -> tuple[str, str]:
    name = value = ""
    resource_id = 0
    compiled: str | None = None
    for number, _wire, item in fields(data):
        if number == 2:
            name = _text(item)
        elif number == 3:
            value = _text(item)
        elif number == 5 and isinstance(item, int):
            resource_id = item
        elif number == 6 and isinstance(item, bytes):
            compiled = _compiled(item)
    name = ANDROID_ATTRS.get(resource_id, name)
    return name, value if value else (compiled or "")


def _node(data: bytes, depth: int) -> XmlNode | None:
    if depth > MAX_DEPTH:
        raise ProtoXmlError(f"elements nested deeper than {MAX_DEPTH}")
    element: bytes | None = None
    line: int | None = None
    for number, _wire, value in fields(data):
        if number == 1 and isinstance(value, bytes):
            element = value
        elif number == 3 and isinstance(value, bytes):
            for snum, _sw, sval in fields(value):
                if snum == 1 and isinstance(sval, int):
                    line = sval or None
    if element is None:
        return None  # a text node
    tag = ""
    attrs: dict[str, str] = {}
    children: list[XmlNode] = []
    for number, _wire, value in fields(element):
        if number == 3:
            tag = _text(value)
        elif number == 4 and isinstance(value, bytes):
            key, val = _attribute(value)
            if key:
                attrs[key] = val
        elif number == 5 and isinstance(value, bytes):
            child = _node(value, depth + 1)
            if child is not None:
                children.append(child)
    if not tag:
        raise ProtoXmlError("an element without a name")
    return XmlNode(tag, attrs, tuple(children), line)


def parse_proto_xml(data: bytes) -> XmlNode:
    """The root element of an aapt2 protocol-buffer XML document; ProtoXmlError when it is malformed."""
    root = _node(data, 0)
    if root is None:
        raise ProtoXmlError("the document has no root element")
    return root
