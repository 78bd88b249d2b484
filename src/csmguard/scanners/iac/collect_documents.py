"""Reading the document formats: CloudFormation (YAML with short-form tags, JSON), Kubernetes manifests
(multi-document YAML, JSON, ``List``) and Terraform plan JSON (``terraform show -json``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from csmguard.scanners.iac.collect_terraform import provider_of
from csmguard.scanners.iac.facts import CLOUDFORMATION, KUBERNETES, TFPLAN, Resource
from csmguard.scanners.iac.instances import condition_value
from csmguard.scanners.iac.yamlload import mapping_key_lines
from csmguard.scanning.budget import load_json


class NotIac(Exception):
    """The document is valid but is not an infrastructure definition this scanner reads."""


def is_cloudformation(doc: object) -> bool:
    """Whether a parsed document is a CloudFormation template."""
    if not isinstance(doc, Mapping):
        return False
    if "AWSTemplateFormatVersion" in doc:
        return True
    resources = doc.get("Resources")
    return isinstance(resources, Mapping) and bool(resources) and all(
        isinstance(v, Mapping) and isinstance(v.get("Type"), str) for v in resources.values())


def is_kubernetes(doc: object) -> bool:
    """Whether a parsed document is a Kubernetes object (or a ``List`` of them)."""
    return isinstance(doc, Mapping) and isinstance(doc.get("apiVersion"), str) and isinstance(doc.get("kind"), str)


def is_tfplan(doc: object) -> bool:
    """Whether a parsed JSON document is the output of ``terraform show -json`` for a plan."""
    return isinstance(doc, Mapping) and "planned_values" in doc and "format_version" in doc


def _substitute_parameters(value: Any, defaults: Mapping[str, Any]) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("Ref"), str) and value["Ref"] in defaults:
            return defaults[value["Ref"]]
        return {k: _substitute_parameters(v, defaults) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute_parameters(v, defaults) for v in value]
    return value


def cloudformation_resources(doc: Mapping[str, Any], display: str, text: str, json_form: bool) -> list[Resource]:
    """The resources of a template; ``!Ref`` to a parameter with a default (not an SSM parameter type)
    is replaced by the default, so that checks see the value the stack gets unless overridden."""
    defaults: dict[str, Any] = {}
    parameters = doc.get("Parameters")
    if isinstance(parameters, Mapping):
        for name, spec in parameters.items():
            if isinstance(spec, Mapping) and "Default" in spec and not str(spec.get("Type", "")).startswith(
                    "AWS::SSM::"):
                defaults[str(name)] = spec["Default"]
    lines = {} if json_form else mapping_key_lines(text, "Resources")
    resources = doc.get("Resources")
    if not isinstance(resources, Mapping):
        raise NotIac("a CloudFormation template without a Resources mapping")
    found_conditions = doc.get("Conditions")
    conditions: Mapping[str, Any] = found_conditions if isinstance(found_conditions, Mapping) else {}
    out = []
    for logical_id, body in resources.items():
        if not isinstance(body, Mapping) or not isinstance(body.get("Type"), str):
            continue
        if isinstance(body.get("Condition"), str) and condition_value(body["Condition"], conditions, defaults) is False:
            continue  # the stack does not create it
        properties = body.get("Properties")
        attributes = _substitute_parameters(dict(properties) if isinstance(properties, Mapping) else {}, defaults)
        line = lines.get(str(logical_id))
        if json_form:
            match = re.search(r'"' + re.escape(str(logical_id)) + r'"\s*:\s*\{', text)
            line = text.count("\n", 0, match.start()) + 1 if match else None
        out.append(Resource(provider=provider_of(body["Type"]), type=body["Type"], address=str(logical_id),
                            attributes=attributes, file=display, line=line, source=CLOUDFORMATION, scope=display))
    return out


def kubernetes_resources(doc: Mapping[str, Any], display: str, line: int | None) -> list[Resource]:
    """The objects of one manifest document (the items of a ``List``)."""
    if doc.get("kind") == "List" or str(doc.get("kind", "")).endswith("List"):
        items = doc.get("items") or []
        return [r for item in items if is_kubernetes(item) for r in kubernetes_resources(item, display, line)]
    metadata = doc.get("metadata") if isinstance(doc.get("metadata"), Mapping) else {}
    assert isinstance(metadata, Mapping)
    name = str(metadata.get("name") or metadata.get("generateName") or "unnamed")
    namespace = str(metadata.get("namespace") or "default")
    kind = str(doc["kind"])
    return [Resource(provider="kubernetes", type=kind, address=f"{kind}/{namespace}/{name}", attributes=dict(doc),
                     file=display, line=line, source=KUBERNETES, scope=display)]


KNOWN_AFTER_APPLY = "${(known after apply)}"


def _mark_unknown(values: Any, unknown: Any) -> Any:
    """``values`` with the attributes a plan only knows after apply set to an unevaluated expression."""
    if unknown is True:
        return KNOWN_AFTER_APPLY if values is None else values
    if isinstance(unknown, Mapping):
        base = dict(values) if isinstance(values, Mapping) else {}
        for key, flag in unknown.items():
            base[key] = _mark_unknown(base.get(key), flag)
        return base
    if isinstance(unknown, list) and isinstance(values, list):
        return [_mark_unknown(v, u) for v, u in zip(values, unknown, strict=False)] + values[len(unknown):]
    return values


def _plan_module(module: Mapping[str, Any], display: str, out: list[Resource],
                 unknown: Mapping[str, Any]) -> None:
    module_address = str(module.get("address", ""))
    for item in module.get("resources") or []:
        if not isinstance(item, Mapping) or not isinstance(item.get("type"), str):
            continue
        values = item.get("values") if isinstance(item.get("values"), Mapping) else {}
        if item.get("address") in unknown:
            values = _mark_unknown(values, unknown[item["address"]])
        out.append(Resource(provider=provider_of(item["type"]), type=item["type"],
                            address=str(item.get("address") or f"{item['type']}.{item.get('name')}"),
                            attributes=dict(values or {}), file=display, line=None, source=TFPLAN,
                            scope=f"{display}#{module_address}", mode=str(item.get("mode", "managed"))))
    for child in module.get("child_modules") or []:
        if isinstance(child, Mapping):
            _plan_module(child, display, out, unknown)


def tfplan_resources(doc: Mapping[str, Any], display: str) -> list[Resource]:
    """The planned resources of a plan, root module and child modules."""
    planned = doc.get("planned_values")
    root = planned.get("root_module") if isinstance(planned, Mapping) else None
    unknown = {str(change.get("address")): (change.get("change") or {}).get("after_unknown")
               for change in doc.get("resource_changes") or [] if isinstance(change, Mapping)}
    out: list[Resource] = []
    if isinstance(root, Mapping):
        _plan_module(root, display, out, {k: v for k, v in unknown.items() if v})
    return out


def json_resources(text: str, display: str) -> list[Resource]:
    """The resources of a JSON file (plan, template or manifest); NotIac when it is none of them,
    BudgetExceeded when it nests too deep."""
    return document_resources(load_json(text), text, display)


def document_resources(doc: Any, text: str, display: str) -> list[Resource]:
    """The resources of a parsed JSON document (plan, template or manifest); NotIac when it is none."""
    if is_tfplan(doc):
        return tfplan_resources(doc, display)
    if is_cloudformation(doc):
        return cloudformation_resources(doc, display, text, json_form=True)
    if is_kubernetes(doc):
        return kubernetes_resources(doc, display, 1)
    raise NotIac("JSON that is not a Terraform plan, CloudFormation template or Kubernetes manifest")
