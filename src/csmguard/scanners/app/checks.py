"""The named checks of the app scanner: pure functions of facts, registered explicitly in two dicts.

``TEXT_CHECKS`` run on every text unit (source file, DEX strings, executable strings) and return hits;
``CONFIG_CHECKS`` run once per target on its manifests, network security configs and ATS settings and return
findings (a pass when the configuration is right, so the report shows what was checked).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from csmguard.domain import Finding, FindingStatus, Location, Target
from csmguard.rules.model import Rule
from csmguard.scanners.app import secrets
from csmguard.scanners.app.facts import SOURCE_KINDS, Component, ManifestFacts, TargetConfig, TextUnit
from csmguard.scanners.app.patterns import Hit

TextCheckFn = Callable[[Rule, TextUnit, "TextCheckContext"], Iterator[Hit]]
ConfigCheckFn = Callable[[Rule, TargetConfig, Target], list[Finding]]

_URL = re.compile(r"http://([A-Za-z0-9\-._~%]+)(?::\d+)?([^\s\"'<>)\]\\`]*)")
_IGNORED_HOSTS = frozenset({
    "localhost", "127.0.0.1", "10.0.2.2", "0.0.0.0", "schemas.android.com", "www.w3.org", "w3.org",  # noqa: S104
    "schemas.xmlsoap.org", "schemas.microsoft.com", "schemas.openxmlformats.org", "ns.adobe.com", "purl.org",
    "xml.org", "www.xml.org", "www.apache.org", "apache.org", "xml.apache.org", "java.sun.com", "xmlpull.org",
    "www.xmlpull.org", "schema.org", "json-schema.org", "example.com", "www.example.com", "example.org",
    "www.example.org", "example.net", "apple.com", "www.apple.com", "xmlns.jcp.org", "www.slf4j.org",
    "www.opengis.net", "exslt.org", "relaxng.org", "www.gnu.org", "www.opensource.org", "opensource.org",
})
_IGNORED_SUFFIXES = (".local", ".localhost", ".test", ".example", ".invalid")


class TextCheckContext:
    """What the text checks compile once per run (provider detectors)."""

    def __init__(self) -> None:
        self.detectors = secrets.provider_detectors()


def secrets_provider(rule: Rule, unit: TextUnit, ctx: TextCheckContext) -> Iterator[Hit]:
    """Provider API keys, tokens and JWTs of a known format."""
    return secrets.provider_secrets(rule, unit, ctx.detectors)


def secrets_private_key(rule: Rule, unit: TextUnit, ctx: TextCheckContext) -> Iterator[Hit]:
    """PEM private-key blocks."""
    return secrets.private_keys(rule, unit)


def secrets_code(rule: Rule, unit: TextUnit, ctx: TextCheckContext) -> Iterator[Hit]:
    """Passwords and symmetric keys given as literals in code or string resources."""
    return secrets.code_secrets(rule, unit, ctx.detectors)


def cleartext_urls(rule: Rule, unit: TextUnit, ctx: TextCheckContext) -> Iterator[Hit]:
    """``http://`` endpoints, leaving out XML namespaces, schema and licence URIs, loopback and example hosts."""
    text = unit.text
    seen: set[str] = set()
    find = text.find
    pos = find("http://")
    while pos != -1:
        match = _URL.match(text, pos)
        pos = find("http://", pos + 7)
        if match is None:
            continue
        host = match.group(1).lower().rstrip(".")
        if "." not in host or host in _IGNORED_HOSTS or host.endswith(_IGNORED_SUFFIXES):
            continue
        if unit.kind in SOURCE_KINDS:
            line = unit.line_text(match.start())
            stripped = line.lstrip()
            if stripped.startswith(("//", "/*", "* ", "#", "<!--")) or "xmlns" in line or "DOCTYPE" in line:
                continue
        url = match.group(0)[:120]
        if url in seen:
            continue
        seen.add(url)
        yield Hit(rule, unit, match.start(), match.end(), {"url": url, "host": host}, url, {"url": url})


