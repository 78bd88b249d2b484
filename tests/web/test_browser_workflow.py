"""Issue #17's loop in real headless Chromium (Debian's /usr/bin/chromium) against uvicorn on loopback:
a failing finding of an uploaded Terraform file becomes a task with an owner and a due date; an exception
is requested by one user and approved by a second (the requester cannot); a rescan of the corrected file
closes the task; the assessment is signed off by three users (評估／覆核／核准); the PDF report, read back
with pdftotext, shows the sign-off block."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from csmguard.auth.roles import Role
from csmguard.catalog.scope import ScopeProfile
from csmguard.services import web_accounts
from csmguard.services.catalog import CatalogView
from csmguard.services.tasks import TaskFilter, TaskState, list_tasks
from csmguard.services.workspace import list_exceptions, set_profile
from csmguard.store.db import session_scope
from csmguard.web.app import create_app
from csmguard.web.settings import WebSettings
from csmguard.workspace import Workspace
from tests.web.conftest import FAST_HASH, PASSWORD, POLICY, serving
from tests.web.test_browser import _loopback_only
from tests.workflow.conftest import CLEAN_TF, DEMO_IAC

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PEOPLE = {"lin": ("林評估", Role.COMPLIANCE_OFFICER), "chen": ("陳覆核", Role.COMPLIANCE_OFFICER),
          "wang": ("王核准", Role.APPROVER), "mei": ("梅工程", Role.ENGINEER)}


@pytest.fixture
def server(workspace: Workspace, catalog_view: CatalogView) -> Iterator[str]:
    """The app over a workspace in scope for the cloud articles, with four accounts, on loopback."""
    set_profile(workspace, ScopeProfile(answers={"uses_external_cloud": True, "cloud_involves_critical": True,
                                                 "uses_iaas": True}))
    with session_scope(workspace.engine()) as db:
        for username, (display, role) in PEOPLE.items():
            web_accounts.create_user(db, "setup", username, display, role, PASSWORD, POLICY)
    app = create_app(WebSettings(workspace=workspace.root, **FAST_HASH), workspace, catalog_view)
    with serving(app) as base:
        yield base


def _as(browser: Browser, base: str, username: str) -> tuple[BrowserContext, Page, list[str]]:
    """A fresh browser context logged in as ``username`` (password only: not an administrator)."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    blocked = _loopback_only(page, base)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context, page, blocked


def _upload_iac(page: Page, base: str, path: Path) -> None:
    page.goto(f"{base}/scans")
    page.select_option("#scan-upload select[name=kind]", "iac")
    page.set_input_files("#scan-upload input[type=file]", str(path))
    page.click("#scan-upload button[type=submit]")
    page.locator("#started .job-result").wait_for(timeout=60_000)


