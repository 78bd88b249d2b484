"""The authorization matrix: every route of the app, walked with every role and anonymously.

The route list comes from ``app.routes``, so a new route cannot be forgotten: it must declare a
permission (``Require``), be a personal page of any logged-in user, take an API token, or be listed
here as public.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from csmguard.auth.roles import Permission, Role
from csmguard.web.deps import Require, enrolling_principal
from csmguard.web.routes.api import token_owner
from tests.web.conftest import new_client

# Written out here, independently of csmguard.auth.roles, so the test states the intended matrix.
EXPECTED: dict[Permission, set[Role]] = {
    Permission.VIEW: set(Role),
    Permission.EDIT_COMPLIANCE: {Role.ADMINISTRATOR, Role.COMPLIANCE_OFFICER},
    Permission.TRIAGE: {Role.ADMINISTRATOR, Role.COMPLIANCE_OFFICER, Role.ENGINEER},
    Permission.RUN_SCANS: {Role.ADMINISTRATOR, Role.COMPLIANCE_OFFICER, Role.ENGINEER},
    Permission.OWN_TOKENS: {Role.ADMINISTRATOR, Role.ENGINEER},
    Permission.MANAGE_USERS: {Role.ADMINISTRATOR},
    Permission.READ_AUDIT: {Role.ADMINISTRATOR, Role.COMPLIANCE_OFFICER, Role.AUDITOR, Role.APPROVER},
    Permission.SCAN_PRIVATE: {Role.ADMINISTRATOR},
    Permission.REVIEW: {Role.ADMINISTRATOR, Role.COMPLIANCE_OFFICER, Role.APPROVER},
    Permission.APPROVE: {Role.ADMINISTRATOR, Role.APPROVER},
}
PUBLIC = {("GET", "/healthz"), ("GET", "/lang/{code}"), ("GET", "/setup"), ("POST", "/setup"), ("GET", "/login"),
          ("POST", "/login"), ("POST", "/logout"), ("GET", "/openapi.json")}
# Personal pages of any logged-in user, whatever the role.
PERSONAL = {("GET", "/account/totp"), ("POST", "/account/totp")}
# One's own calendar-feed tokens and notification preferences: every viewer (auditors too) keeps their own;
# the calendar feed itself is authenticated by the token in its address (tests/web/test_duties_page.py).
OWN_SUBSCRIPTIONS = {("POST", "/duties/feeds"), ("POST", "/duties/feeds/{token_id}/revoke"),
                     ("POST", "/account/notifications")}
PUBLIC |= {("GET", "/calendar/{token}.ics")}
PARAMS = {"kind": "cloud-providers", "record_id": "999", "user_id": "999", "token_id": "999", "fmt": "csv",
          "fingerprint": "f" * 32, "sha256": "0" * 64, "assessment_id": "nothing", "scan_id": "nothing",
          "job_id": "nothing", "requirement_id": "CSM-4", "code": "en", "task_id": "nothing",
          "exception_id": "nothing", "attestation_id": "nothing"}


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every APIRoute, through included routers."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(list(inner.routes))


def requirement_of(route: APIRoute) -> Permission | str:
    """What a route needs, read from its dependencies."""
    found: list[Permission | str] = []

    def walk(dependant: Any) -> None:
        for dep in dependant.dependencies:
            if isinstance(dep.call, Require):
                found.append(dep.call.permission)
            elif dep.call is enrolling_principal:
                found.append("personal")
            elif dep.call is token_owner:
                found.append("token")
            walk(dep)

    walk(route.dependant)
    assert len(found) <= 1, f"{route.path} declares {found}"
    return found[0] if found else "public"


def concrete(path: str) -> str:
    """The route path with its parameters filled."""
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: PARAMS[m.group(1)], path)


def csrf(client: TestClient) -> str:
    """The CSRF token of the client's session."""
    page = client.get("/account")
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


def test_every_route_is_classified(app: FastAPI) -> None:
    routes = list(api_routes(app.routes))
    assert len(routes) > 40
    for route in routes:
        for method in route.methods:
            need = requirement_of(route)
            if need == "public":
                assert (method, route.path) in PUBLIC, f"{method} {route.path} has no permission and is not public"
            if need == "personal":
                assert (method, route.path) in PERSONAL


def test_authorization_matrix(app: FastAPI, clients: dict[Role, TestClient]) -> None:
    tokens = {role: csrf(client) for role, client in clients.items()}
    anonymous = new_client(app)
    checked = 0
    for route in api_routes(app.routes):
        need = requirement_of(route)
        for method in sorted(route.methods):
            if need == "public" or (method, route.path) == ("GET", "/openapi.json"):
                continue
            url = concrete(route.path)
            denied_anon = anonymous.request(method, url, headers={"X-CSRF-Token": "x"})
            if need == "token":
                assert denied_anon.status_code == 401, url
                for client in clients.values():  # a browser session is not an API token
                    assert client.request(method, url, json={}).status_code == 401
                continue
            assert denied_anon.status_code in (303, 403), (method, url, denied_anon.status_code)
            if denied_anon.status_code == 303:
                assert denied_anon.headers["location"] == "/login"
            for role, client in clients.items():
                allowed = need == "personal" or role in EXPECTED[need]  # type: ignore[index]
                response = client.request(method, url, headers={"X-CSRF-Token": tokens[role]})
                if allowed:
                    assert response.status_code != 403, (role, method, url)
                    assert response.status_code < 500, (role, method, url, response.text[:300])
                    assert response.headers.get("location") != "/login", (role, method, url)
                else:
                    assert response.status_code == 403, (role, method, url, response.status_code)
                    assert "您的角色沒有執行此操作的權限" in response.text
                checked += 1
    assert checked > 150


def test_auditor_cannot_change_anything(app: FastAPI, clients: dict[Role, TestClient]) -> None:
    auditor = clients[Role.AUDITOR]
    token = csrf(auditor)
    for route in api_routes(app.routes):
        if "POST" not in route.methods or (("POST", route.path) in PUBLIC | PERSONAL | OWN_SUBSCRIPTIONS):
            continue
        if route.path == "/account/password" or requirement_of(route) == "token":
            continue
        response = auditor.post(concrete(route.path), headers={"X-CSRF-Token": token})
        assert response.status_code == 403, route.path


def test_unsafe_requests_need_the_csrf_token(clients: dict[Role, TestClient]) -> None:
    admin = clients[Role.ADMINISTRATOR]
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        response = admin.post("/admin/users", data={"username": "x1", "password": "p" * 20, "role": "auditor"},
                              headers=headers)
        assert response.status_code == 403
        assert "表單已過期" in response.text
    assert "x1" not in admin.get("/admin/users").text


def test_every_page_renders_in_both_languages(app: FastAPI, clients: dict[Role, TestClient]) -> None:
    admin = clients[Role.ADMINISTRATOR]
    pages = [route for route in api_routes(app.routes) if "GET" in route.methods
             and requirement_of(route) not in ("public", "token", "personal") and "{" not in route.path]
    assert len(pages) > 12
    for lang in ("en", "zh-TW"):
        admin.get(f"/lang/{lang}")
        for route in pages:
            response = admin.get(route.path)
            expected = 422 if route.path == "/assessments/diff" else 200  # needs ?a=…&b=…
            assert response.status_code == expected, (lang, route.path, response.status_code)
            if response.headers["content-type"].startswith("text/html") and "<html" in response.text:
                assert f'<html lang="{lang}">' in response.text, route.path
