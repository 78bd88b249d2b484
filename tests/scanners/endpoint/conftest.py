"""Fixtures of the endpoint tests: the EP- rules and one lab of loopback servers per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from csmguard.rules.loader import RuleSet
from csmguard.services.endpoint_scan import load_endpoint_rules
from tests.scanners.endpoint.lab import Lab


@pytest.fixture(scope="session")
def endpoint_rules() -> RuleSet:
    """The shipped EP- rules, validated against the catalog and the registered checks."""
    return load_endpoint_rules()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory, endpoint_rules: RuleSet) -> Iterator[Lab]:
    """Loopback TLS, SSH and FTP servers, started on first use."""
    the_lab = Lab(tmp_path_factory.mktemp("endpoint-lab"), endpoint_rules)
    yield the_lab
    the_lab.close()
