"""``csmguard scan``: the automated checks, one subcommand per scanner."""

from __future__ import annotations

import typer

from csmguard.cli import scan_app, scan_endpoint, scan_fleet, scan_iac, scan_messages, scan_policydoc, scan_site

app = typer.Typer(help="Automated checks; every finding names its article. 自動化檢測。", no_args_is_help=True)

# Scanner commands are registered explicitly, one line each, in csmguard.cli.main.
app.command("app")(scan_app.scan_app)
app.command("endpoint")(scan_endpoint.scan_endpoint)
app.command("fleet")(scan_fleet.scan_fleet)
app.command("iac")(scan_iac.scan_iac)
app.command("messages")(scan_messages.scan_messages_cmd)
app.command("site")(scan_site.scan_site_cmd)
app.command("policydoc")(scan_policydoc.scan_policydoc_cmd)
