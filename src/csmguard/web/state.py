"""What the app holds while it runs: settings, workspace, account policy, templates, background jobs."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from jinja2 import Environment
from sqlalchemy import Engine

from csmguard.services.catalog import CatalogView
from csmguard.services.web_accounts import Policy
from csmguard.web.jobs import Jobs
from csmguard.web.settings import WebSettings
from csmguard.workspace import Workspace


@dataclass
class AppState:
    """The running app's context, kept on ``app.state.ctx`` (one per app, never global)."""

    settings: WebSettings
    workspace: Workspace
    policy: Policy
    templates: Environment
    dummy_hash: str
    catalog: CatalogView
    jobs: Jobs = field(default_factory=lambda: Jobs())

    @property
    def engine(self) -> Engine:
        """The workspace database."""
        return self.workspace.engine()


def app_state(request: Request) -> AppState:
    """The state of the app serving ``request``."""
    state: AppState = request.app.state.ctx
    return state
