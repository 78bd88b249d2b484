"""Register forms built from the record models' JSON schema, and form values turned back into record data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from csmguard.registers.fields import join_list, split_list
from csmguard.registers.specs import RegisterSpec


@dataclass(frozen=True)
class FormField:
    """One input of a register form."""

    name: str
    label_zh: str
    label_en: str
    kind: str  # text | number | date | datetime | bool | enum | list
    required: bool
    options: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        """The label in ``lang``."""
        return self.label_zh if lang == "zh-TW" else self.label_en


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "anyOf" in prop:
        options = [p for p in prop["anyOf"] if p.get("type") != "null"]
        prop = {**prop, **(options[0] if options else {})}
    if "$ref" in prop:
        prop = {**prop, **defs[prop["$ref"].rsplit("/", 1)[-1]]}
    return prop


def _kind(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return "enum"
    kind = prop.get("type")
    if kind == "boolean":
        return "bool"
    if kind in {"number", "integer"}:
        return "number"
    if kind == "array":
        return "list"
    if prop.get("format") == "date":
        return "date"
    if prop.get("format") == "date-time":
        return "datetime"
    return "text"


def form_fields(spec: RegisterSpec) -> list[FormField]:
    """The inputs of a register's form, in column order."""
    schema = spec.model.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    fields = []
    for name, raw in schema["properties"].items():
        prop = _resolve(raw, defs)
        fields.append(FormField(name, str(raw.get("zh-TW", name)), str(raw.get("title", name)), _kind(prop),
                                name in required, tuple(str(v) for v in prop.get("enum", ()))))
    return fields


def form_data(spec: RegisterSpec, form: FormData, *, for_update: bool) -> dict[str, Any]:
    """Record data from submitted form values: blank optional fields are left out (create) or cleared
    (update); lists are split by :func:`csmguard.registers.fields.split_list` (``;``, ``；``, new lines), as
    in CSV imports and on the command line."""
    data: dict[str, Any] = {}
    for field in form_fields(spec):
        raw = form.get(field.name)
        value = raw.strip() if isinstance(raw, str) else ""
        if field.kind == "list":
            data[field.name] = list(split_list(value))
        elif value:
            data[field.name] = value
        elif for_update and not field.required:
            data[field.name] = None
    return data


def display(value: Any) -> str:
    """A record value as text in a table cell or an input."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return join_list(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))
