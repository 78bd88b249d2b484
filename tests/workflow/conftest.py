"""Fixtures of the workflow tests: a workspace in scope for the cloud articles, a Terraform folder with the
demo's misconfigurations, and user accounts of each role."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from csmguard.auth.roles import Role
from csmguard.catalog.scope import ScopeProfile
from csmguard.services import web_accounts
from csmguard.services.workspace import set_profile
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace, init_workspace

DEMO_IAC = Path(__file__).parents[2] / "src" / "csmguard" / "demo" / "data" / "iac" / "main.tf"
POLICY = web_accounts.Policy(argon2_time_cost=1, argon2_memory_kib=1024)
PASSWORD = "correct horse battery staple"
CLEAN_TF = 'terraform {\n  required_version = ">= 1.5"\n}\n'


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace in scope for the cloud articles."""
    workspace = init_workspace(tmp_path / "ws")
    set_profile(workspace, ScopeProfile(answers={"uses_external_cloud": True, "cloud_involves_critical": True,
                                                 "uses_iaas": True}))
    yield workspace
    workspace.close()


@pytest.fixture
def infra(tmp_path: Path) -> Path:
    """A Terraform folder holding the demo's misconfigured main.tf."""
    folder = tmp_path / "infra"
    folder.mkdir()
    shutil.copy(DEMO_IAC, folder / "main.tf")
    return folder


@pytest.fixture
def users(ws: Workspace) -> Callable[[str, Role], str]:
    """Create an account (cheap Argon2id costs); returns its user name."""

    def make(username: str, role: Role) -> str:
        with session_scope(ws.engine()) as db:
            web_accounts.create_user(db, "test", username, username.title(), role, PASSWORD, POLICY)
        return username

    return make
