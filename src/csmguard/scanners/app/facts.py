"""What the app scanner read from a package or a source tree: frozen facts, no behaviour beyond lookups."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

# The kinds of text a rule pattern can apply to.
SOURCE_KINDS = frozenset({"java", "kotlin", "xml", "swift", "objc", "dart", "js", "config"})
DEX_KIND = "dex"
BINARY_KIND = "binary"


@dataclass(frozen=True, slots=True)
class XmlNode:
    """An XML element reduced to its local tag name, attributes by local name, and children."""

    tag: str
    attrs: dict[str, str]
    children: tuple[XmlNode, ...] = ()
    line: int | None = None

    def iter(self, tag: str | None = None) -> list[XmlNode]:
        """This element and all its descendants (with ``tag`` only, when given), in document order."""
        out: list[XmlNode] = []
        stack = [self]
        while stack:
            node = stack.pop()
            if tag is None or node.tag == tag:
                out.append(node)
            stack.extend(reversed(node.children))
        return out


@dataclass(frozen=True)
class TextUnit:
    """One text to run patterns on: a source file, an archive entry, the strings of a DEX or an executable."""

    path: str
    kind: str
    text: str
    _newlines: list[int] = field(default_factory=list, compare=False, repr=False)

    def line_of(self, offset: int) -> int:
        """The 1-based line of a character offset (the newline index is built on first use)."""
        if not self._newlines:
            positions = [-1]
            find = self.text.find
            index = find("\n")
            while index != -1:
                positions.append(index)
                index = find("\n", index + 1)
            self._newlines.extend(positions)
        return bisect_right(self._newlines, offset - 1)

    def line_text(self, offset: int) -> str:
        """The line that holds ``offset``, without its newline."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return self.text[start:] if end == -1 else self.text[start:end]


@dataclass(frozen=True)
class Component:
    """An activity, activity-alias, service, receiver or provider declared in a manifest."""

    kind: str
    name: str
    exported: bool | None
    permission: str | None
    actions: tuple[str, ...]
    categories: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True)
class ManifestFacts:
    """What an AndroidManifest.xml (binary or text) declares."""

    path: str
    package: str | None
    debuggable: bool | None
    allow_backup: bool | None
    uses_cleartext_traffic: bool | None
    network_security_config: str | None
    target_sdk: int | None
    permissions: tuple[str, ...]
    components: tuple[Component, ...]
    application_line: int | None = None


@dataclass(frozen=True)
class DomainRule:
    """A ``domain-config`` of a network security config: its domains and whether it allows cleartext."""

    domains: tuple[str, ...]
    cleartext: bool | None
    has_pins: bool
    trusts_user_cas: bool


@dataclass(frozen=True)
class NetworkConfigFacts:
    """What a res/xml network security config says about cleartext, pinning and trusted CAs."""

    path: str
    base_cleartext: bool | None
    base_trusts_user_cas: bool
    domains: tuple[DomainRule, ...]
    debug_overrides_only_user_cas: bool = False

    @property
    def has_pins(self) -> bool:
        """Whether any domain pins certificates."""
        return any(d.has_pins for d in self.domains)


@dataclass(frozen=True)
class AtsFacts:
    """The App Transport Security settings of an Info.plist."""

    path: str
    bundle_id: str | None
    arbitrary_loads: bool
    arbitrary_loads_in_web_content: bool
    insecure_http_domains: tuple[str, ...]
    pinned_domains: tuple[str, ...]


@dataclass(frozen=True)
class DexFacts:
    """The string pool and references of one DEX file, read without decompiling."""

    path: str
    strings: tuple[str, ...]
    types: tuple[str, ...]
    methods: tuple[str, ...]
    fields: tuple[str, ...]

    def as_text(self) -> str:
        """One line per string, type, method (``Lcls;->name``) and field, for the pattern rules."""
        return "\n".join((*self.strings, *self.types, *self.methods, *self.fields))


@dataclass(frozen=True)
class TargetConfig:
    """The configuration files of one target: manifests, network security configs and Info.plist ATS settings."""

    manifests: tuple[ManifestFacts, ...] = ()
    network_configs: tuple[NetworkConfigFacts, ...] = ()
    ats: tuple[AtsFacts, ...] = ()
