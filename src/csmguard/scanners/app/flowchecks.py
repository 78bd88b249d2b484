"""The app checks that run on the program model (so on source parsed by tree-sitter and on DEX alike).

Each check is a pure function ``(rule, model, resolver) -> Iterator[FlowHit]`` registered in
:data:`FLOW_CHECKS`; a rule names its checks in its YAML (``flow: [name, …]``). A hit names the class and
method, the line of the sink, and for a source→sink flow the source and the steps between them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from csmguard.rules.model import Rule
from csmguard.scanners.app.flow import Leaf, Resolver, Step, guarded, is_sensitive_name
from csmguard.scanners.app.program import (
    Array,
    Assign,
    Call,
    ClassModel,
    Const,
    FieldRef,
    Local,
    MethodModel,
    Param,
    ProgramFile,
    Return,
    Source,
    Unknown,
    Value,
    method_calls,
    simple_name,
)


@dataclass(frozen=True)
class FlowHit:
    """A finding of a program-model check: where the sink is, what it is, and the flow that reaches it."""

    rule: Rule
    path: str
    line: int
    cls: str
    method: str
    detail: str  # what was found, for the message (never a secret's value)
    key: str  # what tells this hit apart within its method (for the fingerprint)
    source: Step | None = None  # where the data entered (source→sink findings)
    steps: tuple[Step, ...] = ()  # from the source towards the sink

    def _replace_key(self, key: str) -> FlowHit:
        """The same hit told apart by another key (a repeat within one method)."""
        return FlowHit(self.rule, self.path, self.line, self.cls, self.method, self.detail, key, self.source,
                       self.steps)


FlowCheckFn = Callable[[Rule, ProgramFile, Resolver], Iterator[FlowHit]]


def _hit(rule: Rule, model: ProgramFile, cls: ClassModel, method: MethodModel, line: int, detail: str,
         key: str, leaf: Leaf | None = None) -> FlowHit:
    source = steps = None
    if leaf is not None and leaf.steps:
        steps = tuple(reversed(leaf.steps))
        source = steps[0]
    return FlowHit(rule, model.path, line or method.line, simple_name(cls.name) if cls.kind == "file" else cls.name,
                   method.name, detail, key, source, steps or ())


def _owner_is(call: Call, *owners: str) -> bool:
    """The call's owner is one of ``owners`` (simple names), or unknown."""
    return call.owner is None or call.owner == "" or simple_name(call.owner) in owners


def _redacted(leaf: Leaf) -> str:
    value = leaf.value
    if isinstance(value, Const):
        raw = value.value if isinstance(value.value, str | bytes) else str(value.value)
        return f"literal ({len(raw)} chars)"
    if isinstance(value, Array):
        return f"array literal ({len(value.items) or value.length} elements)"
    return type(value).__name__


# ---------------------------------------------------------------------------------------------- crypto

_KEY_SPECS = {"SecretKeySpec": 0, "PBEKeySpec": 0, "DESKeySpec": 0, "DESedeKeySpec": 0}


