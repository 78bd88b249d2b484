"""The resource budget of every reader of untrusted input: the limits as named constants, and the cheap
checks that enforce them before a parser or a later recursive walk can blow up in time or memory.

A reader that finds a budget exceeded raises :class:`BudgetExceeded`; the collector turns it into a
``ScanError`` naming the file and the limit, and the scan goes on with the other files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

import orjson
import yaml

# Nesting of a structured document (JSON, YAML, HCL, XML). Real infrastructure code and MDM exports stay
# under 30 levels; the limit keeps every later recursive walk far from Python's recursion limit (1000).
MAX_NESTING_DEPTH = 128
# Nodes of a YAML document counted with every alias expanded: an alias bomb is a few KB that expands to
# hundreds of millions of nodes once a reader copies it (CloudFormation parameter substitution does).
MAX_YAML_EXPANDED_NODES = 1_000_000
# Bytes kept of one HTTP response body (pages, scripts, robots.txt, sitemaps); the rest is not read.
MAX_HTTP_BODY_BYTES = 5 * 1024 * 1024
# Uncompressed bytes an office document (DOCX, XLSX) may declare in all and per part, and the compression
# ratio of any part over 1 MB: their readers (python-docx, openpyxl) hold the parts in memory.
MAX_OFFICE_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_OFFICE_ENTRY_BYTES = 64 * 1024 * 1024
MAX_OFFICE_RATIO = 200.0
# Characters of text one policy document may hold once read (a long policy is well under 200,000): the
# element rules search the whole text, so a 50 MB single line would cost minutes.
MAX_DOCUMENT_TEXT_CHARS = 2_000_000
# Characters kept of one text field of an MDM record (name, version, serial …); longer values are cut with
# a visible "…": they are not real, and they travel into findings' evidence (at most 500 characters).
MAX_FIELD_TEXT_CHARS = 256
# Code units, encoded items and line-program entries read from one DEX file, per byte of the file. A
# well-formed file reads each of them once (well under one per byte); a hostile one could point a million
# methods at one large code item and make the reader decode it a million times.
MAX_DEX_WORK_FACTOR = 2

_JSON_CHUNK = 1 << 20
# Escapes are removed first; then everything but the bytes that decide JSON structure (brackets, quotes).
_JSON_STRUCTURE = b'[]{}"'
_JSON_DROP = bytes(b for b in range(256) if b not in _JSON_STRUCTURE)
_JSON_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_JSON_STRING = re.compile(rb'"[^"]*"')
_DEPTH_STEP = [0] * 256
for _open, _close in ((b"[", b"]"), (b"{", b"}")):
    _DEPTH_STEP[_open[0]] = 1
    _DEPTH_STEP[_close[0]] = -1


class BudgetExceeded(ValueError):
    """An input that would pass a resource limit; ``limit`` names the limit, the message says by how much."""

    def __init__(self, limit: str, message: str) -> None:
        self.limit = limit
        super().__init__(f"{message} (limit {limit})")


def too_deep(depth: int | str, limit: int = MAX_NESTING_DEPTH) -> BudgetExceeded:
    """The error for a document nested beyond ``limit`` levels."""
    return BudgetExceeded(f"MAX_NESTING_DEPTH={limit}", f"nested deeper than {limit} levels ({depth})")


class JsonDepthGauge:
    """Measures the bracket nesting of JSON fed in chunks, at C speed, ignoring brackets inside strings.

    It is exact for valid JSON; for invalid JSON it may be off, but the parser then refuses the text anyway.
    """

    def __init__(self, limit: int = MAX_NESTING_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self._in_string = False
        self._escape_pending = False

    def feed(self, chunk: bytes) -> None:
        """Account for the next chunk; BudgetExceeded as soon as the nesting passes the limit."""
        if self._escape_pending and chunk:
            chunk = chunk[1:]
            self._escape_pending = False
        if b"\\" in chunk:
            chunk = _JSON_ESCAPE.sub(b"", chunk)
            if chunk.endswith(b"\\"):
                self._escape_pending = True
                chunk = chunk[:-1]
        compact = chunk.translate(None, _JSON_DROP)
        if self._in_string:
            compact = b'"' + compact
        # Dropping two adjacent quotes keeps every other byte inside or outside a string as it was.
        compact = compact.replace(b'""', b"")
        self._in_string = False
        if b'"' in compact:
            compact = _JSON_STRING.sub(b"", compact)
            quote = compact.find(b'"')
            if quote >= 0:
                self._in_string = True
                compact = compact[:quote]
        if not compact:
            return
        opened = compact.count(b"[") + compact.count(b"{")
        if self.depth + opened > self.limit:
            deepest = max(accumulate(map(_DEPTH_STEP.__getitem__, compact), initial=self.depth))
            if deepest > self.limit:
                raise too_deep(f"at least {deepest}", self.limit)
        self.depth += 2 * opened - len(compact)


def check_json_depth(data: bytes | str, limit: int = MAX_NESTING_DEPTH) -> None:
    """Refuse JSON text nested deeper than ``limit`` before it is parsed (json.loads recurses)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    gauge = JsonDepthGauge(limit)
    for start in range(0, len(raw), _JSON_CHUNK):
        gauge.feed(raw[start:start + _JSON_CHUNK])


