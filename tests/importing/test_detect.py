"""A file that is not of the named tool's format, or of no known format, is an error naming the file and what
was expected: never an import of 0 findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.domain.errors import InputError
from csmguard.importing.detect import read_reports

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(("name", "tool", "expected"), [
    ("checkov/terraform.json", "mobsf", "not a MobSF static-analysis report"),
    ("mobsf/ios-2.4.1.json", "checkov", "not a Checkov JSON report"),
    ("gitleaks/baseline.json", "prowler", "not a Prowler OCSF JSON report"),
    ("prowler/gcp.ocsf.json", "trivy", "not a Trivy JSON report"),
    ("trivy/secrets.json", "gitleaks", "not a gitleaks JSON report"),
    ("checkov/terraform.json", "asff", "not AWS Security Hub findings in ASFF"),
    ("mobsf/ios-2.4.1.json", "sarif", "not a SARIF 2.1.0 log"),
    ("checkov/terraform.sarif", "mobsfscan", "written by checkov"),
    ("prowler/aws.csv", "checkov", "not JSON"),
])
def test_wrong_format_is_an_error_naming_file_and_expectation(name: str, tool: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read_reports(FIXTURES / name, tool)
    assert caught.value.file == str(FIXTURES / name) and expected in caught.value.message


@pytest.mark.parametrize(("content", "words"), [
    ("[]", "not a report of any known tool"),
    ('{"hello": 1}', "keys hello"),
    ("not json", "not JSON"),
])
def test_auto_detection_never_guesses(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "report.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_reports(path, "auto")
    assert words in caught.value.message


def test_prowler_csv_without_rows_or_with_other_columns(tmp_path: Path) -> None:
    header = (FIXTURES / "prowler/aws.csv").read_text(encoding="utf-8").splitlines()[0]
    empty = tmp_path / "empty.csv"
    empty.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="without any finding row"):
        read_reports(empty, "prowler")
    other = tmp_path / "other.csv"
    other.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(InputError, match="CHECK_ID, STATUS and RESOURCE_UID"):
        read_reports(other, "auto")


def test_an_empty_gitleaks_report_is_a_complete_import_only_when_named(tmp_path: Path) -> None:
    path = tmp_path / "leaks.json"
    path.write_text("[]", encoding="utf-8")
    fmt, [report] = read_reports(path, "gitleaks")
    assert fmt == "gitleaks" and report.items == () and report.recognised == {"gitleaks-report": 1}


def test_cli_exit_2_names_the_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import", "findings", str(FIXTURES / "mobsf/ios-2.4.1.json"), "--tool",
                                      "checkov"])
    assert result.exit_code == 2 and "ios-2.4.1.json" in result.stderr and "Checkov" in result.stderr
    unknown = CliRunner().invoke(app, ["import", "findings", str(FIXTURES / "mobsf/ios-2.4.1.json"), "--tool", "x"])
    assert unknown.exit_code == 2
