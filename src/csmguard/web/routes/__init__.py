"""The app's routers, in the order they are included."""

from __future__ import annotations

from fastapi import APIRouter

from csmguard.web.routes import (
    admin,
    api,
    approvals,
    assessments,
    audit,
    auth,
    duties,
    notify,
    pages,
    records,
    registers,
    scan_void,
    scans,
    tasks,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router, pages.router, registers.router, records.router, scan_void.router, scans.router, assessments.router,
    duties.router, notify.router, admin.router, audit.router, api.router, tasks.router, approvals.router,
)
