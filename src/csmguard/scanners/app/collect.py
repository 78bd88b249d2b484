"""Reads a source tree (or one source file) into text units and configuration facts; the only I/O of source scans.

Files are chosen by extension (Java, Kotlin, XML, Swift, Objective-C, Dart, JavaScript/TypeScript and a few
configuration formats); other files are counted and left alone. A chosen file that is too large, binary or
not decodable (UTF-8, then Big5/CP950 as often found in Taiwanese projects) becomes a :class:`ScanError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csmguard.domain import ScanError
from csmguard.scanners.app.config import (
    ConfigError,
    ats_facts,
    manifest_facts,
    network_config_facts,
    parse_text_xml,
)
from csmguard.scanners.app.facts import AtsFacts, ManifestFacts, NetworkConfigFacts, TextUnit
from csmguard.scanners.app.program import ProgramFile
from csmguard.scanning.safexml import XmlRefused, load_plist
from csmguard.scanning.walk import SkippedFile, WalkedFile, WalkOptions, walk_files

KIND_BY_SUFFIX: dict[str, str] = {
    ".java": "java", ".kt": "kotlin", ".kts": "kotlin", ".xml": "xml", ".swift": "swift", ".m": "objc",
    ".mm": "objc", ".h": "objc", ".dart": "dart", ".js": "js", ".jsx": "js", ".ts": "js", ".tsx": "js",
    ".mjs": "js", ".cjs": "js", ".json": "config", ".properties": "config", ".gradle": "config",
    ".plist": "config", ".yaml": "config", ".yml": "config", ".env": "config", ".bundle": "js",
    ".jsbundle": "js", ".pem": "config", ".key": "config", ".strings": "config",
}
_SKIP_NAMES = (".min.js", ".map", "package-lock.json", "yarn.lock", "pubspec.lock", "Podfile.lock", ".g.dart",
               ".freezed.dart", ".pb.dart", "R.java", "BuildConfig.java")

Item = TextUnit | ManifestFacts | NetworkConfigFacts | AtsFacts | ProgramFile | ScanError


@dataclass
class CollectStats:
    """Counts of what a collection read, so that read = scanned + rejected reconciles."""

    files_read: int = 0
    files_scanned: int = 0
    files_rejected: int = 0
    files_ignored: int = 0
    bytes_scanned: int = 0
    platforms: set[str] = field(default_factory=set)
    app_files: int = 0  # native or Flutter app code, manifests, Info.plist, pubspec.yaml
    script_files: int = 0  # JavaScript/TypeScript: app code only where a hybrid-framework marker exists
    hybrid_markers: int = 0  # package.json naming React Native, Expo, Capacitor, Cordova or Ionic; JS bundles

    @property
    def app_units(self) -> int:
        """How many files were recognised as app code or app configuration."""
        return self.app_files + (self.script_files if self.hybrid_markers else 0)


APP_CODE_KINDS = frozenset({"java", "kotlin", "swift", "objc", "dart"})
_APP_MARKER_NAMES = ("AndroidManifest.xml", "Info.plist", "pubspec.yaml")
_HYBRID_PACKAGES = ('"react-native"', '"expo"', '"@capacitor/core"', '"cordova-android"', '"cordova-ios"',
                    '"@ionic/')


def _android_resource(name: str, text: str | None) -> bool:
    """An Android resource or configuration XML file (under res/, a resources / network security root, or in
    the Android XML namespace, as layouts are)."""
    return "res/" in name or (text is not None and (
        "<network-security-config" in text or "<resources" in text
        or "http://schemas.android.com/apk/res/android" in text))


def count_app_file(stats: CollectStats, name: str, kind: str, text: str | None) -> None:
    """Count what makes a source tree an app: app code, app manifests, hybrid-framework markers."""
    base = name.rsplit("/", 1)[-1]
    if kind in APP_CODE_KINDS or base in _APP_MARKER_NAMES or (kind == "xml" and _android_resource(name, text)):
        stats.app_files += 1
    elif kind == "js":
        stats.script_files += 1
        if base.endswith((".bundle", ".jsbundle")):
            stats.hybrid_markers += 1
    elif base == "package.json" and text is not None and any(p in text for p in _HYBRID_PACKAGES):
        stats.hybrid_markers += 1


def kind_of(name: str) -> str | None:
    """The text kind of a file name, or None when the scanner does not read such files."""
    if name.endswith(_SKIP_NAMES):
        return None
    dot = name.rfind(".")
    return KIND_BY_SUFFIX.get(name[dot:].lower()) if dot != -1 else None


def decode_text(data: bytes) -> str | None:
    """The text of a file: UTF-8 (BOM allowed), else Big5/CP950; None when it is neither or looks binary."""
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp950")
    except UnicodeDecodeError:
        return None


def config_items(name: str, text: str | None, data: bytes, path: str, target: str) -> Iterator[Item]:
    """Configuration facts of one file when it is a manifest, a network security config or an Info.plist."""
    base = name.rsplit("/", 1)[-1]
    try:
        if base == "AndroidManifest.xml" and text is not None:
            yield manifest_facts(parse_text_xml(text), path)
        elif base.endswith(".xml") and text is not None and "<network-security-config" in text:
            yield network_config_facts(parse_text_xml(text), path)
        elif base == "Info.plist":
            plist: Any = load_plist(data)
            if isinstance(plist, dict):
                yield ats_facts(plist, path)
            else:
                yield ScanError(target=target, path=path, message="Info.plist is not a dictionary")
    except ConfigError as exc:
        yield ScanError(target=target, path=path, message=str(exc))
    except XmlRefused as exc:
        yield ScanError(target=target, path=path, message=f"not a valid property list: {exc}")


def _platform(kind: str, name: str) -> str | None:
    if kind in {"java", "kotlin"} or name.endswith("AndroidManifest.xml"):
        return "android"
    if kind in {"swift", "objc"} or name.endswith("Info.plist"):
        return "ios"
    return None


def source_files(root: Path, excludes: tuple[str, ...], max_file_bytes: int,
                 target: str) -> tuple[list[WalkedFile], list[ScanError], int]:
    """The files of a source tree the scanner will read, errors for the chosen ones it cannot, and the
    number of files it leaves alone."""
    if root.is_file():
        size = root.stat().st_size
        return [WalkedFile(root, root.name, size)], [], 0
    skipped: list[SkippedFile] = []
    chosen: list[WalkedFile] = []
    ignored = 0
    for walked in walk_files(root, WalkOptions(ignored_globs=excludes, max_file_bytes=max_file_bytes), skipped):
        if kind_of(walked.relative) is None:
            ignored += 1
        else:
            chosen.append(walked)
    errors = []
    for skip in skipped:
        name = skip.path.name
        if kind_of(name) is None:
            ignored += 1
            continue
        rel = skip.path.relative_to(root).as_posix() if skip.path.is_relative_to(root) else str(skip.path)
        errors.append(ScanError(target=target, path=rel, message=f"not scanned: {skip.reason}"))
    return chosen, errors, ignored


def read_source_file(walked: WalkedFile, target: str, stats: CollectStats) -> Iterator[Item]:
    """The text unit and configuration facts of one source file, or a ScanError naming it."""
    kind = kind_of(walked.relative) or kind_of(walked.path.name) or "config"
    stats.files_read += 1
    try:
        data = walked.path.read_bytes()
    except OSError as exc:
        stats.files_rejected += 1
        yield ScanError(target=target, path=walked.relative, message=f"cannot read: {exc.strerror}")
        return
    if walked.path.name == "Info.plist" and data.startswith(b"bplist"):
        stats.files_scanned += 1
        stats.platforms.add("ios")
        count_app_file(stats, walked.relative, kind, None)
        yield from config_items(walked.relative, None, data, walked.relative, target)
        return
    text = decode_text(data)
    if text is None:
        stats.files_rejected += 1
        yield ScanError(target=target, path=walked.relative,
                        message="binary or undecodable content (neither UTF-8 nor Big5) in a source file")
        return
    stats.files_scanned += 1
    stats.bytes_scanned += len(data)
    platform = _platform(kind, walked.relative)
    if platform:
        stats.platforms.add(platform)
    count_app_file(stats, walked.relative, kind, text)
    yield from config_items(walked.relative, text, data, walked.relative, target)
    yield TextUnit(walked.relative, kind, text)
