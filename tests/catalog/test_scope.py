from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.catalog.model import Catalog
from csmguard.catalog.scope import ScopeProfile, applicability, load_profile
from csmguard.domain.errors import InputError
from csmguard.services.scope import check_scope, scope_report


def _profile(**answers: bool) -> ScopeProfile:
    return ScopeProfile(answers=answers)


def test_cloud_requirements_apply_only_to_critical_external_cloud(catalog: Catalog) -> None:
    node = catalog.node("CSM-4.1")
    assert applicability(node, catalog, _profile(uses_external_cloud=True, cloud_involves_critical=True)).applies
    outcome = applicability(node, catalog, _profile(uses_external_cloud=True, cloud_involves_critical=False))
    assert outcome.applies is False
    assert "answered no" in outcome.reasons[0].en
    undecided = applicability(node, catalog, _profile(uses_external_cloud=True))
    assert undecided.applies is None and "Not answered" in undecided.reasons[0].en


def test_app_source_absent_makes_17_2_apply(catalog: Catalog) -> None:
    node = catalog.node("CSM-17.2")
    assert applicability(node, catalog, _profile(publishes_mobile_apps=True, has_app_source=False)).applies is True
    assert applicability(node, catalog, _profile(publishes_mobile_apps=True, has_app_source=True)).applies is False


def test_definitions_never_apply_and_general_policy_always_does(catalog: Catalog) -> None:
    report = scope_report(catalog, _profile())
    decided = {n.id: a.applies for n, a in report.entries}
    assert decided["CSM-2"] is False and decided["CSM-13"] is False
    assert decided["CSM-10.1"] is True


def test_check_scope_reads_a_yaml_profile(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("organization: 測試證券\nanswers:\n  allows_byod: true\n  has_mobile_devices: false\n",
                    encoding="utf-8")
    report = check_scope(path)
    applicable = {n.id for n, _ in report.applicable()}
    assert {"CSM-15.1", "CSM-15.2", "CSM-15.3"} <= applicable
    assert "CSM-14.1" not in applicable


def test_toml_profiles_work_too(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('organization = "x"\n[answers]\nallows_byod = true\n', encoding="utf-8")
    assert load_profile(path).answers == {"allows_byod": True}


@pytest.mark.parametrize(("content", "field", "fragment"), [
    ("answers:\n  allows_byod: maybe\n", "answers", "true or false"),
    ("answers:\n  no_such_question: true\n", "answers.no_such_question", "unknown scope question"),
    ("answers: [1, 2\n", None, "not valid YAML"),
    ("colour: blue\n", "colour", "Extra inputs"),
    ("- a list\n", None, "mapping"),
])
def test_malformed_profiles_name_the_file_and_field(tmp_path: Path, content: str, field: str | None,
                                                    fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        check_scope(path)
    assert info.value.file == str(path)
    assert info.value.field == field
    assert fragment in info.value.message


def test_unedited_template_leaves_everything_undetermined(tmp_path: Path) -> None:
    """Issue #11.4: the template leaves every answer blank; loaded unedited, nothing is out of scope."""
    from typer.testing import CliRunner

    from csmguard.cli.main import app

    path = tmp_path / "profile.yaml"
    result = CliRunner().invoke(app, ["scope", "template", "-o", str(path)])
    assert result.exit_code == 0, result.output
    body = path.read_text(encoding="utf-8")
    assert ": false" not in body and ": true" not in body
    profile = load_profile(path)
    assert profile.answers == {} and len(profile.unanswered) > 10
    report = check_scope(path)
    assert [n.id for n, _ in report.not_applicable() if n.is_requirement] == []
    assert len(report.undetermined()) > 40
    for _node, decision in report.undetermined():
        assert decision.applies is None and all("Not answered" in r.en for r in decision.reasons)


def test_template_shows_each_question_and_help_in_both_languages(catalog: Catalog) -> None:
    from typer.testing import CliRunner

    from csmguard.cli.main import app

    for lang in ("zh-TW", "en"):
        body = CliRunner().invoke(app, ["scope", "template", "--lang", lang]).stdout
        for question in catalog.questions:
            assert f"  {question.id}:\n" in body
            for words in (question.text.zh_tw, question.text.en, question.help.zh_tw.splitlines()[0],
                          question.help.en.splitlines()[0]):
                assert words in body


def test_blank_and_given_answers_mix(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("answers:\n  uses_external_cloud: true\n  cloud_involves_critical:\n", encoding="utf-8")
    profile = load_profile(path, catalog)
    assert profile.answers == {"uses_external_cloud": True}
    assert profile.unanswered == ("cloud_involves_critical",)
    assert applicability(catalog.node("CSM-4.1"), catalog, profile).applies is None


def test_blank_answer_to_an_unknown_question_names_file_and_key(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("answers:\n  no_such_question:\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_profile(path, catalog)
    assert (info.value.file, info.value.field) == (str(path), "answers.no_such_question")
