"""Checks on object storage open to anyone: public ACLs, public-access blocks that do not block,
bucket policies and IAM bindings granting everyone, public blob containers (CSM-7.5)."""

from __future__ import annotations

from typing import Any

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, PASS, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.policy import statements
from csmguard.scanners.iac.values import as_bool, as_list, is_expression

PUBLIC_ACLS = {"public-read", "public-read-write", "authenticated-read", "publicread", "publicreadwrite",
               "authenticatedread", "public"}
BLOCK_SETTINGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
EVERYONE = {"allusers", "allauthenticatedusers"}


def _public_block(r: Resource) -> tuple[list[str], Any]:
    """The public-access-block settings left off, and an undecided value if any."""
    a = r.attributes
    if r.type == "AWS::S3::Bucket":
        a = a.get("PublicAccessBlockConfiguration") or {}
        keys = tuple("".join(p.capitalize() for p in k.split("_")) for k in BLOCK_SETTINGS)
    else:
        keys = BLOCK_SETTINGS
    undecided = next((a.get(k) for k in keys if is_expression(a.get(k))), None)
    return [k for k in keys if as_bool(a.get(k)) is not True and not is_expression(a.get(k))], undecided


def _policy_to_everyone(facts: IacFacts, r: Resource) -> tuple[bool | None, Any]:
    value = r.attributes.get("PolicyDocument" if r.type.startswith("AWS::") else "policy")
    found = statements(facts, r, value)
    if found is None:
        return None, value
    return any(s.effect == "allow" and not s.conditions and any(p == "*" for _, p in s.principals)
               for s in found), value


def _judge(facts: IacFacts, r: Resource) -> tuple[str, dict[str, object], Any] | None:
    """(the rule's message, its fields, detail) of what makes ``r`` public; None when nothing does.
    Raises _Undecided."""
    a = r.attributes
    if r.type in {"aws_s3_bucket", "aws_s3_bucket_acl"}:
        acl = a.get("acl")
        if is_expression(acl):
            raise _Undecided("acl", acl)
        if str(acl).lower() in PUBLIC_ACLS:
            return "canned_acl", {"acl": acl}, acl
        return None
    if r.type == "AWS::S3::Bucket":
        acl = a.get("AccessControl")
        if str(acl).lower() in PUBLIC_ACLS:
            return "access_control", {"acl": acl}, acl
        if "PublicAccessBlockConfiguration" not in a:
            return None
    if r.type in {"aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block", "AWS::S3::Bucket"}:
        off, undecided = _public_block(r)
        if off:
            return "public_access_not_blocked", {"off": ", ".join(off)}, off
        if undecided is not None:
            raise _Undecided("public access block", undecided)
        return None
    if r.type in {"aws_s3_bucket_policy", "AWS::S3::BucketPolicy"}:
        public, value = _policy_to_everyone(facts, r)
        if public is None:
            raise _Undecided("policy", value)
        return ("policy_allows_anyone", {}, "*") if public else None
    if r.type == "azurerm_storage_container":
        kind = a.get("container_access_type", "private")
        if str(kind).lower() in {"blob", "container"}:
            return "anonymous_container_access", {"kind": kind}, kind
        return None
    members = [str(m) for m in [a.get("member"), *as_list(a.get("members"))] if m is not None]
    everyone = [m for m in members if m.lower() in EVERYONE]
    if everyone:
        return "granted_to_everyone", {"members": ", ".join(everyone)}, everyone
    return None


class _Undecided(Exception):
    def __init__(self, attribute: str, value: object) -> None:
        super().__init__(attribute)
        self.attribute, self.value = attribute, value


def public_buckets(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-007: buckets and containers readable or writable by anyone (public ACLs, public-access blocks
    that do not block, policies or IAM bindings granting everyone, anonymous blob containers)."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        try:
            found = _judge(facts, r)
        except _Undecided as undecided:
            out.append(unresolved(rule, r, undecided.attribute, undecided.value))
            continue
        if found is None:
            out.append(verdict(rule, r, PASS, "nothing_here_opens_it"))
        else:
            message, values, detail = found
            out.append(verdict(rule, r, FAIL, message, values, evidence={"detail": detail}))
    return out
