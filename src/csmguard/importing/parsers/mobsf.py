"""MobSF static-analysis report JSON (``/api/v1/report_json``, or the JSON download of the web UI) of an APK or
IPA, MobSF 3.x and 4.x. Read: code analysis, manifest analysis, network security config, App Transport Security,
certificate, binary and Mach-O analysis, and secrets. Not read, and said so in the notes: permissions, trackers,
URLs and domains, the ``appsec`` summary (it repeats the sections above) and the security score."""

from __future__ import annotations

from typing import Any

from csmguard.domain import FindingStatus, Location, Severity, Target
from csmguard.importing.model import ForeignItem, ParsedReport
from csmguard.importing.reading import describe_json, digest, first_line, masked, not_format, short

EXPECTED = "a MobSF static-analysis report (JSON with file_name, app_type, and package_name or bundle_id)"
SKIPPED = ("permissions", "trackers", "urls", "domains", "appsec", "security_score", "firebase_urls")
_STATUS = {"high": FindingStatus.FAIL, "warning": FindingStatus.FAIL, "insecure": FindingStatus.FAIL,
           "dangerous": FindingStatus.FAIL, "secure": FindingStatus.PASS, "good": FindingStatus.PASS,
           "info": FindingStatus.MANUAL, "hotspot": FindingStatus.MANUAL}
_SEVERITY = {"high": Severity.HIGH, "warning": Severity.MEDIUM, "insecure": Severity.HIGH,
             "dangerous": Severity.HIGH, "secure": Severity.INFO, "good": Severity.INFO, "info": Severity.INFO,
             "hotspot": Severity.LOW}


def looks_like(data: Any) -> bool:
    """Whether ``data`` has the shape of a MobSF static-analysis report."""
    return isinstance(data, dict) and "file_name" in data and "app_type" in data and (
        "package_name" in data or "bundle_id" in data)


def network_rule(description: str) -> str:
    """A rule ID for a network-security-config finding (MobSF gives them none), from its description."""
    words = description.lower()
    if "disallow clear text" in words:
        return "network:cleartext_disallowed"
    if "clear text" in words:
        return "network:cleartext_permitted"
    if "user installed certificates" in words:
        return "network:trusts_user_certificates"
    if "system certificates" in words:
        return "network:trusts_system_certificates"
    if "pin" in words:
        return "network:pinning"
    return "network:other"


def ats_rule(issue: str) -> str:
    """A rule ID for an App Transport Security finding (MobSF gives them none), from its issue text."""
    words = issue.lower()
    if "allowsarbitraryloads is allowed" in words or words.startswith(("insecure media load", "insecure webview load")):
        return "ats:arbitrary_loads"
    if words.startswith("insecure communication"):
        return "ats:insecure_domain"
    if "minimumtlsversion" in words:
        return "ats:minimum_tls_version"
    return "ats:other"


def _verdict(word: object) -> tuple[FindingStatus, Severity]:
    key = str(word or "").strip().lower()
    return _STATUS.get(key, FindingStatus.MANUAL), _SEVERITY.get(key, Severity.INFO)


