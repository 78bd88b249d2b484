"""``csmguard scan``: the automated checks, one subcommand per scanner."""

from __future__ import annotations

import typer

app = typer.Typer(help="Automated checks; every finding names its article. 自動化檢測。", no_args_is_help=True)

# Scanner commands are registered explicitly, one line each, in csmguard.cli.main.
