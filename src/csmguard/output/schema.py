"""The published JSON Schemas of what ``csmguard scan … --format json`` prints: one finding, and one scan
result. Generated from the pydantic models, so they cannot drift from the code; the result schema adds the
fields that only the printed form has (``tool``, ``state``, ``stats.status_counts``)."""

from __future__ import annotations

from typing import Any

from csmguard.domain import Finding, ScanResult
from csmguard.domain.coverage import ScanState
from csmguard.domain.ids import REQUIREMENT_ID_RE, RULE_ID_RE

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://csmguard.example/schema"


def _ids(finding: dict[str, Any]) -> None:
    """Add the ID patterns that pydantic's validators enforce but do not put in the schema."""
    finding["properties"]["rule_id"]["pattern"] = RULE_ID_RE.pattern
    finding["properties"]["requirements"]["items"]["pattern"] = REQUIREMENT_ID_RE.pattern


def finding_schema() -> dict[str, Any]:
    """The JSON Schema of one finding as printed (``Finding.to_json_dict``)."""
    schema = Finding.model_json_schema(by_alias=True, mode="serialization")
    _ids(schema)
    return {"$schema": SCHEMA_DIALECT, "$id": f"{SCHEMA_BASE}/finding.json", **schema}


def result_schema() -> dict[str, Any]:
    """The JSON Schema of one scan result as printed (``ScanResult.to_json_dict``)."""
    schema = ScanResult.model_json_schema(by_alias=True, mode="serialization")
    _ids(schema["$defs"]["Finding"])
    props = schema["properties"]
    props["tool"] = {"type": "object", "required": ["name", "version"], "additionalProperties": False,
                     "properties": {"name": {"const": "csmguard"}, "version": {"type": "string"}}}
    props["state"] = {"enum": [state.value for state in ScanState]}
    props["stats"] = {"type": "object", "required": ["status_counts"], "properties": {"status_counts": {
        "type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}}}
    props["coverage"] = {"$ref": "#/$defs/Coverage"}  # the declared coverage plus the derived count per rule
    coverage_def = schema["$defs"]["Coverage"]
    coverage_def.setdefault("properties", {})["rules_examined"] = {
        "type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
        "description": "how many targets each rule examined (declared or proven by a finding)"}
    props["finished_at"] = {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}
    schema["required"] = sorted({*schema.get("required", ()), "tool", "scanner", "targets", "findings", "errors",
                                 "stats", "state", "coverage", "started_at"})
    schema["additionalProperties"] = False
    return {"$schema": SCHEMA_DIALECT, "$id": f"{SCHEMA_BASE}/result.json", **schema}


SCHEMAS = {"finding": finding_schema, "result": result_schema}
