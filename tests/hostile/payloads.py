"""Hostile payloads, built in memory and fast: YAML alias bombs, deep nesting, deflate bombs (a 1 GB entry
costs 1 MB and a few milliseconds: one flushed deflate block of zeros repeated), zips whose headers lie,
office documents with billion laughs or XXE, random bytes that are neither UTF-8 nor Big5."""

from __future__ import annotations

import functools
import io
import plistlib
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass

MB = 1024 * 1024
GB = 1024 * MB
_ZERO_BLOCK = bytes(MB)


def alias_bomb_lines(levels: int = 9, width: int = 9) -> list[str]:
    """YAML lines ``a0`` … ``a<levels>``: each anchor a list of ``width`` aliases of the one before."""
    lines = ["  a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"  a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return lines


def cfn_alias_bomb() -> bytes:
    """The 1.4 KB CloudFormation template of the report: nine levels of nine aliases used as a resource's Tags."""
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Metadata:", *alias_bomb_lines(),
             "Resources:", "  Bucket:", "    Type: AWS::S3::Bucket", "    Properties:", "      Tags: *a9"]
    return ("\n".join(lines) + "\n").encode()


def k8s_alias_bomb() -> bytes:
    """The same bomb inside a Kubernetes ConfigMap."""
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: bomb", "x-anchors:", *alias_bomb_lines(),
             "data:", "  tags: *a9"]
    return ("\n".join(lines) + "\n").encode()


def deep_json(depth: int, wrap: str = "{}") -> bytes:
    """JSON nested ``depth`` arrays deep, inside ``wrap`` where ``{}`` marks the spot."""
    return wrap.replace("{}", "[" * depth + "]" * depth, 1).encode() if wrap != "{}" else \
        ("[" * depth + "]" * depth).encode()


def deep_cfn_json(depth: int = 2000) -> bytes:
    """A CloudFormation JSON template whose Tags are nested ``depth`` deep (4 KB at 2,000)."""
    return ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", '
            '"Properties": {"Tags": ' + "[" * depth + "]" * depth + "}}}}").encode()


def deep_mdm_json(depth: int) -> bytes:
    """An MDM export (a JSON array of devices) whose one device holds a value nested ``depth`` deep."""
    return ('[{"id": "dev-1", "deviceName": "x", "operatingSystem": "iOS", "extra": '
            + "[" * depth + "]" * depth + "}]").encode()


def deep_block_yaml(depth: int = 300) -> bytes:
    """A Kubernetes manifest with block mappings nested ``depth`` deep (valid YAML, one space per level)."""
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: deep", "data:"]
    lines += [" " * (level + 1) + f"k{level}:" for level in range(depth)]
    lines.append(" " * (depth + 1) + "leaf: 1")
    return ("\n".join(lines) + "\n").encode()


def deep_tf(depth: int = 2000) -> bytes:
    """A Terraform resource whose tags are lists nested ``depth`` deep."""
    return ('resource "aws_s3_bucket" "b" {\n  tags = ' + "[" * depth + "]" * depth + "\n}\n").encode()


def deep_tf_blocks(depth: int = 2000) -> bytes:
    """A Terraform resource with nested blocks ``depth`` deep."""
    return ('resource "aws_s3_bucket" "b" {\n' + "a {\n" * depth + "}\n" * depth + "}\n").encode()


def deep_xml(depth: int, root: str = "manifest") -> bytes:
    """A well-formed XML document nested ``depth`` elements deep."""
    return (f'<?xml version="1.0"?><{root} xmlns:android="http://schemas.android.com/apk/res/android" '
            f'package="tw.example">' + "<a>" * depth + "</a>" * depth + f"</{root}>").encode()


