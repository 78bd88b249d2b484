"""Shared fixtures: the shipped catalog and rules, loaded once per session."""

from __future__ import annotations

import pytest

from csmguard.catalog.loader import load_catalog
from csmguard.catalog.model import Catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The csm-17 catalog shipped with the package."""
    return load_catalog("csm-17")
