"""The acceptance walk in real headless Chromium (Debian's /usr/bin/chromium) against uvicorn on loopback:
first administrator with TOTP, log-in, a provider, evidence, an app scan and its findings on the requirement
page, an assessment and its report, and an auditor who cannot change anything."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Route, expect

from csmguard.services.catalog import CatalogView
from csmguard.web.app import create_app
from csmguard.web.settings import WebSettings
from csmguard.workspace import Workspace
from tests.scanners.app.builders import El, encode_axml, encode_dex, manifest, write_zip
from tests.web.conftest import FAST_HASH, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(workspace: Workspace, catalog_view: CatalogView) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    port = _free_port()
    settings = WebSettings(workspace=workspace.root, port=port, **FAST_HASH)
    app = create_app(settings, workspace, catalog_view)
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if uv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


def _loopback_only(page: Page, base: str) -> list[str]:
    blocked: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    return blocked


def _apk(path: Path) -> Path:
    app_manifest = manifest(app_attrs={"debuggable": True, "allowBackup": True, "usesCleartextTraffic": True},
                            components=[El("service", {"name": ".Sync", "exported": True})])
    dex = encode_dex(["AKIAZ7Q3XW2RT5YHBN4K", "http://quote.broker-example.com.tw/stream"])
    return write_zip(path, {"AndroidManifest.xml": encode_axml(app_manifest), "classes.dex": dex})


def _login(page: Page, base: str, username: str, code: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", code)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_compliance_team_walkthrough(server: str, browser: Browser, tmp_path: Path) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    blocked = _loopback_only(page, server)
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    # first administrator, with mandatory TOTP enrolment
    page.goto(f"{server}/")
    page.wait_for_url(f"{server}/setup")
    expect(page.locator("h1")).to_have_text("建立第一位系統管理者")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=display_name]", "Alice Chen")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_confirm]", PASSWORD)
    page.click("form[action='/setup'] button[type=submit]")
    page.wait_for_url(f"{server}/account/totp")
    expect(page.locator(".qr svg")).to_be_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text())
    page.fill("input[name=code]", totp.now())
    page.click("form[action='/account/totp'] button[type=submit]")
    page.wait_for_url(f"{server}/")

    # log out and back in with password and a fresh code (the enrolment code cannot be replayed)
    page.click("form[action='/logout'] button")
    page.wait_for_url(f"{server}/login")
    _login(page, server, "alice", totp.at(time.time() + 30))
    page.click("text=English")
    expect(page.locator("nav")).to_contain_text("Registers")
    page.click("text=中文")

    # a cloud provider
    page.goto(f"{server}/registers/cloud-providers")
    form = page.locator("#register-create")
    form.locator("input[name=name]").fill("雲端甲公司")
    form.locator("select[name=star_level]").select_option("2")
    form.locator("select[name=star_award]").select_option("bronze")
    form.locator("button[type=submit]").click()
    expect(page.locator("#register-records")).to_contain_text("雲端甲公司")

    # evidence, kept under its SHA-256
    evidence = tmp_path / "sla-2026Q3.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% CSM Guard test evidence\n%%EOF\n")
    page.goto(f"{server}/evidence")
    page.set_input_files("#evidence-upload input[type=file]", str(evidence))
    page.click("#evidence-upload button[type=submit]")
    expect(page.locator("#evidence-list")).to_contain_text(hashlib.sha256(evidence.read_bytes()).hexdigest())

    # an app scan in the background, progress polled by HTMX, then its findings
    page.goto(f"{server}/scans")
    page.select_option("#scan-upload select[name=kind]", "app")
    page.set_input_files("#scan-upload input[type=file]", str(_apk(tmp_path / "trade.apk")))
    page.click("#scan-upload button[type=submit]")
    page.locator("#started .job-result").click(timeout=60_000)
    rows = page.locator("#scan-findings tbody tr")
    expect(rows.first).to_be_visible()
    fail_row = page.locator("#scan-findings tbody tr", has=page.locator("td.status-fail")).first
    rule_id = fail_row.locator("td").first.inner_text()
    requirement = fail_row.locator("td").nth(3).locator("a").first.inner_text()

    # the finding on its requirement page, next to the text in both languages
    page.goto(f"{server}/catalog/{requirement}")
    expect(page.locator("#req-findings")).to_contain_text(rule_id)
    expect(page.locator("section[lang=en]")).to_be_visible()

    # an assessment and its report
    page.goto(f"{server}/assessments")
    page.click("#run-assessment")
    page.wait_for_url(f"{server}/assessments/*")
    with page.expect_download() as download_info:
        page.click("text=下載 HTML")
    report = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert requirement in report and "<html" in report.lower()
    page.goto(f"{server}/catalog/{requirement}")
    expect(page.locator("#req-status")).to_be_visible()

    # an auditor account; the auditor reads everything and can change nothing
    page.goto(f"{server}/admin/users")
    new_user = page.locator("form[action='/admin/users']").last
    new_user.locator("input[name=username]").fill("audrey")
    new_user.locator("select[name=role]").select_option("auditor")
    new_user.locator("input[name=password]").fill(PASSWORD)
    new_user.locator("button[type=submit]").click()
    expect(page.locator("#user-audrey")).to_contain_text("稽核人員")

    auditor_context = browser.new_context()
    auditor = auditor_context.new_page()
    _loopback_only(auditor, server)
    _login(auditor, server, "audrey", "")
    auditor.goto(f"{server}/registers/cloud-providers")
    expect(auditor.locator("#register-records")).to_contain_text("雲端甲公司")
    expect(auditor.locator("#register-create")).to_have_count(0)
    auditor.goto(f"{server}/evidence")
    expect(auditor.locator("#evidence-upload")).to_have_count(0)
    auditor.goto(f"{server}/scans")
    expect(auditor.locator("#scan-upload")).to_have_count(0)
    token = auditor.locator("form[action='/logout'] input[name=csrf_token]").get_attribute("value")
    attempt = auditor.request.post(f"{server}/registers/cloud-providers",
                                   form={"csrf_token": token or "", "name": "Forged"})
    assert attempt.status == 403
    auditor.goto(f"{server}/audit")
    auditor.click("text=驗證雜湊鏈")
    expect(auditor.locator("#verify-result")).to_contain_text("雜湊鏈完整")
    expect(auditor.locator("#audit-rows")).to_contain_text("register.create")
    auditor_context.close()
    context.close()
    assert blocked == []
    assert csp_errors == []
