"""What the app holds while it runs: settings, workspace, account policy, templates, background jobs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta

from anyio import CapacityLimiter
from fastapi import Request
from jinja2 import Environment
from sqlalchemy import Engine

from csmguard.assessment.model import AssessmentResult
from csmguard.auth.throttle import FailureTally, LoginThrottle, ThrottleRule
from csmguard.jobs.queue import JobQueue
from csmguard.services.assessment import load_assessment
from csmguard.services.catalog import CatalogView
from csmguard.services.web_accounts import Policy
from csmguard.services.web_queries import FindingQueryCache, assessment_summaries
from csmguard.store.db import session_scope
from csmguard.web.jobs import open_queue
from csmguard.web.settings import WebSettings
from csmguard.web.work import WorkSlots
from csmguard.workspace import Workspace


class PageCache:
    """Rendered pages kept per key; the key must hold everything the page depends on (the data version,
    the user and session, the language, the day), so an entry is never stale, only unused. Thread-safe,
    bounded (least recently used goes first)."""

    def __init__(self, size: int = 128) -> None:
        self._size = size
        self._pages: OrderedDict[tuple[object, ...], str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> str | None:
        """The page rendered under ``key``, or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[object, ...], page: str) -> None:
        """Keep ``page`` under ``key``."""
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)


@dataclass
class AppState:
    """The running app's context, kept on ``app.state.ctx`` (one per app, never global)."""

    settings: WebSettings
    workspace: Workspace
    policy: Policy
    templates: Environment
    dummy_hash: str
    catalog: CatalogView
    jobs: JobQueue = field(init=False)
    assessments: dict[str, AssessmentResult] = field(default_factory=dict)
    findings: FindingQueryCache = field(default_factory=lambda: FindingQueryCache())
    pages: PageCache = field(default_factory=lambda: PageCache())
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.jobs = open_queue(self.settings, self.workspace)
        # heavy work of requests: claimed per user first (``slots``), then run in a thread under ``heavy``
        self.slots = WorkSlots(self.settings.jobs_per_user, self.settings.max_running_jobs)
        self.heavy = CapacityLimiter(self.settings.max_running_jobs)
        window = timedelta(minutes=self.settings.lockout_minutes)
        longest = float(self.settings.login_max_wait_seconds)
        self.throttle = LoginThrottle(
            ThrottleRule(self.settings.login_client_free_failures, window, max_wait_seconds=longest),
            ThrottleRule(self.settings.login_account_free_failures, window, max_wait_seconds=longest))
        self.failures = FailureTally(window)
        # requirement ID → rule IDs, computed once (CatalogView.coverage recomputes it on every call)
        self.coverage: dict[str, list[str]] = self.catalog.coverage

    def latest_assessment(self) -> tuple[str | None, AssessmentResult | None]:
        """The newest saved assessment and its id, or (None, None); saved assessments never change, so
        each is read from the database once and kept (the newest few)."""
        with session_scope(self.engine) as db:
            saved = assessment_summaries(db, 1)
        if not saved:
            return None, None
        newest = saved[0].id
        with self._lock:
            cached = self.assessments.get(newest)
        if cached is None:
            cached = load_assessment(self.workspace, newest).result
            with self._lock:
                self.assessments[newest] = cached
                for stale in [key for key in self.assessments if key != newest][:-3]:
                    del self.assessments[stale]
        return newest, cached

    @property
    def engine(self) -> Engine:
        """The workspace database."""
        return self.workspace.engine()


def app_state(request: Request) -> AppState:
    """The state of the app serving ``request``."""
    state: AppState = request.app.state.ctx
    return state