class _Reader:
    def __init__(self, data: dict[str, Any], target: Target) -> None:
        self.data = data
        self.target = target
        self.items: list[ForeignItem] = []
        self.sections: dict[str, int] = {}

    def add(self, section: str, rule: str, word: object, title: str, message: str, *,
            location: Location | None = None, url: str | None = None, key: str = "",
            evidence: dict[str, Any] | None = None) -> None:
        status, severity = _verdict(word)
        self.items.append(ForeignItem(rule=rule, status=status, severity=severity, title=short(title, 200),
                                      message=short(message), target=self.target,
                                      location=location or Location(resource=section), url=url, key=key,
                                      evidence={"mobsf_severity": str(word), **(evidence or {})}))
        self.sections[section] = self.sections.get(section, 0) + 1

    def code(self) -> None:
        block = self.data.get("code_analysis") or {}
        rules = block.get("findings", block) if isinstance(block, dict) else {}
        for rule, body in rules.items() if isinstance(rules, dict) else ():
            if not isinstance(body, dict):
                continue
            meta = body.get("metadata") or {}
            files = body.get("files") or {}
            title = str(meta.get("description") or rule)
            refs = {"cwe": str(meta.get("cwe") or ""), "masvs": str(meta.get("masvs") or "")}
            url = meta.get("ref") or meta.get("reference")
            for path, lines in files.items() if isinstance(files, dict) else ():
                self.add("code_analysis", rule, meta.get("severity"), title, f"{path}: {title}",
                         location=Location(path=str(path), line=first_line(lines)), url=url, key=str(path),
                         evidence=refs)

    def manifest(self) -> None:
        block = self.data.get("manifest_analysis") or []
        rows = block.get("manifest_findings", []) if isinstance(block, dict) else block
        for row in rows if isinstance(rows, list) else ():
            if not isinstance(row, dict):
                continue
            rule = str(row.get("rule") or row.get("title") or "manifest")
            name = str(row.get("name") or row.get("title") or rule).replace("<br>", " ")
            self.add("manifest_analysis", rule, row.get("severity") or row.get("stat"), name,
                     f"AndroidManifest.xml: {name}", location=Location(path="AndroidManifest.xml"), key=name)

    def network(self) -> None:
        block = self.data.get("network_security") or {}
        rows = block.get("network_findings", []) if isinstance(block, dict) else block
        for row in rows if isinstance(rows, list) else ():
            if isinstance(row, dict):
                scope = ", ".join(map(str, row.get("scope") or []))
                desc = str(row.get("description") or "")
                self.add("network_security", network_rule(desc), row.get("severity"), desc,
                         f"{desc} [{scope}]" if scope else desc, key=digest(desc, scope))

    def ats(self) -> None:
        block = self.data.get("ats_analysis") or []
        rows = block.get("ats_findings", []) if isinstance(block, dict) else block
        for row in rows if isinstance(rows, list) else ():
            if isinstance(row, dict):
                issue = str(row.get("issue") or "")
                self.add("ats_analysis", ats_rule(issue), row.get("severity") or row.get("status"), issue,
                         f"{issue}: {row.get('description') or ''}", key=issue)

    def certificate(self) -> None:
        block = self.data.get("certificate_analysis") or {}
        rows = block.get("certificate_findings", []) if isinstance(block, dict) else []
        for row in rows:
            if isinstance(row, list | tuple) and len(row) >= 3:
                self.add("certificate_analysis", f"certificate:{row[2]}", row[0], str(row[2]), str(row[1]),
                         key=str(row[2]))

    def binary(self) -> None:
        block = self.data.get("binary_analysis")
        if isinstance(block, dict):  # iOS: findings by title (MobSF 3.7+ nests them under "findings")
            rows = block.get("findings", block)
            for title, body in rows.items() if isinstance(rows, dict) else ():
                if isinstance(body, dict) and "severity" in body:
                    self.add("binary_analysis", f"binary:{title}", body.get("severity"), str(title),
                             str(body.get("detailed_desc") or title), key=str(title))
        elif isinstance(block, list):  # Android: one entry per native library
            for lib in block:
                if isinstance(lib, dict):
                    self._properties("binary_analysis", lib)
        macho = self.data.get("macho_analysis")
        if isinstance(macho, dict):
            self._properties("macho_analysis", macho)

    def _properties(self, section: str, entry: dict[str, Any]) -> None:
        name = str(entry.get("name") or section)
        for prop, body in entry.items():
            if isinstance(body, dict) and "severity" in body:
                self.add(section, f"binary:{prop}", body.get("severity"), f"{prop} ({name})",
                         str(body.get("description") or prop), location=Location(path=name), key=f"{name}:{prop}")

    def secrets(self) -> None:
        for index, secret in enumerate(self.data.get("secrets") or []):
            text = str(secret)
            name, _, value = text.partition(":")
            shown = f"{name.strip()} : {masked(value.strip().strip(chr(34)))}" if value else masked(text)
            self.add("secrets", "secrets", "warning", "Possible hard-coded secret",
                     f"Possible hard-coded secret: {shown}", key=digest(text), evidence={"secret": shown,
                                                                                         "index": index})


def parse(data: Any, source: str) -> list[ParsedReport]:
    """Read a MobSF report; InputError naming ``source`` when it is not one."""
    if not looks_like(data):
        raise not_format(source, EXPECTED, describe_json(data))
    app = str(data.get("package_name") or data.get("bundle_id") or data.get("file_name"))
    version = str(data.get("version_name") or data.get("app_version") or data.get("build") or "?")
    kind = "apk" if "package_name" in data else "ipa"
    target = Target(kind=kind, id=f"{app}@{version}", name=str(data.get("app_name") or app))
    reader = _Reader(data, target)
    reader.code()
    reader.manifest()
    reader.network()
    reader.ats()
    reader.certificate()
    reader.binary()
    reader.secrets()
    skipped = [name for name in SKIPPED if data.get(name)]
    notes = (f"MobSF sections read: {', '.join(f'{k} {v}' for k, v in reader.sections.items()) or 'none'}",
             f"MobSF sections not imported: {', '.join(skipped) or 'none'}")
    return [ParsedReport(tool="mobsf", version=str(data.get("version") or "") or None, subject=f"app:{app}@{version}",
                         items=tuple(reader.items), recognised={f"mobsf-{kind}-report": 1}, notes=notes)]
