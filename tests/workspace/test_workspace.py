"""Workspaces: init, open (argument, $CSMGUARD_WORKSPACE, current folder), settings, refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from csmguard.domain.errors import InputError
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.store.db import needs_migration
from csmguard.workspace import SETTINGS_FILE, init_workspace, open_workspace, resolve_db_url


def test_init_creates_settings_database_and_evidence(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "firm")
    try:
        assert (ws.root / SETTINGS_FILE).is_file()
        assert (ws.root / "csmguard.db").is_file()
        assert ws.evidence_dir.is_dir()
        assert not needs_migration(ws.engine())
        text = (ws.root / SETTINGS_FILE).read_text(encoding="utf-8")
        assert 'db_url = "sqlite:///csmguard.db"' in text
        assert "device_wipe_days = 7" in text and "# REG-010:" in text
    finally:
        ws.close()


def test_init_refuses_an_existing_workspace(tmp_path: Path) -> None:
    init_workspace(tmp_path).close()
    with pytest.raises(InputError, match="already a CSM Guard workspace"):
        init_workspace(tmp_path)


def test_open_from_argument_env_and_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    init_workspace(tmp_path / "a").close()
    init_workspace(tmp_path / "b").close()
    assert open_workspace(tmp_path / "a").root == (tmp_path / "a").resolve()
    monkeypatch.setenv("CSMGUARD_WORKSPACE", str(tmp_path / "b"))
    assert open_workspace().root == (tmp_path / "b").resolve()
    monkeypatch.delenv("CSMGUARD_WORKSPACE")
    monkeypatch.chdir(tmp_path / "a")
    assert open_workspace().root == (tmp_path / "a").resolve()


def test_open_refuses_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a CSM Guard workspace"):
        open_workspace(tmp_path)


def test_settings_are_read_and_validated(tmp_path: Path) -> None:
    init_workspace(tmp_path).close()
    path = tmp_path / SETTINGS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("device_wipe_days = 7", "device_wipe_days = 3")
                    .replace('lang = "zh-TW"', 'lang = "en"'), encoding="utf-8")
    ws = open_workspace(tmp_path)
    assert ws.settings.checks.device_wipe_days == 3
    assert ws.settings.lang.value == "en"
    assert ws.settings.checks.byod_review_days == RegisterCheckSettings().byod_review_days
    ws.close()
    path.write_text(path.read_text(encoding="utf-8").replace("device_wipe_days = 3", "device_wipe_days = -1"),
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        open_workspace(tmp_path)
    assert caught.value.field == "checks.device_wipe_days"
    path.write_text("db_url = [", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        open_workspace(tmp_path)


def test_every_threshold_has_a_documented_default() -> None:
    for name, info in RegisterCheckSettings.model_fields.items():
        assert info.description and info.description.startswith("REG-"), name
        assert info.default is not None, name


def test_relative_sqlite_urls_resolve_under_the_workspace(tmp_path: Path) -> None:
    assert resolve_db_url("sqlite:///data/x.db", tmp_path) == f"sqlite:///{(tmp_path / 'data/x.db').resolve()}"
    assert resolve_db_url("sqlite:////abs/x.db", tmp_path) == "sqlite:////abs/x.db"
    assert resolve_db_url("postgresql+psycopg://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"
    assert os.path.isabs(resolve_db_url("sqlite:///x.db", tmp_path).removeprefix("sqlite:///"))
