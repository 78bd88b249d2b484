"""What the IaC scanner read: every resource of every input format in one model."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from csmguard.domain import ScanError

# Input formats a resource can come from.
TERRAFORM = "terraform"
TFPLAN = "tfplan"
CLOUDFORMATION = "cloudformation"
KUBERNETES = "kubernetes"
_INSTANCE_KEY = re.compile(r"\[[^\]]*\]$")
# Exported live configuration (read into the same Terraform-shaped resources the rules judge).
AWS_CONFIG = "aws-config"
AWS_CLI = "aws-cli"
AZURE_GRAPH = "azure-resource-graph"
GCP_ASSETS = "gcp-cloud-asset-inventory"
EXPORT_SOURCES = (AWS_CONFIG, AWS_CLI, AZURE_GRAPH, GCP_ASSETS)


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource (or Terraform data source) of any format, with attributes as plain data.

    ``type`` is the format's own type name (``aws_ebs_volume``, ``AWS::EC2::Volume``, ``Deployment``);
    ``address`` is the Terraform address, the CloudFormation logical ID or ``Kind/namespace/name``, or for
    an exported live configuration the live resource ID (ARN, Azure resource ID, asset name), whose item
    in the export file ``pointer`` gives (a JSON pointer, e.g. ``/configurationItems/3``);
    ``scope`` groups resources that may refer to each other (a Terraform module instance, a template,
    a manifest file), so references are looked up within it; ``note`` says when the resource stands for
    instances whose number is not known before apply.
    """

    provider: str
    type: str
    address: str
    attributes: Mapping[str, Any]
    file: str
    line: int | None
    source: str
    scope: str = ""
    mode: str = "managed"
    note: str = ""  # e.g. a count/for_each not known before apply: one instance stands for all
    pointer: str = ""  # where in an export file the item is (JSON pointer); empty for code

    @property
    def is_data(self) -> bool:
        """Whether this is a Terraform data source rather than a managed resource."""
        return self.mode == "data"


@dataclass(frozen=True)
class IacOptions:
    """What the user told the scan: trusted image owners, the accounts a snapshot or image may be shared
    with, and whether every disk counts as holding sensitive data (else a disk's tags say so)."""

    allowed_image_owners: tuple[str, ...] = ()
    allowed_accounts: tuple[str, ...] = ()
    all_disks_sensitive: bool = False  # the firm asks every disk to be treated as holding sensitive data (CSM-7.5)


@dataclass(frozen=True)
class IacFacts:
    """Everything read from the inputs: resources, the files that were read or rejected, and why."""

    resources: tuple[Resource, ...]
    errors: tuple[ScanError, ...] = ()
    files_read: int = 0
    files_parsed: int = 0
    files_skipped: int = 0
    export_items: int = 0  # items of exported live configuration read
    export_unmapped: Mapping[str, int] = field(default_factory=dict)  # exported types no rule reads, by count
    _index: dict[tuple[str, str], Resource] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for resource in self.resources:
            self._index.setdefault((resource.scope, resource.address), resource)
        for resource in self.resources:  # as the module's own code names it: no module prefix, any instance
            prefix = resource.scope.rpartition("#")[2]
            local = resource.address.removeprefix(prefix) if prefix else resource.address
            self._index.setdefault((resource.scope, local), resource)
            self._index.setdefault((resource.scope, _INSTANCE_KEY.sub("", local)), resource)

    def lookup(self, scope: str, address: str) -> Resource | None:
        """The resource at ``address`` in ``scope`` (a Terraform module instance or a template); inside a
        module the address is the module's own (``aws_ebs_volume.main``), and a resource with ``count`` or
        ``for_each`` is found by its name alone (its first instance)."""
        return self._index.get((scope, address))

    def of_types(self, *types: str) -> list[Resource]:
        """The managed resources of the given types, in reading order."""
        wanted = set(types)
        return [r for r in self.resources if r.type in wanted and not r.is_data]
