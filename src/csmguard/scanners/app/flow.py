"""Data flow on the program model: what a value may be (constants, sources) and how it got there.

:class:`Resolver` answers, for a value used at some point of a method, the *leaves* it may come from:
constants, arrays, sources of untrusted or sensitive data, calls it cannot see into, parameters of entry
points, fields of other classes. It follows

- locals: every assignment of the local in the method (flow-insensitive), and ``append``/``insert`` calls
  on it (string builders);
- fields of the class: the initialiser and every assignment in any method of the class; static constants of
  other classes in the same target (``Constants.KEY``) through :class:`ConstantTable`;
- calls of the class's own methods: their return values with the call's arguments bound to the parameters
  (a summary computed per call, depth-limited);
- parameters of private methods: the arguments of every call of that method in the class;
- calls that pass data through (``toString``, ``getBytes``, ``trim``, ``String.format``, ``new String``,
  ``Base64.decode`` …): their receiver and arguments.

Each leaf carries the steps that led to it (line and a short label), which become SARIF ``codeFlows``.
Sources are classified here, once, for every frontend: ``EditText.getText`` (ui-input), ``get*Extra``
(intent-extra), ``getData``/``getQueryParameter`` (deep-link), ``SharedPreferences.getString``
(preferences), ``Cipher.doFinal`` (decrypted) …, and names that say a value is a secret (sensitive-name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from csmguard.scanners.app.program import (
    Array,
    Assign,
    Call,
    ClassModel,
    Concat,
    Const,
    FieldRef,
    Invoke,
    Local,
    MethodModel,
    Param,
    ProgramFile,
    Return,
    Source,
    This,
    Unknown,
    Value,
    method_calls,
    simple_name,
    sub_values,
)

MAX_DEPTH = 24  # resolution steps along one path
MAX_CALL_DEPTH = 3  # nested summaries of the class's own methods
MAX_LEAVES = 64  # leaves returned for one value
MAX_STRINGS = 16  # alternative strings of one value

# A name that says the value is a secret or personal data the guideline protects (password, PIN, token, ID).
SENSITIVE_NAME = re.compile(
    r"(?<![a-z])(?i:pass(?:word|wd|code|phrase)?|pwd|pin(?:code)?|otp|cvv|secret|token|credential|"
    r"private_?key|session_?id|id_?(?:no|number)|national_?id|card_?(?:no|number)|account_?(?:no|number))"
    r"(?![a-z])"
    r"|(?:Password|Passwd|Passcode|Pin|Pwd|Otp|Cvv|Secret|Token|Credential|PrivateKey|SessionId|IdNo|"
    r"CardNo|CardNumber|AccountNo|AccountNumber)(?![a-z])")
# Names that merely mention a secret without holding one.
_NOT_SENSITIVE = re.compile(r"(?i)(?:hint|label|title|prompt|error|msg|message|key_?name|field|length|len|"
                            r"count|visible|enabled|view|edit_?text|layout|input|button|btn|regex|pattern|"
                            r"policy|type|mode|id$|res|url|uri|endpoint|path)$")

# Calls whose result carries their receiver's and arguments' data.
_PASS_THROUGH = frozenset({
    "toString", "getBytes", "toCharArray", "trim", "strip", "toLowerCase", "toUpperCase", "substring", "concat",
    "valueOf", "format", "append", "insert", "replace", "replaceAll", "join", "copyOf", "copyOfRange", "decode",
    "encode", "encodeToString", "parse", "fromUtf8", "fromBase64", "fromBase16", "utf8", "toByteArray",
    "encodeToByteArray", "decodeToString", "toRegex", "plus", "build", "buildUpon", "appendPath",
    "appendQueryParameter", "getString", "orEmpty", "let", "also", "apply", "run", "toInt", "toLong",
    "hexStringToByteArray", "hexToBytes", "fromHex", "decodeHex", "stringWithFormat:", "dataUsingEncoding:",
    "initWithString:", "stringByAppendingString:", "data", "description", "String", "Data", "utf8String",
})
# Pass-through calls whose every argument joins the result.
_JOINING = frozenset({"concat", "append", "insert", "replace", "replaceAll", "plus", "join", "format",
                      "appendPath", "appendQueryParameter", "stringWithFormat:", "stringByAppendingString:"})
# Constructors that pass their arguments' data through.
_PASS_THROUGH_NEW = frozenset({"String", "StringBuilder", "StringBuffer", "URL", "File", "Uri", "JSONObject"})

# Calls that fill an array argument at run time.
_FILLERS = frozenset({"nextBytes", "read", "readFully", "get", "arraycopy", "generateSeed", "doFinal", "update",
                      "SecRandomCopyBytes", "getRandomValues", "randomBytes", "fillRandom"})
# Calls that check or validate a value (their presence before a sink is taken as a guard).
GUARD = re.compile(r"(?i)^(?:is|check|validate|verify|sanitize|sanitise|allow|whitelist|allowlist|trusted|"
                   r"safe)|^(?:startsWith|endsWith|equals|equalsIgnoreCase|matches|contains|hasPrefix|"
                   r"hasSuffix)$")

# Calls that bring data in from outside, by simple method name (and the owner's simple name when it matters).
_SOURCE_CALLS: dict[str, tuple[str, frozenset[str] | None]] = {
    "getText": ("ui-input", None),
    "getStringExtra": ("intent-extra", None), "getIntExtra": ("intent-extra", None),
    "getBundleExtra": ("intent-extra", None), "getCharSequenceExtra": ("intent-extra", None),
    "getParcelableExtra": ("intent-extra", None), "getSerializableExtra": ("intent-extra", None),
    "getParcelableArrayListExtra": ("intent-extra", None), "getStringArrayExtra": ("intent-extra", None),
    "getExtras": ("intent-extra", None),
    "getData": ("deep-link", frozenset({"Intent", ""})), "getDataString": ("deep-link", None),
    "getQueryParameter": ("deep-link", None), "getPathSegments": ("deep-link", None),
    "getLastPathSegment": ("deep-link", None), "getEncodedQuery": ("deep-link", None),
    "doFinal": ("decrypted", frozenset({"Cipher", ""})),
    "decrypt": ("decrypted", None), "decryptString": ("decrypted", None), "decryptData": ("decrypted", None),
    "readLine": ("file", None), "readText": ("file", None), "readAllBytes": ("file", None),
}
# Reads of a value by key (JSON, bundles, maps): a secret-like key makes the value sensitive.
_KEYED_READS = frozenset({"getString", "optString", "getAsString", "get", "opt", "getJSONObject"})
# Receivers' simple types that make getString/getInt a preference read.
_PREF_OWNERS = frozenset({"SharedPreferences", "UserDefaults", "NSUserDefaults", "AsyncStorage", ""})


class Step(NamedTuple):
    """One step of a flow: where (line) and what (``password = et.getText()``)."""

    line: int
    label: str


class Leaf(NamedTuple):
    """A value a use may come from, with the steps that led there (first step nearest the use)."""

    value: Value
    steps: tuple[Step, ...]
    method: str  # the method the leaf was found in


@dataclass
class ConstantTable:
    """Static constant fields of every class of a target, by (simple class name, field name)."""

    values: dict[tuple[str, str], Value] = field(default_factory=dict)

    def add(self, program: ProgramFile) -> None:
        """Record the constant initialisers of ``program``'s fields."""
        for cls in program.classes:
            for f in cls.fields:
                if isinstance(f.value, Const | Array | Concat):
                    self.values.setdefault((cls.simple, f.name), f.value)
                    if cls.kind in ("object", "file"):  # Kotlin objects, top-level constants
                        self.values.setdefault(("", f.name), f.value)


