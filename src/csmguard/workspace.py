"""A workspace: a folder with ``csmguard.toml`` (settings), the database and the evidence store."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine

from csmguard.audit_seal import CONNECTION_INFO_KEY, seal_for_workspace
from csmguard.domain import Lang
from csmguard.domain.errors import InputError, input_error_from_validation
from csmguard.notify.settings import NotifySettings
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.store.db import make_engine, migrate, needs_migration

SETTINGS_FILE = "csmguard.toml"
DEFAULT_DB_URL = "sqlite:///csmguard.db"
ENV_WORKSPACE = "CSMGUARD_WORKSPACE"


class WorkspaceSettings(BaseModel):
    """The settings of one workspace, read from ``csmguard.toml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    db_url: str = Field(DEFAULT_DB_URL, description="SQLAlchemy URL; a relative SQLite path is under the workspace")
    lang: Lang = Lang.ZH_TW
    edition: str = "csm-17"
    checks: RegisterCheckSettings = Field(default_factory=RegisterCheckSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)


@dataclass(frozen=True)
class Workspace:
    """An opened workspace: its folder, settings and evidence store (the engine is made on first use)."""

    root: Path
    settings: WorkspaceSettings
    evidence_dir: Path
    _engines: dict[str, Engine] = field(default_factory=dict, compare=False, repr=False, hash=False)

    @property
    def db_url(self) -> str:
        """The database URL, with a relative SQLite path resolved under the workspace folder."""
        return resolve_db_url(self.settings.db_url, self.root)

    def engine(self) -> Engine:
        """The workspace's engine (one per workspace object)."""
        if "main" not in self._engines:
            self._engines["main"] = make_engine(
                self.db_url, connection_info={CONNECTION_INFO_KEY: seal_for_workspace(self.root)})
        return self._engines["main"]

    def close(self) -> None:
        """Release the database connections."""
        engine = self._engines.pop("main", None)
        if engine is not None:
            engine.dispose()


def resolve_db_url(url: str, root: Path) -> str:
    """``sqlite:///relative.db`` → an absolute path under ``root``; other URLs unchanged."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
        relative = url.removeprefix(prefix)
        if relative and relative != ":memory:":
            return prefix + str((root / relative).resolve())
    return url


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def settings_toml(settings: WorkspaceSettings) -> str:
    """The text of ``csmguard.toml`` for ``settings``, each check threshold with its description."""
    lines = ["# CSM Guard workspace settings", f"db_url = {_toml_value(settings.db_url)}",
             f"lang = {_toml_value(settings.lang.value)}", f"edition = {_toml_value(settings.edition)}", "",
             "[checks]"]
    for name, info in RegisterCheckSettings.model_fields.items():
        if info.description:
            lines.append(f"# {info.description}")
        lines.append(f"{name} = {_toml_value(getattr(settings.checks, name))}")
    lines += ["", "[notify]"]
    for name, info in NotifySettings.model_fields.items():
        if info.description:
            lines.append(f"# {info.description}")
        lines.append(f"{name} = {_toml_value(getattr(settings.notify, name))}")
    return "\n".join(lines) + "\n"


def load_settings(root: Path) -> WorkspaceSettings:
    """Read ``csmguard.toml`` of the workspace at ``root``."""
    path = root / SETTINGS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(str(root), f"not a CSM Guard workspace (no {SETTINGS_FILE}); run 'csmguard init'") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), f"not valid TOML: {exc}") from exc
    try:
        return WorkspaceSettings.model_validate(data)
    except ValidationError as exc:
        raise input_error_from_validation(str(path), exc) from exc


def init_workspace(root: Path, *, db_url: str | None = None) -> Workspace:
    """Create a workspace in ``root``: csmguard.toml, the database migrated to every head, and evidence/."""
    root = root.resolve()
    if (root / SETTINGS_FILE).exists():
        raise InputError(str(root), f"already a CSM Guard workspace ({SETTINGS_FILE} exists)")
    root.mkdir(parents=True, exist_ok=True)
    settings = WorkspaceSettings(db_url=db_url or DEFAULT_DB_URL)
    workspace = Workspace(root=root, settings=settings, evidence_dir=root / "evidence")
    workspace.evidence_dir.mkdir(exist_ok=True)
    migrate(workspace.engine())
    (root / SETTINGS_FILE).write_text(settings_toml(settings), encoding="utf-8")
    return workspace


def open_workspace(root: Path | None = None) -> Workspace:
    """Open the workspace at ``root``, else ``$CSMGUARD_WORKSPACE``, else the current folder; bring its
    database up to the shipped migrations. InputError if the folder is not a workspace."""
    if root is None:
        env = os.environ.get(ENV_WORKSPACE)
        root = Path(env) if env else Path.cwd()
    root = root.resolve()
    settings = load_settings(root)
    workspace = Workspace(root=root, settings=settings, evidence_dir=root / "evidence")
    workspace.evidence_dir.mkdir(exist_ok=True)
    if needs_migration(workspace.engine()):
        migrate(workspace.engine())
    return workspace
