"""Bilingual text: every user-facing string exists in zh-TW (the default) and English."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Lang(StrEnum):
    """The languages of user-facing text."""

    ZH_TW = "zh-TW"
    EN = "en"


DEFAULT_LANG = Lang.ZH_TW


def parse_lang(value: str) -> Lang:
    """Turn a user's language option (``zh-TW``, ``zh``, ``en`` …, any case) into a :class:`Lang`."""
    normalized = value.strip().lower().replace("_", "-")
    if normalized in {"zh-tw", "zh", "zh-hant", "tw"}:
        return Lang.ZH_TW
    if normalized in {"en", "en-us", "en-gb", "english"}:
        return Lang.EN
    raise ValueError(f"unknown language {value!r}: use zh-TW or en")


class LocalizedText(BaseModel):
    """A text in zh-TW and English; serialized as ``{"zh-TW": …, "en": …}``."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    zh_tw: str = Field(alias="zh-TW", min_length=1)
    en: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _strip(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return data

    def get(self, lang: Lang | str) -> str:
        """The text in ``lang``."""
        return self.zh_tw if Lang(lang) is Lang.ZH_TW else self.en

    def as_dict(self) -> dict[str, str]:
        """The JSON form, keyed by language tag."""
        return {Lang.ZH_TW.value: self.zh_tw, Lang.EN.value: self.en}

    def format(self, **values: object) -> LocalizedText:
        """Both texts with ``{name}`` placeholders filled from ``values``."""
        return LocalizedText.model_validate(
            {"zh-TW": self.zh_tw.format(**values), "en": self.en.format(**values)}
        )


def text(zh_tw: str, en: str) -> LocalizedText:
    """Shorthand constructor for a :class:`LocalizedText`."""
    return LocalizedText.model_validate({"zh-TW": zh_tw, "en": en})
