"""The mapping tables that turn one item of an exported live configuration (an AWS Config configuration
item or ``describe-*`` record, an Azure Resource Graph row, a Cloud Asset Inventory asset) into the
Terraform-shaped resources the IaC rules judge.

A table is data (``exportmaps/<provider>.yaml``): for each exported type, the Terraform types it becomes
and, for each attribute, where its value is in the item. A value spec is a path string or a mapping:

- ``path``: dot-separated keys, looked up exactly and then ignoring case and underscores (AWS Config
  writes ``multiAZ`` where ``describe-db-instances`` writes ``MultiAZ``); ``$name.`` starts at another
  root the collector gives (``$item`` the whole item, ``$supplementary`` …); a key ending in ``[]`` maps
  over a list, ``key[0]`` takes one element, ``key[name=value]`` the first element whose ``name`` is
  ``value`` and ``key[?name=value]`` maps over the elements whose ``name`` is ``value``; a JSON text met
  on the way is decoded (AWS Config nests JSON in strings); ``urldecode`` decodes a URL-encoded
  document first (AWS Config's IAM policies);
- ``when`` (a path that must be present, not empty and not false, else the attribute is left unset);
  ``unknown: true`` (the export never carries it: see ``absent``);
- ``map`` (value → value, compared as lower-case text) with ``else``; ``nonempty`` (true when the value
  is present and not empty); ``regex`` (its first group); ``unless_regex`` (absent when it matches);
  ``value`` (a constant); ``first`` (the first of several specs that is present); ``all`` (the text and
  number values of several specs in one list, each once);
- ``each`` (a list path) with ``fields`` (one block per element) and ``where`` (``{path: value}`` the
  element must match); ``block`` (fields of a single nested block);
- ``as_map`` (tags as a ``{key: value}`` mapping, from a mapping or a Key/Value list);
- ``absent: unknown``: where the export does not carry the value, the attribute is set to an expression
  the checks cannot evaluate, so the rule's verdict is ``unknown`` rather than the code default (which
  could be a pass the live resource does not earn).

A target may also name ``each`` (one resource per element, e.g. one IAM binding per role) with
``label`` (the element's part of the address), ``when`` (a path that must be present and not empty),
and ``derive`` (a collector function that completes the attributes from other items of the export).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import unquote

import yaml

from csmguard.scanning.budget import load_json

NOT_IN_EXPORT = "${(not in the export)}"
"""The value of an attribute the export does not carry and the check must not assume (reads as an
unevaluated expression, so the verdict is ``unknown``)."""

_MISSING = object()


@dataclass(frozen=True)
class ExportItem:
    """One item of an export as a reader found it: its exported type, live ID, the roots its mapping
    paths start from (``""`` the configuration, ``item`` the whole item …), where it is in the file, and
    the IDs other items may use for it (a volume's ``vol-…`` as well as its ARN)."""

    type: str
    live_id: str
    roots: Mapping[str, Any]
    pointer: str
    line: int | None = None
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """One Terraform-shaped resource an exported type becomes."""

    type: str
    attributes: Mapping[str, Any]
    each: str | None = None
    label: str | None = None
    when: str | None = None
    derive: str | None = None


@dataclass(frozen=True)
class ExportMap:
    """A provider's mapping table: exported type → targets, plus the table's other sections as read."""

    provider: str
    types: Mapping[str, tuple[Target, ...]]
    sections: Mapping[str, Any] = field(default_factory=dict)

    _lowered: dict[str, tuple[Target, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._lowered.update({key.lower(): value for key, value in self.types.items()})

    def targets(self, source_type: str) -> tuple[Target, ...] | None:
        """The targets of ``source_type`` (exact, then case-insensitive); None when the table lacks it
        (an empty tuple: items read only for what other items refer to)."""
        found = self.types.get(source_type)
        return found if found is not None else self._lowered.get(source_type.lower())


class MapError(ValueError):
    """A mapping table that does not follow the format above (a packaging error, not an input error)."""


def _target(source: str, raw: object) -> Target:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("type"), str):
        raise MapError(f"{source}: each target needs a type")
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, Mapping):
        raise MapError(f"{source}: attributes must be a mapping")
    return Target(type=raw["type"], attributes=dict(attributes), each=raw.get("each"), label=raw.get("label"),
                  when=raw.get("when"), derive=raw.get("derive"))


@cache
def load_map(provider: str) -> ExportMap:
    """The packaged mapping table of ``provider`` (``aws``, ``azure``, ``gcp``)."""
    text = resources.files("csmguard.scanners.iac").joinpath("exportmaps", f"{provider}.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("types"), Mapping):
        raise MapError(f"exportmaps/{provider}.yaml: no types mapping")
    types: dict[str, tuple[Target, ...]] = {}
    for source_type, targets in raw["types"].items():
        items = targets if isinstance(targets, list) else [targets]
        types[str(source_type)] = tuple(_target(f"{provider}:{source_type}", t) for t in items)
    return ExportMap(provider=provider, types=types,
                     sections={k: v for k, v in raw.items() if k != "types"})


def _decoded(value: Any) -> Any:
    """A JSON text decoded (AWS Config nests JSON documents in strings), other values unchanged."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in {"{", "["} or (stripped.startswith('"') and stripped[1:2] in {"{", "["}):
            try:
                decoded = load_json(stripped)
            except ValueError:
                return value
            return _decoded(decoded) if isinstance(decoded, str) else decoded
    return value


def _folded(key: str) -> str:
    return key.replace("_", "").lower()


def _key(container: Mapping[str, Any], key: str) -> Any:
    """``container[key]``, else the entry whose key differs only in case or underscores (``auditConfigs``
    in ``gcloud asset list`` output is ``audit_configs`` in an export)."""
    if key in container:
        return container[key]
    folded = _folded(key)
    for name, value in container.items():
        if isinstance(name, str) and _folded(name) == folded:
            return value
    return _MISSING


def resolve(path: str, roots: Mapping[str, Any]) -> Any:
    """The value at ``path`` (see the module docstring); ``None`` when any step is missing."""
    parts = path.split(".")
    if parts[0].startswith("$"):
        current: Any = roots.get(parts[0][1:])
        parts = parts[1:]
    else:
        current = roots.get("")
    return _walk(current, parts)


_PICK = re.compile(r"^(.*)\[([^\]=]+)(?:=([^\]]*))?\]$")


def _pick(current: Any, part: str) -> Any:
    """``name[3]`` (the fourth element) or ``name[key=value]`` (the first element whose ``key`` is
    ``value``, compared as lower-case text)."""
    match = _PICK.match(part)
    assert match is not None
    name, key, wanted = match.groups()
    if name:
        current = _key(current, name) if isinstance(current, Mapping) else _MISSING
    current = _decoded(current)
    if not isinstance(current, list):
        return None
    if wanted is None:
        position = int(key) if key.isdigit() else -1
        return current[position] if 0 <= position < len(current) else None
    for element in current:
        if isinstance(element, Mapping):
            found = _key(element, key)
            if found is not _MISSING and str(found).lower() == wanted.lower():
                return element
    return None


_FILTER = re.compile(r"^(.*)\[\?([^\]=]+)=([^\]]*)\]$")


def _filtered(current: Any, part: str) -> list[Any] | None:
    """``name[?key=value]``: every element of the list ``name`` whose ``key`` is ``value``."""
    match = _FILTER.match(part)
    assert match is not None
    name, key, wanted = match.groups()
    if name:
        current = _decoded(_key(current, name)) if isinstance(current, Mapping) else None
    if not isinstance(current, list):
        return None
    return [e for e in current if isinstance(e, Mapping) and str(_key(e, key)).lower() == wanted.lower()]


def _walk(current: Any, parts: list[str]) -> Any:
    for index, part in enumerate(parts):
        current = _decoded(current)
        if _FILTER.match(part):
            current = _filtered(current, part)
            if current is None:
                return None
            part = "[]"
        many = part.endswith("[]")
        if not many and part.endswith("]"):
            current = _pick(current, part)
            if current is None:
                return None
            continue
        name = part[:-2] if many else part
        if name:
            if not isinstance(current, Mapping):
                return None
            current = _decoded(_key(current, name))
            if current is _MISSING:
                return None
        if many:
            if not isinstance(current, list):
                return None
            rest = parts[index + 1:]
            out: list[Any] = []
            for element in current:
                value = _walk(element, rest) if rest else _decoded(element)
                if isinstance(value, list) and rest and rest[-1].endswith("[]"):
                    out.extend(value)
                elif value is not None:
                    out.append(value)
            return out
    return _decoded(current)


def _as_map(value: Any) -> dict[str, str] | None:
    if isinstance(value, Mapping):
        return {str(k): "" if v is None else str(v) for k, v in value.items()}
    if isinstance(value, list):
        out: dict[str, str] = {}
        for item in value:
            if isinstance(item, Mapping):
                key = _key(item, "key")
                if key is not _MISSING and key is not None:
                    found = _key(item, "value")
                    out[str(key)] = "" if found in (_MISSING, None) else str(found)
        return out
    return None


def _matches(element: Any, where: Mapping[str, Any]) -> bool:
    roots = {"": element}
    return all(str(resolve(path, roots)).lower() == str(expected).lower() for path, expected in where.items())


def value_of(spec: Any, roots: Mapping[str, Any]) -> Any:
    """The value a spec gives for one item, or ``_MISSING`` when the attribute is to be left unset."""
    if isinstance(spec, str):
        found = resolve(spec, roots)
        return _MISSING if found is None else found
    if not isinstance(spec, Mapping):
        raise MapError(f"value spec must be a path or a mapping, not {spec!r}")
    if "when" in spec and resolve(str(spec["when"]), roots) in (None, "", [], {}, False):
        return _MISSING
    if spec.get("unknown"):
        return NOT_IN_EXPORT
    if "value" in spec:
        return spec["value"]
    if "all" in spec:
        merged: list[Any] = []
        for option in spec["all"]:
            found = value_of(option, roots)
            for value in found if isinstance(found, list) else [] if found is _MISSING else [found]:
                if isinstance(value, str | int | float) and value not in merged:
                    merged.append(value)
        return merged
    if "first" in spec:
        for option in spec["first"]:
            found = value_of(option, roots)
            if found is not _MISSING:
                return found
        return NOT_IN_EXPORT if spec.get("absent") == "unknown" else _MISSING
    if "each" in spec:
        elements = resolve(str(spec["each"]), roots)
        if not isinstance(elements, list):
            return NOT_IN_EXPORT if spec.get("absent") == "unknown" else _MISSING
        where = spec.get("where") or {}
        fields = spec.get("fields") or {}
        return [apply_fields(fields, {**roots, "": element}) for element in elements
                if isinstance(element, Mapping) and _matches(element, where)]
    if "block" in spec:
        block = apply_fields(spec["block"], roots)
        return [block] if block or not spec.get("skip_empty") else _MISSING
    found = resolve(str(spec["path"]), roots) if "path" in spec else None
    return _transform(spec, found)


def _transform(spec: Mapping[str, Any], found: Any) -> Any:
    if spec.get("nonempty"):
        return found not in (None, "", [], {})
    if found is None or found == "":
        return NOT_IN_EXPORT if spec.get("absent") == "unknown" else _MISSING
    if spec.get("urldecode") and isinstance(found, str):
        found = _decoded(unquote(found))
    if spec.get("as_map"):
        mapped = _as_map(found)
        return _MISSING if mapped is None else mapped
    if "unless_regex" in spec and re.search(str(spec["unless_regex"]), str(found)):
        return _MISSING
    if "regex" in spec:
        match = re.search(str(spec["regex"]), str(found))
        return match.group(1) if match else _MISSING
    if "map" in spec:
        table = {str(k).lower(): v for k, v in spec["map"].items()}
        key = str(found).lower()
        if key in table:
            return table[key]
        return spec.get("else", found)
    return found


def apply_fields(fields: Mapping[str, Any], roots: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes ``fields`` give for one item (unset ones left out)."""
    out: dict[str, Any] = {}
    for name, spec in fields.items():
        value = value_of(spec, roots)
        if value is not _MISSING:
            out[str(name)] = value
    return out


Deriver = Callable[[dict[str, Any], Mapping[str, Any]], None]
"""Completes a target's attributes in place from the item's roots (which include ``$index``: other items
of the same export by ID)."""


def elements(target: Target, roots: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(address suffix, roots) for each resource ``target`` makes of one item: one, or one per element
    of ``target.each``; none when ``target.when`` is absent or empty."""
    if target.when is not None and resolve(target.when, roots) in (None, "", [], {}):
        return []
    if target.each is None:
        return [("", roots)]
    found = resolve(target.each, roots)
    out: list[tuple[str, Mapping[str, Any]]] = []
    for index, element in enumerate(found if isinstance(found, list) else []):
        inner = {**roots, "element": element}
        label = resolve(target.label, inner) if target.label else None
        out.append((f"[{label if label is not None else index}]", inner))
    return out
