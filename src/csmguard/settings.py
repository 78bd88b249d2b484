"""Settings: one object, built at the edge (CLI or web app) and passed down; never read at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from csmguard.domain import Lang


class Settings(BaseSettings):
    """Process-wide settings from the environment (``CSMGUARD_…``)."""

    model_config = SettingsConfigDict(env_prefix="CSMGUARD_", extra="ignore")

    workspace: Path = Field(default_factory=Path.cwd, description="The workspace folder")
    lang: Lang = Lang.ZH_TW
    edition: str = "csm-17"
