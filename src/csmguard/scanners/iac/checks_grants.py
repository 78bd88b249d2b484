"""Checks on who is granted what: permissions attached directly to IAM users, and Owner/Contributor or
basic roles granted to people at subscription or project scope (CSM-7.4)."""

from __future__ import annotations

import re
from typing import Any

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, PASS, UNKNOWN, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import as_list, blocks, is_expression, reference

# Built-in Azure roles that administer a whole scope, by name and by role-definition GUID.
AZURE_BROAD_ROLES = {"owner": "Owner", "contributor": "Contributor", "user access administrator":
                     "User Access Administrator", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
                     "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
                     "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator"}
GCP_BASIC_ROLES = {"roles/owner", "roles/editor"}
_SUBSCRIPTION_SCOPE = re.compile(r"^/subscriptions/[^/]+/?$|^/providers/Microsoft\.Management/managementGroups/",
                                 re.IGNORECASE)
_PEOPLE = ("user:", "group:", "domain:", "allusers", "allauthenticatedusers")


def user_attached_policies(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-023: inline or managed policies attached directly to IAM users instead of groups or roles."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        a = r.attributes
        if r.type in {"aws_iam_user_policy", "aws_iam_user_policy_attachment"}:
            users = as_list(a.get("user"))
        elif r.type == "aws_iam_policy_attachment":
            users = as_list(a.get("users"))
        elif r.type == "AWS::IAM::User":
            users = [r.address] if blocks(a.get("Policies")) or as_list(a.get("ManagedPolicyArns")) else []
        else:  # AWS::IAM::Policy / ManagedPolicy
            users = as_list(a.get("Users"))
        names = [reference(r, u) or str(u) for u in users]
        if names:
            out.append(verdict(rule, r, FAIL, "permissions_attached_directly_user",
                               {"names": ', '.join(names)}, evidence={"users": names}))
        else:
            out.append(verdict(rule, r, PASS, "not_attached_individual_users"))
    return out


def _azure_role(value: object) -> str | None:
    text = str(value or "").strip().lower().rsplit("/", 1)[-1]
    return AZURE_BROAD_ROLES.get(text)


def _azure_principal(r: Resource) -> str | None:
    """``user`` or ``group`` for people, ``workload`` for service principals and identities, None unknown."""
    kind = str(r.attributes.get("principal_type") or "").lower()
    if kind in {"user", "group"}:
        return kind
    if kind in {"serviceprincipal", "foreigngroup", "device"}:
        return "workload"
    ref = reference(r, r.attributes.get("principal_id")) or ""
    target = ref.removeprefix("data.").split(".", 1)[0]
    if target == "azuread_user":
        return "user"
    if target == "azuread_group":
        return "group"
    if target in {"azuread_service_principal", "azurerm_user_assigned_identity"} or "identity" in str(
            r.attributes.get("principal_id")):
        return "workload"
    return None


def _azure_assignment(rule: Rule, r: Resource) -> Finding:
    a = r.attributes
    role = _azure_role(a.get("role_definition_name") or a.get("role_definition_id"))
    if role is None:
        what = a.get("role_definition_name") or a.get("role_definition_id")
        if is_expression(what):
            return unresolved(rule, r, "role_definition_name", what)
        return verdict(rule, r, PASS, "role_not_owner_contributor", {"what": what})
    scope = a.get("scope")
    ref = reference(r, scope) or ""
    subscription = bool(_SUBSCRIPTION_SCOPE.match(str(scope))) or ref.startswith(
        ("data.azurerm_subscription.", "azurerm_subscription.", "data.azurerm_management_group.",
         "azurerm_management_group."))
    if not subscription:
        if is_expression(scope) and not ref:
            return unresolved(rule, r, "scope", scope)
        return verdict(rule, r, PASS, "limited_scope", {"role": role, "scope": scope})
    principal = _azure_principal(r)
    if principal is None:
        return verdict(rule, r, UNKNOWN, "at_subscription_scope_principal", {"role": role},
                       key="principal_type")
    if principal == "workload":
        return verdict(rule, r, PASS, "at_subscription_scope_workload", {"role": role})
    return verdict(rule, r, FAIL, "granted_at_subscription_scope",
                   {"role": role, "principal": rule.render("user" if principal == "user" else "group", {})},
                   evidence={"role": role, "principal": principal})


def _gcp_bindings(facts: IacFacts, r: Resource) -> list[tuple[str, list[Any]]] | None:
    """(role, members) pairs a GCP project IAM resource grants; None when its policy cannot be read."""
    a = r.attributes
    if r.type.endswith("_iam_member"):
        return [(str(a.get("role")), [a.get("member")])]
    if r.type.endswith("_iam_binding"):
        return [(str(a.get("role")), as_list(a.get("members")))]
    ref = reference(r, a.get("policy_data"))
    data = facts.lookup(r.scope, ref) if ref else None
    if data is None:
        return None
    return [(str(b.get("role")), as_list(b.get("members"))) for b in blocks(data.attributes.get("binding"))]


def _gcp_grant(rule: Rule, facts: IacFacts, r: Resource) -> Finding:
    bindings = _gcp_bindings(facts, r)
    if bindings is None:
        return unresolved(rule, r, "policy_data", r.attributes.get("policy_data"))
    bad = [f"{role} → {member}" for role, members in bindings if role in GCP_BASIC_ROLES for member in members
           if isinstance(member, str) and member.lower().startswith(_PEOPLE)]
    undecided = [(role, m) for role, members in bindings for m in members if is_expression(m) or is_expression(role)]
    if bad:
        return verdict(rule, r, FAIL, "basic_role_granted_people", {"bad": ', '.join(bad)}, evidence={"grants": bad})
    if undecided and any(role in GCP_BASIC_ROLES or is_expression(role) for role, _ in undecided):
        return unresolved(rule, r, "member", undecided[0][1])
    return verdict(rule, r, PASS, "no_owner_editor_basic")


def broad_roles_to_people(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-024: Azure Owner/Contributor/User Access Administrator granted to users or groups at subscription
    scope, and GCP ``roles/owner``/``roles/editor`` granted to ``user:``/``group:``/``domain:`` members."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        if r.type == "azurerm_role_assignment":
            out.append(_azure_assignment(rule, r))
        else:
            out.append(_gcp_grant(rule, facts, r))
    return out
