"""Turns parsed configuration (manifest and network-security-config trees, Info.plist dictionaries) into facts.

Text XML is parsed here too (through defusedxml: DOCTYPE and entity declarations refused, nesting bounded),
so a manifest in a source tree and the binary manifest of an APK become the same :class:`ManifestFacts`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from csmguard.scanners.app.facts import AtsFacts, Component, DomainRule, ManifestFacts, NetworkConfigFacts, XmlNode
from csmguard.scanning.safexml import XmlRefused, parse_xml

COMPONENT_TAGS = ("activity", "activity-alias", "service", "receiver", "provider")


class ConfigError(ValueError):
    """A configuration file that cannot be read."""


def parse_text_xml(text: str) -> XmlNode:
    """A text XML document as an :class:`XmlNode` tree with local names; ConfigError when malformed or unsafe."""
    try:
        root = parse_xml(text)
    except XmlRefused as exc:
        raise ConfigError(str(exc)) from exc

    def local(name: str) -> str:
        return name.rsplit("}", 1)[-1]

    def convert(elem: ET.Element) -> XmlNode:
        return XmlNode(local(elem.tag), {local(k): v for k, v in elem.attrib.items()},
                       tuple(convert(child) for child in elem if isinstance(child.tag, str)))

    return convert(root)


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in {"true", "1", "0xffffffff", "-1"}:
        return True
    if lowered in {"false", "0"}:
        return False
    return None


def _int(value: str | None) -> int | None:
    try:
        return int(value, 0) if value is not None else None
    except ValueError:
        return None


def manifest_facts(root: XmlNode, path: str) -> ManifestFacts:
    """What an AndroidManifest.xml declares."""
    apps = root.iter("application")
    app = apps[0] if apps else XmlNode("application", {})
    uses_sdk = root.iter("uses-sdk")
    target_sdk = _int(uses_sdk[0].attrs.get("targetSdkVersion")) if uses_sdk else None
    components: list[Component] = []
    for tag in COMPONENT_TAGS:
        for node in app.iter(tag):
            actions = tuple(a.attrs.get("name", "") for f in node.iter("intent-filter") for a in f.iter("action"))
            categories = tuple(c.attrs.get("name", "") for f in node.iter("intent-filter") for c in f.iter("category"))
            components.append(Component(tag, node.attrs.get("name", "?"), _bool(node.attrs.get("exported")),
                                        node.attrs.get("permission"), actions, categories, node.line))
    permissions = tuple(p.attrs.get("name", "") for p in root.iter("uses-permission"))
    return ManifestFacts(
        path=path, package=root.attrs.get("package"), debuggable=_bool(app.attrs.get("debuggable")),
        allow_backup=_bool(app.attrs.get("allowBackup")),
        uses_cleartext_traffic=_bool(app.attrs.get("usesCleartextTraffic")),
        network_security_config=app.attrs.get("networkSecurityConfig"), target_sdk=target_sdk,
        permissions=permissions, components=tuple(components), application_line=app.line,
        has_application=bool(apps))


def _trusts_user(node: XmlNode) -> bool:
    return any(c.attrs.get("src") == "user"
               for anchors in node.iter("trust-anchors") for c in anchors.iter("certificates"))


def network_config_facts(root: XmlNode, path: str) -> NetworkConfigFacts:
    """What a network security config allows (the debug-overrides block only applies to debug builds)."""
    base = root.iter("base-config")
    domains: list[DomainRule] = []
    for node in root.iter("domain-config"):
        names = tuple(d.attrs.get("name", "") for d in node.children if d.tag == "domain")
        domains.append(DomainRule(names, _bool(node.attrs.get("cleartextTrafficPermitted")),
                                  bool(node.iter("pin")), _trusts_user(node)))
    debug = root.iter("debug-overrides")
    return NetworkConfigFacts(
        path=path, base_cleartext=_bool(base[0].attrs.get("cleartextTrafficPermitted")) if base else None,
        base_trusts_user_cas=bool(base) and _trusts_user(base[0]), domains=tuple(domains),
        debug_overrides_only_user_cas=bool(debug) and _trusts_user(debug[0]))


def ats_facts(plist: dict[str, Any], path: str) -> AtsFacts:
    """The App Transport Security settings of an Info.plist dictionary."""
    ats = plist.get("NSAppTransportSecurity")
    ats = ats if isinstance(ats, dict) else {}
    exceptions = ats.get("NSExceptionDomains")
    exceptions = exceptions if isinstance(exceptions, dict) else {}
    insecure = tuple(sorted(
        str(domain) for domain, conf in exceptions.items()
        if isinstance(conf, dict) and (conf.get("NSExceptionAllowsInsecureHTTPLoads") is True
                                       or conf.get("NSThirdPartyExceptionAllowsInsecureHTTPLoads") is True)))
    pinned = ats.get("NSPinnedDomains")
    bundle = plist.get("CFBundleIdentifier")
    return AtsFacts(path=path, bundle_id=bundle if isinstance(bundle, str) else None,
                    arbitrary_loads=ats.get("NSAllowsArbitraryLoads") is True,
                    arbitrary_loads_in_web_content=ats.get("NSAllowsArbitraryLoadsInWebContent") is True,
                    insecure_http_domains=insecure,
                    pinned_domains=tuple(sorted(pinned)) if isinstance(pinned, dict) else ())
