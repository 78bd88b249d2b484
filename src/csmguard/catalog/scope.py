"""Scope profiles: an organization's yes/no answers, and which provisions they make apply."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from csmguard.catalog.model import Catalog, Node
from csmguard.domain import LocalizedText, text
from csmguard.domain.errors import InputError, input_error_from_validation


class ScopeProfile(BaseModel):
    """The scope answers of one organization: question ID → yes/no, with optional notes. A question left
    blank (``question:`` with no value, as ``csmguard scope template`` writes it) is unanswered: it is kept
    in ``unanswered``, never taken as an answer, and the provisions that depend on it stay undetermined."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    organization: str | None = None
    edition: str = "csm-17"
    answers: dict[str, bool] = Field(default_factory=dict)
    unanswered: tuple[str, ...] = ()
    notes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unanswered(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("answers"), dict):
            answers = value["answers"]
            blank = tuple(str(key) for key, answer in answers.items() if answer is None)
            if blank:
                value = {**value, "answers": {k: v for k, v in answers.items() if v is not None},
                         "unanswered": (*value.get("unanswered", ()), *blank)}
        return value

    @field_validator("answers", mode="before")
    @classmethod
    def _strict_booleans(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key, answer in value.items():
                if not isinstance(answer, bool):
                    raise ValueError(f"answer to {key!r} must be true or false, not {answer!r}")
        return value


def load_profile(path: Path, catalog: Catalog | None = None) -> ScopeProfile:
    """Read a scope profile from YAML or TOML; with ``catalog``, reject unknown question IDs."""
    try:
        raw_text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), "not UTF-8 text") from exc
    try:
        data: Any = tomllib.loads(raw_text) if path.suffix.lower() == ".toml" else yaml.safe_load(raw_text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise InputError(str(path), f"not valid {'TOML' if path.suffix.lower() == '.toml' else 'YAML'}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(str(path), "a scope profile is a mapping with an 'answers' table")
    try:
        profile = ScopeProfile.model_validate(data)
    except ValidationError as exc:
        raise input_error_from_validation(str(path), exc) from exc
    if catalog is not None:
        check_profile(profile, catalog, str(path))
    return profile


def check_profile(profile: ScopeProfile, catalog: Catalog, source: str | None = None) -> None:
    """Reject answers (blank ones too) to questions the catalog does not ask."""
    known = {q.id for q in catalog.questions}
    for question_id in (*profile.answers, *profile.unanswered):
        if question_id not in known:
            raise InputError(source, f"unknown scope question {question_id!r}; known: {', '.join(sorted(known))}",
                             field=f"answers.{question_id}")


@dataclass(frozen=True, slots=True)
class Applicability:
    """Whether a node applies (None: cannot tell until a question is answered) and why."""

    node_id: str
    applies: bool | None
    reasons: tuple[LocalizedText, ...] = field(default=())


def applicability(node: Node, catalog: Catalog, profile: ScopeProfile) -> Applicability:
    """Decide whether ``node`` applies to the organization of ``profile``, with the reasons."""
    if node.level is not None and not node.level.assessable:
        return Applicability(node.id, False, (text(
            f"{_level_zh(node.level.value)}條文，不評估", f"A {node.level.value} provision; not assessed"),))
    if not node.applies_when:
        return Applicability(node.id, True, (text("適用於所有組織", "Applies to every organization"),))
    reasons: list[LocalizedText] = []
    unanswered: list[LocalizedText] = []
    for condition in node.applies_when:
        question = catalog.question(condition.question)
        answer = profile.answers.get(condition.question)
        if answer is None:
            unanswered.append(text(f"尚未回答：{question.text.zh_tw}", f"Not answered: {question.text.en}"))
        elif answer != condition.answer:
            yes_no = ("是", "yes") if answer else ("否", "no")
            return Applicability(node.id, False, (text(
                f"不適用：{question.text.zh_tw}（回答：{yes_no[0]}）",
                f"Not applicable: {question.text.en} (answered {yes_no[1]})"),))
        else:
            yes_no = ("是", "yes") if answer else ("否", "no")
            reasons.append(text(f"{question.text.zh_tw}（回答：{yes_no[0]}）",
                                f"{question.text.en} (answered {yes_no[1]})"))
    if unanswered:
        return Applicability(node.id, None, tuple(unanswered))
    return Applicability(node.id, True, tuple(reasons))


def evaluate_scope(catalog: Catalog, profile: ScopeProfile) -> list[Applicability]:
    """The applicability of every provision of the catalog, in text order."""
    return [applicability(node, catalog, profile) for node in catalog.provisions()]


def _level_zh(level: str) -> str:
    return {"definition": "定義", "scope": "適用範圍", "purpose": "目的"}.get(level, level)
