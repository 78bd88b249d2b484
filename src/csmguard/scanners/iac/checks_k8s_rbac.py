"""Checks on Kubernetes RBAC in manifests and the Terraform Kubernetes provider: bindings to
``cluster-admin`` and roles with wildcard verbs, resources or API groups (CSM-7.4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, PASS, rule_types, verdict
from csmguard.scanners.iac.facts import KUBERNETES, IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import as_list, blocks, dig, first


def _role_ref(r: Resource) -> tuple[str, str]:
    """(kind, name) of the role a binding grants."""
    if r.source == KUBERNETES:
        ref = r.attributes.get("roleRef")
        ref = ref if isinstance(ref, Mapping) else {}
        return str(ref.get("kind", "")), str(ref.get("name", ""))
    ref = first(r.attributes.get("role_ref"))
    return str(ref.get("kind", "")), str(ref.get("name", ""))


def _subjects(r: Resource) -> list[str]:
    key = "subjects" if r.source == KUBERNETES else "subject"
    return [f"{s.get('kind', '?')}/{s.get('name', '?')}" for s in blocks(r.attributes.get(key))]


def cluster_admin_bindings(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-025: RoleBindings and ClusterRoleBindings that grant the ``cluster-admin`` role."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        kind, name = _role_ref(r)
        if name == "cluster-admin":
            subjects = _subjects(r)
            out.append(verdict(rule, r, FAIL, "grants_cluster_admin",
                               {"subjects": ", ".join(subjects) or rule.render("its_subjects", {})},
                               evidence={"subjects": subjects}))
        else:
            out.append(verdict(rule, r, PASS, "grants_not_cluster_admin", {"kind": kind, "name": name}))
    return out


def _rules(r: Resource) -> list[Mapping[str, Any]]:
    if r.source == KUBERNETES:
        return blocks(r.attributes.get("rules"))
    return [{"verbs": b.get("verbs"), "resources": b.get("resources"), "apiGroups": b.get("api_groups")}
            for b in blocks(r.attributes.get("rule"))]


def wildcard_rbac_roles(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-026: Roles and ClusterRoles whose rules allow ``*`` verbs or ``*`` resources."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        if dig(r.attributes, "aggregationRule") is not None or first(r.attributes.get("aggregation_rule")):
            continue  # an aggregated role's rules are filled in by the cluster
        wild = []
        for i, item in enumerate(_rules(r)):
            parts = [f"{key} *" for key in ("verbs", "resources")
                     if "*" in (str(v) for v in as_list(item.get(key)))]
            if parts:
                wild.append(f"rule {i}: {', '.join(parts)}")
        if wild:
            out.append(verdict(rule, r, FAIL, "wildcard_permissions",
                               {"wild": '; '.join(wild)}, evidence={"rules": wild}))
        else:
            out.append(verdict(rule, r, PASS, "no_wildcard_verbs_resources"))
    return out
