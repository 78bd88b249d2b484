"""Method bodies of a DEX file lowered to located statements: per-method register-level constant propagation.

For each method with code, one pass over its instructions in address order tracks what every register holds:
string, integer, class and array constants (``fill-array-data`` and constant ``aput`` included), static field
constants (from ``static_values`` and ``<clinit>``), objects under construction, StringBuilder chains (and
Kotlin's ``Intrinsics.stringPlus``) as concatenations, and call results as expressions. At a branch target
only what every incoming path agrees on survives; at a loop head every register written inside the loop is
forgotten, and at an exception handler everything is. Each call then reads as Java would write it
(``new SecretKeySpec("k3y".getBytes(), "AES")``, ``Log.d("T", "pin=" + p1)``), located by class, method and
the source line of the debug info, so the source rules of the app scanner can read a release APK.

Each method also yields its references in order (strings, types, invoked methods, accessed fields), the
lines the DEX pattern rules read, so their hits are located as well.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from csmguard.scanners.app import program as ir
from csmguard.scanners.app.dalvik import (
    BRANCH_OPS,
    END_OPS,
    FILL_ARRAY_DATA_PAYLOAD,
    INDEX_KINDS,
    INVOKE_OPS,
    SWITCH_OPS,
    Insn,
    array_values,
    switch_targets,
)
from csmguard.scanners.app.dex import DexError
from csmguard.scanners.app.dexcode import ACC_STATIC, DexClass, DexImage, DexMethod

# Packages whose code is a library's, not the app's: their references still reach the DEX pattern rules,
# but they are not rendered for the source rules (a source scan does not read library sources either).
LIBRARY_PREFIXES = (
    "Landroid/", "Landroidx/", "Lkotlin/", "Lkotlinx/", "Ljava/", "Ljavax/", "Ldalvik/", "Lcom/google/",
    "Lokhttp3/", "Lokio/", "Lretrofit2/", "Lcom/squareup/", "Lorg/jetbrains/", "Lorg/intellij/",
    "Lio/reactivex/", "Lrx/", "Lcom/facebook/", "Lorg/apache/", "Lcom/fasterxml/", "Ldagger/", "Lbutterknife/",
    "Lio/flutter/", "Lcom/bumptech/", "Lorg/json/", "Lorg/xmlpull/", "Lcom/android/volley/", "Lcom/airbnb/",
    "Lorg/bouncycastle/", "Lorg/slf4j/", "Lcom/jakewharton/", "Lio/grpc/", "Lcom/crashlytics/",
    "Lio/fabric/", "Lcom/scottyab/", "Lorg/greenrobot/", "Lcom/journeyapps/", "Lorg/kxml2/", "Lj$/",
)
# The framework APIs the app rules read (crypto, TLS, WebView, logs, storage, messages, clipboard, intents,
# code loading, processes, randomness, network, window flags, UI input): app code whose classes reference none
# of them, and extend none of them, cannot give a finding of its own, and is left out of the bytecode view and
# the program model (its static constants still go into the model; its references into the DEX text). Release
# builds move obfuscated library code into short packages the library list cannot name; this keeps its
# thousands of methods from being lowered one by one.
RELEVANT_PREFIXES = (
    "Ljavax/crypto/", "Ljava/security/", "Landroid/security/", "Ljavax/net/ssl/", "Landroid/webkit/",
    "Landroid/net/http/SslError", "Lorg/apache/http/conn/ssl/", "Lokhttp3/", "Ljava/net/", "Landroid/util/Log;",
    "Ljava/io/PrintStream;", "Ltimber/log/", "Landroid/content/SharedPreferences",
    "Landroid/preference/PreferenceManager;", "Landroidx/preference/PreferenceManager;", "Landroidx/security/",
    "Landroid/os/Environment;", "Ljava/io/File", "Landroid/database/", "Landroidx/sqlite/",
    "Landroid/content/ContentProvider;", "Landroid/os/ParcelFileDescriptor;", "Landroid/telephony/SmsManager;",
    "Landroid/app/Notification", "Landroidx/core/app/NotificationCompat", "Landroid/content/ClipboardManager;",
    "Landroid/content/ClipData;", "Landroid/content/Intent;->get", "Landroid/net/Uri;->get",
    "Landroid/os/Bundle;->get", "Ldalvik/system/", "Ljava/lang/Runtime;", "Ljava/lang/ProcessBuilder;",
    "Ljava/util/Random;", "Landroid/view/Window;->", "Landroid/widget/EditText;", "Landroid/app/admin/",
)
# Members the app calls on its own classes as often as on the framework's (``this.getSharedPreferences``).
RELEVANT_MEMBERS = frozenset({
    "getSharedPreferences", "getPreferences", "openFileOutput", "openFileInput", "getExternalFilesDir",
    "getExternalCacheDir", "getExternalMediaDirs", "getDir", "openOrCreateDatabase", "getIntent", "printStackTrace",
    "setComponentEnabledSetting", "load", "loadLibrary", "random", "getText",
})
_R_CLASS = re.compile(r"/R(?:\$\w+)?;$|/BuildConfig;$")
_WIDE = frozenset("JD")
_MAX_LOOP_WORK = 200_000  # register writes listed for the loop heads of one method
_MAX_TEXT = 400  # characters of one rendered expression; longer ones are cut with "…"
# Reads of a value by a constant key (JSON, intents, bundles, preferences, query parameters, maps).
_KEYED_GETTERS = frozenset({
    "getString", "optString", "getStringExtra", "getCharSequenceExtra", "getQueryParameter", "getInt", "optInt",
    "getLong", "optLong", "getIntExtra", "getLongExtra", "getCharSequence", "getJSONObject", "optJSONObject",
    "getJSONArray", "optJSONArray", "get", "opt", "getStringArrayExtra", "getSerializableExtra",
    "getParcelableExtra", "getBundleExtra", "getByteArrayExtra", "getStringSet", "getHeaderField", "header"})
_KEY_NAME = re.compile(r"^[A-Za-z_][\w\-. ]{0,60}$")


def _identifier(key: str) -> str:
    """A key as an identifier: ``access-token`` → ``access_token``."""
    return re.sub(r"[^\w]", "_", key)


def is_library(cls: str) -> bool:
    """Whether a class descriptor belongs to a well-known library or is generated (R, BuildConfig)."""
    return cls.startswith(LIBRARY_PREFIXES) or _R_CLASS.search(cls) is not None


@lru_cache(maxsize=65536)
def simple_name(descriptor: str) -> str:
    """``Ljavax/crypto/spec/SecretKeySpec;`` → ``SecretKeySpec``; arrays as ``byte[]``; inner classes by the
    part after the last ``$``."""
    dims = len(descriptor) - len(descriptor.lstrip("["))
    base = descriptor[dims:]
    prim = {"Z": "boolean", "B": "byte", "S": "short", "C": "char", "I": "int", "J": "long", "F": "float",
            "D": "double", "V": "void"}
    name = prim.get(base) or base[1:-1].rsplit("/", 1)[-1].rsplit("$", 1)[-1]
    return name + "[]" * dims


def java_name(descriptor: str) -> str:
    """``Lcom/app/Main$1;`` → ``com.app.Main$1``."""
    return descriptor[1:-1].replace("/", ".") if descriptor.startswith("L") else descriptor


@lru_cache(maxsize=65536)
def param_types(proto: str) -> tuple[str, ...]:
    """The parameter descriptors of ``(params)ret``."""
    inner = proto[1:proto.index(")")]
    out: list[str] = []
    k = 0
    while k < len(inner):
        start = k
        while inner[k] == "[":
            k += 1
        k = inner.index(";", k) + 1 if inner[k] == "L" else k + 1
        out.append(inner[start:k])
    return tuple(out)


def _quote(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{body[:_MAX_TEXT]}"'


class Value:
    """What a register holds: a kind (``str``, ``int``, ``class``, ``array``, ``new``, ``builder``, ``expr``,
    ``param``) with its data, rendered once as Java text; ``used`` tells whether a later statement read it."""

    __slots__ = ("data", "full", "ir", "kind", "text", "used")

    def __init__(self, kind: str, data: object, text: str, value: ir.Value | None = None) -> None:
        self.kind = kind
        self.data = data
        self.text = text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "…"
        self.full = self.text  # the text as a statement of its own (a keyed read: the whole call)
        self.used = False
        # the value in the program model (a call's result, once moved into a register, is a Local)
        self.ir: ir.Value = value if value is not None else _default_ir(kind, data, self.text)


def _default_ir(kind: str, data: object, text: str) -> ir.Value:
    if kind in ("str", "int") and isinstance(data, str | int):
        return ir.Const(data)
    if kind == "array" and isinstance(data, list):
        return ir.Array(tuple(ir.Const(x) for x in data), len(data))
    return ir.Unknown(text[:60])


def _const_value(value: object) -> Value | None:
    if isinstance(value, str):
        return Value("str", value, _quote(value))
    if isinstance(value, bool):
        return Value("int", int(value), "true" if value else "false", ir.Const(value))
    if isinstance(value, int):
        return Value("int", value, str(value))
    return None


def _ir(v: Value | None, r: int) -> ir.Value:
    return v.ir if v is not None else ir.Unknown(f"v{r}")


@dataclass(frozen=True, slots=True)
class Statement:
    """One rendered statement of a method, at an instruction address and (with debug info) a source line."""

    pc: int
    line: int | None
    text: str


@dataclass(frozen=True, slots=True)
class MethodView:
    """A method's references in order (for the DEX pattern rules) and its statements (for the source rules;
    empty for library code)."""

    cls: str
    name: str
    proto: str
    refs: tuple[tuple[int | None, str], ...]  # (source line, reference line)
    statements: tuple[Statement, ...]
    model: ir.MethodModel | None = None  # the method in the program model (app code only)

    def header(self) -> str:
        """The method as Java declares it: ``boolean verify(String p1, SSLSession p2) {``."""
        ret = simple_name(self.proto[self.proto.index(")") + 1:])
        params = ", ".join(f"{simple_name(t)} p{k}" for k, t in enumerate(param_types(self.proto), start=1))
        return f"{ret} {self.name}({params}) {{"

    @property
    def signature(self) -> str:
        """``check(String)`` — the method as a reader names it."""
        return f"{self.name}({', '.join(simple_name(t) for t in param_types(self.proto))})"

    @property
    def label(self) -> str:
        """``com.app.Login.check(String)`` — class and method."""
        return f"{java_name(self.cls)}.{self.signature}"


Use = Callable[["Value | None", int], str]
Emit = Callable[[int, str], None]


def _line_at(table: list[tuple[int, int]], addresses: list[int], pc: int) -> int | None:
    k = bisect_right(addresses, pc) - 1
    return table[k][1] if k >= 0 else (table[0][1] if table else None)


class _Lowering:
    """The lowering of one method (see the module docstring)."""

    def __init__(self, image: DexImage, method: DexMethod, statics: dict[str, Value], render: bool) -> None:
        self.image = image
        self.method = method
        self.statics = statics
        self.render = render

    def run(self) -> MethodView:
        image, method = self.image, self.method
        code = method.code
        assert code is not None
        if not self.render:
            # library code: its references only, read without decoding operands or line tables
            return MethodView(method.cls, method.name, method.proto,
                              tuple((None, text) for text in image.references(code)), ())
        insns = image.instructions(code)
        table = image.line_table(code)
        addresses = [a for a, _ in table]
        refs: list[tuple[int | None, str]] = []
        seen: set[str] = set()
        for insn in insns:
            kind = INDEX_KINDS[insn.op] if insn.op < 0x100 else 0
            if kind and insn.ref >= 0:
                text = image.reference(kind, insn.ref)
                if text is not None and text not in seen:
                    seen.add(text)
                    refs.append((_line_at(table, addresses, insn.pc), text))
        self.events: list[tuple[int, ir.Event]] = []
        statements = self._statements(insns, table, addresses)
        self.events.sort(key=lambda e: e[0])
        lines = [line for _, line in table]
        model = ir.MethodModel(
            method.name, tuple((f"p{k}", simple_name(t)) for k, t in enumerate(param_types(method.proto), start=1)),
            simple_name(method.proto[method.proto.index(")") + 1:]), min(lines, default=0), max(lines, default=0),
            tuple(e for _, e in self.events), modifiers(method.access))
        return MethodView(method.cls, method.name, method.proto, tuple(refs), tuple(statements), model)

    # -- control flow -----------------------------------------------------------------------------------
    def _edges(self, insns: list[Insn]) -> tuple[dict[int, list[int]], set[int]]:
        """Branch sources by target address, and the exception handler addresses."""
        units = self.method.code.units  # type: ignore[union-attr]
        by_pc = {i.pc: i for i in insns}
        incoming: dict[int, list[int]] = {}
        for insn in insns:
            if insn.op in BRANCH_OPS and insn.target is not None:
                incoming.setdefault(insn.target, []).append(insn.pc)
            elif insn.op in SWITCH_OPS and insn.target is not None:
                payload = by_pc.get(insn.target)
                if payload is None or payload.op < 0x100:
                    raise DexError(f"switch at {insn.pc} names no payload")
                for target in switch_targets(units, insn, payload):
                    incoming.setdefault(target, []).append(insn.pc)
        return incoming, self.image.handler_addresses(self.method.code)  # type: ignore[arg-type]

    # -- statements -------------------------------------------------------------------------------------
    def _statements(self, insns: list[Insn], table: list[tuple[int, int]], addresses: list[int]) -> list[Statement]:
        method = self.method
        code = method.code
        assert code is not None
        units = code.units
        incoming, handlers = self._edges(insns)
        self.table, self.addresses = table, addresses
        by_pc = {i.pc: i for i in insns}
        # loop heads: every register written between the head and the last backward branch to it (every
        # register at all when the loops are too many and too long to list them cheaply: a hostile method)
        loops = {t: max(s for s in sources if s >= t) for t, sources in incoming.items()
                 if any(s >= t for s in sources)}
        writes = [(i.pc, i.regs[0]) for i in insns if i.regs and _writes(i.op)]
        pcs = [pc for pc, _ in writes]
        loop_kill: dict[int, set[int]] = {}
        every = set(range(code.registers + 1))
        spent = 0
        for target, last in loops.items():
            lo, hi = bisect_left(pcs, target), bisect_right(pcs, last)
            spent += hi - lo
            loop_kill[target] = every if spent > _MAX_LOOP_WORK else {
                r for _, w in writes[lo:hi] for r in (w, w + 1)}
        regs: dict[int, Value] = {}
        # parameters: the last ins_size registers (this first for an instance method)
        first = code.registers - code.ins
        reg = first
        if not method.access & ACC_STATIC:
            regs[reg] = Value("param", 0, "this", ir.This())
            reg += 1
        for k, typ in enumerate(param_types(method.proto), start=1):
            regs[reg] = Value("param", k, f"p{k}", ir.Param(k - 1, f"p{k}"))
            reg += 2 if typ in _WIDE else 1
        pending: dict[int, list[dict[int, Value]]] = {}
        calls: list[tuple[int, Value]] = []
        out: list[Statement] = []
        result: Value | None = None
        falls = True

        def line(pc: int) -> int | None:
            return _line_at(table, addresses, pc)

        def emit(pc: int, text: str) -> None:
            out.append(Statement(pc, line(pc), text))

        def use(v: Value | None, r: int) -> str:
            if v is None:
                return f"v{r}"
            v.used = True
            return v.text

        self.pending_call: tuple[int, ir.Call, Value | None] | None = None
        for insn in insns:
            pc, op = insn.pc, insn.op
            if self.pending_call is not None and not 0x0A <= op <= 0x0C:
                self._flush_call()
            if op >= 0x100:
                falls = True
                continue
            if pc in incoming or pc in handlers:
                states = pending.pop(pc, [])
                if pc in handlers:
                    regs = {}
                else:
                    if falls:
                        states.append(regs)
                    regs = meet(states) if states else {}
                    for dead in loop_kill.get(pc, ()):
                        regs.pop(dead, None)
            elif not falls:
                regs = {}
            falls = op not in END_OPS
            r = insn.regs
            if op in INVOKE_OPS:
                result = self._invoke(insn, regs, calls, use)
                continue
            if 0x0A <= op <= 0x0C:  # move-result*
                if self.pending_call is not None:
                    self._flush_call(moved=True)
                if result is not None:
                    regs[r[0]] = result
                else:
                    regs.pop(r[0], None)
                if op == 0x0B:
                    regs.pop(r[0] + 1, None)
                result = None
                continue
            result = None
            if op in BRANCH_OPS:
                if insn.regs:
                    conds = [regs.get(x) for x in insn.regs]
                    for x, v in zip(insn.regs, conds, strict=True):
                        if v is not None and v.kind == "expr" and not v.used:
                            emit(pc, f"if ({use(v, x)})")
                if insn.target is not None and insn.target > pc:
                    pending.setdefault(insn.target, []).append(dict(regs))
                continue
            if op in SWITCH_OPS:
                payload = by_pc.get(insn.target or -1)
                if payload is not None:
                    for target in switch_targets(units, insn, payload):
                        if target > pc:
                            pending.setdefault(target, []).append(dict(regs))
                continue
            self._simple(insn, regs, emit, use)
        if self.pending_call is not None:
            self._flush_call()
        for pc, value in calls:
            if not value.used:
                emit(pc, value.full + ";")
        out.sort(key=lambda s: s.pc)
        return out

    def _simple(self, insn: Insn, regs: dict[int, Value], emit: Emit, use: Use) -> None:
        """Every instruction but invokes, move-result and branches."""
        image = self.image
        op, r = insn.op, insn.regs
        emit_fn = emit
        if op in (0x01, 0x02, 0x03, 0x07, 0x08, 0x09):  # move, move-object
            src = regs.get(r[1])
            if src is None:
                regs.pop(r[0], None)
            else:
                regs[r[0]] = src
        elif 0x12 <= op <= 0x15:  # const/4, /16, const, /high16
            regs[r[0]] = Value("int", insn.literal, str(insn.literal))
        elif op in (0x1A, 0x1B):
            regs[r[0]] = Value("str", image.string(insn.ref), _quote(image.string(insn.ref)))
        elif op == 0x1C:
            typ = image.type(insn.ref)
            regs[r[0]] = Value("class", typ, f"{simple_name(typ)}.class", ir.Const(java_name(typ)))
        elif op == 0x22:
            typ = image.type(insn.ref)
            regs[r[0]] = Value("new", typ, f"new {simple_name(typ)}()")
        elif op == 0x23:  # new-array vA, vB(size)
            typ = image.type(insn.ref)
            size = regs.get(r[1])
            count = size.data if size is not None and size.kind == "int" else None
            elem = simple_name(typ)[:-2]
            if isinstance(count, int) and 0 <= count <= 4096:
                regs[r[0]] = Value("array", [0] * count, f"new {elem}[{count}]", ir.Array((), count))
            else:
                regs[r[0]] = Value("expr", None, f"new {elem}[{use(size, r[1])}]",
                                   ir.Unknown("new-array", (_ir(size, r[1]),)))
        elif op == 0x26:  # fill-array-data
            arr = regs.get(r[0])
            payload_at = insn.target
            code = self.method.code
            assert code is not None
            if arr is not None and arr.kind == "array" and payload_at is not None and 0 <= payload_at < len(code.units):
                units = code.units
                if units[payload_at] != FILL_ARRAY_DATA_PAYLOAD:
                    raise DexError(f"fill-array-data at {insn.pc} names no payload")
                values = array_values(units, Insn(payload_at, FILL_ARRAY_DATA_PAYLOAD, 0, (),
                                                  literal=units[payload_at + 2] | (units[payload_at + 3] << 16)))
                elem = arr.text.split("[", 1)[0].removeprefix("new ")
                regs[r[0]] = Value("array", values, f"new {elem}[]{{{', '.join(map(str, values[:64]))}}}")
        elif 0x4B <= op <= 0x51:  # aput*: vA → vB[vC]
            arr, idx, val = regs.get(r[1]), regs.get(r[2]), regs.get(r[0])
            if arr is not None and arr.kind == "array" and isinstance(arr.data, list) and idx is not None \
                    and isinstance(idx.data, int) and 0 <= idx.data < len(arr.data) and val is not None \
                    and val.kind in ("int", "str"):
                data = list(arr.data)
                data[idx.data] = val.data
                elem = arr.text.split("[", 1)[0].removeprefix("new ")
                shown = ", ".join(_quote(x) if isinstance(x, str) else str(x) for x in data[:64])
                regs[r[1]] = Value("array", data, f"new {elem}[]{{{shown}}}")
        elif 0x52 <= op <= 0x58 or 0x60 <= op <= 0x66:  # iget*, sget*
            cls, name, _ = image.field_parts(insn.ref)
            ref = f"{cls}->{name}"
            const = self.statics.get(ref) if op >= 0x60 else None
            if const is not None:
                regs[r[0]] = const
            else:
                owner = simple_name(cls) if op >= 0x60 else use(regs.get(r[1]), r[1])
                regs[r[0]] = Value("expr", ref, f"{owner}.{name}", self._field(cls, name))
            if op in (0x53, 0x61):
                regs.pop(r[0] + 1, None)
        elif 0x59 <= op <= 0x5F or 0x67 <= op <= 0x6D:  # iput*, sput*
            cls, name, _ = image.field_parts(insn.ref)
            val = regs.get(r[0])
            if op >= 0x67 and self.method.name == "<clinit>" and val is not None and val.kind in ("str", "int") \
                    and cls == self.method.cls:
                self.statics.setdefault(f"{cls}->{name}", val)
            owner = simple_name(cls) if op >= 0x67 else use(regs.get(r[1]), r[1])
            self._event(insn.pc, ir.Assign(self._line(insn.pc), self._field(cls, name), _ir(val, r[0])))
            if val is not None and val.kind != "param":
                emit_fn(insn.pc, f"{owner}.{name} = {use(val, r[0])};")
        elif op == 0x0E:
            self._event(insn.pc, ir.Return(self._line(insn.pc), None))
        elif op in (0x0F, 0x10, 0x11):  # return, return-wide, return-object
            val = regs.get(r[0])
            returned = _ir(val, r[0])
            if val is not None and val.kind == "int" and self.method.proto.endswith(")Z") and val.data in (0, 1):
                returned = ir.Const(bool(val.data))
            self._event(insn.pc, ir.Return(self._line(insn.pc), returned))
            if val is not None and val.kind in ("expr", "str", "builder", "array"):
                emit_fn(insn.pc, f"return {use(val, r[0])};")
            elif val is not None and val.kind == "int" and self.method.proto.endswith(")Z") and val.data in (0, 1):
                emit_fn(insn.pc, f"return {'true' if val.data else 'false'};")
        elif op == 0x27:
            val = regs.get(r[0])
            if val is not None and val.kind == "expr":
                emit_fn(insn.pc, f"throw {use(val, r[0])};")
        elif op == 0x1F:  # check-cast keeps the value
            pass
        elif r and _writes(op):
            regs.pop(r[0], None)
            if op in _WIDE_DEST:
                regs.pop(r[0] + 1, None)

    def _invoke(self, insn: Insn, regs: dict[int, Value], calls: list[tuple[int, Value]],
                use: Use) -> Value | None:
        use_fn = use
        cls, name, proto = self.image.method_parts(insn.ref)
        types = param_types(proto)
        static = insn.op in (0x71, 0x77)
        reg_list = list(insn.regs)
        receiver: Value | None = None
        recv_reg = -1
        if not static:
            if not reg_list:
                return None
            recv_reg = reg_list.pop(0)
            receiver = regs.get(recv_reg)
        args: list[tuple[int, Value | None, str]] = []
        k = 0
        for typ in types:
            if k >= len(reg_list):
                break
            args.append((reg_list[k], regs.get(reg_list[k]), typ))
            k += 2 if typ in _WIDE else 1

        def arg_text(r: int, v: Value | None, typ: str) -> str:
            if v is not None and v.kind == "int" and typ == "Z" and v.data in (0, 1):
                v.used = True
                return "true" if v.data else "false"
            if v is not None and v.kind == "builder":
                v.used = True
                return _concat(v)
            return use_fn(v, r)

        shown = ", ".join(arg_text(r, v, t) for r, v, t in args)
        args_ir = tuple(ir.Const(bool(v.data)) if v is not None and v.kind == "int" and t == "Z" and v.data in (0, 1)
                        else _ir(v, r) for r, v, t in args)
        line = self._line(insn.pc)
        owner_ir = java_name(cls)
        ret = proto[proto.index(")") + 1:]
        is_builder = cls in ("Ljava/lang/StringBuilder;", "Ljava/lang/StringBuffer;")
        if name == "<init>":
            if receiver is not None and receiver.kind == "new":
                if is_builder:
                    parts = [(v if v is not None else Value("expr", None, f"v{r}")) for r, v, t in args
                             if t == "Ljava/lang/String;" or t == "Ljava/lang/CharSequence;"]
                    value = Value("builder", parts, "", ir.Concat(tuple(p.ir for p in parts)))
                else:
                    value = Value("expr", ("new", cls), f"new {simple_name(cls)}({shown})")
                    calls.append((insn.pc, value))
                    local = ir.Local(f"new@{insn.pc}")
                    self._event(insn.pc, ir.Assign(line, local, ir.Call("<init>", owner_ir, None, args_ir, line),
                                                   simple_name(cls)))
                    value.ir = local
                for rr, vv in list(regs.items()):
                    if vv is receiver:
                        regs[rr] = value
                return None
            who = "this" if cls == self.method.cls else "super"
            value = Value("expr", ("call", cls, name), f"{who}({shown})")
            calls.append((insn.pc, value))
            self._event(insn.pc, ir.Invoke(line, ir.Call("<init>", owner_ir, _ir(receiver, recv_reg), args_ir, line)))
            return None
        if is_builder and receiver is not None and receiver.kind == "builder":
            if name == "append" and args:
                r, v, _ = args[0]
                part = v if v is not None else Value("expr", None, f"v{r}")
                before = receiver.data if isinstance(receiver.data, list) else []
                value = Value("builder", [*before, part], "", ir.Concat(tuple(p.ir for p in [*before, part])))
                for rr, vv in list(regs.items()):
                    if vv is receiver:
                        regs[rr] = value
                return value
            if name == "toString":
                receiver.used = True
                return Value("expr", ("concat",), _concat(receiver), receiver.ir)
        if cls == "Lkotlin/jvm/internal/Intrinsics;" and name == "stringPlus" and len(args) == 2:
            return Value("expr", ("concat",), f"{arg_text(*args[0])} + {arg_text(*args[1])}", ir.Concat(args_ir))
        if cls == "Ljava/lang/String;" and name == "valueOf" and len(args) == 1:
            return Value("expr", ("concat",), arg_text(*args[0]), args_ir[0])
        owner = simple_name(cls) if static else use_fn(receiver, recv_reg)
        text = f"{owner}.{name}({shown})"
        value = Value("expr", ("call", cls, name), text)
        key = args[0][1] if args and name in _KEYED_GETTERS else None
        if key is not None and key.kind == "str" and isinstance(key.data, str) and _KEY_NAME.match(key.data):
            # a value read by its key reads, where it is used, as a variable of that name (as in source)
            value = Value("expr", ("call", cls, name), _identifier(key.data))
            value.full = text
        calls.append((insn.pc, value))
        call = ir.Call(name, owner_ir, None if static else _ir(receiver, recv_reg), args_ir, line)
        self.pending_call = (insn.pc, call, value if ret != "V" else None)
        return value if ret != "V" else None

    # -- program model --------------------------------------------------------------------------------
    def _line(self, pc: int) -> int:
        return _line_at(self.table, self.addresses, pc) or 0

    def _event(self, pc: int, event: ir.Event) -> None:
        self.events.append((pc, event))

    def _field(self, cls: str, name: str) -> ir.FieldRef:
        return ir.FieldRef(None if cls == self.method.cls else java_name(cls), name)

    def _flush_call(self, moved: bool = False) -> None:
        """The pending call as an event: assigned to a fresh local when its result is moved into a register
        (so that it appears once however often the register is read), else a call statement."""
        assert self.pending_call is not None
        pc, call, value = self.pending_call
        self.pending_call = None
        if moved and value is not None:
            name = value.text if value.text != value.full else f"r@{pc}"  # a keyed read keeps its key's name
            local = ir.Local(name)
            self._event(pc, ir.Assign(call.line, local, call))
            value.ir = local
        else:
            self._event(pc, ir.Invoke(call.line, call))


def _concat(builder: Value) -> str:
    parts = builder.data if isinstance(builder.data, list) else []
    for part in parts:
        part.used = True
    return " + ".join(p.text for p in parts) if parts else '""'


# Instructions whose destination is a register pair (vA, vA+1).
_WIDE_DEST = frozenset({0x04, 0x05, 0x06, 0x0B, 0x16, 0x17, 0x18, 0x19, 0x45, 0x53, 0x61, 0x7D, 0x7E, 0x80, 0x81, 0x83,
                        0x86, 0x88, 0x89, 0x8B, *range(0x9B, 0xA6), *range(0xAB, 0xB0), *range(0xBB, 0xC6),
                        *range(0xCB, 0xD0)})


def _writes(op: int) -> bool:
    """Whether the instruction writes its first register (vA)."""
    return (0x01 <= op <= 0x0D or 0x12 <= op <= 0x1C or op in (0x1F, 0x20, 0x21, 0x22, 0x23) or 0x2D <= op <= 0x31
            or 0x44 <= op <= 0x4A or 0x52 <= op <= 0x58 or 0x60 <= op <= 0x66 or 0x7B <= op <= 0xE2
            or op in (0xFE, 0xFF))


def modifiers(access: int) -> frozenset[str]:
    """The modifiers of DEX access flags."""
    names = {0x1: "public", 0x2: "private", 0x4: "protected", 0x8: "static", 0x10: "final", 0x20: "synchronized",
             0x100: "native", 0x400: "abstract"}
    return frozenset(name for bit, name in names.items() if access & bit)


def meet(states: list[dict[int, Value]]) -> dict[int, Value]:
    """The registers that every incoming state defines: the value itself where all agree, else a choice of
    their values (``Unknown("?:")``, which the analysis follows into each part, as a conditional's)."""
    first, rest = states[0], states[1:]
    out: dict[int, Value] = {}
    for r, v in first.items():
        others = [s.get(r) for s in rest]
        if all(o is v for o in others):
            out[r] = v
        elif all(o is not None for o in others):
            distinct: list[Value] = [v]
            for o in others:
                if o is not None and all(o is not d for d in distinct):
                    distinct.append(o)
            if len(distinct) <= _MAX_CHOICES:
                out[r] = Value("expr", None, "(" + " ?: ".join(d.text for d in distinct) + ")",
                               ir.Unknown("?:", tuple(d.ir for d in distinct)))
    return out


_MAX_CHOICES = 4


@dataclass(frozen=True, slots=True)
class Lowered:
    """A DEX file lowered: every method's view, and the app classes in the program model."""

    views: tuple[MethodView, ...]
    program: ir.ProgramFile


def _class_kind(cls: DexClass) -> str:
    if cls.access & 0x200:
        return "interface"
    if cls.access & 0x4000:
        return "enum"
    return "anonymous" if re.search(r"\$\d+;$", cls.name) else "class"


def _class_model(cls: DexClass, views: list[MethodView], statics: dict[str, Value]) -> ir.ClassModel:
    fields = []
    for name, typ, access in cls.fields:
        const = statics.get(f"{cls.name}->{name}") if access & ACC_STATIC else None
        fields.append(ir.FieldDecl(name, simple_name(typ), const.ir if const is not None else None, 0,
                                   modifiers(access)))
    methods = tuple(v.model for v in views if v.model is not None)
    supertypes = tuple(java_name(t) for t in (cls.superclass, *cls.interfaces) if t)
    return ir.ClassModel(java_name(cls.name), _class_kind(cls), min((m.line for m in methods if m.line), default=0),
                         max((m.end_line for m in methods), default=0), supertypes, tuple(fields), methods)


def _returns_decrypted(model: ir.MethodModel) -> bool:
    """Whether what a method returns is the output of ``Cipher.doFinal`` (or a string made of it), through
    its locals — a decryption helper, whose name R8 may have shortened to ``e.a``."""
    assigned: dict[str, list[ir.Value]] = {}
    for event in model.events:
        if isinstance(event, ir.Assign) and isinstance(event.target, ir.Local):
            assigned.setdefault(event.target.name, []).append(event.value)

    def decrypted(value: ir.Value | None, depth: int) -> bool:
        if value is None or depth > 8:
            return False
        if isinstance(value, ir.Source):
            return value.kind == "decrypted"
        if isinstance(value, ir.Local):
            return any(decrypted(v, depth + 1) for v in assigned.get(value.name, ()))
        if isinstance(value, ir.Unknown) and value.hint == "?:":
            return any(decrypted(v, depth + 1) for v in value.parts)
        if isinstance(value, ir.Call):
            if value.name == "doFinal" and value.owner == "javax.crypto.Cipher":
                return True
            if value.name == "<init>" and value.owner == "java.lang.String":
                return any(decrypted(v, depth + 1) for v in value.args)
            if value.name in ("toString", "trim") and value.receiver is not None:
                return decrypted(value.receiver, depth + 1)
        return False

    returns = [e.value for e in model.events if isinstance(e, ir.Return)]
    return bool(returns) and any(decrypted(v, 0) for v in returns)


def _mark_decryptors(views: list[MethodView]) -> list[MethodView]:
    """Where a method's result comes from a decryption helper of the app (:func:`_returns_decrypted`), the
    value read from the call is also a ``decrypted`` source: source analysis knows it by the name
    ``decrypt``, which a release build may have renamed. Two rounds, for a helper that calls a helper."""
    for _ in range(2):
        helpers = {(java_name(v.cls), v.name) for v in views if v.model is not None and _returns_decrypted(v.model)}
        if not helpers:
            return views
        out: list[MethodView] = []
        for view in views:
            model = view.model
            if model is None:
                out.append(view)
                continue
            events: list[ir.Event] = []
            for event in model.events:
                value = event.value if isinstance(event, ir.Assign) else None
                if isinstance(event, ir.Assign) and isinstance(value, ir.Call) and (value.owner, value.name) in helpers:
                    origin = f"{simple_name('L' + (value.owner or '').replace('.', '/') + ';')}.{value.name}(…)"
                    value = ir.Unknown("?:", (ir.Source("decrypted", f"{origin} returns Cipher.doFinal"), value))
                    event = event._replace(value=value)
                events.append(event)
            out.append(replace(view, model=replace(model, events=tuple(events))))
        views = out
    return views


def _touches_relevant(image: DexImage, cls: DexClass) -> bool:
    """Whether a class extends or references one of :data:`RELEVANT_PREFIXES` or calls one of
    :data:`RELEVANT_MEMBERS`."""
    if any(t.startswith(RELEVANT_PREFIXES) for t in (cls.superclass or "", *cls.interfaces)):
        return True
    for method in cls.methods:
        if method.code is None:
            continue
        for ref in image.references(method.code):
            if ref.startswith(RELEVANT_PREFIXES) or ref.rpartition("->")[2] in RELEVANT_MEMBERS:
                return True
    return False


def lower(image: DexImage, errors: list[str], *, all_app_code: bool = False) -> Lowered:
    """Every method with code, lowered; ``<clinit>`` methods first, so that other methods see the static
    constants they set. Statements and the program model are made for app classes that touch the APIs the
    rules read (every app class with ``all_app_code``). A malformed body is left out with a line in
    ``errors``; the others are still read."""
    classes = list(image.classes())
    statics: dict[str, Value] = {}
    for cls in classes:
        for name, value in cls.static_values.items():
            const = _const_value(value)
            if const is not None:
                statics[f"{cls.name}->{name}"] = const
    relevant = {cls.name for cls in classes
                if not is_library(cls.name) and (all_app_code or _touches_relevant(image, cls))}
    methods = [m for cls in classes for m in cls.methods if m.code is not None]
    views: dict[int, MethodView | None] = {}

    def one(method: DexMethod) -> MethodView | None:
        try:
            return _Lowering(image, method, statics, render=method.cls in relevant).run()
        except DexError as exc:
            if str(exc).startswith("the file's code items"):
                raise
            errors.append(f"{java_name(method.cls)}.{method.name}: {exc}")
            return None

    for k, method in enumerate(methods):
        if method.name == "<clinit>":
            views[k] = one(method)
    ordered: list[MethodView] = []
    for k, method in enumerate(methods):
        view = views.pop(k) if k in views else one(method)
        if view is not None:
            ordered.append(view)
    ordered = _mark_decryptors(ordered)
    by_class: dict[str, list[MethodView]] = {}
    for view in ordered:
        by_class.setdefault(view.cls, []).append(view)
    models = tuple(_class_model(cls, by_class.get(cls.name, []), statics) for cls in classes
                   if not is_library(cls.name))
    return Lowered(tuple(ordered), ir.ProgramFile(image.path, "dex", "", {}, models))