@dataclass
class _Ctx:
    cls: ClassModel
    method: MethodModel
    bindings: tuple[tuple[Value, ...], _Ctx] | None  # arguments of the call being summarised, caller ctx
    call_depth: int = 0


def _short(value: Value) -> str:
    """A short label for a value in a flow step."""
    if isinstance(value, Const):
        return repr(value.value)[:40]
    if isinstance(value, Local):
        return value.name
    if isinstance(value, Param):
        return value.name or f"param {value.position}"
    if isinstance(value, FieldRef):
        return value.name
    if isinstance(value, Call):
        receiver = value.receiver
        if isinstance(receiver, Local | FieldRef | Param) and receiver.name:
            return f"{receiver.name}.{value.name}(…)"
        owner = simple_name(value.owner)
        return f"{owner + '.' if owner else ''}{value.name}(…)"
    if isinstance(value, Source):
        return value.origin
    return type(value).__name__


def is_sensitive_name(name: str) -> bool:
    """Whether a local, field, parameter or key name says the value is a secret."""
    return bool(SENSITIVE_NAME.search(name)) and not _NOT_SENSITIVE.search(name)


class Resolver:
    """The data flow of one class model (see the module docstring)."""

    def __init__(self, program: ProgramFile, constants: ConstantTable | None = None) -> None:
        self.program = program
        self.constants = constants or ConstantTable()
        self.classes = {c.name: c for c in program.classes}
        self._field_assigns: dict[str, dict[str, list[tuple[Value, MethodModel, int]]]] = {}
        self._local_assigns: dict[int, dict[str, list[tuple[Value, int]]]] = {}
        self._call_sites: dict[str, dict[str, list[tuple[Call, MethodModel]]]] = {}
        self._calls: list[tuple[ClassModel, MethodModel, Call]] | None = None

    def calls(self) -> list[tuple[ClassModel, MethodModel, Call]]:
        """Every call of every method of the program with its class and method (computed once)."""
        if self._calls is None:
            self._calls = list(all_calls(self.program))
        return self._calls

    # ------------------------------------------------------------------------------------------ indexes

    def _fields(self, cls: ClassModel) -> dict[str, list[tuple[Value, MethodModel, int]]]:
        cached = self._field_assigns.get(cls.name)
        if cached is None:
            cached = {}
            for m in cls.methods:
                for e in m.events:
                    if isinstance(e, Assign) and isinstance(e.target, FieldRef) and e.target.owner is None:
                        cached.setdefault(e.target.name, []).append((e.value, m, e.line))
                for call in method_calls(m):  # random.nextBytes(this.iv): the field is filled at run time
                    if call.name in _FILLERS:
                        for arg in call.args:
                            if isinstance(arg, FieldRef) and arg.owner is None:
                                cached.setdefault(arg.name, []).append((Unknown(f"filled by {call.name}"), m,
                                                                        call.line))
            self._field_assigns[cls.name] = cached
        return cached

    def _locals(self, method: MethodModel) -> dict[str, list[tuple[Value, int]]]:
        cached = self._local_assigns.get(id(method))
        if cached is None:
            cached = {}
            for e in method.events:
                if isinstance(e, Assign) and isinstance(e.target, Local):
                    cached.setdefault(e.target.name, []).append((e.value, e.line))
            arrays = {name for name, defs in cached.items() if any(isinstance(v, Array) for v, _ in defs)}
            for call in method_calls(method):
                if call.name in ("append", "insert", "add", "put") and isinstance(call.receiver, Local) and call.args:
                    # sb.append(x): x flows into sb
                    cached.setdefault(call.receiver.name, []).append((call.args[-1], call.line))
                if call.name in _FILLERS:  # random.nextBytes(iv), in.read(buf): the array is filled at run time
                    for arg in call.args:
                        if isinstance(arg, Local) and arg.name in arrays:
                            cached[arg.name].append((Unknown(f"filled by {call.name}"), call.line))
            self._local_assigns[id(method)] = cached
        return cached

    def call_sites(self, cls: ClassModel, name: str) -> list[tuple[Call, MethodModel]]:
        """The calls of the class's own method ``name`` from its methods."""
        cached = self._call_sites.get(cls.name)
        if cached is None:
            cached = {}
            own = {m.name for m in cls.methods}
            for m in cls.methods:
                for call in method_calls(m):
                    if call.name in own and isinstance(call.receiver, This | None) \
                            and (call.owner is None or simple_name(call.owner) == cls.simple):
                        cached.setdefault(call.name, []).append((call, m))
            self._call_sites[cls.name] = cached
        return cached.get(name, [])

    def own_method(self, cls: ClassModel, call: Call) -> MethodModel | None:
        """The method of ``cls`` that ``call`` invokes, when it is one of the class's own."""
        if not isinstance(call.receiver, This | None) or call.name == "<init>":
            return None
        if call.owner is not None and simple_name(call.owner) != cls.simple:
            return None
        for m in cls.methods:
            if m.name == call.name and len(m.params) == len(call.args):
                return m
        return None

    # ------------------------------------------------------------------------------------------ leaves

    def leaves(self, value: Value, cls: ClassModel, method: MethodModel) -> list[Leaf]:
        """The leaves ``value`` may come from when used in ``method`` of ``cls``."""
        out: list[Leaf] = []
        self._walk(value, _Ctx(cls, method, None), (), out, set(), 0)
        return out

    def _walk(self, value: Value, ctx: _Ctx, steps: tuple[Step, ...], out: list[Leaf],
              seen: set[tuple[int, str, int]], depth: int) -> None:
        if len(out) >= MAX_LEAVES or depth > MAX_DEPTH:
            return
        key = (id(ctx.method), repr(value)[:200], id(ctx.bindings))
        if key in seen:
            return
        seen.add(key)
        nxt = depth + 1
        if isinstance(value, Const | Array | Source | This):
            out.append(Leaf(value, steps, ctx.method.name))
        elif isinstance(value, Concat):
            for part in value.parts:
                self._walk(part, ctx, steps, out, seen, nxt)
        elif isinstance(value, Unknown):
            if value.hint in ("?:", "element", "[]", "+=") or value.hint.startswith("field "):
                for part in value.parts:
                    self._walk(part, ctx, steps, out, seen, nxt)
            else:
                out.append(Leaf(value, steps, ctx.method.name))
        elif isinstance(value, Local):
            if is_sensitive_name(value.name):
                out.append(Leaf(Source("sensitive-name", value.name), steps, ctx.method.name))
            defs = self._locals(ctx.method).get(value.name, [])
            if not defs:
                out.append(Leaf(Unknown(f"local {value.name}"), steps, ctx.method.name))
            for v, at in defs:
                self._walk(v, ctx, (*steps, Step(at, f"{value.name} = {_short(v)}")), out, seen, nxt)
        elif isinstance(value, Param):
            self._param(value, ctx, steps, out, seen, nxt)
        elif isinstance(value, FieldRef):
            self._field(value, ctx, steps, out, seen, nxt)
        elif isinstance(value, Call):
            self._call(value, ctx, steps, out, seen, nxt)

    def _param(self, value: Param, ctx: _Ctx, steps: tuple[Step, ...], out: list[Leaf],
               seen: set[tuple[int, str, int]], depth: int) -> None:
        if value.name and is_sensitive_name(value.name):
            out.append(Leaf(Source("sensitive-name", value.name), steps, ctx.method.name))
        if ctx.bindings is not None:
            args, caller = ctx.bindings
            if value.position < len(args):
                self._walk(args[value.position], caller, steps, out, seen, depth)
            return
        if ctx.method.is_private:
            sites = [s for s in self.call_sites(ctx.cls, ctx.method.name) if len(s[0].args) > value.position]
            for call, m in sites:
                arg = call.args[value.position]
                self._walk(arg, _Ctx(ctx.cls, m, None), (*steps, Step(call.line, f"{m.name}() passes "
                                                                                  f"{_short(arg)}")), out, seen, depth)
            if sites:
                return
        out.append(Leaf(value, steps, ctx.method.name))

    def _field(self, value: FieldRef, ctx: _Ctx, steps: tuple[Step, ...], out: list[Leaf],
               seen: set[tuple[int, str, int]], depth: int) -> None:
        cls = ctx.cls
        owner = value.owner
        if owner is not None and owner != "" and simple_name(owner) != cls.simple:
            other = self.classes.get(owner) or next((c for c in self.program.classes
                                                     if c.simple == simple_name(owner)), None)
            if other is None:
                const = self.constants.values.get((simple_name(owner), value.name))
                if const is not None:
                    self._walk(const, ctx, (*steps, Step(0, f"{simple_name(owner)}.{value.name}")), out, seen,
                               depth)
                else:
                    out.append(Leaf(value, steps, ctx.method.name))
                return
            cls = other
        if is_sensitive_name(value.name):
            out.append(Leaf(Source("sensitive-name", value.name), steps, ctx.method.name))
        decl = cls.field(value.name)
        found = False
        if decl is not None and decl.value is not None:
            found = True
            self._walk(decl.value, ctx, (*steps, Step(decl.line, f"{value.name} = {_short(decl.value)}")), out,
                       seen, depth)
        for v, m, at in self._fields(cls).get(value.name, []):
            found = True
            self._walk(v, _Ctx(cls, m, None), (*steps, Step(at, f"{value.name} = {_short(v)}")), out, seen, depth)
        if not found:
            const = self.constants.values.get(("", value.name)) if owner is None else None
            if const is not None:
                self._walk(const, ctx, (*steps, Step(0, value.name)), out, seen, depth)
            else:
                out.append(Leaf(value, steps, ctx.method.name))

    def _call(self, value: Call, ctx: _Ctx, steps: tuple[Step, ...], out: list[Leaf],
              seen: set[tuple[int, str, int]], depth: int) -> None:
        source = classify_source(value)
        if source is not None:
            out.append(Leaf(Source(source, _short(value)), (*steps, Step(value.line, _short(value))),
                            ctx.method.name))
            return
        if value.name in _KEYED_READS and value.args:
            key = next((s for s in self._strings(value.args[0], ctx, depth) if is_sensitive_name(s)), None)
            if key is not None:  # json.getString("auth_token"), bundle.getString("password")
                out.append(Leaf(Source("sensitive-name", f'{value.name}("{key[:40]}")'),
                                (*steps, Step(value.line, f'{value.name}("{key[:40]}")')), ctx.method.name))
        callee = self.own_method(ctx.cls, value)
        if callee is not None and ctx.call_depth < MAX_CALL_DEPTH:
            inner = _Ctx(ctx.cls, callee, (value.args, ctx), ctx.call_depth + 1)
            for e in callee.events:
                if isinstance(e, Return) and e.value is not None:
                    self._walk(e.value, inner, (*steps, Step(e.line, f"{callee.name}() returns {_short(e.value)}")),
                               out, seen, depth)
            return
        if value.name in _PASS_THROUGH or (value.name == "<init>" and simple_name(value.owner) in _PASS_THROUGH_NEW):
            # the data of the receiver (s.getBytes(UTF_8)), or of the first argument of a static or constructor
            # (Base64.decode(s, flags), new String(bytes, charset)); every argument of a joining call
            receiver = value.receiver if value.receiver is not None and not isinstance(value.receiver, This) \
                else None
            if receiver is not None:
                self._walk(receiver, ctx, steps, out, seen, depth)
            if value.name in _JOINING or (value.name == "<init>" and simple_name(value.owner) in ("File", "URL")):
                args = value.args
            else:
                args = value.args[:1] if receiver is None else ()
            for arg in args:
                self._walk(arg, ctx, steps, out, seen, depth)
            return
        out.append(Leaf(value, steps, ctx.method.name))

    # ------------------------------------------------------------------------------------------ questions

    def sources(self, value: Value, cls: ClassModel, method: MethodModel) -> list[Leaf]:
        """The leaves of ``value`` that are sources (untrusted input or sensitive data)."""
        return [leaf for leaf in self.leaves(value, cls, method) if isinstance(leaf.value, Source)]

    def constant(self, value: Value, cls: ClassModel, method: MethodModel) -> Leaf | None:
        """A constant leaf when every leaf of ``value`` is constant (a hard-coded key, IV, password)."""
        leaves = self.leaves(value, cls, method)
        if not leaves:
            return None
        for leaf in leaves:
            if not _is_constant(leaf.value):
                return None
        return leaves[0]

    def strings(self, value: Value, cls: ClassModel, method: MethodModel) -> list[str]:
        """The strings ``value`` may be, unknown parts written as ``…`` (at most :data:`MAX_STRINGS`)."""
        return self._strings(value, _Ctx(cls, method, None), 0)

    def _strings(self, value: Value, ctx: _Ctx, depth: int) -> list[str]:
        if depth > MAX_DEPTH:
            return ["…"]
        if isinstance(value, Concat):
            acc = [""]
            for part in value.parts:
                options = self._strings(part, ctx, depth + 1)
                acc = list(dict.fromkeys(a + b for a in acc for b in options))[:MAX_STRINGS]
            return acc
        if isinstance(value, Const):
            return [value.value if isinstance(value.value, str) else str(value.value)]
        defs = self._defs(value, ctx)
        out: list[str] = []
        for v, c in defs:
            out.extend(self._strings(v, c, depth + 1))
        return list(dict.fromkeys(out))[:MAX_STRINGS] or ["…"]

    def _defs(self, value: Value, ctx: _Ctx) -> list[tuple[Value, _Ctx]]:
        """The values a local, field, parameter or call of the class's own method is defined by."""
        if isinstance(value, Local):
            return [(v, ctx) for v, _ in self._locals(ctx.method).get(value.name, [])]
        if isinstance(value, FieldRef):
            owner = value.owner
            cls = ctx.cls
            if owner and simple_name(owner) != cls.simple:
                other = self.classes.get(owner) or next((c for c in self.program.classes
                                                         if c.simple == simple_name(owner)), None)
                if other is None:
                    const = self.constants.values.get((simple_name(owner), value.name))
                    return [(const, ctx)] if const is not None else []
                cls = other
            out: list[tuple[Value, _Ctx]] = []
            decl = cls.field(value.name)
            if decl is not None and decl.value is not None:
                out.append((decl.value, ctx))
            out.extend((v, _Ctx(cls, m, None)) for v, m, _ in self._fields(cls).get(value.name, []))
            return out
        if isinstance(value, Param):
            if ctx.bindings is not None:
                args, caller = ctx.bindings
                return [(args[value.position], caller)] if value.position < len(args) else []
            if ctx.method.is_private:
                return [(call.args[value.position], _Ctx(ctx.cls, m, None))
                        for call, m in self.call_sites(ctx.cls, ctx.method.name) if len(call.args) > value.position]
            return []
        if isinstance(value, Call):
            callee = self.own_method(ctx.cls, value)
            if callee is not None and ctx.call_depth < MAX_CALL_DEPTH:
                inner = _Ctx(ctx.cls, callee, (value.args, ctx), ctx.call_depth + 1)
                return [(e.value, inner) for e in callee.events if isinstance(e, Return) and e.value is not None]
            if value.name in ("toString", "trim", "valueOf", "concat", "plus", "format", "append"):
                if value.receiver is not None and not isinstance(value.receiver, This):
                    if value.name in ("concat", "plus", "append") and value.args:
                        return [(Concat((value.receiver, value.args[0])), ctx)]
                    return [(value.receiver, ctx)]
                return [(value.args[0], ctx)] if value.args and value.name == "valueOf" else []
        return []


