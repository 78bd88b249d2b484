"""Reads app packages — APK, AAB and IPA — entry by entry in memory, under the caps of :mod:`safezip`.

Android: the binary manifest (protocol-buffer XML in an app bundle), network security configs under res/xml,
every ``classes*.dex`` (strings and references, and its bytecode as located statements), text assets (a React
Native bundle, JSON, properties) and the Flutter ``libapp.so`` strings.
iOS: ``Payload/*.app/Info.plist`` (binary or XML), the printable strings of the main executable, and the text
resources of the app folder. A broken entry becomes a ScanError naming it; the other entries are still read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from csmguard.domain import ScanError
from csmguard.scanners.app.axml import AxmlError, is_binary_xml, parse_axml, resource_table_strings
from csmguard.scanners.app.collect import CollectStats, Item, config_items, decode_text, kind_of
from csmguard.scanners.app.config import ats_facts, manifest_facts, network_config_facts
from csmguard.scanners.app.dex import DexError, read_dex
from csmguard.scanners.app.dexcode import DexImage
from csmguard.scanners.app.dextext import bytecode_units
from csmguard.scanners.app.facts import BINARY_KIND, DEX_KIND, TextUnit, XmlNode
from csmguard.scanners.app.protoxml import ProtoXmlError, parse_proto_xml
from csmguard.scanning.safexml import XmlRefused, load_plist
from csmguard.scanning.safezip import SafeZip, SafeZipError, ZipLimits, unsafe_name_reason

ARCHIVE_SUFFIXES = {".apk": "apk", ".aab": "aab", ".ipa": "ipa", ".apks": "apk", ".xapk": "apk"}
_DEX = re.compile(r"(?:^|/)classes\d*\.dex$")
_PRINTABLE = re.compile(rb"[\x20-\x7e]{6,}")
_MAX_TEXT_ENTRY = 20 * 1024 * 1024
_IPA_APP = re.compile(r"^Payload/([^/]+\.app)/")


def archive_kind(path: Path) -> str | None:
    """``apk``, ``aab`` or ``ipa`` for a package file name, else None."""
    return ARCHIVE_SUFFIXES.get(path.suffix.lower())


def printable_strings(data: bytes) -> str:
    """The runs of at least six printable ASCII characters of a binary, one per line."""
    return "\n".join(m.decode("ascii") for m in _PRINTABLE.findall(data))


def render_xml(root: XmlNode) -> str:
    """A binary XML tree as one ``<tag name="value" …>`` line per element, for the pattern rules."""
    lines = []
    for node in root.iter():
        attrs = " ".join(f'{k}="{v}"' for k, v in node.attrs.items())
        lines.append(f"<{node.tag} {attrs}>" if attrs else f"<{node.tag}>")
    return "\n".join(lines)


def _entry_error(target: str, exc: SafeZipError | AxmlError | DexError | ProtoXmlError, name: str) -> ScanError:
    message = exc.message if isinstance(exc, SafeZipError) else str(exc)
    if isinstance(exc, ProtoXmlError):
        message = f"neither binary XML nor app-bundle protocol-buffer XML: {message}"
    return ScanError(target=target, path=name, message=message)


def _dex_items(data: bytes, name: str, target: str, stats: CollectStats) -> Iterator[Item]:
    """The program model, DEX text and bytecode view of one DEX file (see :mod:`dextext`); when its code
    cannot be read, the string-table text alone, with an error naming what failed."""
    errors: list[str] = []
    try:
        dex_text, view, model = bytecode_units(DexImage(data, name), errors)
    except DexError as exc:
        strings = read_dex(data, name)  # DexError (the entry is rejected) when not even the pools read
        stats.files_scanned += 1
        stats.bytes_scanned += len(data)
        stats.platforms.add("android")
        yield ScanError(target=target, path=name, message=f"bytecode not analysed: {exc}")
        yield TextUnit(name, DEX_KIND, strings.as_text())
        return
    stats.files_scanned += 1
    stats.bytes_scanned += len(data)
    stats.platforms.add("android")
    if errors:
        shown = "; ".join(errors[:5]) + (f" (and {len(errors) - 5} more)" if len(errors) > 5 else "")
        yield ScanError(target=target, path=name, message=f"{len(errors)} method(s) not analysed: {shown}")
    yield model  # first: a weakness its flow checks find is not reported again from the texts
    yield dex_text
    yield view


def _android_entries(zf: SafeZip, target: str, stats: CollectStats) -> Iterator[Item]:
    for name in zf.names():
        if unsafe_name_reason(name):
            continue
        base = name.rsplit("/", 1)[-1]
        is_manifest = name in ("AndroidManifest.xml", "base/manifest/AndroidManifest.xml")
        is_res_xml = re.match(r"^(?:base/)?res/xml[^/]*/[^/]+\.xml$", name) is not None
        is_dex = _DEX.search(name) is not None
        is_asset = name.startswith(("assets/", "base/assets/", "res/raw/", "base/res/raw/")) and kind_of(base)
        is_flutter = base == "libapp.so"
        is_table = name == "resources.arsc"
        if not (is_manifest or is_res_xml or is_dex or is_asset or is_flutter or is_table):
            continue
        if is_manifest or is_dex:
            stats.app_files += 1  # the package has an Android app's structure, whether or not the entry reads
        stats.files_read += 1
        try:
            data = zf.read(name)
            if is_manifest or is_res_xml:
                if data.lstrip()[:1] == b"<":
                    yield from config_items(name, decode_text(data), data, name, target)
                    yield TextUnit(name, "xml", decode_text(data) or "")
                else:
                    # Binary XML in an APK; aapt2 protocol-buffer XML in an app bundle.
                    root = parse_axml(data) if is_binary_xml(data) else parse_proto_xml(data)
                    if is_manifest:
                        yield manifest_facts(root, name)
                    elif root.tag == "network-security-config":
                        yield network_config_facts(root, name)
                    yield TextUnit(name, "xml", render_xml(root))
                stats.files_scanned += 1
                stats.bytes_scanned += len(data)
                stats.platforms.add("android")
            elif is_dex:
                yield from _dex_items(data, name, target, stats)
            elif is_table:
                strings = resource_table_strings(data)
                stats.files_scanned += 1
                stats.bytes_scanned += len(data)
                yield TextUnit(name, BINARY_KIND, "\n".join(strings))
            elif is_flutter:
                stats.files_scanned += 1
                stats.bytes_scanned += len(data)
                yield TextUnit(name, BINARY_KIND, printable_strings(data))
            else:
                text = decode_text(data)
                if text is None:
                    stats.files_rejected += 1
                    yield ScanError(target=target, path=name, message="binary or undecodable text asset")
                    continue
                stats.files_scanned += 1
                stats.bytes_scanned += len(data)
                yield TextUnit(name, kind_of(base) or "config", text)
        except (SafeZipError, AxmlError, DexError, ProtoXmlError) as exc:
            stats.files_rejected += 1
            yield _entry_error(target, exc, name)


def _ios_entries(zf: SafeZip, target: str, stats: CollectStats) -> Iterator[Item]:
    names = [n for n in zf.names() if not unsafe_name_reason(n)]
    apps = sorted({m.group(1) for n in names if (m := _IPA_APP.match(n))})
    if not apps:
        yield ScanError(target=target, message="no Payload/<name>.app folder: not an iOS app archive")
        return
    app = f"Payload/{apps[0]}/"
    stats.app_files += 1
    executable: str | None = None
    plist_name = app + "Info.plist"
    if plist_name in names:
        stats.files_read += 1
        try:
            data = zf.read(plist_name, max_bytes=_MAX_TEXT_ENTRY)
            plist: Any = load_plist(data)
            if not isinstance(plist, dict):
                raise XmlRefused("the top level is not a dictionary")
            stats.files_scanned += 1
            stats.platforms.add("ios")
            yield ats_facts(plist, plist_name)
            exe = plist.get("CFBundleExecutable")
            executable = app + exe if isinstance(exe, str) and "/" not in exe else None
        except SafeZipError as exc:
            stats.files_rejected += 1
            yield _entry_error(target, exc, plist_name)
        except XmlRefused as exc:
            stats.files_rejected += 1
            yield ScanError(target=target, path=plist_name, message=f"not a valid property list: {exc}")
    else:
        yield ScanError(target=target, path=plist_name, message="Info.plist missing from the app folder")
    for name in names:
        if not name.startswith(app):
            continue
        rel = name[len(app):]
        is_exe = name == executable
        kind = kind_of(rel) if "/" not in rel or rel.endswith((".js", ".jsbundle", ".json")) else None
        if not is_exe and (kind is None or name == plist_name):
            continue
        stats.files_read += 1
        try:
            data = zf.read(name)
        except SafeZipError as exc:
            stats.files_rejected += 1
            yield _entry_error(target, exc, name)
            continue
        if is_exe:
            stats.files_scanned += 1
            stats.bytes_scanned += len(data)
            yield TextUnit(name, BINARY_KIND, printable_strings(data))
            continue
        text = decode_text(data) if not data.startswith(b"bplist") else None
        if text is None:
            if data.startswith(b"bplist"):
                stats.files_scanned += 1
                continue
            stats.files_rejected += 1
            yield ScanError(target=target, path=name, message="binary or undecodable text resource")
            continue
        stats.files_scanned += 1
        stats.bytes_scanned += len(data)
        yield TextUnit(name, kind or "config", text)


def collect_archive(path: Path, kind: str, target: str, stats: CollectStats,
                    limits: ZipLimits | None = None) -> Iterator[Item]:
    """The items of an APK, AAB or IPA; a ScanError for the archive when it cannot be opened at all."""
    try:
        zf = SafeZip(path, limits)
    except SafeZipError as exc:
        stats.files_read += 1
        stats.files_rejected += 1
        yield ScanError(target=target, message=exc.message)
        return
    with zf:
        for name in zf.names():
            reason = unsafe_name_reason(name)
            if reason:
                stats.files_read += 1
                stats.files_rejected += 1
                yield ScanError(target=target, path=name[:200], message=f"unsafe entry name skipped: {reason}")
        if kind == "ipa":
            yield from _ios_entries(zf, target, stats)
        else:
            yield from _android_entries(zf, target, stats)
