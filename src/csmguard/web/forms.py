"""Register forms built from the record models' JSON schema, and form values turned back into record data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from starlette.datastructures import FormData

from csmguard.registers.choices import label, label_of
from csmguard.registers.fields import join_list, split_list
from csmguard.registers.io_read import field_kinds
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
    option_labels: tuple[tuple[str, str], ...] = ()  # (zh-TW, English) per option

    def label(self, lang: str) -> str:
        """The label in ``lang``."""
        return self.label_zh if lang == "zh-TW" else self.label_en

    def option_label(self, index: int, lang: str) -> str:
        """What the select shows for option ``index`` in ``lang`` (never the raw code when it has a label)."""
        if index < len(self.option_labels):
            return self.option_labels[index][0 if lang == "zh-TW" else 1]
        return self.options[index]


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
    kinds = field_kinds(spec)
    fields = []
    for name, raw in schema["properties"].items():
        prop = _resolve(raw, defs)
        options = tuple(str(v) for v in prop.get("enum", ()))
        kind = kinds.get(name)
        labels = tuple((label_of(kind, o, "zh-TW"), label_of(kind, o, "en")) for o in options) \
            if isinstance(kind, type) and issubclass(kind, Enum) else ()
        fields.append(FormField(name, str(raw.get("zh-TW", name)), str(raw.get("title", name)), _kind(prop),
                                name in required, options, labels))
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


def shown(value: Any, lang: str) -> str:
    """A record value as people read it in a table cell: a coded choice by its label in ``lang``, a yes/no
    in words, anything else as :func:`display` writes it."""
    found = label(value, lang)
    if found is not None:
        return found
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh-TW" else ("yes" if value else "no")
    return display(value)


def display(value: Any) -> str:
    """A record value as text in an input (codes, as the form sends them back)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return join_list(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))