def billion_laughs(root: str, inner: str = "&lol9;") -> bytes:
    """An XML document whose DOCTYPE defines nine levels of ten entities (a billion "lol"s) used in ``root``."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{entities}]>\n<{root}>{inner}</{root}>'.encode()


def xxe(root: str, target: str) -> bytes:
    """An XML document whose DOCTYPE declares an external entity reading ``target`` and uses it."""
    return (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{target}">]>\n'
            f"<{root}>&xxe;</{root}>").encode()


def random_bytes(size: int, seed: int) -> bytes:
    """Random bytes that are neither UTF-8 nor Big5 (each 64-byte block holds a 0xFF)."""
    rng = random.Random(seed)
    data = bytearray(rng.getrandbits(8) for _ in range(size))
    for index in range(0, size, 64):
        data[index] = 0xFF
    return bytes(data)


@dataclass(frozen=True)
class RawEntry:
    """A zip entry given as its deflated stream: ``declared_size`` is what the headers claim."""

    name: str
    deflated: bytes
    crc: int
    size: int
    declared_size: int | None = None


def deflate_bomb(name: str, size: int = GB, *, declared_size: int | None = None) -> RawEntry:
    """An entry of ``size`` zero bytes (1 GB deflates to about 1 MB); its headers may lie about the size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(_ZERO_BLOCK) + compressor.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(size, MB)
    tail = compressor.compress(bytes(rest)) + compressor.flush(zlib.Z_FINISH)
    return RawEntry(name, block * blocks + tail, _zeros_crc(size), size, declared_size)


@functools.cache
def _zeros_crc(size: int) -> int:
    blocks, rest = divmod(size, MB)
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(_ZERO_BLOCK, crc)
    return zlib.crc32(bytes(rest), crc)


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def zip_bytes(entries: dict[str, bytes], raw: tuple[RawEntry, ...] = ()) -> bytes:
    """A zip archive of ``entries`` (deflated) then ``raw`` entries written from their deflated streams, with
    the sizes their headers declare (zipfile cannot write a pre-deflated stream, so this writes the format)."""
    body = io.BytesIO()
    central = io.BytesIO()
    items = [RawEntry(name, _deflate(content), zlib.crc32(content), len(content)) for name, content in entries.items()]
    for entry in (*items, *raw):
        name = entry.name.encode()
        size = entry.size if entry.declared_size is None else entry.declared_size
        offset = body.tell()
        fields = (zipfile.ZIP_DEFLATED, 0, 0x21, entry.crc, len(entry.deflated), size, len(name))
        body.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, *fields, 0) + name + entry.deflated)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset)
                      + name)
    directory = central.getvalue()
    count = len(items) + len(raw)
    start = body.tell()
    body.write(directory)
    body.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0))
    return body.getvalue()


def docx_bytes(document_xml: bytes | None = None, raw: tuple[RawEntry, ...] = ()) -> bytes:
    """A DOCX written by python-docx (one paragraph of a social media policy), with ``word/document.xml``
    replaced by ``document_xml`` and/or raw entries replacing parts of the same name."""
    import docx

    document = docx.Document()
    document.add_paragraph("社群媒體管理政策：本公司官方帳號之管理。")
    buffer = io.BytesIO()
    document.save(buffer)
    return _replace_parts(buffer.getvalue(), {"word/document.xml": document_xml} if document_xml else {}, raw)


def xlsx_bytes(sheet_xml: bytes | None = None, raw: tuple[RawEntry, ...] = ()) -> bytes:
    """An XLSX written by openpyxl (a header row), with the first sheet replaced as :func:`docx_bytes` does."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["device_id", "owner"])
    buffer = io.BytesIO()
    book.save(buffer)
    return _replace_parts(buffer.getvalue(), {"xl/worksheets/sheet1.xml": sheet_xml} if sheet_xml else {}, raw)


def _replace_parts(archive: bytes, parts: dict[str, bytes], raw: tuple[RawEntry, ...]) -> bytes:
    replaced = {entry.name for entry in raw}
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        entries = {name: parts.get(name, source.read(name)) for name in source.namelist() if name not in replaced}
    return zip_bytes(entries, raw)


def binary_plist(values: dict[str, object]) -> bytes:
    """A binary property list of ``values``."""
    return plistlib.dumps(values, fmt=plistlib.FMT_BINARY)


def pdf_flate_bomb(size: int = GB) -> bytes:
    """A one-page PDF whose content stream inflates to ``size`` bytes (zlib-wrapped deflate of zeros)."""
    entry = deflate_bomb("content", size)
    stream = b"\x78\xda" + entry.deflated + struct.pack(">I", 1)  # a wrong checksum: it comes after the gigabyte
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