TEXT_CHECKS: dict[str, TextCheckFn] = {
    "secrets_provider": secrets_provider,
    "secrets_private_key": secrets_private_key,
    "secrets_code": secrets_code,
    "cleartext_urls": cleartext_urls,
}


def _pass(rule: Rule, target: Target, path: str, what: str) -> Finding:
    return rule.finding(FindingStatus.PASS, target, Location(path=path),
                        values={"detail": what, "path": path}, key="pass")


def _fail(rule: Rule, target: Target, path: str, line: int | None, detail: str, key: str) -> Finding:
    return rule.finding(FindingStatus.FAIL, target, Location(path=path, line=line),
                        values={"detail": detail, "path": path}, evidence={"detail": detail[:300]}, key=key)


def _apps(config: TargetConfig) -> list[ManifestFacts]:
    """The manifests that declare an application (a library module's manifest may declare none)."""
    return [m for m in config.manifests if m.has_application]


def _libraries(rule: Rule, config: TargetConfig, target: Target) -> list[Finding]:
    """Not-applicable findings for manifests that declare no application (library modules)."""
    return [rule.finding(FindingStatus.NOT_APPLICABLE, target, Location(path=m.path),
                         values={"detail": "no <application> (library manifest)", "path": m.path}, key="library")
            for m in config.manifests if not m.has_application]


def manifest_debuggable(rule: Rule, config: TargetConfig, target: Target) -> list[Finding]:
    """``android:debuggable="true"`` on the application."""
    return [_fail(rule, target, m.path, m.application_line, 'android:debuggable="true"', "debuggable")
            if m.debuggable else _pass(rule, target, m.path, "debuggable not set")
            for m in _apps(config)] + _libraries(rule, config, target)


def manifest_allow_backup(rule: Rule, config: TargetConfig, target: Target) -> list[Finding]:
    """``android:allowBackup`` true or left to its default (true)."""
    out: list[Finding] = []
    for m in _apps(config):
        if m.allow_backup is False:
            out.append(_pass(rule, target, m.path, 'android:allowBackup="false"'))
        else:
            detail = 'android:allowBackup="true"' if m.allow_backup else "android:allowBackup not set (default true)"
            out.append(_fail(rule, target, m.path, m.application_line, detail, "allowBackup"))
    return out + _libraries(rule, config, target)


def _is_launcher(component: Component) -> bool:
    return "android.intent.action.MAIN" in component.actions and (
        "android.intent.category.LAUNCHER" in component.categories
        or "android.intent.category.LEANBACK_LAUNCHER" in component.categories)


def manifest_exported(rule: Rule, config: TargetConfig, target: Target) -> list[Finding]:
    """Components exported (explicitly, or implicitly by an intent filter before API 31) without a permission."""
    out: list[Finding] = []
    for m in config.manifests:
        bad = []
        for c in m.components:
            implicit = c.exported is None and bool(c.actions) and (m.target_sdk is None or m.target_sdk < 31)
            if (c.exported or implicit) and not c.permission and not _is_launcher(c):
                bad.append(c)
        for c in bad:
            how = "exported" if c.exported else "exported by its intent filter"
            out.append(_fail(rule, target, m.path, c.line, f"{c.kind} {c.name} ({how}, no android:permission)",
                             f"{c.kind}:{c.name}"))
        if not bad:
            out.append(_pass(rule, target, m.path, "no exported component without a permission"))
    return out


