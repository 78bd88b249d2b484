"""The main navigation: page links in order (the dashboard and permission-bound links are in the layout)."""

from __future__ import annotations

NAV_LINKS: tuple[tuple[str, str], ...] = (
    ("/catalog", "nav_catalog"),
    ("/registers", "nav_registers"),
    ("/findings", "nav_findings"),
    ("/tasks", "nav_tasks"),
    ("/approvals", "nav_approvals"),
    ("/duties", "nav_duties"),
    ("/scans", "nav_scans"),
    ("/evidence", "nav_evidence"),
    ("/assessments", "nav_assessments"),
    ("/reports", "nav_reports"),
)
