"""The app's routers, in the order they are included."""

from __future__ import annotations

from fastapi import APIRouter

from csmguard.web.routes import admin, audit, auth, pages, registers

ROUTERS: tuple[APIRouter, ...] = (auth.router, pages.router, registers.router, admin.router, audit.router)
