"""The app's routers, in the order they are included."""

from __future__ import annotations

from fastapi import APIRouter

from csmguard.web.routes import admin, audit, auth

ROUTERS: tuple[APIRouter, ...] = (auth.router, admin.router, audit.router)
