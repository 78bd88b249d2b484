"""Roles and what each may do. The matrix is data; every route names the permission it needs."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The roles of the web app's users."""

    ADMINISTRATOR = "administrator"
    COMPLIANCE_OFFICER = "compliance_officer"
    ENGINEER = "engineer"
    AUDITOR = "auditor"
    APPROVER = "approver"  # 核准人員: decides exceptions and accepted risks, approves sign-offs


class Permission(StrEnum):
    """What a route needs."""

    VIEW = "view"  # read every page, download reports and exports
    EDIT_COMPLIANCE = "edit_compliance"  # registers, profile, attestations, exceptions, evidence, assessments
    TRIAGE = "triage"  # suppress findings or accept their risk
    RUN_SCANS = "run_scans"  # upload artifacts and run checks
    OWN_TOKENS = "own_tokens"  # create and revoke one's own API tokens
    MANAGE_USERS = "manage_users"  # accounts, roles, everyone's tokens
    READ_AUDIT = "read_audit"  # view and export the audit trail
    SCAN_PRIVATE = "scan_private"  # let one endpoint or site scan reach private and loopback addresses
    REVIEW = "review"  # review attestations and submitted assessments (覆核), never one's own
    APPROVE = "approve"  # approve or reject exceptions, accepted risks and assessments (核准), never one's own


class TokenScope(StrEnum):
    """What an API token may be used for."""

    SCANS_WRITE = "scans:write"
    READ = "read"
    CALENDAR = "calendar:read"  # the iCalendar feed of duties only; every role may hold such a token


# A token whose only scope this is may belong to any role (compliance officers and auditors subscribe to the
# calendar of duties); it opens nothing but the feed.
CALENDAR_ONLY = frozenset({TokenScope.CALENDAR.value})


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(Permission),
    Role.COMPLIANCE_OFFICER: frozenset({Permission.VIEW, Permission.EDIT_COMPLIANCE, Permission.TRIAGE,
                                        Permission.RUN_SCANS, Permission.READ_AUDIT, Permission.REVIEW}),
    Role.ENGINEER: frozenset({Permission.VIEW, Permission.TRIAGE, Permission.RUN_SCANS, Permission.OWN_TOKENS}),
    Role.AUDITOR: frozenset({Permission.VIEW, Permission.READ_AUDIT}),
    Role.APPROVER: frozenset({Permission.VIEW, Permission.READ_AUDIT, Permission.REVIEW, Permission.APPROVE}),
}

# Roles whose members may hold API tokens.
TOKEN_ROLES = frozenset({Role.ADMINISTRATOR, Role.ENGINEER})


def allows(role: Role, permission: Permission) -> bool:
    """Whether ``role`` has ``permission``."""
    return permission in ROLE_PERMISSIONS[role]