def guarded(method: MethodModel, value: Value) -> bool:
    """Whether ``method`` passes the local or field that ``value`` reads to a check (``isAllowed(url)``,
    ``url.startsWith(…)``, ``uri.getHost().equals(…)``) — control flow is not modelled, so such a check
    anywhere in the method counts as a guard."""
    # the variables the value is (or is concatenated from); never a call's receiver (intent.getStringExtra(…)
    # is not guarded by intent.hasExtra(…))
    direct = (value,) if isinstance(value, Call) else (value, *sub_values(value))
    names = {v.name for v in direct if isinstance(v, Local | FieldRef | Param)}
    if not names:
        return False

    def reads(v: Value | None, depth: int = 0) -> bool:
        if v is None or depth > 4:
            return False
        if isinstance(v, Local | FieldRef | Param):
            return v.name in names
        return any(reads(x, depth + 1) for x in sub_values(v))

    return any(GUARD.search(call.name) and (reads(call.receiver) or any(reads(a) for a in call.args))
               for call in method_calls(method))


def _is_constant(value: Value) -> bool:
    if isinstance(value, Const):
        return value.value is not None and value.value != ""
    if isinstance(value, Array):
        return (bool(value.items) and all(isinstance(i, Const) for i in value.items)) or (
            not value.items and value.length is not None)
    return False


