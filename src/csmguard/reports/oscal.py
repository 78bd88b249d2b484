"""The assessment as an OSCAL 1.1 assessment-results document.

One result; reviewed controls are every requirement (control IDs as in the OSCAL catalog export:
``csm-4.3``); one finding per requirement whose target is the requirement's statement with
satisfied/not-satisfied and an implementation status; observations for the checks, attestations
and exceptions behind each finding; evidence files are back-matter resources carrying their SHA-256.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson

from csmguard.assessment.model import ComplianceStatus, ReasonKind, RequirementResult
from csmguard.catalog.oscal import CSMGUARD_NS, OSCAL_VERSION, control_id
from csmguard.domain import Lang
from csmguard.reports.model import Report

_NS = uuid.UUID("0c7f4a43-5d0e-4a5e-9a8f-2f1d7b6f0a21")

_STATE: dict[ComplianceStatus, tuple[str, str, str]] = {
    # status → (objective state, reason, implementation state)
    ComplianceStatus.COMPLIANT: ("satisfied", "pass", "implemented"),
    ComplianceStatus.PARTIALLY_COMPLIANT: ("not-satisfied", "fail", "partial"),
    ComplianceStatus.NON_COMPLIANT: ("not-satisfied", "fail", "planned"),
    ComplianceStatus.NOT_APPLICABLE: ("satisfied", "other", "not-applicable"),
    ComplianceStatus.NOT_ASSESSED: ("not-satisfied", "other", "planned"),
}
_CHECK_KINDS = {ReasonKind.FINDING_FAIL, ReasonKind.FINDING_COVERED, ReasonKind.FINDING_PASS,
                ReasonKind.FINDING_OPEN, ReasonKind.FINDING_NOT_APPLICABLE}


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": CSMGUARD_NS, "value": value}


class _Builder:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.seed = f"{report.organization}/{report.edition}/{report.generated_at}/{report.lang.value}"
        self.collected = report.result.generated_at.isoformat()
        self.resources: dict[str, dict[str, Any]] = {}
        self.observations: list[dict[str, Any]] = []
        self.problems = {x.sha256: x.problem for x in report.integrity}

    def uid(self, *parts: str) -> str:
        return str(uuid.uuid5(_NS, "/".join((self.seed, *parts))))

    def evidence_resource(self, sha256: str, name: str) -> str:
        if sha256 not in self.resources:
            props = [_prop("sha256", sha256)]
            if sha256 in self.problems:
                props.append(_prop("integrity", self.problems[sha256]))
            self.resources[sha256] = {
                "uuid": self.uid("evidence", sha256), "title": name, "props": props,
                "rlinks": [{"href": f"evidence/{sha256}", "hashes": [{"algorithm": "SHA-256", "value": sha256}]}],
            }
        return str(self.resources[sha256]["uuid"])

    def integrity_observations(self) -> None:
        """One observation per evidence file that failed verification (changed on disk, missing, unregistered)."""
        for item in self.report.integrity:
            resource = self.evidence_resource(item.sha256, item.name)
            where = ", ".join(item.requirements)
            self.observations.append({
                "uuid": self.uid("integrity", item.sha256),
                "title": f"{self.report.labels['integrity']}: {item.sha256}",
                "description": f"{item.problem_label}. {item.detail}".strip() + (f" ({where})" if where else ""),
                "methods": ["TEST"], "types": ["finding"], "collected": self.collected,
                "props": [_prop("reason-kind", ReasonKind.EVIDENCE_FAILED.value), _prop("integrity", item.problem)],
                "relevant-evidence": [{"href": f"#{resource}", "description": f"{item.name} (SHA-256 {item.sha256})"}],
            })

    def observations_for(self, req: RequirementResult) -> list[str]:
        lang = self.report.lang
        names = {e.sha256: e.name for e in req.evidence}
        ids: list[str] = []
        for index, reason in enumerate(req.reasons):
            if reason.kind in _CHECK_KINDS:
                methods, types = ["TEST"], ["finding"]
                title = f"{req.id} {reason.rule_id}"
            elif reason.kind is ReasonKind.ATTESTATION:
                methods, types = ["EXAMINE", "INTERVIEW"], ["control-objective"]
                title = f"{req.id} {reason.attestation_id}"
            elif reason.kind is ReasonKind.EXCEPTION:
                methods, types = ["EXAMINE"], ["mitigation"]
                title = f"{req.id} {reason.exception_id}"
            elif reason.kind is ReasonKind.EVIDENCE_FAILED:
                methods, types = ["TEST"], ["finding"]
                title = f"{req.id} evidence integrity"
            else:
                continue
            obs: dict[str, Any] = {"uuid": self.uid("obs", req.id, str(index)), "title": title,
                                   "description": reason.text.get(lang), "methods": methods, "types": types,
                                   "collected": self.collected, "props": [_prop("reason-kind", reason.kind.value)]}
            if reason.rule_id:
                obs["props"].append(_prop("rule", reason.rule_id))
            obs["props"] += [_prop("fingerprint", fp) for fp in reason.fingerprints]
            if reason.evidence_sha256:
                obs["relevant-evidence"] = [
                    {"href": f"#{self.evidence_resource(h, names.get(h, h))}", "description": f"{names.get(h, h)} "
                     f"(SHA-256 {h})"} for h in reason.evidence_sha256]
            self.observations.append(obs)
            ids.append(obs["uuid"])
        return ids

    def finding(self, req: RequirementResult) -> dict[str, Any]:
        state, reason, implementation = _STATE[req.status]
        lang = self.report.lang
        finding: dict[str, Any] = {
            "uuid": self.uid("finding", req.id),
            "title": f"{req.id} {req.title.get(lang)}",
            "description": req.reasons[0].text.get(lang) if req.reasons else req.status.label.get(lang),
            "props": [_prop("compliance-status", req.status.value), _prop("level", req.level.value)],
            "target": {"type": "statement-id", "target-id": f"{control_id(req.id)}_smt",
                       "status": {"state": state, "reason": reason},
                       "implementation-status": {"state": implementation}},
            "remarks": "\n".join(r.text.get(lang) for r in req.reasons[1:]) or req.status.label.get(lang),
        }
        observation_ids = self.observations_for(req)
        if observation_ids:
            finding["related-observations"] = [{"observation-uuid": i} for i in observation_ids]
        return finding


def oscal_assessment_results(report: Report) -> dict[str, Any]:
    """The OSCAL assessment-results document as a dict (JSON shape, hyphenated keys)."""
    b = _Builder(report)
    result = report.result
    plan_uuid = b.uid("plan")
    findings = [b.finding(req) for req in result.requirements]
    b.integrity_observations()
    title = f"{report.title} — {report.organization}"
    score = "" if result.overall.score is None else f"{result.overall.score:.1f}"
    props = [_prop("assessed-on", result.assessed_on.isoformat()), _prop("edition", result.edition)]
    if score:
        props.append(_prop("weighted-score", score))
    if result.overall.coverage is not None:
        props.append(_prop("coverage", f"{result.overall.coverage:.1f}"))
    resources = [{"uuid": plan_uuid, "title": report.catalog_title,
                  "description": ("無另行製作之評估計畫；評估範圍為本版本指引之全部條文。" if report.lang is Lang.ZH_TW
                                  else "No separate assessment plan: the scope is every requirement of this edition."),
                  "props": [_prop("edition", result.edition)]}, *b.resources.values()]
    return {"assessment-results": {
        "uuid": b.uid("ar"),
        "metadata": {
            "title": title,
            "last-modified": b.collected,
            "version": f"{result.edition}/{result.assessed_on.isoformat()}",
            "oscal-version": OSCAL_VERSION,
            "props": [_prop("language", report.lang.value), _prop("generator", report.generator)],
            "parties": [{"uuid": b.uid("party"), "type": "organization", "name": report.organization}],
        },
        "import-ap": {"href": f"#{plan_uuid}"},
        "results": [{
            "uuid": b.uid("result"),
            "title": title,
            "description": report.summary,
            "start": b.collected,
            "end": b.collected,
            "props": props,
            "reviewed-controls": {"control-selections": [
                {"include-controls": [{"control-id": control_id(r.id)} for r in result.requirements]}]},
            "observations": b.observations,
            "findings": findings,
        }],
        "back-matter": {"resources": resources},
    }}


def render_oscal(report: Report) -> bytes:
    """The OSCAL assessment-results document as JSON bytes."""
    return orjson.dumps(oscal_assessment_results(report), option=orjson.OPT_INDENT_2) + b"\n"
