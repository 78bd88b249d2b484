"""Shared fixtures: the shipped catalog and rules, loaded once per session; the Hypothesis profiles."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from csmguard.catalog.loader import load_catalog
from csmguard.catalog.model import Catalog

# "ci" (the default): derandomised, so that every run tries the same examples and a property test cannot
# make the suite flaky; found bugs stay as explicit @example cases. "fuzz" (make fuzz): many random examples.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True, suppress_health_check=_SLOW_OK)
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")), deadline=None,
                          print_blob=True, suppress_health_check=_SLOW_OK)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The csm-17 catalog shipped with the package."""
    return load_catalog("csm-17")
