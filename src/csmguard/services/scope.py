"""Scope use case: which requirements apply to an organization, which do not, and why."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.catalog.model import Catalog, Node
from csmguard.catalog.scope import Applicability, ScopeProfile, check_profile, evaluate_scope, load_profile


@dataclass(frozen=True)
class ScopeReport:
    """The applicability of every provision for one profile."""

    catalog: Catalog
    profile: ScopeProfile
    entries: tuple[tuple[Node, Applicability], ...]

    def applicable(self) -> list[tuple[Node, Applicability]]:
        """The requirements that apply."""
        return [(n, a) for n, a in self.entries if n.is_requirement and a.applies is True]

    def not_applicable(self) -> list[tuple[Node, Applicability]]:
        """The requirements that do not apply, and the provisions that are never assessed."""
        return [(n, a) for n, a in self.entries if a.applies is False]

    def undetermined(self) -> list[tuple[Node, Applicability]]:
        """The requirements that wait on an unanswered scope question."""
        return [(n, a) for n, a in self.entries if a.applies is None]


def check_scope(profile_path: Path) -> ScopeReport:
    """Read a profile, validate it against its catalog edition, and decide every provision."""
    profile = load_profile(profile_path)
    catalog = load_catalog(profile.edition)
    check_profile(profile, catalog, str(profile_path))
    return scope_report(catalog, profile)


def scope_report(catalog: Catalog, profile: ScopeProfile) -> ScopeReport:
    """Decide every provision of ``catalog`` for ``profile``."""
    by_id = catalog.by_id()
    entries = tuple((by_id[a.node_id], a) for a in evaluate_scope(catalog, profile))
    return ScopeReport(catalog, profile, entries)
