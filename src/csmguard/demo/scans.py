"""The scanners the demo runs on its small inputs, as an explicit registry.

The inputs are shipped under ``data/<scanner>/`` and copied into the demo workspace's ``inputs/``
folder, which each step reads (no network); it returns a scan result to record in the workspace.
The website is served from the inputs on 127.0.0.1 for the site crawl. Scanners that need live
targets are listed in :data:`SKIPPED` with the reason.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from csmguard.domain import ScanResult
from csmguard.domain.coverage import merge
from csmguard.scanners.policydoc.facts import DocumentKind
from csmguard.scanners.site.crawl import CrawlOptions
from csmguard.services.app_scan import scan_app
from csmguard.services.fleet_scan import FleetScanOptions, scan_fleet
from csmguard.services.iac_scan import scan_iac
from csmguard.services.messages_scan import load_messages_rules, scan_messages
from csmguard.services.policydoc_scan import load_policydoc_rules, scan_policydocs
from csmguard.services.site_scan import SiteOptions, load_site_rules, scan_site

ORGANIZATION = "範例證券股份有限公司"
POLICY_DOCUMENTS: dict[str, DocumentKind] = {
    "social-media-policy.md": DocumentKind.SOCIAL_MEDIA_POLICY,
    "mobile-device-rules.md": DocumentKind.MOBILE_DEVICE_POLICY,
    "byod-agreement.md": DocumentKind.BYOD_AGREEMENT,
}

ScanStepFn = Callable[[Path, date], ScanResult]  # (inputs folder, day) → result


def scan_demo_iac(inputs: Path, today: date) -> ScanResult:
    """The Terraform of the 行情備援系統 (IaaS)."""
    result, _ = scan_iac([inputs / "iac"])
    return result


def scan_demo_app(inputs: Path, today: date) -> ScanResult:
    """A slice of the trading app's Android source tree."""
    result, _ = scan_app([inputs / "app"])
    return result


def scan_demo_fleet(inputs: Path, today: date) -> ScanResult:
    """An Intune (Microsoft Graph) export of the firm's managed devices."""
    result, _ = scan_fleet(FleetScanOptions(paths=(inputs / "fleet",), as_of=today, workers=1))
    return result


def scan_demo_messages(inputs: Path, today: date) -> ScanResult:
    """The SMS and push message templates."""
    return scan_messages([inputs / "messages"], load_messages_rules())


def scan_demo_policydoc(inputs: Path, today: date) -> ScanResult:
    """The social media policy, the mobile device rules and the BYOD agreement template, each read as
    the kind of document it is; one result for the three."""
    rules = load_policydoc_rules()
    started = datetime.now(UTC)
    parts = [scan_policydocs([inputs / "policydoc" / name], rules, kind) for name, kind in POLICY_DOCUMENTS.items()]
    stats: dict[str, Any] = {name: part.stats for name, part in zip(POLICY_DOCUMENTS, parts, strict=True)}
    return ScanResult(scanner=parts[0].scanner, targets=tuple(t for p in parts for t in p.targets),
                      findings=tuple(f for p in parts for f in p.findings),
                      errors=tuple(e for p in parts for e in p.errors), stats=stats,
                      coverage=merge(p.effective_coverage() for p in parts), started_at=started,
                      finished_at=datetime.now(UTC))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Serve without writing a line per request."""


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def scan_demo_site(inputs: Path, today: date) -> ScanResult:
    """The firm's website, served from the demo inputs on loopback and crawled without a browser."""
    options = SiteOptions(crawl=CrawlOptions(allow_private=True, max_pages=20, time_limit=30.0),
                          org_names=(ORGANIZATION,))
    with serve_folder(inputs / "site") as url:
        return scan_site(url, load_site_rules(), options)


DEMO_SCANS: dict[str, ScanStepFn] = {
    "iac": scan_demo_iac,
    "app": scan_demo_app,
    "fleet": scan_demo_fleet,
    "messages": scan_demo_messages,
    "policydoc": scan_demo_policydoc,
    "site": scan_demo_site,
}

SKIPPED: dict[str, tuple[str, str]] = {
    "endpoint": ("需連線至實際主機（TLS/SSH/FTP），示範不連網",
                 "needs live hosts (TLS/SSH/FTP); the demo stays offline"),
}
