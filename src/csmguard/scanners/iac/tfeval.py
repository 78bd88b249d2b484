"""Evaluating a Terraform expression that the fast reader kept as ``${…}`` text, when every part it needs is
known: literals, ``var.``/``local.``/``count.``/``each.``/``path.`` references, ``!``, ``&&``, ``||``,
comparisons, arithmetic, conditionals ``c ? a : b``, tuples, string templates and a few pure functions
(``tolist``, ``toset``, ``list``, ``concat``, ``length``, ``tobool``, ``tostring``, ``tonumber``, ``lower``,
``upper``, ``file``).

The result is a plain value; :data:`UNKNOWN` when the expression depends on something only Terraform knows
at apply time (then the caller keeps the text, and checks report ``unknown``); an :class:`Opaque` value
when the expression *is* such a reference (``aws_s3_bucket.logs[0].id``) or picks one through a known
condition, so the caller keeps that reference as text. ``for`` expressions, splats and objects are not
evaluated (UNKNOWN)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 1_000_000


class _Unknown:
    """The value of an expression that cannot be evaluated before apply."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class Opaque:
    """An expression kept as text (``"${…}"``): a reference to a resource, data source or module output."""

    text: str


class _GiveUp(Exception):
    """Syntax outside what this evaluator reads (for expressions, splats, objects …)."""


@dataclass(frozen=True)
class FileAccess:
    """What ``file()`` and ``path.*`` may see: the module folder, the root module folder (Terraform's
    working directory, against which relative paths are read) and the folder nothing may be read outside of
    (the scanned target)."""

    module: Path
    root: Path
    boundary: Path

    def read(self, name: str) -> str | None:
        """The text of file ``name`` (relative to the root module), or None when it is missing, outside the
        scanned folder, over 1 MB or not UTF-8 text."""
        path = Path(name)
        path = path if path.is_absolute() else self.root / path
        try:
            real = path.resolve(strict=True)
            if not real.is_relative_to(self.boundary) or not real.is_file() or real.stat().st_size > MAX_FILE_BYTES:
                return None
            return real.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, RuntimeError):
            return None


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<string>"(?:\\.|[^"\\])*")
  | (?P<ident>[A-Za-z_][\w-]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||\.\.\.|=>|[!<>?:,.\[\](){}+\-*/%])
