"""Which ingress sources count as the internet: 0.0.0.0/0 and its spellings, and public ranges of /16 or
wider (a cloud region's range anyone can rent in); private, loopback, reserved and narrow ranges do not."""

from __future__ import annotations

import pytest

from csmguard.scanners.iac.facts import TERRAFORM, Resource
from csmguard.scanners.iac.network import ingress_rules, is_wide_public


@pytest.mark.parametrize(("source", "wide"), [
    ("52.28.0.0/16", True), ("1.0.0.0/15", True), ("2600:1f00::/24", True),
    ("52.28.1.0/24", False), ("8.8.8.8/32", False), ("10.0.0.0/8", False), ("127.0.0.0/8", False),
    ("0.0.0.0/8", False), ("100.64.0.0/10", False), ("fd00::/8", False), ("${var.cidr}", False),
])
def test_wide_public_ranges(source: str, wide: bool) -> None:
    assert is_wide_public(source) is wide


def _group(cidr: str) -> Resource:
    return Resource(provider="aws", type="aws_security_group", address="aws_security_group.g", file="main.tf",
                    line=1, source=TERRAFORM, attributes={"ingress": [
                        {"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": [cidr]}]})


def test_every_port_open_to_a_region_range_is_open_to_the_internet() -> None:
    assert ingress_rules(_group("52.14.0.0/16"))[0].from_internet
    assert not ingress_rules(_group("162.168.2.0/24"))[0].from_internet
    assert not ingress_rules(_group("10.1.0.0/16"))[0].from_internet
