"""An exception nothing handled becomes exit 2 with the file named and a bug-report hint, never a traceback
(unless CSMGUARD_DEBUG=1). The failure is injected into the real IaC reader; the rest of the run is real."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from csmguard.cli import main as cli_main
from csmguard.cli.crash import culprit_file
from csmguard.scanners.iac import collect as iac_collect


def _broken_reader(text: str, display: str) -> list[object]:
    raise RuntimeError("the reader broke")


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["csmguard", *argv])
    with pytest.raises(SystemExit) as exit_info:
        cli_main.main()
    code = exit_info.value.code
    return code if isinstance(code, int) else 1


@pytest.fixture()
def template(tmp_path: Path) -> Path:
    folder = tmp_path / "iac"
    folder.mkdir()
    (folder / "stack.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(("lang", "words"), [("en", "internal error"), ("zh-TW", "內部錯誤")])
def test_an_unexpected_exception_is_exit_2_with_the_file_and_no_traceback(
        template: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str,
        words: str) -> None:
    monkeypatch.setattr(iac_collect, "yaml_resources", _broken_reader)
    monkeypatch.setenv("CSMGUARD_LANG", lang)
    monkeypatch.delenv("CSMGUARD_DEBUG", raising=False)
    assert _run(["scan", "iac", str(template), "-q"], monkeypatch) == 2
    err = capsys.readouterr().err
    assert words in err and "RuntimeError: the reader broke" in err
    assert str(template / "stack.yaml") in err
    assert "CSMGUARD_DEBUG=1" in err
    assert "Traceback" not in err


def test_the_traceback_is_shown_with_csmguard_debug(template: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(iac_collect, "yaml_resources", _broken_reader)
    monkeypatch.setenv("CSMGUARD_DEBUG", "1")
    assert _run(["scan", "iac", str(template), "-q"], monkeypatch) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "_broken_reader" in err


def test_ordinary_exits_pass_through(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--version"], monkeypatch) == 0
    assert "csmguard" in capsys.readouterr().out


def test_the_file_comes_from_the_exception_when_it_names_one() -> None:
    assert culprit_file(FileNotFoundError(2, "No such file", "/x/y.tf")) == "/x/y.tf"
    assert culprit_file(ValueError("no file here")) is None