""", re.VERBOSE)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _tokens(text: str) -> list[tuple[str, str, int, int]]:
    out = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise _GiveUp(f"unexpected {text[pos]!r}")
        kind = match.lastgroup or ""
        if kind != "ws":
            out.append((kind, match.group(), match.start(), match.end()))
        pos = match.end()
    return out


def _known(value: Any) -> bool:
    return value is not UNKNOWN and not isinstance(value, Opaque)


def _as_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return UNKNOWN


def _as_number(value: Any) -> Any:
    if isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return UNKNOWN
    return UNKNOWN


def _as_string(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return UNKNOWN


def _scalar_kind(value: Any) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "map"
    return None


class _Parser:
    def __init__(self, text: str, context: Mapping[str, Mapping[str, Any]], files: FileAccess | None,
                 resolve_value: Callable[[Any], Any]) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.pos = 0
        self.context = context
        self.files = files
        self.resolve_value = resolve_value

    def peek(self, offset: int = 0) -> tuple[str, str, int, int] | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def at(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] == value

    def take(self, value: str) -> None:
        if not self.at(value):
            raise _GiveUp(f"expected {value!r}")
        self.pos += 1

    def parse(self) -> Any:
        value = self.ternary()
        if self.peek() is not None:
            raise _GiveUp("trailing tokens")
        return value

    def ternary(self) -> Any:
        condition = self.binary(0)
        if not self.at("?"):
            return condition
        self.pos += 1
        yes = self.ternary()
        self.take(":")
        no = self.ternary()
        decided = _as_bool(condition) if _known(condition) else UNKNOWN
        if decided is UNKNOWN:
            return UNKNOWN
        return yes if decided else no

    _LEVELS: tuple[tuple[str, ...], ...] = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"),
                                           ("*", "/", "%"))

    def binary(self, level: int) -> Any:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            token = self.peek()
            if token is None or token[0] != "op" or token[1] not in self._LEVELS[level]:
                return left
            self.pos += 1
            right = self.binary(level + 1)
            left = _apply(token[1], left, right)

    def unary(self) -> Any:
        if self.at("!"):
            self.pos += 1
            value = self.unary()
            flag = _as_bool(value) if _known(value) else UNKNOWN
            return UNKNOWN if flag is UNKNOWN else not flag
        if self.at("-"):
            self.pos += 1
            value = self.unary()
            number = _as_number(value) if _known(value) else UNKNOWN
            return UNKNOWN if number is UNKNOWN else -number
        return self.postfix()

    def postfix(self) -> Any:
        start = self.peek()
        value = self.primary()
        while self.at(".") or self.at("["):
            if self.at("."):
                self.pos += 1
                token = self.peek()
                if token is None or token[0] not in ("ident", "number"):
                    raise _GiveUp("splat or bad attribute")
                self.pos += 1
                value = _get(value, token[1])
            else:
                self.pos += 1
                if self.at("*"):
                    raise _GiveUp("splat")
                index = self.ternary()
                self.take("]")
                value = _get(value, index)
        if isinstance(value, _Reference):
            return value.finish(self.text[start[2] if start else 0:self.tokens[self.pos - 1][3]], self)
        return value

    def primary(self) -> Any:
        token = self.peek()
        if token is None:
            raise _GiveUp("unexpected end")
        kind, text = token[0], token[1]
        self.pos += 1
        if kind == "number":
            return float(text) if any(c in text for c in ".eE") else int(text)
        if kind == "string":
            return self.template(text[1:-1])
        if kind == "op" and text == "(":
            value = self.ternary()
            self.take(")")
            return value
        if kind == "op" and text == "[":
            if self.peek() is not None and self.peek()[1] == "for":  # type: ignore[index]
                raise _GiveUp("for expression")
            items = []
            while not self.at("]"):
                items.append(self.ternary())
                if not self.at(","):
                    break
                self.pos += 1
            self.take("]")
            if any(item is UNKNOWN for item in items):
                return UNKNOWN
            return [item.text if isinstance(item, Opaque) else item for item in items]
        if kind == "ident":
            if text in ("true", "false"):
                return text == "true"
            if text == "null":
                return None
            if self.at("("):
                return self.call(text)
            return _Reference(text, self.context)
        raise _GiveUp(f"unexpected {text!r}")

    def template(self, raw: str) -> Any:
        """A quoted string: escapes decoded, ``${…}`` parts evaluated; UNKNOWN or Opaque when a part is."""
        out: list[str] = []
        pos = 0
        while pos < len(raw):
            if raw.startswith("${", pos):
                end = _closing(raw, pos + 2)
                if end < 0:
                    raise _GiveUp("unterminated interpolation")
                part = evaluate(raw[pos + 2:end], self.context, self.files, self.resolve_value)
                if not _known(part):
                    return UNKNOWN if part is UNKNOWN else Opaque(f'"{raw}"')
                text = _as_string(part)
                if text is UNKNOWN:
                    return UNKNOWN
                out.append(text)
                pos = end + 1
            elif raw.startswith("%{", pos):
                raise _GiveUp("template directive")
            elif raw[pos] == "\\" and pos + 1 < len(raw):
                out.append(_ESCAPES.get(raw[pos + 1], raw[pos + 1]))
                pos += 2
            else:
                out.append(raw[pos])
                pos += 1
        return "".join(out)

    def call(self, name: str) -> Any:
        self.take("(")
        args = []
        while not self.at(")"):
            args.append(self.ternary())
            if self.at("..."):
                raise _GiveUp("argument expansion")
            if not self.at(","):
                break
            self.pos += 1
        self.take(")")
        function = _FUNCTIONS.get(name)
        if function is None or any(not _known(a) for a in args):
            return UNKNOWN
        if name == "file":
            if self.files is None or len(args) != 1 or not isinstance(args[0], str):
                return UNKNOWN
            content = self.files.read(args[0])
            return UNKNOWN if content is None else content
        try:
            return function(*args)
        except (TypeError, ValueError):
            return UNKNOWN


class _Reference:
    """A ``scope.name…`` reference while its traversal is read."""

    def __init__(self, root: str, context: Mapping[str, Mapping[str, Any]]) -> None:
        self.root = root
        self.context = context
        self.path: list[Any] = []

    def finish(self, text: str, parser: _Parser) -> Any:
        if self.root == "path" and parser.files is not None and len(self.path) == 1:
            where = {"module": parser.files.module, "root": parser.files.root, "cwd": parser.files.root}
            found = where.get(str(self.path[0]))
            return UNKNOWN if found is None else str(found)
        if self.root not in self.context:
            if any(part is UNKNOWN or isinstance(part, Opaque) for part in self.path):
                return UNKNOWN
            return Opaque("${" + text + "}")
        value: Any = self.context[self.root]
        for part in self.path:
            if part is UNKNOWN or isinstance(part, Opaque):
                return UNKNOWN
            value = _step(value, part)
            if value is UNKNOWN:
                return UNKNOWN
            value = parser.resolve_value(value)
        if isinstance(value, str) and "${" in value:
            return Opaque(value) if value.startswith("${") and _closing(value, 2) == len(value) - 1 else UNKNOWN
        return value


def _step(value: Any, key: Any) -> Any:
    if isinstance(value, Mapping):
        name = _as_string(key)
        return value[name] if name is not UNKNOWN and name in value else UNKNOWN
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], Mapping) and isinstance(key, str):
            return _step(value[0], key)  # a block written once reads like an object
        index = _as_number(key)
        if isinstance(index, int) and 0 <= index < len(value):
            return value[index]
    return UNKNOWN


def _get(value: Any, key: Any) -> Any:
    if isinstance(value, _Reference):
        value.path.append(key)
        return value
    if not _known(value) or not _known(key):
        return UNKNOWN
    return _step(value, key)


def _apply(op: str, left: Any, right: Any) -> Any:
    if op in ("&&", "||"):
        a = _as_bool(left) if _known(left) else UNKNOWN
        b = _as_bool(right) if _known(right) else UNKNOWN
        decisive = op == "||"
        if a is decisive or b is decisive:
            return decisive
        return UNKNOWN if a is UNKNOWN or b is UNKNOWN else (a or b if decisive else a and b)
    if not _known(left) or not _known(right):
        return UNKNOWN
    if op in ("==", "!="):
        kinds = (_scalar_kind(left), _scalar_kind(right))
        if None in kinds or (kinds[0] != kinds[1] and "null" not in kinds):
            return UNKNOWN  # Terraform's conversions between types are not modelled
        return (left == right) == (op == "==")
    a, b = _as_number(left), _as_number(right)
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    if op == ">=":
        return a >= b
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return UNKNOWN
    return a / b if op == "/" else a % b


def _tolist(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return list(value)


def _toset(value: Any) -> list[Any]:
    items = _tolist(value)
    return [v for i, v in enumerate(items) if v not in items[:i]]


def _concat(*lists: Any) -> list[Any]:
    return [item for value in lists for item in _tolist(value)]


def _length(value: Any) -> int:
    if isinstance(value, list | str | dict):
        return len(value)
    raise TypeError("no length")


def _tobool(value: Any) -> Any:
    return _as_bool(value) if value is not None else None


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "tolist": _tolist, "toset": _toset, "list": lambda *items: list(items), "concat": _concat,
    "length": _length, "tobool": _tobool, "tostring": _as_string, "tonumber": _as_number,
    "lower": lambda s: s.lower() if isinstance(s, str) else UNKNOWN,
    "upper": lambda s: s.upper() if isinstance(s, str) else UNKNOWN,
    "file": lambda name: UNKNOWN,  # read through FileAccess in _Parser.call
}


def _closing(text: str, start: int) -> int:
    """The index of the ``}`` that closes an interpolation whose body starts at ``start``; -1 if none."""
    depth = 0
    pos = start
    while pos < len(text):
        char = text[pos]
        if char == '"':
            pos += 1
            while pos < len(text) and text[pos] != '"':
                pos += 2 if text[pos] == "\\" else 1
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            if depth == 0:
                return pos if char == "}" else -1
            depth -= 1
        pos += 1
    return -1


def single_interpolation(value: str) -> str | None:
    """The body of ``value`` when it is exactly one ``${…}`` interpolation, else None."""
    if not (value.startswith("${") and value.endswith("}")):
        return None
    return value[2:-1] if _closing(value, 2) == len(value) - 1 else None


def evaluate(body: str, context: Mapping[str, Mapping[str, Any]], files: FileAccess | None = None,
             resolve_value: Callable[[Any], Any] = lambda v: v) -> Any:
    """The value of the expression ``body`` (the text inside ``${…}``); UNKNOWN or an Opaque reference when
    it cannot be known before apply. ``resolve_value`` resolves a referenced value that is itself an
    expression (a module input or local written in terms of others)."""
    try:
        return _Parser(body, context, files, resolve_value).parse()
    except (_GiveUp, RecursionError):
        return UNKNOWN
