"""Subcommands loaded on first use: ``csmguard scan app`` must not pay for importing the web app, the
database layer or the PDF renderer. Each entry names where its command lives, as ``module:attribute``:
a Typer app (a command group), a command function, or, with a trailing ``()``, a function returning a
Typer app."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

import typer
from typer.core import TyperGroup


def load_command(name: str, spec: str) -> Any:
    """Import the command ``name`` described by ``spec`` and return it as a Click command."""
    module_name, _, attribute = spec.partition(":")
    factory = attribute.endswith("()")
    target = getattr(import_module(module_name), attribute.removesuffix("()"))
    if factory:
        target = target()
    if isinstance(target, typer.Typer):
        command: Any = typer.main.get_group(target)
    else:
        holder = typer.Typer()
        holder.command(name)(target)
        command = typer.main.get_command(holder)
    command.name = name
    return command


def lazy_group(entries: Mapping[str, str]) -> type[TyperGroup]:
    """A Typer group class whose subcommands ``entries`` (name → spec) are imported when first used."""

    class LazyGroup(TyperGroup):
        def list_commands(self, ctx: Any) -> list[str]:
            eager = [name for name in super().list_commands(ctx) if name not in entries]
            return [*entries, *eager]

        def get_command(self, ctx: Any, cmd_name: str) -> Any:
            if cmd_name in entries and cmd_name not in self.commands:
                self.commands[cmd_name] = load_command(cmd_name, entries[cmd_name])
            return super().get_command(ctx, cmd_name)

    return LazyGroup