def classify_source(call: Call) -> str | None:
    """The source kind of a call that brings data in (``EditText.getText`` → ui-input …), or ``None``."""
    known = _SOURCE_CALLS.get(call.name)
    owner = simple_name(call.owner)
    if known is not None:
        kind, owners = known
        if owners is None or owner in owners:
            return kind
    if call.name in ("getString", "getInt", "getLong", "getStringSet", "stringForKey", "objectForKey:",
                     "stringForKey:", "getItem") and owner in _PREF_OWNERS and isinstance(
                         call.receiver, Call | Local | FieldRef):
        recv = call.receiver
        if isinstance(recv, Call) and recv.name in ("getSharedPreferences", "getDefaultSharedPreferences",
                                                    "getPreferences"):
            return "preferences"
        if owner in ("SharedPreferences", "UserDefaults", "NSUserDefaults", "AsyncStorage"):
            return "preferences"
    return None


def all_calls(program: ProgramFile) -> Iterator[tuple[ClassModel, MethodModel, Call]]:
    """Every call of every method of ``program`` with its class and method."""
    for cls in program.classes:
        for method in cls.methods:
            for call in method_calls(method):
                yield cls, method, call


def invoked(event: Assign | Invoke | Return) -> Call | None:
    """The call of an :class:`Invoke` event."""
    return event.call if isinstance(event, Invoke) else None
