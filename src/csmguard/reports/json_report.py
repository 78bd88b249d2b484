"""The JSON report: the full assessment (both languages) plus the report's summary in its language."""

from __future__ import annotations

from typing import Any

import orjson

from csmguard.reports.model import Report


def report_dict(report: Report) -> dict[str, Any]:
    """The JSON document: ``report`` metadata and summary, and the complete ``assessment``."""
    return {
        "report": {
            "title": report.title,
            "lang": report.lang.value,
            "organization": report.organization,
            "edition": report.edition,
            "assessed_on": report.assessed_on,
            "generated_at": report.generated_at,
            "generator": report.generator,
            "assessment_id": report.assessment_id,
            "summary": report.summary,
            "key_gaps": [r.id for r in report.key_gaps],
            "evidence_integrity": {
                "checked": report.result.evidence_checked,
                "note": report.integrity_note,
                "problems": [{"sha256": x.sha256, "name": x.name, "problem": x.problem, "label": x.problem_label,
                              "detail": x.detail, "requirements": list(x.requirements), "records": list(x.records)}
                             for x in report.integrity],
            },
        },
        "assessment": report.result.model_dump(mode="json"),
    }


def render_json(report: Report) -> bytes:
    """The JSON report as UTF-8 bytes."""
    return orjson.dumps(report_dict(report), option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n"
