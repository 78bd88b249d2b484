"""IAM policy documents in one shape, whichever way they were written: JSON strings, heredocs,
``jsonencode``, ``aws_iam_policy_document`` data sources or CloudFormation mappings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csmguard.scanners.iac.facts import IacFacts, Resource
from csmguard.scanners.iac.tfexpr import decode_document
from csmguard.scanners.iac.values import as_list, blocks, reference

ADMIN_MANAGED_POLICIES = ("/AdministratorAccess", "/PowerUserAccess", "/IAMFullAccess")
MFA_KEYS = {"aws:multifactorauthpresent", "aws:multifactorauthage"}


@dataclass(frozen=True)
class Statement:
    """One policy statement."""

    effect: str
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    principals: tuple[tuple[str, str], ...]
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...]

    @property
    def is_admin(self) -> bool:
        """Allow every action (or every IAM action) on every resource; also ``NotAction`` on every resource
        when what it leaves out does not include IAM (``Allow NotAction ec2:*`` grants ``iam:*``)."""
        if self.effect != "allow" or "*" not in self.resources:
            return False
        if self.not_action:
            return not any(a.lower() in {"*", "*:*", "iam:*"} or a.lower().startswith("iam:*") for a in self.actions)
        return any(a in {"*", "*:*", "iam:*"} for a in self.actions)

    @property
    def is_full_admin(self) -> bool:
        """Allow ``*`` on ``*``."""
        return self.effect == "allow" and not self.not_action and any(
            a in {"*", "*:*"} for a in self.actions) and "*" in self.resources

    @property
    def requires_mfa(self) -> bool:
        """Whether the statement only applies with MFA (``aws:MultiFactorAuthPresent`` true or an MFA age)."""
        for operator, key, values in self.conditions:
            if key.lower() == "aws:multifactorauthage":
                return True
            if key.lower() == "aws:multifactorauthpresent" and operator.lower().startswith("bool") and \
                    "true" in (v.lower() for v in values):
                return True
        return False

    @property
    def denies_without_mfa(self) -> bool:
        """A Deny that applies when MFA is absent: the usual "force MFA" guard."""
        return self.effect == "deny" and any(
            key.lower() == "aws:multifactorauthpresent" and "false" in (v.lower() for v in values)
            for _, key, values in self.conditions)


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in as_list(value))


def from_json(document: Mapping[str, Any]) -> list[Statement]:
    """Statements of a JSON policy document."""
    out = []
    for raw in as_list(document.get("Statement")):
        if not isinstance(raw, Mapping):
            continue
        principals: list[tuple[str, str]] = []
        principal = raw.get("Principal")
        if isinstance(principal, Mapping):
            for kind, ids in principal.items():
                principals += [(str(kind), str(i)) for i in as_list(ids)]
        elif principal is not None:
            principals.append(("AWS", str(principal)))
        conditions = []
        condition = raw.get("Condition")
        if isinstance(condition, Mapping):
            for operator, tests in condition.items():
                if isinstance(tests, Mapping):
                    conditions += [(str(operator), str(key), _strings(values)) for key, values in tests.items()]
        out.append(Statement(
            effect=str(raw.get("Effect", "Allow")).lower(),
            actions=_strings(raw.get("Action") if "Action" in raw else raw.get("NotAction")),
            not_action="NotAction" in raw and "Action" not in raw,
            resources=_strings(raw.get("Resource") if "Resource" in raw else raw.get("NotResource")),
            principals=tuple(principals), conditions=tuple(conditions)))
    return out


def from_policy_document_data(resource: Resource) -> list[Statement]:
    """Statements of a Terraform ``aws_iam_policy_document`` data source."""
    out = []
    for raw in blocks(resource.attributes.get("statement")):
        principals = [(str(p.get("type")), str(i)) for p in blocks(raw.get("principals"))
                      for i in as_list(p.get("identifiers"))]
        conditions = [(str(c.get("test")), str(c.get("variable")), _strings(c.get("values")))
                      for c in blocks(raw.get("condition"))]
        out.append(Statement(
            effect=str(raw.get("effect", "Allow")).lower(),
            actions=_strings(raw.get("actions") if raw.get("actions") is not None else raw.get("not_actions")),
            not_action=raw.get("actions") is None and raw.get("not_actions") is not None,
            resources=_strings(raw.get("resources") or raw.get("not_resources") or ["*"]),
            principals=tuple(principals), conditions=tuple(conditions)))
    return out


def statements(facts: IacFacts, resource: Resource, value: object) -> list[Statement] | None:
    """The statements of the policy document ``value`` found on ``resource``; None when it cannot be
    read without running Terraform (e.g. ``file()`` or a reference outside the scanned code)."""
    if value is None:
        return []
    document = decode_document(value)
    if isinstance(document, Mapping):
        return from_json(document)
    ref = reference(resource, value)
    if ref and ref.startswith("data.aws_iam_policy_document."):
        data = facts.lookup(resource.scope, ref)
        if data is not None:
            return from_policy_document_data(data)
    return None


def arn_text(value: object) -> str:
    """A managed policy ARN as text, also when written as ``!Sub "arn:${AWS::Partition}:…"``."""
    return str(value.get("Fn::Sub", value)) if isinstance(value, Mapping) else str(value)


def is_admin_policy_arn(value: object) -> bool:
    """Whether a managed policy ARN (possibly inside ``Fn::Sub``) names an AWS administrator policy."""
    return arn_text(value).endswith(ADMIN_MANAGED_POLICIES)


def _allow(*actions: str, not_action: bool = False) -> dict[str, Any]:
    key = "NotAction" if not_action else "Action"
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", key: list(actions), "Resource": "*"}]}


# The permission-granting core of AWS managed policies whose name says what they grant (AWS managed policy
# reference): enough for the wildcard, service-wide and escalation checks to judge an attachment of them.
AWS_MANAGED_POLICIES: dict[str, dict[str, Any]] = {
    "AdministratorAccess": _allow("*"),
    "PowerUserAccess": _allow("iam:*", "organizations:*", "account:*", not_action=True),
    "IAMFullAccess": _allow("iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization"),
    "AmazonS3FullAccess": _allow("s3:*", "s3-object-lambda:*"),
    "AmazonEC2FullAccess": _allow("ec2:*", "elasticloadbalancing:*", "cloudwatch:*", "autoscaling:*"),
    "AmazonRDSFullAccess": _allow("rds:*"),
    "AmazonDynamoDBFullAccess": _allow("dynamodb:*"),
    "AWSLambda_FullAccess": _allow("lambda:*"),
    "AmazonSQSFullAccess": _allow("sqs:*"),
    "AmazonSNSFullAccess": _allow("sns:*"),
    "SecretsManagerReadWrite": _allow("secretsmanager:*"),
    "AWSCloudTrail_FullAccess": _allow("cloudtrail:*"),
    "CloudWatchFullAccess": _allow("cloudwatch:*", "logs:*"),
    "AWSKeyManagementServicePowerUser": _allow("kms:*"),
}
_MANAGED_ARN = re.compile(r"^arn:(?:aws[\w-]*|\$\{AWS::Partition\}):iam::aws:policy/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$")


def managed_policy_document(value: object) -> Mapping[str, Any] | None:
    """The permissions of an AWS managed policy named by its ARN (``arn:aws:iam::aws:policy/Name``, also in
    ``Fn::Sub``) when :data:`AWS_MANAGED_POLICIES` knows it; None otherwise."""
    match = _MANAGED_ARN.match(arn_text(value).strip())
    return AWS_MANAGED_POLICIES.get(match.group(1)) if match else None
