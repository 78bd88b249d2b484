"""The program model (IR) shared by every frontend of the app scanner: source parsers and the DEX reader.

A frontend lowers one file (a Java/Kotlin/Swift/… source file, or a DEX file) into a :class:`ProgramFile`:
classes, their fields and methods, and for each method a flat list of *events* in evaluation order. Checks
and the data-flow analysis (:mod:`csmguard.scanners.app.flow`) read only this model, so a rule written once
applies to source and to bytecode alike.

The contract (also in docs/app-scanner.md, "Program model"):

- Names. A class is named by its qualified Java-style name (``com.example.LoginActivity``; a nested or
  anonymous class ``com.example.LoginActivity$1``, as in DEX). Where a frontend cannot qualify a type (no
  import, no package), it keeps the simple name; consumers compare with :func:`simple_name`. Functions
  declared outside a class (Kotlin top level, Swift, Dart, JavaScript, C) belong to a synthetic class of
  kind ``"file"`` named after the file.
- A call names its method (``name``; ``"<init>"`` for a constructor, as in DEX) and, when the frontend knows
  it, the class that declares it (``owner``: the qualified name, or the simple name as written). ``owner``
  is ``None`` when unknown (e.g. a receiver of unknown type). The receiver is a value like any argument.
- Values are abstract: constants, arrays of values, concatenations, sources (where untrusted or sensitive
  data enters), references to locals, parameters and fields, nested calls, and :class:`Unknown`.
  Frontends do not propagate constants: ``Local``/``FieldRef`` values are resolved by the analysis, so
  locals and fields read before they are assigned are handled in one place.
- Every call appears exactly once: either as an :class:`Invoke` event or nested as a :class:`Call` value
  inside another event (an assignment's value, a return value, another call's argument or receiver).
- Events are in source (or instruction) order; the analysis is flow-insensitive within a method (a local
  may hold any value assigned to it anywhere in the method). Control flow is not modelled.
- ``line`` is 1-based; 0 means unknown (bytecode without debug info).

Everything here is an immutable NamedTuple or a frozen dataclass, cheap to build and to pickle (parallel
workers send models between processes).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

# ---------------------------------------------------------------------------------------------- values

# Where untrusted or sensitive data enters a method. Frontends may emit a Source directly (e.g. Android's
# Intent extras are also classified by the analysis from the call); these are the kinds the rules know.
SOURCE_KINDS = (
    "ui-input",        # text a user typed: EditText.getText, UITextField.text, TextEditingController.text
    "intent-extra",    # data from another app: Intent.get*Extra, getIntent().getData(), Bundle.get*
    "deep-link",       # a URL the app was opened with: Intent.getData, Uri query parameters, openURL
    "preferences",     # a value read back from SharedPreferences / UserDefaults / AsyncStorage
    "decrypted",       # plaintext produced by Cipher.doFinal / decrypt
    "file",            # content read from a file or external storage
    "network",         # a response body
    "parameter",       # a parameter of a public entry point whose origin is unknown
    "sensitive-name",  # a local, field or parameter whose name says it holds a secret (password, pin, token)
)


class Const(NamedTuple):
    """A constant: a string, a number, a boolean, ``None`` (null/nil) or bytes."""

    value: str | int | float | bool | bytes | None


class Array(NamedTuple):
    """An array or list literal (``byte[] iv = {0, 0, …}``, ``new byte[16]`` gives ``length`` only)."""

    items: tuple[Value, ...] = ()
    length: int | None = None  # known length when the items are not listed (``new byte[16]``: zeros)


class Concat(NamedTuple):
    """A string concatenation or interpolation, parts in order."""

    parts: tuple[Value, ...]


class Source(NamedTuple):
    """Data entering the method from outside: ``kind`` from :data:`SOURCE_KINDS`, ``origin`` says where."""

    kind: str
    origin: str


class Local(NamedTuple):
    """A local variable (a DEX register ``v3``) read at this point."""

    name: str


class Param(NamedTuple):
    """The method's parameter at ``position`` (0-based, ``this`` not counted), named ``name`` when known."""

    position: int
    name: str = ""


class FieldRef(NamedTuple):
    """A field read: ``owner`` the class (qualified or simple; ``None`` = this class), ``name`` the field."""

    owner: str | None
    name: str


class Call(NamedTuple):
    """A call (or constructor ``<init>``) whose result is used as a value, or the payload of :class:`Invoke`."""

    name: str
    owner: str | None
    receiver: Value | None
    args: tuple[Value, ...]
    line: int


class This(NamedTuple):
    """The current object (``this``/``self``)."""


