"""``csmguard register <kind> add|list|show|update|delete|import|export|template``: the registers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.catalog.scope import load_profile
from csmguard.cli.common import LangOption, OutputOption, emit, input_errors_exit, stderr_console
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.domain import Lang
from csmguard.domain.errors import InputError
from csmguard.registers import choices
from csmguard.registers.fields import join_list, split_list
from csmguard.registers.specs import RegisterSpec, register_specs
from csmguard.scanning.gate import EXIT_INPUT
from csmguard.services import registers as svc
from csmguard.services.records import add_evidence
from csmguard.services.workspace import set_profile
from csmguard.store.registers_repo import StoredRecord
from csmguard.workspace import Workspace

FormatArg = Annotated[svc.RegisterFormat, typer.Option("--format", "-f", help="csv, xlsx or yaml.")]
ActorOption = Annotated[str | None, typer.Option(
    "--actor", help="Who makes the change, for the audit trail (default: the operating-system user).")]
FieldsArg = Annotated[list[str], typer.Argument(help="field=value pairs; list items separated by ';' (or '；'); "
                                                     "@FILE stores a file as evidence and uses its SHA-256.")]


def parse_assignments(ws: Workspace, pairs: list[str], *, allow_clear: bool) -> dict[str, Any]:
    """``field=value`` arguments as a mapping; ``@path`` values are added to the evidence store."""
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(None, f"{pair!r}: write field=value")
        name, value = (part.strip() for part in pair.split("=", 1))
        if value.startswith("@"):
            shas = [add_evidence(ws, Path(item.removeprefix("@"))).sha256 for item in split_list(value)]
            out[name] = shas if len(shas) > 1 or name in {"audit_reports", "vendor_evidence"} else shas[0]
        elif value == "":
            if not allow_clear:
                continue
            out[name] = None
        else:
            out[name] = value
    return out


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return join_list(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))


def _json(items: list[StoredRecord]) -> bytes:
    return orjson.dumps([{"id": s.id, "key": s.key, **s.record.model_dump(mode="json")} for s in items],
                        option=orjson.OPT_INDENT_2) + b"\n"


def print_records(spec: RegisterSpec, items: list[StoredRecord], lang: Lang) -> None:
    """A table of records: row number and the first columns of the register (coded choices by their label)."""
    labels = spec.labels(lang.value)
    fields = spec.fields()[:7]
    table = Table("#", *(labels[f] for f in fields), title=f"{spec.title.get(lang)} ({len(items)})")
    for item in items:
        values = (getattr(item.record, f) for f in fields)
        table.add_row(str(item.id), *((choices.label(v, lang) or _plain(v))[:40] for v in values))
    Console(width=200).print(table)


def _report_import_error(error: svc.RegisterImportError) -> None:
    console = stderr_console()
    console.print(f"[bold red]錯誤 error[/]: {error.file}: {error.total:,} 個錯誤，未匯入任何資料 "
                  f"/ {error.total:,} error(s), nothing imported", highlight=False)
    for item in error.lines():
        console.print(f"  {item.describe()}", highlight=False, markup=False)


def _kind_app(spec: RegisterSpec) -> typer.Typer:
    kind = spec.kind
    app = typer.Typer(help=f"{spec.title.en}. {spec.title.zh_tw}。", no_args_is_help=True)

    @app.command("add")
    def add(fields: FieldsArg, workspace: WorkspaceOption = None, actor: ActorOption = None) -> None:
        """Create a record from field=value pairs (audited)."""
        ws = open_ws(workspace)
        with input_errors_exit():
            stored = svc.add_record(ws, kind, parse_assignments(ws, fields, allow_clear=False), actor=actor)
        stderr_console().print(f"added 已新增 #{stored.id} {stored.key}")

    @app.command("list")
    def list_(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW,
              json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
        """List the records."""
        ws = open_ws(workspace)
        with input_errors_exit():
            items = svc.list_records(ws, kind)
        if json:
            emit(_json(items), None)
        else:
            print_records(spec, items, lang)

    @app.command("show")
    def show(ident: Annotated[str, typer.Argument(help="Row number, or key (parts joined by '/'; key:… for "
                                                       "a key of digits).")],
             workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW,
             json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
        """Show one record with every field."""
        ws = open_ws(workspace)
        with input_errors_exit():
            stored = svc.get_record(ws, kind, ident)
        if json:
            emit(_json([stored]), None)
            return
        table = Table("欄位" if lang is Lang.ZH_TW else "Field", "值" if lang is Lang.ZH_TW else "Value",
                      title=f"{spec.title.get(lang)} #{stored.id}")
        for name, label in spec.labels(lang.value).items():
            value = getattr(stored.record, name)
            table.add_row(f"{label} ({name})", choices.label(value, lang) or _plain(value))
        Console(width=160).print(table)

    @app.command("update")
    def update(ident: Annotated[str, typer.Argument(help="Row number or key.")], fields: FieldsArg,
               workspace: WorkspaceOption = None, actor: ActorOption = None) -> None:
        """Change fields of a record (field= clears an optional field; audited)."""
        ws = open_ws(workspace)
        with input_errors_exit():
            stored = svc.update_record(ws, kind, ident, parse_assignments(ws, fields, allow_clear=True),
                                       actor=actor)
        stderr_console().print(f"updated 已更新 #{stored.id} {stored.key}")

    @app.command("delete")
    def delete(ident: Annotated[str, typer.Argument(help="Row number or key.")],
               workspace: WorkspaceOption = None, actor: ActorOption = None) -> None:
        """Delete a record (audited)."""
        ws = open_ws(workspace)
        with input_errors_exit():
            stored = svc.delete_record(ws, kind, ident, actor=actor)
        stderr_console().print(f"deleted 已刪除 #{stored.id} {stored.key}")

    @app.command("import")
    def import_(file: Annotated[Path, typer.Argument(help="A CSV, XLSX or YAML file.", dir_okay=False)],
                fmt: Annotated[svc.RegisterFormat | None, typer.Option("--format", "-f")] = None,
                workspace: WorkspaceOption = None, actor: ActorOption = None,
                allow_empty: Annotated[bool, typer.Option(
                    "--allow-empty", help="Accept a file without data rows (otherwise exit 2).")] = False,
                max_rows: Annotated[int, typer.Option(
                    "--max-rows", min=1, help="Refuse a file with more data rows than this.")] = svc.DEFAULT_MAX_ROWS,
                ) -> None:
        """Import records (all or nothing, audited): existing keys are updated, new ones created."""
        ws = open_ws(workspace)
        try:
            with input_errors_exit():
                try:
                    report = svc.import_records(ws, kind, file, fmt, actor=actor, allow_empty=allow_empty,
                                                max_rows=max_rows)
                except svc.RegisterImportError as error:
                    _report_import_error(error)
                    raise typer.Exit(EXIT_INPUT) from error
        finally:
            ws.close()
        stderr_console().print(f"{file}: {report.rows} row(s) 列, created 新增 {report.created}, "
                               f"updated 更新 {report.updated}")

    @app.command("export")
    def export(fmt: FormatArg = svc.RegisterFormat.CSV, lang: LangOption = Lang.ZH_TW, output: OutputOption = None,
               workspace: WorkspaceOption = None) -> None:
        """Export every record (CSV/XLSX headers in --lang)."""
        ws = open_ws(workspace)
        with input_errors_exit():
            emit(svc.export_records(ws, kind, fmt, lang.value), output)

    @app.command("template")
    def template(fmt: FormatArg = svc.RegisterFormat.XLSX, lang: LangOption = Lang.ZH_TW,
                 output: OutputOption = None) -> None:
        """Write an empty file to fill in, with headers in --lang (XLSX has a help sheet)."""
        emit(svc.register_template(kind, fmt, lang.value), output)

    if kind == "profile":
        @app.command("load")
        def load(profile: Annotated[Path, typer.Argument(help="A scope profile (YAML or TOML).", dir_okay=False)],
                 workspace: WorkspaceOption = None, actor: ActorOption = None) -> None:
            """Replace the organization profile with a scope profile file (see 'csmguard scope template');
            blank answers stay unanswered. Errors name the file and the key."""
            ws = open_ws(workspace)
            with input_errors_exit():
                set_profile(ws, load_profile(profile), actor=actor, source=str(profile))
            stderr_console().print(f"profile loaded 已載入組織概況: {profile}")

    return app


def build_app() -> typer.Typer:
    """The ``register`` command group: one subgroup per register."""
    app = typer.Typer(help="Registers: cloud, social media, mobile. 登錄表。", no_args_is_help=True)

    @app.command("summary")
    def summary(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW) -> None:
        """How many records every register holds."""
        ws = open_ws(workspace)
        zh = lang is Lang.ZH_TW
        table = Table("kind", "登錄表" if zh else "Register", "筆數" if zh else "Records")
        for spec in register_specs().values():
            table.add_row(spec.kind, spec.title.get(lang), str(len(svc.list_records(ws, spec.kind))))
        Console(width=120).print(table)

    for spec in register_specs().values():
        app.add_typer(_kind_app(spec), name=spec.kind)
    return app