def cleartext_config(rule: Rule, config: TargetConfig, target: Target) -> list[Finding]:
    """Cleartext allowed by the manifest or a network security config (or by default before API 28)."""
    out: list[Finding] = []
    for m in _apps(config):
        if m.uses_cleartext_traffic:
            out.append(_fail(rule, target, m.path, m.application_line, 'android:usesCleartextTraffic="true"',
                             "usesCleartextTraffic"))
        elif (m.uses_cleartext_traffic is None and m.network_security_config is None and m.target_sdk is not None
              and m.target_sdk < 28):
            out.append(_fail(rule, target, m.path, m.application_line,
                             f"targetSdkVersion {m.target_sdk} < 28 allows cleartext by default", "defaultCleartext"))
        else:
            out.append(_pass(rule, target, m.path, "cleartext not allowed by the manifest"))
    out.extend(_libraries(rule, config, target))
    for n in config.network_configs:
        bad = [f"domain-config {', '.join(d.domains)}" for d in n.domains if d.cleartext]
        if n.base_cleartext:
            bad.insert(0, "base-config")
        if bad:
            out.append(_fail(rule, target, n.path, None, f'cleartextTrafficPermitted="true" in {"; ".join(bad)}',
                             "nsc:" + "|".join(bad)))
        else:
            out.append(_pass(rule, target, n.path, "network security config does not permit cleartext"))
    return out


def ats_arbitrary_loads(rule: Rule, config: TargetConfig, target: Target) -> list[Finding]:
    """ATS switched off (``NSAllowsArbitraryLoads``, in web content) or insecure HTTP allowed for domains."""
    out: list[Finding] = []
    for a in config.ats:
        bad = []
        if a.arbitrary_loads:
            bad.append("NSAllowsArbitraryLoads = true")
        if a.arbitrary_loads_in_web_content:
            bad.append("NSAllowsArbitraryLoadsInWebContent = true")
        if a.insecure_http_domains:
            bad.append("NSExceptionAllowsInsecureHTTPLoads for " + ", ".join(a.insecure_http_domains[:10]))
        if bad:
            out.append(_fail(rule, target, a.path, None, "; ".join(bad), "|".join(bad)))
        else:
            out.append(_pass(rule, target, a.path, "ATS enforced"))
    return out


def nsc_user_cas(rule: Rule, config: TargetConfig, target: Target) -> list[Finding]:
    """A network security config that trusts user-installed CAs outside debug-overrides."""
    out: list[Finding] = []
    for n in config.network_configs:
        bad = (["base-config"] if n.base_trusts_user_cas else []) + [
            f"domain-config {', '.join(d.domains)}" for d in n.domains if d.trusts_user_cas]
        if bad:
            out.append(_fail(rule, target, n.path, None, f'<certificates src="user"/> in {"; ".join(bad)}',
                             "|".join(bad)))
        else:
            out.append(_pass(rule, target, n.path, "user CAs not trusted in release"))
    return out


def manifest_device_admin(rule: Rule, config: TargetConfig, target: Target) -> list[Finding]:
    """A receiver bound to ``BIND_DEVICE_ADMIN`` (device-administrator powers)."""
    out: list[Finding] = []
    for m in config.manifests:
        admins = [c for c in m.components if c.permission == "android.permission.BIND_DEVICE_ADMIN"
                  or "android.app.action.DEVICE_ADMIN_ENABLED" in c.actions]
        out.extend(_fail(rule, target, m.path, c.line, f"{c.kind} {c.name} requests device-admin rights",
                         f"admin:{c.name}") for c in admins)
        if not admins:
            out.append(_pass(rule, target, m.path, "no device-admin receiver"))
    return out


CONFIG_CHECKS: dict[str, ConfigCheckFn] = {
    "manifest_debuggable": manifest_debuggable,
    "manifest_allow_backup": manifest_allow_backup,
    "manifest_exported": manifest_exported,
    "manifest_device_admin": manifest_device_admin,
    "cleartext_config": cleartext_config,
    "ats_arbitrary_loads": ats_arbitrary_loads,
    "nsc_user_cas": nsc_user_cas,
}

CHECKS: dict[str, TextCheckFn | ConfigCheckFn] = {**TEXT_CHECKS, **CONFIG_CHECKS}
