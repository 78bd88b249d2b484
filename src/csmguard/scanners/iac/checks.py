"""The IaC scanner's checks: a rule's ``check:`` names a public function of one of the modules listed
once in ``CHECK_MODULES``; that list is the registry (nothing registers itself on import)."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from types import ModuleType
from typing import cast

from csmguard.scanners.iac import (
    checks_buckets,
    checks_changes,
    checks_datastores,
    checks_detection,
    checks_exposure,
    checks_grants,
    checks_identity,
    checks_images,
    checks_k8s,
    checks_k8s_rbac,
    checks_keys,
    checks_logging,
    checks_managed_k8s,
    checks_network,
    checks_resilience,
    checks_resource_policies,
    checks_storage,
    checks_transport,
)
from csmguard.scanners.iac.checkbase import CheckFn

CHECK_MODULES: tuple[ModuleType, ...] = (
    checks_storage,
    checks_keys,
    checks_datastores,
    checks_buckets,
    checks_network,
    checks_exposure,
    checks_identity,
    checks_grants,
    checks_resource_policies,
    checks_k8s_rbac,
    checks_managed_k8s,
    checks_logging,
    checks_detection,
    checks_transport,
    checks_images,
    checks_changes,
    checks_k8s,
    checks_resilience,
)


def public_checks(module: ModuleType) -> dict[str, CheckFn]:
    """The checks a module offers: its public functions defined in the module itself (not imported)."""
    return {name: cast(CheckFn, fn) for name, fn in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == module.__name__}


def collect_checks(modules: tuple[ModuleType, ...]) -> dict[str, CheckFn]:
    """Every public check of ``modules`` by name; two modules defining the same name is an error."""
    found: dict[str, CheckFn] = {}
    owner: dict[str, str] = {}
    for module in modules:
        for name, fn in public_checks(module).items():
            if name in found:
                raise ValueError(f"IaC check {name!r} is defined in both {owner[name]} and {module.__name__}")
            found[name] = fn
            owner[name] = module.__name__
    return found


CHECKS: Mapping[str, CheckFn] = collect_checks(CHECK_MODULES)
"""The checks by name, derived from ``CHECK_MODULES`` (the rule loader rejects a ``check:`` not in it)."""