class Unknown(NamedTuple):
    """A value the frontend cannot describe (arithmetic, comparisons, conditionals …); ``hint`` for debugging.

    ``parts`` are the operands it was computed from, so that calls inside still appear once and the analysis
    may decide whether data flows through (a conditional's branches do; a comparison's operands do not).
    """

    hint: str = ""
    parts: tuple[Value, ...] = ()


Value = Const | Array | Concat | Source | Local | Param | FieldRef | Call | This | Unknown

# ---------------------------------------------------------------------------------------------- events


class Assign(NamedTuple):
    """``target = value``: a local, or a field (``FieldRef``; owner ``None`` = this class)."""

    line: int
    target: Local | FieldRef
    value: Value
    declared_type: str | None = None  # the declared type of a local, when written (``Cipher c = …``)


class Invoke(NamedTuple):
    """A call whose result is not used (an expression statement)."""

    line: int
    call: Call


class Return(NamedTuple):
    """``return value`` (``value`` ``None`` for a bare return)."""

    line: int
    value: Value | None


Event = Assign | Invoke | Return

# ---------------------------------------------------------------------------------------------- structure


@dataclass(frozen=True, slots=True)
class FieldDecl:
    """A field (property, top-level variable): its declared type and initial value when given."""

    name: str
    type: str | None
    value: Value | None
    line: int
    modifiers: frozenset[str] = frozenset()  # "static", "final", "private", "const" …


@dataclass(frozen=True, slots=True)
class MethodModel:
    """A method (function, constructor ``<init>``, static initialiser ``<clinit>``) and its events."""

    name: str
    params: tuple[tuple[str, str | None], ...]  # (name, declared type) in order
    return_type: str | None
    line: int
    end_line: int
    events: tuple[Event, ...]
    modifiers: frozenset[str] = frozenset()  # "private", "public", "static", "override" …
    annotations: tuple[str, ...] = ()  # simple names, e.g. "JavascriptInterface"

    @property
    def is_private(self) -> bool:
        """Whether only its own class can call it (the analysis summarises such methods for callers)."""
        return "private" in self.modifiers


@dataclass(frozen=True, slots=True)
class ClassModel:
    """A class, interface, object, enum, anonymous class or a file's top-level declarations (kind "file")."""

    name: str
    kind: str  # "class", "interface", "object", "enum", "anonymous", "file"
    line: int
    end_line: int
    supertypes: tuple[str, ...] = ()  # as written or qualified (superclass first when known)
    fields: tuple[FieldDecl, ...] = ()
    methods: tuple[MethodModel, ...] = ()

    @property
    def simple(self) -> str:
        """The class name without package and outer classes."""
        return simple_name(self.name)

    def field(self, name: str) -> FieldDecl | None:
        """The field called ``name``, if declared here."""
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass(frozen=True, slots=True)
class ProgramFile:
    """One lowered file: its path (as in findings), language, package, imports and classes."""

    path: str
    language: str  # "java", "kotlin", "swift", "objc", "dart", "js", "c", "dex"
    package: str = ""
    imports: dict[str, str] = field(default_factory=dict)  # simple name → qualified name
    classes: tuple[ClassModel, ...] = ()


# ---------------------------------------------------------------------------------------------- helpers


def simple_name(name: str | None) -> str:
    """``com.example.Foo$Bar`` → ``Bar``; ``Foo`` → ``Foo``; ``None`` → ``""``."""
    if not name:
        return ""
    return name.rsplit(".", 1)[-1].rsplit("$", 1)[-1]


def sub_values(value: Value) -> Iterator[Value]:
    """The values directly inside ``value`` (parts, items, a call's receiver and arguments)."""
    if isinstance(value, Concat | Unknown):
        yield from value.parts
    elif isinstance(value, Array):
        yield from value.items
    elif isinstance(value, Call):
        if value.receiver is not None:
            yield value.receiver
        yield from value.args


def calls_in(value: Value | None) -> Iterator[Call]:
    """Every call inside ``value`` (itself included), innermost first."""
    if value is None:
        return
    stack: list[tuple[Value, bool]] = [(value, False)]
    while stack:
        current, expanded = stack.pop()
        if expanded:
            if isinstance(current, Call):
                yield current
            continue
        stack.append((current, True))
        stack.extend((v, False) for v in reversed(tuple(sub_values(current))))


def method_calls(method: MethodModel) -> Iterator[Call]:
    """Every call of a method, nested ones included, each exactly once (see the module contract)."""
    for event in method.events:
        if isinstance(event, Invoke):
            yield from calls_in(event.call)
        else:
            yield from calls_in(event.value)
