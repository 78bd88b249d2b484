"""A fast reader for the common subset of HCL2 that Terraform files use: blocks, attributes, literals,
lists, objects and heredocs, with every other expression kept as ``"${…}"`` text.

It produces the same shape as python-hcl2 (``SerializationOptions(strip_string_quotes=True)``, markers
removed) at a fraction of the cost; on anything it does not understand it raises :class:`HclSyntaxError`
and the caller falls back to python-hcl2, which also produces the error message for malformed files."""

from __future__ import annotations

import re
from typing import Any

from csmguard.scanning.budget import MAX_NESTING_DEPTH, too_deep

_IDENT = re.compile(r"[A-Za-z_][\w-]*")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_]\w*)[ \t]*\n")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_COMMENT_OR_STRING = re.compile(r'"(?:\\.|[^"\\])*"|#[^\n]*|//[^\n]*|/\*.*?\*/', re.DOTALL)


class HclSyntaxError(ValueError):
    """The text is outside the subset this reader handles (or is not valid HCL)."""


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.length = len(text)
        self.depth = 0

    def enter(self) -> None:
        """One level deeper (a block or a collection); BudgetExceeded past the nesting budget, which
        keeps this recursive reader far from Python's recursion limit."""
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise too_deep(f"at offset {self.pos}")

    # --- whitespace and comments -------------------------------------------------------------
    def skip(self, newlines: bool = True) -> None:
        """Move past blanks and comments (and newlines unless told not to)."""
        text, length = self.text, self.length
        while self.pos < length:
            char = text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif char == "#" or text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = length if end < 0 else end
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    raise HclSyntaxError("unterminated comment")
                self.pos = end + 2
            else:
                return

    def peek(self) -> str:
        """The next character, or "" at the end."""
        return self.text[self.pos] if self.pos < self.length else ""

    # --- bodies -------------------------------------------------------------------------------
    def body(self, closing: str) -> dict[str, Any]:
        """Attributes and blocks up to ``closing`` ("" for the end of the file)."""
        out: dict[str, Any] = {}
        while True:
            self.skip()
            if self.peek() == closing:
                self.pos += 1 if closing else 0
                return out
            if not self.peek():
                raise HclSyntaxError("unexpected end of file")
            name = self.ident()
            self.skip(newlines=False)
            if self.peek() == "=" and not self.text.startswith("==", self.pos):
                self.pos += 1
                out[name] = self.value(stops="\n")
                continue
            labels: list[str] = []
            while self.peek() != "{":
                if self.peek() == '"':
                    labels.append(self.plain_string())
                else:
                    labels.append(self.ident())
                self.skip(newlines=False)
            self.pos += 1
            self.enter()
            block: Any = self.body("}")
            self.depth -= 1
            for label in reversed(labels):
                block = {label: block}
            out.setdefault(name, []).append(block)

    def ident(self) -> str:
        """A name."""
        match = _IDENT.match(self.text, self.pos)
        if match is None:
            raise HclSyntaxError(f"expected a name at offset {self.pos}")
        self.pos = match.end()
        return match.group(0)

    # --- strings ------------------------------------------------------------------------------
    def _string_end(self, start: int) -> int:
        """Index just past the closing quote of the string opening at ``start`` (templates included)."""
        text, i = self.text, start + 1
        while i < self.length:
            char = text[i]
            if char == "\\":
                i += 2
            elif char == '"':
                return i + 1
            elif char in "$%" and text.startswith("{", i + 1):
                i = self._balanced_end(i + 1)
            elif char == "\n":
                raise HclSyntaxError("newline in string")
            else:
                i += 1
        raise HclSyntaxError("unterminated string")

    def _balanced_end(self, start: int) -> int:
        """Index just past the bracket that closes the one at ``start``, skipping strings."""
        stack = [_OPENERS[self.text[start]]]
        i = start + 1
        while i < self.length:
            char = self.text[i]
            if char == '"':
                i = self._string_end(i)
                continue
            if char in _OPENERS:
                stack.append(_OPENERS[char])
            elif char in ")]}":
                if char != stack.pop():
                    raise HclSyntaxError("mismatched brackets")
                if not stack:
                    return i + 1
            elif char == "#" or self.text.startswith("//", i):
                end = self.text.find("\n", i)
                i = self.length if end < 0 else end
                continue
            i += 1
        raise HclSyntaxError("unbalanced brackets")

    def plain_string(self) -> str:
        """A quoted string with its escapes decoded (templates are kept as written)."""
        end = self._string_end(self.pos)
        raw = self.text[self.pos + 1: end - 1]
        self.pos = end
        if "\\" not in raw:
            return raw
        return re.sub(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)",
                      lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "uU" and len(m.group(1)) > 1
                      else _ESCAPES.get(m.group(1), "\\" + m.group(1)), raw)

    # --- values -------------------------------------------------------------------------------
    def value(self, stops: str) -> Any:
        """A value ending at a newline (attributes) or at ``,`` / a closing bracket (collections)."""
        self.skip(newlines=stops != "\n")
        start = self.pos
        char = self.peek()
        result: Any
        if char in "[{" and re.match(r"[\[{]\s*for\s", self.text[self.pos: self.pos + 40]):
            return self.expression(start, stops)  # a for expression stays text, like any other
        if char == '"':
            result = self.plain_string()
        elif char == "[":
            result = self.collection("]")
        elif char == "{":
            result = self.collection("}")
        elif char == "<" and (heredoc := _HEREDOC.match(self.text, self.pos)):
            return self.heredoc(heredoc)
        elif (number := _NUMBER.match(self.text, self.pos)) and not _IDENT.match(self.text, number.end()):
            self.pos = number.end()
            result = float(number.group(0)) if any(c in number.group(0) for c in ".eE") else int(number.group(0))
        else:
            word = _IDENT.match(self.text, self.pos)
            keyword = word.group(0) if word else ""
            after = self.text[word.end()] if word and word.end() < self.length else ""
            if keyword in {"true", "false", "null"} and after not in ".[(":
                self.pos = word.end() if word else self.pos
                result = {"true": True, "false": False, "null": None}[keyword]
            else:
                return self.expression(start, stops)
        self.skip(newlines=False)
        nxt = self.peek()
        if nxt in ("", "\n", ",", "}", "]", ")", "#") or self.text.startswith("//", self.pos) or (
                nxt == ":" and stops != "\n") or (nxt == "=" and not self.text.startswith("==", self.pos)):
            return result
        return self.expression(start, stops)

    def collection(self, closing: str) -> Any:
        """A list (``closing`` "]") or an object (``closing`` "}")."""
        self.pos += 1
        self.enter()
        try:
            return self._items(closing)
        finally:
            self.depth -= 1

    def _items(self, closing: str) -> Any:
        if closing == "]":
            items: list[Any] = []
            while True:
                self.skip()
                if self.peek() == "]":
                    self.pos += 1
                    return items
                if self.text.startswith("for ", self.pos):
                    raise HclSyntaxError("for expression")
                items.append(self.value(stops=",]"))
                self.skip()
                if self.peek() == ",":
                    self.pos += 1
        obj: dict[str, Any] = {}
        while True:
            self.skip()
            if self.peek() == "}":
                self.pos += 1
                return obj
            if self.text.startswith("for ", self.pos):
                raise HclSyntaxError("for expression")
            if self.peek() == '"':
                key = self.plain_string()
            elif self.peek() == "(":
                raise HclSyntaxError("computed object key")
            else:
                key = self.ident()
            self.skip(newlines=False)
            if self.peek() not in "=:":
                raise HclSyntaxError(f"expected = or : at offset {self.pos}")
            self.pos += 1
            obj[key] = self.value(stops=",}")
            self.skip()
            if self.peek() == ",":
                self.pos += 1

    def heredoc(self, match: re.Match[str]) -> str:
        """A heredoc, kept whole as python-hcl2 keeps it."""
        marker = match.group(2)
        end = re.compile(r"^[ \t]*" + re.escape(marker) + r"[ \t]*$", re.MULTILINE).search(self.text, match.end())
        if end is None:
            raise HclSyntaxError("unterminated heredoc")
        content = self.text[match.end(): end.start()].rstrip("\n")
        self.pos = end.end()
        return f"<<{match.group(1)}{marker}\n{content}\n{end.group(0).rstrip()}"

    def expression(self, start: int, stops: str) -> str:
        """Any other expression, kept as text: up to a newline outside brackets (attributes) or up to
        ``,`` or the collection's closing bracket."""
        i = start
        text = self.text
        while i < self.length:
            char = text[i]
            if char == '"':
                i = self._string_end(i)
            elif char in _OPENERS:
                i = self._balanced_end(i)
            elif char == "<" and text.startswith("<<", i) and _HEREDOC.match(text, i):
                raise HclSyntaxError("heredoc inside an expression")
            elif char == "\n":
                break
            elif char == "=" and text[i - 1: i] not in ("=", "!", "<", ">") and text[i + 1: i + 2] not in ("=", ">"):
                raise HclSyntaxError(f"unexpected '=' at offset {i}")
            elif char in stops or char in ")]}" or char == "#" or text.startswith("//", i):
                break
            else:
                i += 1
        raw = text[start:i].strip()
        if "#" in raw or "/" in raw:
            raw = _COMMENT_OR_STRING.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", raw).strip()
        if not raw:
            raise HclSyntaxError(f"empty expression at offset {start}")
        self.pos = i
        if _IDENT.fullmatch(raw):
            return raw  # a bare name (e.g. a dynamic block's iterator), as python-hcl2 gives it
        return "${" + raw + "}"


def parse_hcl(text: str) -> dict[str, Any]:
    """The body of an HCL file as python-hcl2 would give it (quotes stripped, no markers)."""
    reader = _Reader(text)
    return reader.body("")


def parse_hcl_expression(text: str) -> Any:
    """One HCL value (an object, list or literal) written in HCL syntax, e.g. the argument of ``jsonencode``."""
    reader = _Reader(text)
    value = reader.value(stops=",)")
    reader.skip()
    if reader.pos != reader.length:
        raise HclSyntaxError("trailing text after the value")
    return value


