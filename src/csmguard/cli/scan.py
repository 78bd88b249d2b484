"""``csmguard scan``: the automated checks, one subcommand per scanner (each imported only when used)."""

from __future__ import annotations

import typer

from csmguard.cli.lazy import lazy_group

SCANNERS = {
    "app": "csmguard.cli.scan_app:scan_app",
    "iac": "csmguard.cli.scan_iac:scan_iac",
    "endpoint": "csmguard.cli.scan_endpoint:scan_endpoint",
    "fleet": "csmguard.cli.scan_fleet:scan_fleet",
    "site": "csmguard.cli.scan_site:scan_site_cmd",
    "messages": "csmguard.cli.scan_messages:scan_messages_cmd",
    "policydoc": "csmguard.cli.scan_policydoc:scan_policydoc_cmd",
    "list": "csmguard.cli.scan_records:list_scans_cmd",
    "void": "csmguard.cli.scan_records:void_cmd",
}

app = typer.Typer(help="Automated checks; every finding names its article. 自動化檢測。", no_args_is_help=True,
                  cls=lazy_group(SCANNERS))
