"""What the app scanner read from a package or a source tree: frozen facts, no behaviour beyond lookups."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _core_word(literal: str) -> str:
    """The longest run of word characters in a literal ('' when it has none)."""
    return max(_WORD.findall(literal), key=len, default="")


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


@dataclass(frozen=True, slots=True)
class CodeSite:
    """Where a line of a text made from bytecode comes from: the method (``check(String)``), its class
    (``com.app.Login$1``) and the source line of the debug info, when there is one."""

    method: str
    cls: str
    line: int | None

    @property
    def symbol(self) -> str:
        """``com.app.Login$1.check(String)``."""
        return f"{self.cls}.{self.method}"


class SiteMap:
    """The code site of each line of a text made from bytecode, by character offset (None for lines that
    belong to no method, such as strings no code uses)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._sites: list[tuple[str, str] | None] = []
        self._lines: list[int | None] = []

    def add(self, offset: int, method: tuple[str, str] | None, line: int | None = None) -> None:
        """The line starting at ``offset`` (offsets added in increasing order) comes from ``method`` (its label
        and top-level class, one tuple shared by all its lines; None for no method) at source line ``line``."""
        self._starts.append(offset)
        self._sites.append(method)
        self._lines.append(line)

    def at(self, offset: int) -> CodeSite | None:
        """The site of the line holding ``offset``."""
        k = bisect_right(self._starts, offset) - 1
        method = self._sites[k] if k >= 0 else None
        return CodeSite(method[0], method[1], self._lines[k]) if method is not None else None


@dataclass(frozen=True)
class TextUnit:
    """One text to run patterns on: a source file, an archive entry, the strings of a DEX or an executable.

    Besides line lookups it answers "which lines hold this literal (in any case)?", searching each literal
    once per text however many rules ask, so that regexes only ever run on a few candidate lines.
    """

    path: str
    kind: str
    text: str
    sites: SiteMap | None = field(default=None, compare=False, repr=False)  # for text made from bytecode
    _newlines: list[int] = field(default_factory=list, compare=False, repr=False)
    _lines_by_literal: dict[str, list[tuple[int, int]]] = field(default_factory=dict, compare=False, repr=False)
    _lowered: list[str] = field(default_factory=list, compare=False, repr=False)

    def _prepare(self) -> None:
        if self._lowered:
            return
        source = self.kind in SOURCE_KINDS
        lowered = self.text.lower() if source else self.text
        # A few non-ASCII characters change length when lower-cased; then search the text as it is.
        self._lowered.append(lowered if len(lowered) == len(self.text) else self.text)
        # The distinct words of source text: a literal whose longest word is not inside one of them is absent,
        # which is far cheaper to learn from this short string than from the whole text. (DEX and executable
        # strings have too many distinct words for this to pay.)
        self._lowered.append("\n".join(set(_WORD.findall(self._lowered[0]))) if source else "")

    def _literal_lines(self, literal: str, fold_case: bool) -> list[tuple[int, int]]:
        key = literal if fold_case else "\x00" + literal
        cached = self._lines_by_literal.get(key)
        if cached is not None:
            return cached
        self._prepare()
        vocabulary = self._lowered[1]
        core = _core_word(literal).lower() if vocabulary else ""
        if core and core not in vocabulary:
            self._lines_by_literal[key] = []
            return []
        haystack = self._lowered[0] if fold_case else self.text
        find, rfind, size = haystack.find, haystack.rfind, len(haystack)
        lines: list[tuple[int, int]] = []
        pos = find(literal)
        while pos != -1:
            end = find("\n", pos)
            if end == -1:
                end = size
            lines.append((rfind("\n", 0, pos) + 1, end))
            pos = find(literal, end)
        self._lines_by_literal[key] = lines
        return lines

    def regions(self, literals: tuple[str, ...], span: int = 0, *, fold_case: bool = True) -> list[tuple[int, int]]:
        """The (start, end) offsets of the lines holding one of ``literals``, each extended by ``span`` further
        lines, merged and in order. With ``fold_case`` (source text only) the literals must be lower-case and
        match in any case; otherwise, and always in DEX and executable strings, they match exactly."""
        found = [line for literal in literals for line in self._literal_lines(literal, fold_case)]
        if not found:
            return []
        found.sort()
        text = self.text
        merged: list[tuple[int, int]] = []
        for start, end in found:
            for _ in range(span):
                nxt = text.find("\n", end + 1)
                if nxt == -1:
                    end = len(text)
                    break
                end = nxt
            if merged and start <= merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return merged

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
    has_application: bool = True


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
