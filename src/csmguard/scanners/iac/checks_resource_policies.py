"""Checks on resource and trust policies that let anyone in: queues, topics, image repositories, search
domains, vaults, keys, secrets, mail identities, Lambda permissions and role trust policies allowing
``Principal "*"`` without a condition that limits who (CSM-7.4)."""

from __future__ import annotations

from typing import Any

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, PASS, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.policy import Statement, statements
from csmguard.scanners.iac.values import is_expression

# Where each type keeps its policy document (Terraform attribute or CloudFormation property).
POLICY_ATTRIBUTE = {
    "aws_sqs_queue_policy": "policy", "aws_sqs_queue": "policy", "aws_sns_topic_policy": "policy",
    "aws_sns_topic": "policy", "aws_ecr_repository_policy": "policy",
    "aws_elasticsearch_domain_policy": "access_policies", "aws_elasticsearch_domain": "access_policies",
    "aws_opensearch_domain_policy": "access_policies", "aws_opensearch_domain": "access_policies",
    "aws_glacier_vault": "access_policy", "aws_kms_key": "policy", "aws_secretsmanager_secret_policy": "policy",
    "aws_secretsmanager_secret": "policy", "aws_ses_identity_policy": "policy", "aws_iam_role": "assume_role_policy",
    "AWS::SQS::QueuePolicy": "PolicyDocument", "AWS::SNS::TopicPolicy": "PolicyDocument",
    "AWS::ECR::Repository": "RepositoryPolicyText", "AWS::Elasticsearch::Domain": "AccessPolicies",
    "AWS::OpenSearchService::Domain": "AccessPolicies", "AWS::KMS::Key": "KeyPolicy",
    "AWS::SecretsManager::ResourcePolicy": "ResourcePolicy", "AWS::IAM::Role": "AssumeRolePolicyDocument",
}
# Condition keys that limit who the statement admits (account, organisation, network, calling resource).
LIMITING_KEYS = {
    "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:userid",
    "aws:username", "aws:calledvia", "kms:calleraccount", "kms:viaservice", "aws:resourceorgid",
    "aws:sourceorgid", "aws:sourceorgpaths",
}


def _open(statement: Statement) -> bool:
    """An Allow to ``*`` (or ``{"AWS": "*"}``) whose conditions do not limit who."""
    if statement.effect != "allow" or not any(p == "*" for _, p in statement.principals):
        return False
    return not any(key.lower() in LIMITING_KEYS for _, key, _ in statement.conditions)


def _lambda_permission(rule: Rule, r: Resource) -> Finding:
    a = r.attributes
    cfn = r.type.startswith("AWS::")
    principal = a.get("Principal" if cfn else "principal")
    limits = [a.get(k) for k in (("SourceArn", "SourceAccount", "PrincipalOrgID") if cfn
                                 else ("source_arn", "source_account", "principal_org_id")) if a.get(k) is not None]
    if is_expression(principal):
        return unresolved(rule, r, "principal", principal)
    if str(principal).strip() == "*" and not limits:
        return verdict(rule, r, FAIL, "anyone_invokes", evidence={"principal": principal}, key="principal")
    return verdict(rule, r, PASS, "invocation_limited", {"principal": principal})


def _judge(rule: Rule, facts: IacFacts, r: Resource) -> Finding | None:
    if r.type in {"aws_lambda_permission", "AWS::Lambda::Permission"}:
        return _lambda_permission(rule, r)
    attribute = POLICY_ATTRIBUTE[r.type]
    value: Any = r.attributes.get(attribute)
    if value is None:
        return None  # no resource policy: the account's own principals only
    found = statements(facts, r, value)
    if found is None:
        return unresolved(rule, r, attribute, value)
    opened = [s for s in found if _open(s)]
    if opened:
        actions = sorted({a for s in opened for a in s.actions})[:8]
        what = ", ".join(actions) or "*"
        return verdict(rule, r, FAIL, "open_to_anyone", {"attribute": attribute, "actions": what},
                       evidence={"actions": actions}, key=attribute)
    return verdict(rule, r, PASS, "named_principals_only", {"attribute": attribute})


def policies_open_to_anyone(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-035: resource policies and role trust policies that allow ``Principal "*"`` (any AWS account, or
    anyone) without a condition limiting the source account, organisation, network or ARN; Lambda
    permissions to ``*`` without a source."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        found = _judge(rule, facts, r)
        if found is not None:
            out.append(found)
    return out
