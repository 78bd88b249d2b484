"""YAML loading for CloudFormation and Kubernetes: a private SafeLoader subclass that understands
CloudFormation's short-form intrinsic tags (``!Ref``, ``!Sub``, ``!GetAtt`` …) without touching
PyYAML's global loaders, and that reports the line where each document starts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from csmguard.scanning.budget import construct_checked

_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Short-form tag → long-form key.
_INTRINSICS = {
    "Ref": "Ref", "Condition": "Condition", "GetAtt": "Fn::GetAtt", "Sub": "Fn::Sub", "Join": "Fn::Join",
    "Select": "Fn::Select", "Split": "Fn::Split", "If": "Fn::If", "Equals": "Fn::Equals", "And": "Fn::And",
    "Or": "Fn::Or", "Not": "Fn::Not", "FindInMap": "Fn::FindInMap", "Base64": "Fn::Base64",
    "Cidr": "Fn::Cidr", "GetAZs": "Fn::GetAZs", "ImportValue": "Fn::ImportValue", "Transform": "Fn::Transform",
    "Length": "Fn::Length", "ToJsonString": "Fn::ToJsonString",
}


def _construct_intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    key = _INTRINSICS.get(suffix, f"Fn::{suffix}")
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if key == "Fn::GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {key: value}


def make_loader() -> type[yaml.SafeLoader]:
    """A fresh private SafeLoader subclass that turns ``!Tag value`` into ``{"Fn::Tag": value}``;
    PyYAML's own loaders are left untouched."""

    class CfnLoader(_BASE):  # type: ignore[misc,valid-type]
        """SafeLoader with CloudFormation's short-form intrinsic tags."""

    CfnLoader.add_multi_constructor("!", _construct_intrinsic)
    return CfnLoader


def load_documents(text: str) -> Iterator[tuple[int, Any]]:
    """Each YAML document of ``text`` with the (1-based) line it starts on; raises yaml.YAMLError, or
    BudgetExceeded for a document that expands too far with its aliases (a bomb) or nests too deep."""
    loader = make_loader()(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            line = node.start_mark.line + 1 if node is not None else 1
            yield line, construct_checked(loader, node) if node is not None else None
    finally:
        loader.dispose()


def mapping_key_lines(text: str, section: str) -> dict[str, int]:
    """Lines of the keys directly under the top-level mapping key ``section`` (e.g. CloudFormation's
    ``Resources``), found by indentation: cheap and good enough to point at a resource."""
    out: dict[str, int] = {}
    inside = False
    indent: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        current = len(raw) - len(raw.lstrip())
        if current == 0:
            inside = stripped.split(":", 1)[0].strip("\"'") == section
            indent = None
            continue
        if inside and ":" in stripped:
            if indent is None:
                indent = current
            if current == indent:
                out.setdefault(stripped.split(":", 1)[0].strip().strip("\"'"), number)
    return out
