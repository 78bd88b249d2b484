"""``csmguard scan site``: links to social media on the official website and the leave-site prompt."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmguard.cli.common import LangOption, OutputOption, input_errors_exit
from csmguard.cli.scan_common import (
    BaselineOption,
    FailOnOption,
    FormatOption,
    QuietOption,
    WorkspaceOption,
    finish_scan,
    progress_for,
)
from csmguard.domain import Lang
from csmguard.output import OutputFormat
from csmguard.scanners.site.checks import DEFAULT_CONTACT_PATTERNS
from csmguard.scanners.site.crawl import CrawlOptions
from csmguard.scanning.gate import FailOn
from csmguard.services.site_scan import SiteOptions, load_site_rules, scan_site


def scan_site_cmd(
    url: Annotated[str, typer.Argument(help="The official website, e.g. https://www.example.com.tw/")],
    browser: Annotated[bool, typer.Option(
        "--browser/--static", help="Also click every social link in headless Chromium (external requests "
                                   "blocked) and keep screenshots.")] = False,
    evidence_dir: Annotated[Path | None, typer.Option(
        "--evidence-dir", help="Folder for the screenshots of the browser pass.", file_okay=False)] = None,
    org_name: Annotated[list[str] | None, typer.Option(
        "--org-name", help="The organization's name as shown on the site (repeatable: full and short names).")] = None,
    contact_pattern: Annotated[list[str] | None, typer.Option(
        "--contact-pattern", help="Regular expression of a contact (repeatable; default: phone numbers, "
                                  "e-mail).")] = None,
    max_clicks: Annotated[int, typer.Option(
        "--max-clicks", min=1, help="Links the browser clicks at most (a shared link is clicked once).")] = 200,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Pages to read at most.")] = 200,
    max_depth: Annotated[int, typer.Option("--max-depth", min=0, help="Links to follow from the start page.")] = 3,
    time_limit: Annotated[float, typer.Option("--time-limit", min=1, help="Seconds for the crawl.")] = 120.0,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=32, help="Parallel requests.")] = 4,
    no_sitemap: Annotated[bool, typer.Option("--no-sitemap", help="Do not read sitemap.xml.")] = False,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Allow loopback and private addresses (intranet sites, tests).")] = False,
    platforms: Annotated[Path | None, typer.Option(
        "--platforms", help="YAML file replacing the list of social media hosts.", dir_okay=False)] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    fail_on: FailOnOption = FailOn.SHALL,
    baseline: BaselineOption = None,
    quiet: QuietOption = False,
    workspace: WorkspaceOption = None,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Check that every link to social media warns before leaving the site (CSM-11.2) and that pages listing
    official accounts name the organization and a contact (CSM-11.3).

    檢查官方網站連至社群媒體的連結是否先出現提示視窗（第11條第2項）及標示組織名稱與聯絡方式（第11條第3項）。
    """
    crawl = CrawlOptions(max_pages=max_pages, max_depth=max_depth, time_limit=time_limit, concurrency=concurrency,
                         use_sitemap=not no_sitemap, allow_private=allow_private)
    options = SiteOptions(crawl=crawl, browser=browser, evidence_dir=evidence_dir, org_names=tuple(org_name or ()),
                          contact_patterns=tuple(contact_pattern or DEFAULT_CONTACT_PATTERNS),
                          platforms_file=platforms, max_clicks=max_clicks)
    with input_errors_exit():
        rules = load_site_rules()
        result = scan_site(url, rules, options, progress_for(quiet, lang))
    finish_scan(result, rules=rules, fmt=fmt, output=output, fail_on=fail_on, baseline=baseline, lang=lang,
                quiet=quiet, workspace=workspace)
