"""The ``csmguard`` command."""

from __future__ import annotations

from typing import Annotated

import typer

from csmguard import __version__
from csmguard.cli import (
    assess_cmd,
    attest_cmd,
    audit_cmd,
    catalog_cmd,
    check_cmd,
    demo_cmd,
    evidence_cmd,
    exception_cmd,
    init_cmd,
    register_cmd,
    report_cmd,
    scan,
    scope_cmd,
    serve_cmd,
    social_cmd,
    user_cmd,
    watch_cmd,
)

app = typer.Typer(
    name="csmguard",
    help="CSM Guard — 證券期貨市場相關公會雲端運算、社群媒體、行動裝置資訊安全管控指引 compliance tooling.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(catalog_cmd.app, name="catalog")
app.add_typer(scope_cmd.app, name="scope")
app.add_typer(scan.app, name="scan")
app.command("demo")(demo_cmd.demo)
app.add_typer(assess_cmd.app, name="assess")
app.command("report")(report_cmd.report)
app.command("serve")(serve_cmd.serve)
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(user_cmd.app, name="user")
app.command("init")(init_cmd.init)
app.add_typer(register_cmd.build_app(), name="register")
app.command("check")(check_cmd.check)
app.add_typer(attest_cmd.app, name="attest")
app.add_typer(exception_cmd.app, name="exception")
app.add_typer(evidence_cmd.app, name="evidence")
app.add_typer(social_cmd.app, name="social")
app.add_typer(watch_cmd.app, name="watch")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csmguard {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """CSM Guard: the guideline as data, registers, automated checks, assessment and reports."""


def main() -> None:
    """Entry point of the ``csmguard`` console script."""
    app()
