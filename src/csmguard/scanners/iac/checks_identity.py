"""Checks on identities: wildcard administrator policies and privileged roles, users and groups that
are usable without MFA (CSM-7.4)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from typing import Any

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, MANUAL, PASS, resources, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.policy import Statement, arn_text, is_admin_policy_arn, managed_policy_document, statements
from csmguard.scanners.iac.values import as_list, blocks, reference

_INSTANCE_KEY = re.compile(r"\[[^\]]*\]$")


def _documents(resource: Resource) -> list[tuple[str, Any]]:
    """(attribute, policy document value) pairs a resource carries as permissions (not trust)."""
    a = resource.attributes
    t = resource.type
    if t in {"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}:
        return [("policy", a.get("policy"))]
    if t == "aws_iam_role":
        return [(f"inline_policy[{b.get('name', i)}]", b.get("policy"))
                for i, b in enumerate(blocks(a.get("inline_policy"))) if b.get("policy") is not None]
    if t in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}:
        return [("PolicyDocument", a.get("PolicyDocument"))]
    if t in {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}:
        return [(f"Policies[{p.get('PolicyName', i)}]", p.get("PolicyDocument"))
                for i, p in enumerate(blocks(a.get("Policies")))]
    return []


_ATTACHMENTS = ("aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment",
                "aws_iam_policy_attachment")


def _managed_documents(resource: Resource) -> list[tuple[str, Any]]:
    """(attribute, document) pairs of the AWS managed policies a role or attachment grants, where the
    policy is one whose permissions are known (:data:`policy.AWS_MANAGED_POLICIES`)."""
    a = resource.attributes
    if resource.type in _ATTACHMENTS:
        arns = [a.get("policy_arn")]
    elif resource.type == "aws_iam_role":
        arns = as_list(a.get("managed_policy_arns"))
    elif resource.type in {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}:
        arns = as_list(a.get("ManagedPolicyArns"))
    else:
        return []
    out = []
    for arn in arns:
        document = managed_policy_document(arn)
        if document is not None:
            out.append((arn_text(arn).rsplit("/", 1)[-1], document))
    return out


def _policy_findings(rule: Rule, facts: IacFacts, types: tuple[str, ...],
                     matches: Callable[[Statement], list[str]]) -> list[Finding]:
    """One finding per policy-holding resource of ``types``: fail when a statement ``matches`` (it returns
    the offending actions), unknown when a document cannot be read, pass otherwise (the rule's message
    ``matched_actions`` says what the statements allow)."""
    what = rule.render("matched_actions", {})
    out: list[Finding] = []
    for resource in resources(rule, facts, *types):
        documents = _documents(resource) + _managed_documents(resource)
        if not documents:
            continue
        bad: list[str] = []
        unknown: tuple[str, Any] | None = None
        for attribute, value in documents:
            found = statements(facts, resource, value)
            if found is None:
                unknown = unknown or (attribute, value)
                continue
            denied = _denied_everywhere(found)
            actions = sorted({a for s in found for a in matches(s) if not _covered(a, denied)})
            if actions:
                bad.append(f"{attribute}: {', '.join(actions)}")
        if bad:
            out.append(verdict(rule, resource, FAIL, "allows_resource", {"what": what, "bad": "; ".join(bad)},
                               evidence={"documents": bad}))
        elif unknown:
            out.append(unresolved(rule, resource, unknown[0], unknown[1]))
        else:
            out.append(verdict(rule, resource, PASS, "no_statement_allows", {"what": what}))
    return out


def _covered(action: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(action.lower(), p.lower()) for p in patterns)


def _denied_everywhere(found: list[Statement]) -> list[str]:
    """Action patterns the same document denies on every resource without a condition."""
    return [a for s in found if s.effect == "deny" and not s.not_action and not s.conditions
            and "*" in s.resources for a in s.actions]


# Actions that let a holder raise its own privileges when allowed on every resource (after Rhino Security
# Labs' AWS privilege-escalation methods and BishopFox iam-vulnerable).
ESCALATION_ACTIONS = (
    "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachUserPolicy", "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy", "iam:CreateAccessKey",
    "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:UpdateAssumeRolePolicy", "iam:AddUserToGroup",
    "iam:PassRole", "lambda:UpdateFunctionCode", "glue:UpdateDevEndpoint", "ssm:SendCommand", "ssm:StartSession",
    "ec2-instance-connect:SendSSHPublicKey", "sagemaker:CreatePresignedNotebookInstanceUrl", "sts:AssumeRole",
    "cloudformation:UpdateStack", "codebuild:StartBuild",
)


def _whole_type(resource: str) -> bool:
    """``*``, or an ARN naming every resource of a type (``…:user/*``, ``…:function:*``)."""
    return resource == "*" or resource.endswith(("/*", ":*"))


# Actions that change what a principal may do: on any customer user, group, role or policy (not only on
# every resource) they let the holder make that principal an administrator.
POLICY_MANAGEMENT = {
    "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachUserPolicy", "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy", "iam:AddUserToGroup", "iam:CreateAccessKey", "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
}
_IAM_REFERENCE = re.compile(r"\baws_iam_(user|role|group|policy)\.|\bAWS::IAM::")
_TIME_KEYS = {"aws:tokenissuetime", "aws:currenttime"}


def _customer_iam(resource: str) -> bool:
    """A customer's IAM user, group, role or policy (an ARN, an ARN pattern or a reference to one); not the
    AWS-managed policy namespace (``arn:aws:iam::aws:policy/…``), which nobody can change."""
    text = resource.strip()
    if text.startswith("arn:") and ":iam::aws:" in text:
        return False
    return (text.startswith("arn:") and ":iam::" in text) or bool(_IAM_REFERENCE.search(text))


def _always_true(statement: Statement) -> bool:
    """Whether every condition only asks that the time be after a date already past (it always holds)."""
    now = datetime.now(UTC)
    for operator, key, values in statement.conditions:
        if not operator.lower().startswith("dategreaterthan") or key.lower() not in _TIME_KEYS:
            return False
        for value in values:
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return False
            if moment.tzinfo is None or moment >= now:
                return False
    return True


def _escalations(statement: Statement) -> list[str]:
    if statement.effect != "allow" or (statement.conditions and not _always_true(statement)):
        return []
    wide = any(_whole_type(r) for r in statement.resources)
    if statement.not_action:
        return [a for a in ESCALATION_ACTIONS if not _covered(a, list(statement.actions))] if wide else []
    targeted = any(_customer_iam(r) for r in statement.resources)
    return [a for a in ESCALATION_ACTIONS if _covered(a, list(statement.actions))
            and (wide or (targeted and a in POLICY_MANAGEMENT))]


def escalation_policies(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-029: policies allowing actions that escalate privileges (iam:CreatePolicyVersion, iam:PassRole,
    iam:Attach*Policy …) on wildcard resources, or policy-management actions on any customer IAM principal or
    policy (a pattern such as ``policy/app-*`` or one named user), without a condition (a condition that only
    asks for a time after a past date counts as none)."""
    return _policy_findings(rule, facts, rule_types(rule), _escalations)


def _full_admin(statement: Statement) -> list[str]:
    return [a for a in statement.actions if a in {"*", "*:*"}] if statement.is_full_admin else []


def _service_wildcards(statement: Statement) -> list[str]:
    if statement.effect != "allow" or statement.not_action or "*" not in statement.resources:
        return []
    return [a for a in statement.actions if a in {"*", "*:*"} or (a.endswith(":*") and a.count(":") == 1)]


def wildcard_admin_policies(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-020: policies that allow every action on every resource, and Azure custom roles with ``*``."""
    out = _policy_findings(rule, facts, rule_types(rule), _full_admin)
    for resource in resources(rule, facts, "azurerm_role_definition"):
        actions = [str(x) for p in blocks(resource.attributes.get("permissions")) for x in as_list(p.get("actions"))]
        if "*" in actions:
            out.append(verdict(rule, resource, FAIL, "custom_role_allows_actions"))
        else:
            out.append(verdict(rule, resource, PASS, "custom_role_does_not"))
    return out


def service_wildcard_policies(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-022: policies that allow every action of a service (``iam:*``, ``s3:*``, ``ec2:*`` or ``*``) on
    every resource."""
    return _policy_findings(rule, facts, rule_types(rule), _service_wildcards)


@dataclass
class _Identity:
    resource: Resource
    grants: list[str] = field(default_factory=list)  # what makes it privileged
    statements: list[Statement] = field(default_factory=list)  # its permission statements
    groups: list[str] = field(default_factory=list)


def _names(resource: Resource) -> set[str]:
    """The keys an identity is found by: its address, its name, and ``scope|address`` as the code of its
    own module refers to it (no module prefix; with a count or for_each, any instance)."""
    a = resource.attributes
    names = {resource.address}
    for key in ("name", "RoleName", "UserName", "GroupName"):
        if isinstance(a.get(key), str):
            names.add(a[key])
    prefix = resource.scope.rpartition("#")[2]
    local = resource.address.removeprefix(prefix) if prefix else resource.address
    names |= {f"{resource.scope}|{local}", f"{resource.scope}|{_INSTANCE_KEY.sub('', local)}"}
    return names


def _targets(resource: Resource, value: object, index: dict[str, _Identity]) -> list[_Identity]:
    out = []
    for item in as_list(value):
        key = reference(resource, item) or (str(item) if isinstance(item, str) else None)
        found = index.get(f"{resource.scope}|{key}") or index.get(key) if key else None
        if found is not None:
            out.append(found)
    return out


def _policy_grants(facts: IacFacts, owner: Resource, arn: object) -> tuple[list[str], list[Statement]]:
    if is_admin_policy_arn(arn):
        return [arn_text(arn).rsplit("/", 1)[-1]], []
    ref = reference(owner, arn)
    policy = facts.lookup(owner.scope, ref) if ref else None
    if policy is None:
        return [], []
    found = [s for _, value in _documents(policy) for s in (statements(facts, policy, value) or [])]
    return ([policy.address] if any(s.is_admin for s in found) else []), found


def _identities(rule: Rule, facts: IacFacts) -> list[_Identity]:
    identities = [_Identity(r) for r in resources(rule, facts, "aws_iam_role", "aws_iam_user", "aws_iam_group",
                                                       "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")]
    index: dict[str, _Identity] = {}
    for identity in identities:
        for name in _names(identity.resource):
            index.setdefault(name, identity)
    for identity in identities:  # the identity's own policies
        r = identity.resource
        for _, value in _documents(r):
            found = statements(facts, r, value) or []
            identity.statements += found
            identity.grants += ["inline admin policy"] if any(s.is_admin for s in found) else []
        for arn in as_list(r.attributes.get("managed_policy_arns") or r.attributes.get("ManagedPolicyArns")):
            grants, found = _policy_grants(facts, r, arn)
            identity.grants += grants
            identity.statements += found
        identity.groups = [str(reference(r, g) or g) for g in as_list(r.attributes.get("Groups"))]
    attach_keys = {"aws_iam_role_policy_attachment": "role", "aws_iam_user_policy_attachment": "user",
                   "aws_iam_group_policy_attachment": "group"}
    for attachment in resources(rule, facts, *attach_keys, "aws_iam_policy_attachment"):
        a = attachment.attributes
        holders = _targets(attachment, a.get(attach_keys.get(attachment.type, "")), index) + _targets(
            attachment, [*as_list(a.get("roles")), *as_list(a.get("users")), *as_list(a.get("groups"))], index)
        grants, found = _policy_grants(facts, attachment, a.get("policy_arn"))
        for holder in holders:
            holder.grants += grants
            holder.statements += found
    inline_keys = {"aws_iam_role_policy": "role", "aws_iam_user_policy": "user", "aws_iam_group_policy": "group"}
    for inline in resources(rule, facts, *inline_keys):
        found = statements(facts, inline, inline.attributes.get("policy")) or []
        for holder in _targets(inline, inline.attributes.get(inline_keys[inline.type]), index):
            holder.statements += found
            holder.grants += [inline.address] if any(s.is_admin for s in found) else []
    for policy in resources(rule, facts, "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        a = policy.attributes
        found = statements(facts, policy, a.get("PolicyDocument")) or []
        for holder in _targets(policy, [*as_list(a.get("Roles")), *as_list(a.get("Users")),
                                        *as_list(a.get("Groups"))], index):
            holder.statements += found
            holder.grants += [policy.address] if any(s.is_admin for s in found) else []
    for membership in resources(rule, facts, "aws_iam_user_group_membership", "aws_iam_group_membership"):
        a = membership.attributes
        for user in _targets(membership, a.get("user") or a.get("users"), index):
            user.groups += [reference(membership, g) or str(g) for g in as_list(a.get("groups") or a.get("group"))]
    for identity in identities:  # users inherit their groups' grants
        for group_key in identity.groups:
            group = index.get(group_key)
            if group is not None and group is not identity:
                identity.grants += [f"group {group.resource.address}: {g}" for g in group.grants]
                identity.statements += group.statements
    return identities


def _trust(facts: IacFacts, role: Resource) -> list[Statement] | None:
    a = role.attributes
    return statements(facts, role, a.get("assume_role_policy", a.get("AssumeRolePolicyDocument")))


def _denied_admin(identity: _Identity) -> bool:
    """Whether every administrator grant of ``identity`` is a statement its own policies deny everywhere
    (an explicit Deny of ``*`` or ``iam:*`` wins over any Allow): then it holds no administrator rights."""
    managed = [g for g in identity.grants if not g.startswith(("inline", "group")) and "." not in g]
    admin = [s for s in identity.statements if s.is_admin]
    denied = _denied_everywhere(identity.statements)
    if managed or not admin or not denied:
        return False
    return all(_covered("iam:*", denied) if s.not_action else
               all(_covered(a, denied) for a in s.actions if a.lower() in {"*", "*:*", "iam:*"}) for s in admin)


def privileged_without_mfa(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-021: administrator roles assumable, and administrator users or groups usable, without MFA."""
    out: list[Finding] = []
    for identity in _identities(rule, facts):
        if not identity.grants:
            continue
        r = identity.resource
        grants = ", ".join(sorted(set(identity.grants)))[:200]
        if _denied_admin(identity):
            out.append(verdict(rule, r, PASS, "admin_denied", {"grants": grants}))
            continue
        if r.type in {"aws_iam_role", "AWS::IAM::Role"}:
            trust = _trust(facts, r)
            if trust is None:
                attribute = "assume_role_policy" if r.type == "aws_iam_role" else "AssumeRolePolicyDocument"
                out.append(unresolved(rule, r, attribute, r.attributes.get(attribute)))
                continue
            human = [s for s in trust if s.effect == "allow" and any(k == "AWS" for k, _ in s.principals)]
            federated = [s for s in trust if s.effect == "allow" and any(k == "Federated" for k, _ in s.principals)]
            if any(not s.requires_mfa for s in human):
                out.append(verdict(rule, r, FAIL, "privileged_role_assumable_aws", {"grants": grants},
                                   evidence={"grants": grants}))
            elif federated and not human:
                out.append(verdict(rule, r, MANUAL, "privileged_role_assumed_through", {"grants": grants}))
            elif human:
                out.append(verdict(rule, r, PASS, "privileged_role_requires_mfa"))
            continue
        guarded = any(s.denies_without_mfa for s in identity.statements)
        admin = [s for s in identity.statements if s.is_admin]
        managed = any(not g.startswith(("inline", "group")) and "." not in g for g in identity.grants)
        if guarded or (admin and all(s.requires_mfa for s in admin) and not managed):
            out.append(verdict(rule, r, PASS, "privileged_permissions_require_mfa"))
        else:
            out.append(verdict(rule, r, FAIL, "privileged_without_mfa_condition", {"grants": grants},
                               evidence={"grants": grants}))
    return out