def check_value_depth(value: Any, limit: int = MAX_NESTING_DEPTH) -> None:
    """Refuse a parsed value (dicts and lists, as a JSON or HCL parser returns them: a tree, no shared parts)
    nested deeper than ``limit``; iterative, so the check itself cannot hit the recursion limit."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        if depth > limit:
            raise too_deep(f"at least {depth}", limit)
        children: Iterable[Any] = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children)


def check_yaml_node(node: yaml.Node, max_nodes: int = MAX_YAML_EXPANDED_NODES,
                    max_depth: int = MAX_NESTING_DEPTH) -> None:
    """Refuse a composed YAML document whose size with every alias expanded passes ``max_nodes``, or that
    is nested deeper than ``max_depth`` (aliases included), before it is constructed.

    The composer shares one node for every use of an anchor (and refuses recursive anchors), so the graph
    is acyclic: size and height are computed once per distinct node, in linear time, and a bomb is refused
    without ever being expanded.
    """
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        children = _children(current)
        if not children_done:
            stack.append((current, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        size = 1 + sum(sizes[id(child)] for child in children)
        height = 1 + max((heights[id(child)] for child in children), default=0)
        if height > max_depth:
            raise too_deep(f"at least {height}", max_depth)
        if size > max_nodes:
            raise BudgetExceeded(f"MAX_YAML_EXPANDED_NODES={max_nodes}",
                                 f"the document expands to more than {max_nodes} nodes with its aliases "
                                 "(YAML alias bomb?)")
        sizes[key] = size
        heights[key] = height


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_json(text: str | bytes, limit: int = MAX_NESTING_DEPTH) -> Any:
    """``json.loads`` after the nesting check: BudgetExceeded instead of a RecursionError, ValueError when
    the text is not JSON."""
    check_json_depth(text, limit)
    return json.loads(text)


def load_json_line(line: bytes, limit: int = MAX_NESTING_DEPTH) -> Any:
    """One JSON-lines record by orjson, after the nesting check (orjson itself accepts 1,024 levels, deep
    enough for a later ``str()`` to hit the recursion limit); counting brackets first keeps the check free
    for ordinary records."""
    if line.count(b"[") + line.count(b"{") > limit:
        check_json_depth(line, limit)
    return orjson.loads(line)


_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def construct_checked(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """The Python value of a composed document, once :func:`check_yaml_node` accepts it."""
    check_yaml_node(node)
    return loader.construct_document(node)


def safe_load_yaml(text: str) -> Any:
    """``yaml.safe_load`` of a single document within the YAML budget (aliases expanded, nesting)."""
    loader = _YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        return None if node is None else construct_checked(loader, node)
    finally:
        loader.dispose()
