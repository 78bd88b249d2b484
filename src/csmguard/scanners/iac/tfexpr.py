"""Evaluating the simple Terraform expressions that decide most checks: ``var.``/``local.`` references
(whole values and string interpolation), conditionals, logic and a few functions (:mod:`tfeval`),
``jsonencode({...})`` and JSON heredocs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from csmguard.scanners.iac.hclparse import HclSyntaxError, parse_hcl_expression
from csmguard.scanners.iac.tfeval import UNKNOWN, FileAccess, Opaque, evaluate, single_interpolation
from csmguard.scanning.budget import BudgetExceeded, load_json

_WHOLE = re.compile(r"^\$\{\s*([A-Za-z_][\w-]*)\.([\w-]+)((?:\.[\w-]+|\[\d+\]|\[\"[^\"]*\"\])*)\s*\}$")
_PART = re.compile(r"\$\{\s*([A-Za-z_][\w-]*)\.([\w-]+)\s*\}")
_HEREDOC = re.compile(r"^<<-?(\w+)\n(.*)\n\s*\1\s*$", re.DOTALL)
_JSONENCODE = re.compile(r"^\$\{\s*jsonencode\((.*)\)\s*\}$", re.DOTALL)
_MISSING = object()
_EVALUABLE = re.compile(r"[?!&|=<>(+*%/]|\s-\s")


def hcl2_loads(text: str) -> Any:
    """``text`` parsed by python-hcl2 (quotes stripped, markers removed); imported only when needed,
    since the fast reader handles most files and python-hcl2 takes a while to load."""
    import hcl2
    from hcl2.utils import SerializationOptions

    options = SerializationOptions(with_comments=False, with_meta=False, strip_string_quotes=True)
    return clean(hcl2.loads(text, serialization_options=options))


def clean(value: Any) -> Any:
    """The parsed HCL without the parser's ``__is_block__`` markers."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def _path_get(value: Any, path: str) -> Any:
    for part in re.findall(r"\.([\w-]+)|\[(\d+)\]|\[\"([^\"]*)\"\]", path):
        name, index, key = part
        if index:
            if not isinstance(value, list) or int(index) >= len(value):
                return _MISSING
            value = value[int(index)]
        else:
            wanted = name or key
            if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping):
                value = value[0]
            if not isinstance(value, Mapping) or wanted not in value:
                return _MISSING
            value = value[wanted]
    return value


def resolve(value: Any, context: Mapping[str, Mapping[str, Any]], depth: int = 0,
            files: FileAccess | None = None) -> Any:
    """``value`` with ``var.x`` and ``local.y`` references replaced by their values where known, and whole
    expressions (``var.a || var.b``, ``var.on ? 1 : 0``, ``file("policy.json")`` …) by their value when every
    part is known; ``files`` says what ``file()`` and ``path.*`` may read."""
    if depth > 8:
        return value
    if isinstance(value, str):
        if "${" not in value:
            return value
        match = _WHOLE.match(value)
        if match and match.group(1) in context:
            scope = context.get(match.group(1), {})
            if match.group(2) in scope:
                found = _path_get(scope[match.group(2)], match.group(3))
                if found is not _MISSING:
                    return resolve(found, context, depth + 1, files)
            return value
        body = None if match else single_interpolation(value)
        if body is not None and _EVALUABLE.search(body) and not body.lstrip().startswith("jsonencode("):
            result = evaluate(body, context, files, lambda inner: resolve(inner, context, depth + 1, files))
            if isinstance(result, Opaque):
                return result.text
            if result is not UNKNOWN:
                return result

        def substitute(m: re.Match[str]) -> str:
            scope = context.get(m.group(1), {})
            found = scope.get(m.group(2), _MISSING)
            if found is _MISSING or isinstance(found, dict | list) or found is None:
                return m.group(0)
            found = resolve(found, context, depth + 1)
            if isinstance(found, bool):
                return "true" if found else "false"
            return m.group(0) if isinstance(found, dict | list) else str(found)

        return _PART.sub(substitute, value)
    if isinstance(value, dict):
        return {k: resolve(v, context, depth, files) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, context, depth, files) for v in value]
    return value


def expand_dynamic(body: dict[str, Any], context: Mapping[str, Mapping[str, Any]],
                   files: FileAccess | None = None) -> dict[str, Any]:
    """``body`` with its ``dynamic "x" { for_each = …; content {…} }`` blocks expanded into ``x`` blocks
    where ``for_each`` is a known list or map; the others stay under ``dynamic`` for checks to report."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key != "dynamic":
            out[key] = [expand_dynamic(v, context, files) if isinstance(v, dict) else v for v in value] \
                if isinstance(value, list) else value
    leftover: list[Any] = []
    for block in body.get("dynamic") or []:
        if not isinstance(block, dict):
            continue
        for label, spec in block.items():
            spec = spec if isinstance(spec, dict) else {}
            items = resolve(spec.get("for_each"), context, files=files)
            iterator = str(spec.get("iterator", label)).removeprefix("${").removesuffix("}")
            contents = spec.get("content") or [{}]
            content = contents[0] if isinstance(contents, list) and contents else {}
            pairs = list(enumerate(items)) if isinstance(items, list) else (
                list(items.items()) if isinstance(items, dict) else None)
            if pairs is None or not isinstance(content, dict):
                leftover.append({label: spec})
                continue
            for item_key, item in pairs:
                inner = {**context, iterator: {"key": item_key, "value": item}}
                out.setdefault(label, []).append(expand_dynamic(resolve(content, inner, files=files), inner, files))
    if leftover:
        out["dynamic"] = leftover
    return out


def decode_document(value: Any) -> Any:
    """A JSON document given as a mapping, a JSON string, a heredoc or ``jsonencode({...})``;
    None when it cannot be decoded without running Terraform."""
    if isinstance(value, Mapping):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    heredoc = _HEREDOC.match(text)
    if heredoc:
        text = heredoc.group(2).strip()
    encoded = _JSONENCODE.match(text)
    if encoded:
        try:
            return parse_hcl_expression(encoded.group(1))
        except BudgetExceeded:
            return None
        except HclSyntaxError:
            pass
        try:
            parsed = hcl2_loads(f"document = {encoded.group(1)}\n")
        except Exception:
            return None
        return parsed.get("document")
    if text.startswith("{"):
        try:
            return load_json(text)
        except ValueError:  # not JSON, or nested past the budget (BudgetExceeded)
            return None
    return None