def hardcoded_crypto_key(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A key or password built from constants (through fields, locals, concatenations) given to a key spec."""
    for cls, method, call in res.calls():
        if call.name != "<init>" or simple_name(call.owner) not in _KEY_SPECS or not call.args:
            continue
        arg = call.args[_KEY_SPECS[simple_name(call.owner)]]
        leaf = res.constant(arg, cls, method)
        if leaf is not None:
            yield _hit(rule, model, cls, method, call.line,
                       f"{simple_name(call.owner)} key from a hard-coded {_redacted(leaf)}",
                       f"{simple_name(call.owner)}", leaf)


_KEY_NAME = re.compile(r"(?:^|[a-z0-9_])(?:key|Key|KEY)(?:[A-Z][a-z]+|_?\d+|_[A-Z]+)?$")
# Decoding a literal makes binary key material; a plain string's bytes ("X-Request-Trace".getBytes()) do not
# (those are reported only when they reach a key spec).
_DECODERS = frozenset({"decode", "fromBase64", "decodeBase64", "hexStringToByteArray", "hexToBytes", "fromHex",
                       "decodeHex", "parseHexBinary"})


def _decoded_literal(value: Value | None) -> str | None:
    """What makes ``value`` key material written in the code: a decoded literal or a byte-array literal."""
    if isinstance(value, Call) and value.name in _DECODERS:
        literal = value.args[0] if value.receiver is None and value.args else value.receiver
        if isinstance(literal, Const) and isinstance(literal.value, str) and len(literal.value) >= 8:
            return f"{value.name}() of a literal ({len(literal.value)} chars)"
    if isinstance(value, Array) and len(value.items) >= 8 and all(isinstance(i, Const) for i in value.items):
        return f"byte array literal ({len(value.items)} elements)"
    return None


def hardcoded_key_material(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A field or local named as a key (``encKey``, ``AES_KEY``, ``secretKey2``) whose value is a decoded
    literal (``Base64.decode("…")``, ``"…".toByteArray()``, a hex string) or a byte-array literal: key material
    written into the code, wherever it is used later."""
    for cls in model.classes:
        for f in cls.fields:
            what = _decoded_literal(f.value) if _KEY_NAME.search(f.name) else None
            if what is not None:
                method = next((m for m in cls.methods if m.name in ("<clinit>", "<init>")), None) or MethodModel(
                    "<clinit>", (), None, f.line, f.line, ())
                yield _hit(rule, model, cls, method, f.line, f"key {f.name} from a {what}", f"field:{f.name}")
        for method in cls.methods:
            for e in method.events:
                if isinstance(e, Assign) and isinstance(e.target, Local) and _KEY_NAME.search(e.target.name):
                    what = _decoded_literal(e.value)
                    if what is not None:
                        yield _hit(rule, model, cls, method, e.line, f"key {e.target.name} from a {what}",
                                   f"local:{e.target.name}")


def static_iv(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """An IV or nonce built from constants given to ``IvParameterSpec`` / ``GCMParameterSpec``."""
    for cls, method, call in res.calls():
        if call.name != "<init>" or simple_name(call.owner) not in ("IvParameterSpec", "GCMParameterSpec"):
            continue
        args = call.args[1:2] if simple_name(call.owner) == "GCMParameterSpec" else call.args[:1]
        for arg in args:
            leaf = res.constant(arg, cls, method)
            if leaf is not None:
                yield _hit(rule, model, cls, method, call.line,
                           f"{simple_name(call.owner)} from a constant {_redacted(leaf)}", simple_name(call.owner),
                           leaf)


_WEAK_CIPHER = re.compile(r"(?i)^(?:DES|DESede|TripleDES|RC2|RC4|ARCFOUR|Blowfish)(?:/|$)|/ECB/")


def weak_cipher_mode(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """``Cipher.getInstance`` with ECB (explicit, or "AES" alone, which means ECB) or an obsolete cipher."""
    for cls, method, call in res.calls():
        if call.name != "getInstance" or simple_name(call.owner) != "Cipher" or not call.args:
            continue
        for transform in res.strings(call.args[0], cls, method):
            bare = transform.strip().upper()
            if _WEAK_CIPHER.search(transform) or bare == "AES":
                why = "AES without a mode (defaults to ECB)" if bare == "AES" else f'"{transform[:60]}"'
                yield _hit(rule, model, cls, method, call.line, f"Cipher.getInstance({why})", transform[:60])
                break


# ---------------------------------------------------------------------------------------------- storage

_WORLD_MODES = {"MODE_WORLD_READABLE": 1, "MODE_WORLD_WRITEABLE": 2}
_MODE_CALLS = {"getSharedPreferences": 1, "openFileOutput": 1, "openOrCreateDatabase": 1, "getDir": 1}


def world_accessible_storage(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """Preferences, files or databases opened with ``MODE_WORLD_READABLE`` / ``MODE_WORLD_WRITEABLE``."""
    for cls, method, call in res.calls():
        position = _MODE_CALLS.get(call.name)
        if position is None or len(call.args) <= position:
            continue
        mode = call.args[position]
        names = [m for m in _WORLD_MODES if _mentions_field(mode, m)]
        if not names:
            for leaf in res.leaves(mode, cls, method):
                if isinstance(leaf.value, FieldRef) and leaf.value.name in _WORLD_MODES:
                    names.append(leaf.value.name)
                elif isinstance(leaf.value, Const) and type(leaf.value.value) is int and leaf.value.value in (1, 2, 3):
                    names.append("MODE_WORLD_READABLE" if leaf.value.value & 1 else "MODE_WORLD_WRITEABLE")
        if names:
            yield _hit(rule, model, cls, method, call.line, f"{call.name}(…, {' | '.join(sorted(set(names)))})",
                       call.name + ":" + "|".join(sorted(set(names))))


def _mentions_field(value: Value, name: str) -> bool:
    if isinstance(value, FieldRef):
        return value.name == name
    from csmguard.scanners.app.program import sub_values
    return any(_mentions_field(v, name) for v in sub_values(value))


def _sensitive_leaves(res: Resolver, value: Value, cls: ClassModel, method: MethodModel,
                      kinds: frozenset[str] = frozenset({"sensitive-name", "decrypted"})) -> list[Leaf]:
    """Leaves of ``value`` that carry sensitive data: a secret-named variable, decrypted data, or input from a
    secret-named widget (``etPassword.getText()``)."""
    out = []
    for leaf in res.sources(value, cls, method):
        assert isinstance(leaf.value, Source)
        if leaf.value.kind in kinds or is_sensitive_name(leaf.value.origin.split("(")[0]):
            out.append(leaf)
    return out


def _sensitive_key(res: Resolver, value: Value, cls: ClassModel, method: MethodModel) -> str | None:
    for s in res.strings(value, cls, method):
        if is_sensitive_name(s):
            return s
    return None


_PUT = frozenset({"putString", "putStringSet", "putInt", "putLong"})


def sensitive_in_preferences(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A secret (by its key name or by where the value comes from) written in the clear to SharedPreferences
    or to an SQLite row (``ContentValues.put``)."""
    for cls, method, call in res.calls():
        if len(call.args) < 2:
            continue
        if call.name == "put":
            if simple_name(call.owner) != "ContentValues":
                continue
        elif call.name not in _PUT or not _owner_is(call, "Editor", "SharedPreferences$Editor"):
            continue
        if _uses_encryption(method, cls):
            continue
        key = _sensitive_key(res, call.args[0], cls, method)
        leaves = _sensitive_leaves(res, call.args[1], cls, method)
        if key is None and not leaves:
            continue
        what = f'key "{key[:40]}"' if key else f"value from {leaves[0].value.origin}"  # type: ignore[union-attr]
        yield _hit(rule, model, cls, method, call.line, f"{call.name}({what}) to SharedPreferences",
                   f"{call.name}:{key or ''}", leaves[0] if leaves else None)


def _uses_encryption(method: MethodModel, cls: ClassModel) -> bool:
    """The method (or its class) stores through encrypted preferences or encrypts first."""
    for m in (method, *cls.methods):
        for call in method_calls(m):
            owner = simple_name(call.owner)
            if owner in ("EncryptedSharedPreferences", "MasterKey", "MasterKeys") or call.name in (
                    "encrypt", "doFinal"):
                return True
    return False


_LOG_CALLS = {("Log", "v"), ("Log", "d"), ("Log", "i"), ("Log", "w"), ("Log", "e"), ("Log", "wtf"),
              ("PrintStream", "println"), ("PrintStream", "print"), ("PrintStream", "printf"),
              ("Timber", "d"), ("Timber", "i"), ("Timber", "v"), ("Timber", "w"), ("Timber", "e"),
              ("Logger", "info"), ("Logger", "fine"), ("Logger", "warning"), ("Logger", "severe"),
              ("Logger", "debug"), ("", "println"), ("", "print"), ("", "NSLog"), ("", "debugPrint")}


def _is_log(call: Call) -> bool:
    owner = simple_name(call.owner)
    if (owner, call.name) in _LOG_CALLS:
        return True
    if call.name in ("println", "print", "printf") and isinstance(call.receiver, FieldRef) \
            and call.receiver.name in ("out", "err"):
        return True
    return owner == "" and (call.owner is None) and call.name in ("println", "print", "NSLog", "debugPrint") \
        and call.receiver is None


def sensitive_to_log(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A secret (secret-named variable, decrypted data, a password field's text) reaching a log call."""
    for cls, method, call in res.calls():
        if not _is_log(call):
            continue
        for arg in call.args:
            leaves = _sensitive_leaves(res, arg, cls, method)
            if leaves:
                src = leaves[0].value
                assert isinstance(src, Source)
                yield _hit(rule, model, cls, method, call.line,
                           f"{simple_name(call.owner) + '.' if call.owner else ''}{call.name}(…) logs {src.origin}",
                           f"{call.name}:{src.origin}", leaves[0])
                break


_MESSAGE_SINKS = {("SmsManager", "sendTextMessage"): (2,), ("SmsManager", "sendMultipartTextMessage"): (2,),
                  ("Builder", "setContentText"): (0,), ("Builder", "setContentTitle"): (0,),
                  ("BigTextStyle", "bigText"): (0,), ("Builder", "setTicker"): (0,)}


def sensitive_in_message(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A secret put into an SMS body or a notification's text."""
    for cls, method, call in res.calls():
        positions = _MESSAGE_SINKS.get((simple_name(call.owner) or _guess_owner(call), call.name))
        if positions is None:
            continue
        for p in positions:
            if p >= len(call.args):
                continue
            leaves = _sensitive_leaves(res, call.args[p], cls, method)
            text = " ".join(res.strings(call.args[p], cls, method))
            if leaves or (is_sensitive_name(text) and "…" in text):
                origin = leaves[0].value.origin if leaves else "a value labelled as secret"  # type: ignore[union-attr]
                yield _hit(rule, model, cls, method, call.line, f"{call.name}(…) carries {origin}",
                           f"{call.name}:{origin}", leaves[0] if leaves else None)
                break


def _guess_owner(call: Call) -> str:
    if call.name in ("sendTextMessage", "sendMultipartTextMessage"):
        return "SmsManager"
    if call.name in ("setContentText", "setContentTitle", "setTicker"):
        return "Builder"
    return ""


def sensitive_to_clipboard(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A secret put on the clipboard (``ClipData.newPlainText`` given to ``setPrimaryClip``)."""
    for cls, method, call in res.calls():
        if call.name != "newPlainText" or len(call.args) < 2:
            continue
        if any(_mentions_field(v, "EXTRA_IS_SENSITIVE") for c in method_calls(method) for v in c.args) or any(
                isinstance(e, Assign) and _mentions_field(e.value, "EXTRA_IS_SENSITIVE") for e in method.events):
            continue  # marked sensitive: Android 13+ hides it from the clipboard preview and other apps' view
        leaves = _sensitive_leaves(res, call.args[1], cls, method)
        if leaves:
            origin = leaves[0].value.origin  # type: ignore[union-attr]
            yield _hit(rule, model, cls, method, call.line, f"clipboard gets {origin}", origin, leaves[0])


# ---------------------------------------------------------------------------------------------- TLS


def _implements(cls: ClassModel, *names: str) -> bool:
    return any(simple_name(s) in names for s in cls.supertypes)


_HARMLESS = frozenset({"d", "i", "v", "w", "e", "println", "print", "printStackTrace", "wtf", "log"})


def trust_all_certificates(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """An ``X509TrustManager`` whose ``checkServerTrusted`` accepts every chain (no check, no throw)."""
    for cls in model.classes:
        if not _implements(cls, "X509TrustManager", "X509ExtendedTrustManager", "TrustManager"):
            continue
        for method in cls.methods:
            if method.name != "checkServerTrusted":
                continue
            calls = [c for c in method_calls(method) if c.name not in _HARMLESS]
            if not calls:
                yield _hit(rule, model, cls, method, method.line, "checkServerTrusted accepts every certificate",
                           "checkServerTrusted")


def hostname_verifier_all(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A ``HostnameVerifier`` whose ``verify`` always returns true, or the allow-all verifiers of libraries."""
    for cls in model.classes:
        if _implements(cls, "HostnameVerifier"):
            for method in cls.methods:
                if method.name != "verify":
                    continue
                returns = [e.value for e in method.events if isinstance(e, Return)]
                if returns and all(isinstance(v, Const) and v.value is True for v in returns):
                    yield _hit(rule, model, cls, method, method.line, "HostnameVerifier.verify returns true",
                               "verify")
    for cls, method, call in res.calls():
        if call.name == "<init>" and simple_name(call.owner) in ("AllowAllHostnameVerifier", "NoopHostnameVerifier"):
            yield _hit(rule, model, cls, method, call.line, f"new {simple_name(call.owner)}()",
                       simple_name(call.owner))
        elif call.name in ("setHostnameVerifier", "hostnameVerifier", "setDefaultHostnameVerifier") and call.args:
            arg = call.args[-1]
            if _mentions_field(arg, "ALLOW_ALL_HOSTNAME_VERIFIER"):
                yield _hit(rule, model, cls, method, call.line, "ALLOW_ALL_HOSTNAME_VERIFIER", "ALLOW_ALL")
            elif isinstance(arg, Unknown) and arg.hint == "lambda" and arg.parts and all(
                    isinstance(p, Const) and p.value is True for p in arg.parts):
                yield _hit(rule, model, cls, method, call.line, f"{call.name} {{ … -> true }} accepts every host",
                           f"lambda:{call.name}")


def ssl_error_proceed(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """``onReceivedSslError`` that calls ``handler.proceed()`` (the handler is its second parameter)."""
    for cls in model.classes:
        for method in cls.methods:
            if method.name != "onReceivedSslError":
                continue
            for call in method_calls(method):
                if call.name == "proceed" and not call.args:
                    yield _hit(rule, model, cls, method, call.line, "SslErrorHandler.proceed() on an SSL error",
                               "proceed")
                    break


# ---------------------------------------------------------------------------------------------- input → sinks

_UNTRUSTED = frozenset({"intent-extra", "deep-link", "ui-input", "network", "file"})


def _untrusted(res: Resolver, value: Value, cls: ClassModel, method: MethodModel,
               kinds: frozenset[str] = _UNTRUSTED) -> list[Leaf]:
    out = [leaf for leaf in res.sources(value, cls, method)
           if isinstance(leaf.value, Source) and leaf.value.kind in kinds]
    if "JavascriptInterface" in method.annotations:  # a JavaScript interface method's parameters come from JS
        out.extend(leaf for leaf in res.leaves(value, cls, method) if isinstance(leaf.value, Param))
    return out


def webview_loads_input(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """``WebView.loadUrl`` / ``loadData`` / ``evaluateJavascript`` of intent, deep-link or typed data."""
    for cls, method, call in res.calls():
        if call.name not in ("loadUrl", "loadData", "loadDataWithBaseURL", "evaluateJavascript", "postUrl") \
                or not call.args or not _owner_is(call, "WebView"):
            continue
        script = [s for s in res.strings(call.args[0], cls, method)
                  if "…" in s and (call.name == "evaluateJavascript" or s.lower().startswith("javascript:"))]
        if script and not guarded(method, call.args[0]):
            yield _hit(rule, model, cls, method, call.line, f'WebView.{call.name}("{script[0][:60]}") runs script '
                       "built from a value that is not a constant", f"{call.name}:script")
            continue
        leaves = _untrusted(res, call.args[0], cls, method, frozenset({"intent-extra", "deep-link"}))
        if leaves and not guarded(method, call.args[0]):
            src = leaves[0].value
            origin = src.origin if isinstance(src, Source) else "a parameter"
            yield _hit(rule, model, cls, method, call.line, f"WebView.{call.name}(…) of {origin}",
                       f"{call.name}:{origin}", leaves[0])


_SQL_EXEC = {"rawQuery": 0, "execSQL": 0, "rawQueryWithFactory": 1, "compileStatement": 0}
_SQL_WORD = re.compile(r"(?i)\b(?:select|insert|update|delete|where|values|from|drop|create)\b")


def sql_from_input(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """SQL run through ``rawQuery``/``execSQL`` built by concatenating a value that is not a constant."""
    for cls, method, call in res.calls():
        position = _SQL_EXEC.get(call.name)
        if position is None or len(call.args) <= position:
            continue
        sql = call.args[position]
        strings = res.strings(sql, cls, method)
        built = [s for s in strings if "…" in s and _SQL_WORD.search(s)]
        if not built:
            continue
        leaves = _untrusted(res, sql, cls, method, _UNTRUSTED | {"parameter", "preferences"})
        detail = f'{call.name}("{built[0][:80]}")'
        if leaves:
            src = leaves[0].value
            detail += f" with {src.origin if isinstance(src, Source) else 'a parameter'}"
        yield _hit(rule, model, cls, method, call.line, detail, f"{call.name}:{built[0][:40]}",
                   leaves[0] if leaves else None)


def command_from_input(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """``Runtime.exec`` / ``ProcessBuilder`` given a command built from intent, deep-link, typed or downloaded
    data (or a JavaScript interface method's parameters)."""
    for cls, method, call in res.calls():
        runs = (call.name == "exec" and _owner_is(call, "Runtime")) or (
            call.name == "<init>" and simple_name(call.owner) == "ProcessBuilder") or (
            call.name == "command" and _owner_is(call, "ProcessBuilder"))
        if not runs:
            continue
        for arg in call.args:
            leaves = _untrusted(res, arg, cls, method)
            if leaves and not guarded(method, arg):
                src = leaves[0].value
                origin = src.origin if isinstance(src, Source) else "a JavaScript interface parameter"
                yield _hit(rule, model, cls, method, call.line, f"command run with {origin}",
                           f"{call.name}:{origin}", leaves[0])
                break


def provider_path_traversal(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A ``ContentProvider.openFile`` that joins the caller's URI path to a folder without canonicalising it."""
    for cls in model.classes:
        if not _implements(cls, "ContentProvider", "FileProvider", "DocumentsProvider"):
            continue
        for method in cls.methods:
            if method.name not in ("openFile", "openAssetFile", "openTypedAssetFile"):
                continue
            calls = list(method_calls(method))
            if any(c.name in ("getCanonicalPath", "getCanonicalFile", "normalize", "toRealPath") for c in calls):
                continue
            for call in calls:
                if call.name != "<init>" or simple_name(call.owner) != "File":
                    continue
                for arg in call.args:
                    leaves = [leaf for leaf in res.leaves(arg, cls, method)
                              if (isinstance(leaf.value, Param) and leaf.value.position == 0)
                              or (isinstance(leaf.value, Source) and leaf.value.kind == "deep-link")]
                    if leaves:
                        yield _hit(rule, model, cls, method, call.line,
                                   "openFile builds a File from the caller's URI without canonicalising it",
                                   "openFile", leaves[0])
                        break


def intent_deserialization(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A ``Serializable`` object taken from an intent or bundle (``getSerializableExtra``/``getSerializable``)."""
    for cls, method, call in res.calls():
        if call.name in ("getSerializableExtra", "getSerializable"):
            yield _hit(rule, model, cls, method, call.line, f"{call.name}(…) deserialises data from another app",
                       call.name)


_EXTERNAL = frozenset({"getExternalStorageDirectory", "getExternalStoragePublicDirectory", "getExternalFilesDir",
                       "getExternalCacheDir", "getExternalFilesDirs"})
_WRITERS = frozenset({"FileOutputStream", "FileWriter", "PrintWriter", "RandomAccessFile"})


_FILE_EXTENSION_WRITES = frozenset({"writeText", "writeBytes", "appendText", "appendBytes"})
_KEY_FILE = re.compile(r"(?i)\.(?:p12|pfx|jks|bks|keystore|key|pem)$")


def sensitive_to_external_storage(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """A file on external storage (``getExternalStorageDirectory``, ``/sdcard``) written with secret data, or
    named as a key store or a secret (``client_cert.p12``, ``password.txt``)."""
    for cls, method, call in res.calls():
        if call.name in _FILE_EXTENSION_WRITES and call.receiver is not None:
            path: Value = call.receiver  # Kotlin: File(…).writeText(data)
        elif call.name == "<init>" and simple_name(call.owner) in _WRITERS and call.args:
            path = call.args[0]
        else:
            continue
        external = False
        secret_name = ""
        for leaf in res.leaves(path, cls, method):
            v = leaf.value
            if (isinstance(v, Call) and v.name in _EXTERNAL) or (
                    isinstance(v, Const) and isinstance(v.value, str) and v.value.startswith(("/sdcard",
                                                                                             "/storage/emulated"))):
                external = True
            if isinstance(v, Const) and isinstance(v.value, str) and (
                    _KEY_FILE.search(v.value) or is_sensitive_name(v.value.rsplit("/", 1)[-1].split(".")[0])):
                secret_name = v.value.rsplit("/", 1)[-1]
        if not external:
            continue
        if secret_name:
            yield _hit(rule, model, cls, method, call.line, f'"{secret_name[:60]}" written to external storage',
                       f"external:{secret_name[:60]}")
            continue
        written = [c for c in method_calls(method) if c.name in ("write", "append", "println", "print")] + (
            [call] if call.name in _FILE_EXTENSION_WRITES else [])
        for w in written:
            leaves = [leaf for a in w.args for leaf in _sensitive_leaves(res, a, cls, method)]
            if leaves:
                origin = leaves[0].value.origin  # type: ignore[union-attr]
                yield _hit(rule, model, cls, method, w.line, f"{origin} written to external storage",
                           f"external:{origin}", leaves[0])
                break


def webview_file_access(rule: Rule, model: ProgramFile, res: Resolver) -> Iterator[FlowHit]:
    """WebView settings that let ``file://`` pages read other files or any origin."""
    for cls, method, call in res.calls():
        if call.name in ("setAllowFileAccessFromFileURLs", "setAllowUniversalAccessFromFileURLs",
                         "setAllowFileAccess") and call.args \
                and any(isinstance(leaf.value, Const) and leaf.value.value is True
                        for leaf in res.leaves(call.args[0], cls, method)):
            yield _hit(rule, model, cls, method, call.line, f"{call.name}(true)", call.name)


# What a file must hold for a check to find anything in it: every group (a tuple of alternatives) must have
# one alternative in the lower-cased text. Files holding none of any check's groups are not parsed; within a
# file only the methods holding a check's first group (its sinks) and the own methods connected to them by
# calls are lowered, which keeps large trees fast.
_SECRET_WORDS = ("pass", "pwd", "pin", "token", "secret", "credential", "otp", "cvv", "card", "account",
                 "session", "private", "dofinal", "decrypt", "cert")
FLOW_TRIGGERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "hardcoded_crypto_key": (("keyspec",),),
    "static_iv": (("parameterspec",),),
    "hardcoded_key_material": (("key",), ("decode", "bytearrayof", "hex", "0x")),
    "weak_cipher_mode": (("cipher",),),
    "world_accessible_storage": (("getsharedpreferences", "openfileoutput", "openorcreatedatabase", "getdir"),
                                 ("mode_world",)),
    "sensitive_in_preferences": (("putstring", "putint", "putlong", "contentvalues"), _SECRET_WORDS),
    "sensitive_to_log": (("log", "print", "timber"), _SECRET_WORDS),
    "sensitive_in_message": (("sendtextmessage", "sendmultiparttextmessage", "setcontent", "setticker",
                              "bigtext"), _SECRET_WORDS),
    "sensitive_to_clipboard": (("newplaintext",),),
    "sensitive_to_external_storage": (("external", "sdcard", "/storage/"),),
    "trust_all_certificates": (("trustmanager",),),
    "hostname_verifier_all": (("hostnameverifier",),),
    "ssl_error_proceed": (("onreceivedsslerror",),),
    "webview_loads_input": (("loadurl", "loaddata", "evaluatejavascript", "posturl"),),
    "webview_file_access": (("setallow", "allowfileaccess", "allowuniversalaccess"),),
    "sql_from_input": (("rawquery", "execsql", "compilestatement"),),
    "provider_path_traversal": (("openfile", "openassetfile", "opentypedassetfile"),),
    "intent_deserialization": (("getserializable",),),
    "command_from_input": (("exec", "processbuilder"),),
}


def triggered(lowered: str, groups: tuple[tuple[str, ...], ...]) -> bool:
    """Whether lower-cased text holds an alternative of every group."""
    return all(any(word in lowered for word in group) for group in groups)


FLOW_CHECKS: dict[str, FlowCheckFn] = {
    "hardcoded_crypto_key": hardcoded_crypto_key,
    "hardcoded_key_material": hardcoded_key_material,
    "static_iv": static_iv,
    "weak_cipher_mode": weak_cipher_mode,
    "world_accessible_storage": world_accessible_storage,
    "sensitive_in_preferences": sensitive_in_preferences,
    "sensitive_to_log": sensitive_to_log,
    "sensitive_in_message": sensitive_in_message,
    "sensitive_to_clipboard": sensitive_to_clipboard,
    "sensitive_to_external_storage": sensitive_to_external_storage,
    "trust_all_certificates": trust_all_certificates,
    "hostname_verifier_all": hostname_verifier_all,
    "ssl_error_proceed": ssl_error_proceed,
    "webview_loads_input": webview_loads_input,
    "webview_file_access": webview_file_access,
    "sql_from_input": sql_from_input,
    "provider_path_traversal": provider_path_traversal,
    "intent_deserialization": intent_deserialization,
    "command_from_input": command_from_input,
}
