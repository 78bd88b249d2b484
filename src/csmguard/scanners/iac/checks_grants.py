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
            out.append(verdict(rule, r, FAIL, f"permissions attached directly to user(s) {', '.join(names)}",
                               f"權限直接附加於使用者 {', '.join(names)}", evidence={"users": names}))
        else:
            out.append(verdict(rule, r, PASS, "not attached to individual users", "未直接附加於個別使用者"))
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
        return verdict(rule, r, PASS, f"role {what} is not Owner, Contributor or User Access Administrator",
                       f"角色 {what} 非 Owner、Contributor 或 User Access Administrator")
    scope = a.get("scope")
    ref = reference(r, scope) or ""
    subscription = bool(_SUBSCRIPTION_SCOPE.match(str(scope))) or ref.startswith(
        ("data.azurerm_subscription.", "azurerm_subscription.", "data.azurerm_management_group.",
         "azurerm_management_group."))
    if not subscription:
        if is_expression(scope) and not ref:
            return unresolved(rule, r, "scope", scope)
        return verdict(rule, r, PASS, f"{role} limited to scope {scope}", f"{role} 僅限於範圍 {scope}")
    principal = _azure_principal(r)
    if principal is None:
        return verdict(rule, r, UNKNOWN, f"{role} at subscription scope to a principal whose type is not stated "
                       "(set principal_type)", f"於訂閱範圍授予 {role}，但未載明主體類型（請設定 principal_type）",
                       key="principal_type")
    if principal == "workload":
        return verdict(rule, r, PASS, f"{role} at subscription scope to a workload identity, not a person",
                       f"於訂閱範圍授予 {role} 予工作負載身分（非個人）")
    return verdict(rule, r, FAIL, f"{role} granted to a {principal} at subscription scope",
                   f"於訂閱範圍將 {role} 授予{'使用者' if principal == 'user' else '群組'}",
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
        return verdict(rule, r, FAIL, f"basic role granted to people at project level: {', '.join(bad)}",
                       f"於專案層級將基本角色授予個人：{', '.join(bad)}", evidence={"grants": bad})
    if undecided and any(role in GCP_BASIC_ROLES or is_expression(role) for role, _ in undecided):
        return unresolved(rule, r, "member", undecided[0][1])
    return verdict(rule, r, PASS, "no Owner/Editor basic role granted to a person",
                   "未將 Owner／Editor 基本角色授予個人")


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