def test_task_exception_rescan_and_signoff(server: str, browser: Browser, workspace: Workspace,
                                           tmp_path: Path) -> None:
    infra = tmp_path / "upload"
    infra.mkdir()
    terraform = infra / "main.tf"
    shutil.copy(DEMO_IAC, terraform)
    lin_ctx, lin, blocked = _as(browser, server, "lin")

    # a scan with failing findings; the first becomes a task for mei, due in two weeks
    _upload_iac(lin, server, terraform)
    lin.goto(f"{server}/findings")
    row = lin.locator("#findings tbody tr", has=lin.locator("td.status-fail")).first
    rule_id = row.locator("td").first.inner_text()
    requirement = row.locator("td").nth(3).locator("a").first.inner_text()
    due = (date.today() + timedelta(days=14)).isoformat()
    row.locator("details.finding-task-new summary").click()
    row.locator("details.finding-task-new select[name=owner]").select_option("mei")
    row.locator("details.finding-task-new input[name=due_on]").fill(due)
    row.locator("details.finding-task-new button[type=submit]").click()
    lin.wait_for_url(f"{server}/tasks?mine=false")
    task_row = lin.locator("#tasks tbody tr", has_text=rule_id).first
    expect(task_row.locator(".task-owner")).to_have_text("mei")
    expect(task_row.locator(".task-due")).to_contain_text(due)
    expect(task_row.locator(".task-state")).to_contain_text("待處理")

    # mei sees it under "my tasks" and starts on it
    mei_ctx, mei, mei_blocked = _as(browser, server, "mei")
    mei.goto(f"{server}/tasks")
    mine = mei.locator("#tasks tbody tr", has_text=rule_id).first
    mine.locator("form.task-move button", has_text="處理中").click()
    expect(mei.locator("#tasks tbody tr", has_text=rule_id).first.locator(".task-state")).to_contain_text("處理中")

    # lin requests an exception for the requirement; lin cannot approve it, wang (approver) does
    lin.goto(f"{server}/catalog/{requirement}")
    form = lin.locator("#exception-form")
    form.locator("textarea[name=rationale]").fill("舊版設定待下季遷移")
    form.locator("textarea[name=compensating_controls]").fill("網段隔離並每日檢視日誌")
    form.locator("input[name=expires_on]").fill((date.today() + timedelta(days=90)).isoformat())
    form.locator("button[type=submit]").click()
    lin.wait_for_url(f"{server}/approvals")
    request_row = lin.locator("#exception-requests tbody tr", has_text="舊版設定待下季遷移")
    expect(request_row).to_contain_text("lin")
    expect(request_row.locator("form.decide-approve")).to_have_count(0)  # compliance officers do not approve
    assert list_exceptions(workspace) == []
    wang_ctx, wang, wang_blocked = _as(browser, server, "wang")
    wang.goto(f"{server}/approvals")
    wang.locator("#exception-requests tbody tr", has_text="舊版設定待下季遷移").locator(
        "form.decide-approve button").click()
    wang.wait_for_url(f"{server}/approvals")
    expect(wang.locator("#decisions")).to_contain_text("已核准")
    [exception] = list_exceptions(workspace)
    assert exception.approver == "wang" and exception.requirement == requirement

    # the corrected file, scanned again: the finding no longer fails and the task closes by itself
    terraform.write_text(CLEAN_TF, encoding="utf-8")
    _upload_iac(lin, server, terraform)
    lin.goto(f"{server}/tasks?mine=false&state=closed")
    closed = lin.locator("#tasks tbody tr", has_text=rule_id).first
    expect(closed.locator(".task-state")).to_contain_text("已結案")
    expect(closed.locator(".task-state")).to_contain_text("完整重新檢測")
    assert [t.state for t in list_tasks(workspace, TaskFilter(owner="mei"))] == [TaskState.CLOSED]

    # the assessment, signed off by three people in order
    lin.goto(f"{server}/assessments")
    lin.click("#run-assessment")
    lin.wait_for_url(f"{server}/assessments/*")
    assessment_url = lin.url
    lin.fill("#signoff-form input[name=note]", "評估完成")
    lin.click("#signoff-form button[type=submit]")
    expect(lin.locator("#signoff-submitted")).to_contain_text("林評估")
    expect(lin.locator("#signoff-form")).to_have_count(0)  # lin may review, but never their own submission
    expect(lin.locator("#signoff-wait")).to_be_visible()
    chen_ctx, chen, chen_blocked = _as(browser, server, "chen")
    chen.goto(assessment_url)
    chen.click("#signoff-form button[type=submit]")
    expect(chen.locator("#signoff-reviewed")).to_contain_text("陳覆核")
    wang.goto(assessment_url)
    wang.click("#signoff-form button[type=submit]")
    expect(wang.locator("#signoff-approved")).to_contain_text("王核准")
    expect(wang.locator("#signoff-frozen")).to_be_visible()
    expect(wang.locator("#signoff-form")).to_have_count(0)

    # the PDF (民國 dates) carries the sign-off block
    with wang.expect_download(timeout=180_000) as download_info:  # the PDF layout takes a while on a busy machine
        wang.click("#download-roc-pdf", no_wait_after=True)
    pdf = tmp_path / "report.pdf"
    shutil.copy(download_info.value.path(), pdf)
    extracted = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
    assert "簽核" in extracted
    for role, name in (("評估人員", "林評估"), ("覆核人員", "陳覆核"), ("核准人員", "王核准")):
        line = next(line for line in extracted.splitlines() if role in line and name in line)
        assert "民國" in line
    for context in (lin_ctx, mei_ctx, wang_ctx, chen_ctx):
        context.close()
    assert blocked == mei_blocked == wang_blocked == chen_blocked == []
