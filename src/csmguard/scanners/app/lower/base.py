"""What every tree-sitter frontend shares: the parsers, node helpers, the lowering budget and the event list.

A frontend turns one parsed file into a :class:`~csmguard.scanners.app.program.ProgramFile`. The budget
keeps a huge or hostile file from costing more than a bounded amount of work: a tree nested deeper than
:data:`MAX_LOWER_DEPTH` or with more than :data:`MAX_LOWER_NODES` lowered expressions raises
:class:`~csmguard.scanning.budget.BudgetExceeded`, which the collector reports as an error for the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

import tree_sitter

from csmguard.scanners.app.program import (
    Array,
    Assign,
    Call,
    Concat,
    Const,
    Event,
    FieldRef,
    Invoke,
    This,
    Unknown,
    Value,
)
from csmguard.scanning.budget import BudgetExceeded

# Expression nesting a lowering follows (real code stays far below 100; string concatenations of generated
# code are flattened iteratively and do not count against it).
MAX_LOWER_DEPTH = 300
# Expressions lowered in one file (a 5 MB source file of dense code has about two million).
MAX_LOWER_NODES = 3_000_000

Node = tree_sitter.Node


@cache
def language(name: str) -> tree_sitter.Language:
    """The tree-sitter grammar of ``name`` (java, kotlin, swift, objc, javascript, typescript, tsx, c, dart)."""
    if name == "java":
        import tree_sitter_java as mod
        return tree_sitter.Language(mod.language())
    if name == "kotlin":
        import tree_sitter_kotlin as kt
        return tree_sitter.Language(kt.language())
    raise ValueError(f"no grammar for {name}")


def parse(lang: str, source: bytes) -> Node:
    """The root node of ``source`` (tree-sitter parses in linear time; the file-size cap bounds it)."""
    return tree_sitter.Parser(language(lang)).parse(source).root_node


def text(node: Node | None) -> str:
    """The source text of ``node`` ('' for none)."""
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def line(node: Node) -> int:
    """The 1-based line where ``node`` starts."""
    return node.start_point[0] + 1


def end_line(node: Node) -> int:
    """The 1-based line where ``node`` ends."""
    return node.end_point[0] + 1


def named(node: Node) -> Iterator[Node]:
    """The named children of ``node``, comments left out."""
    for child in node.named_children:
        if "comment" not in child.type:
            yield child


def first(node: Node, *types: str) -> Node | None:
    """The first named child of one of ``types``."""
    for child in node.named_children:
        if child.type in types:
            return child
    return None


def concat(parts: list[Value]) -> Value:
    """One value for the parts of a concatenation: adjacent constant strings joined, nested concats flattened."""
    flat: list[Value] = []
    for part in parts:
        items = part.parts if isinstance(part, Concat) else (part,)
        for item in items:
            if (flat and isinstance(item, Const) and isinstance(item.value, str)
                    and isinstance(flat[-1], Const) and isinstance(flat[-1].value, str)):
                flat[-1] = Const(flat[-1].value + item.value)
            else:
                flat.append(item)
    if len(flat) == 1:
        return flat[0]
    return Concat(tuple(flat))


class Budget:
    """Counts lowered expressions and nesting; raises :class:`BudgetExceeded` past the limits."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.nodes = 0
        self.depth = 0

    def enter(self) -> None:
        """One more expression, one level deeper."""
        self.nodes += 1
        self.depth += 1
        if self.depth > MAX_LOWER_DEPTH:
            raise BudgetExceeded("MAX_LOWER_DEPTH", f"expressions nested deeper than {MAX_LOWER_DEPTH} levels")
        if self.nodes > MAX_LOWER_NODES:
            raise BudgetExceeded("MAX_LOWER_NODES", f"more than {MAX_LOWER_NODES} expressions")

    def leave(self) -> None:
        """Back one level."""
        self.depth -= 1


def guarded(fn: Callable[[Node], Value], budget: Budget) -> Callable[[Node], Value]:
    """``fn`` counted against ``budget``."""
    def run(node: Node) -> Value:
        budget.enter()
        try:
            return fn(node)
        finally:
            budget.leave()
    return run


class Events:
    """The events of the method being lowered, in order."""

    def __init__(self) -> None:
        self.items: list[Event] = []

    def add(self, event: Event) -> None:
        """Append an event."""
        self.items.append(event)

    def calls_of(self, value: Value, at: int) -> None:
        """Emit the outermost calls inside ``value`` as :class:`Invoke` events (a condition, a throw …)."""
        stack = [value]
        while stack:
            current = stack.pop()
            if isinstance(current, Call):
                self.items.append(Invoke(current.line or at, current))
            elif isinstance(current, Concat | Unknown):
                stack.extend(reversed(current.parts))
            elif isinstance(current, Array):
                stack.extend(reversed(current.items))


Triggers = tuple[tuple[tuple[str, ...], ...], ...]
_CALLED = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
_ASSIGNED = re.compile(r"\b([A-Za-z_]\w*)\s*[-+*/%&|^]?=(?!=)")


def _holds(lowered: str, triggers: Triggers) -> bool:
    return any(all(any(word in lowered for word in group) for group in groups) for groups in triggers)


def wanted_methods(bodies: list[tuple[str, str]], triggers: Triggers | None, header: str = "") -> set[str] | None:
    """The methods of a class worth lowering: those whose text holds the first group of a check's triggers (its
    sink words), and the class's own methods connected to them by calls either way (callers pass arguments,
    callees return values). ``None`` (all) without triggers, or when the class's header (its supertypes:
    ``implements X509TrustManager``) holds a trigger. ``bodies`` are (name, text)."""
    if triggers is None or (header and _holds(header.lower(), triggers)):
        return None
    sinks = tuple(groups[:1] for groups in triggers)
    wanted = {name for name, body in bodies if _holds(body.lower(), sinks)}
    calls: dict[str, set[str]] = {}
    for name, body in bodies:
        calls.setdefault(name, set()).update(_CALLED.findall(body))
    callers: dict[str, set[str]] = {}
    for name, called in calls.items():
        for callee in called & calls.keys():
            callers.setdefault(callee, set()).add(name)
    pending = list(wanted)
    while pending:
        current = pending.pop()
        for other in (calls.get(current, set()) & calls.keys()) | callers.get(current, set()):
            if other not in wanted:
                wanted.add(other)
                pending.append(other)
    return wanted


def skipped_events(body: str, fields: set[str], own: dict[str, int], cls: str, at: int) -> tuple[Event, ...]:
    """What a method that is not lowered still tells the analysis: each field it assigns gets an unknown value
    and each of the class's own methods it calls gets unknown arguments — so that a constant seen elsewhere
    is never taken as the only value, which would make a wrong finding."""
    events: list[Event] = []
    for name in dict.fromkeys(_ASSIGNED.findall(body)):
        if name in fields:
            events.append(Assign(at, FieldRef(None, name), Unknown("not analysed")))
    for name in dict.fromkeys(_CALLED.findall(body)):
        if name in own:
            events.append(Invoke(at, Call(name, cls, This(), (Unknown("not analysed"),) * own[name], at)))
    return tuple(events)
