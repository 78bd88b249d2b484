"""How many instances a definition creates: Terraform ``count``/``for_each`` with literal values, modules
that ``terraform init`` installed, and CloudFormation resources whose ``Condition`` is literally false
(not created at all)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from csmguard.scanners.iac.values import as_int, is_expression

MODULES_JSON = Path(".terraform") / "modules" / "modules.json"
MAX_INSTANCES = 100  # above this, one instance stands for all (checks judge one configuration anyway)
_TOSET = re.compile(r"^\$\{\s*toset\((\[.*\])\)\s*\}$", re.DOTALL)


def read_modules_json(root: Path) -> tuple[dict[str, Path], str]:
    """Module key (``a``, ``a.b``) → installed folder from ``root``'s modules.json, and a problem message
    when the file exists but cannot be read (empty when absent)."""
    path = root / MODULES_JSON
    if not path.is_file():
        return {}, ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return {}, f"not a readable modules.json: {str(exc)[:200]}"
    modules = data.get("Modules") if isinstance(data, dict) else None
    return {str(m["Key"]): (root / str(m["Dir"])).resolve() for m in modules or []
            if isinstance(m, dict) and m.get("Key") and isinstance(m.get("Dir"), str)}, ""


def _literal_keys(for_each: object) -> list[tuple[str, Any]] | None:
    """(key, value) pairs of a literal ``for_each`` map, list or ``toset([...])``; None when not literal."""
    if isinstance(for_each, str):
        match = _TOSET.match(for_each.strip())
        if match is None:
            return None
        try:
            for_each = json.loads(match.group(1))
        except ValueError:
            return None
    if isinstance(for_each, Mapping):
        pairs = [(str(k), v) for k, v in for_each.items()]
    elif isinstance(for_each, list) and all(isinstance(v, str) for v in for_each):
        pairs = [(v, v) for v in for_each]
    else:
        return None
    return None if any(is_expression(k) for k, _ in pairs) else pairs


def terraform_instances(values: Mapping[str, Any]) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    """The instances a resource block creates: (address suffix, extra evaluation context) pairs, and a
    note when ``count``/``for_each`` is not known before apply (then one instance stands for all)."""
    count, for_each = values.get("count"), values.get("for_each")
    if count is not None:
        number = as_int(count)
        if number is None:
            return [("", {})], f"count = {count} is not known before apply: judged as one instance"
        if number > MAX_INSTANCES:
            return [("", {})], f"count = {number}: judged as one instance"
        return [(f"[{i}]", {"count": {"index": i}}) for i in range(number)], ""
    if for_each is not None:
        pairs = _literal_keys(for_each)
        if pairs is None:
            return [("", {})], "for_each is not known before apply: judged as one instance"
        if len(pairs) > MAX_INSTANCES:
            return [("", {})], f"for_each has {len(pairs)} keys: judged as one instance"
        return [(f'["{key}"]', {"each": {"key": key, "value": value}}) for key, value in pairs], ""
    return [("", {})], ""


def _operand(value: Any, defaults: Mapping[str, Any]) -> Any:
    if isinstance(value, Mapping) and len(value) == 1 and isinstance(value.get("Ref"), str):
        return defaults.get(value["Ref"], value)
    return value


def condition_value(name: str, conditions: Mapping[str, Any], defaults: Mapping[str, Any],
                    depth: int = 0) -> bool | None:
    """The value of the template condition ``name`` when it follows from literals and parameter defaults;
    None when it depends on anything else (a parameter without default, a pseudo parameter …)."""
    if depth > 10:
        return None
    return _evaluate(conditions.get(name), conditions, defaults, depth)


def _evaluate(value: Any, conditions: Mapping[str, Any], defaults: Mapping[str, Any], depth: int) -> bool | None:
    if isinstance(value, bool):
        return value
    if not isinstance(value, Mapping) or len(value) != 1:
        return None
    (function, args), = value.items()
    if function == "Condition" and isinstance(args, str):
        return condition_value(args, conditions, defaults, depth + 1)
    if function == "Fn::Equals" and isinstance(args, list) and len(args) == 2:
        left, right = (_operand(a, defaults) for a in args)
        if is_expression(left) or is_expression(right) or isinstance(left, Mapping) or isinstance(right, Mapping):
            return None
        return str(left) == str(right)
    if not isinstance(args, list):
        return None
    parts = [_evaluate(a, conditions, defaults, depth + 1) for a in args]
    if function == "Fn::Not" and len(parts) == 1:
        return None if parts[0] is None else not parts[0]
    if function == "Fn::And":
        return False if False in parts else (None if None in parts else True)
    if function == "Fn::Or":
        return True if True in parts else (None if None in parts else False)
    return None
