"""The leave-site prompt's wording (CSM-11.2): accepted phrasings as data, matched after normalisation."""

from __future__ import annotations

import pytest

from csmguard.scanners.site.wording import PromptWording, find_phrase, load_wording, normalize


@pytest.fixture(scope="module")
def wording() -> PromptWording:
    return load_wording()


def test_normalisation_drops_spaces_punctuation_symbols_and_case() -> None:
    assert normalize("您即將 離開，本公司\u3000網站！") == "您即將離開本公司網站"
    assert normalize("You are LEAVING our web-site.") == "youareleavingourwebsite"
    assert normalize("ＦＵＬＬ　ｗｉｄｔｈ") == "fullwidth"  # NFKC


@pytest.mark.parametrize("prompt", [
    "您即將離開本公司網站，前往 Facebook。是否繼續？",
    "您即將前往非本公司網站",
    "您即將 離開 本網站，前往第三方網站 Instagram。",
    "提醒您：以下連結非本公司經營，內容由該平台負責。",
    "即將開啟外部連結",
    "You are leaving our website.",
    "You are about to leave this site for LINE, which is not operated by Example Securities.",
    "This link goes to a third-party website.",
    "Note: Facebook is an EXTERNAL web site",
])
def test_prompts_that_say_the_destination_is_outside_pass(wording: PromptWording, prompt: str) -> None:
    assert wording.says_outside(prompt) is not None


@pytest.mark.parametrize("prompt", [
    "確定要前往 Facebook 嗎？",
    "前往 Instagram 官方帳號",
    "頁面轉址中，請稍候…",
    "Continue to Facebook?",
    "您即將離開",                         # leaving what? it does not say the destination is not the firm's
    "除非本公司另有公告，請勿轉傳。",      # 除非 (unless) is not 非 (not)
    "",
])
def test_prompts_that_do_not_say_it_are_not_accepted(wording: PromptWording, prompt: str) -> None:
    assert wording.says_outside(prompt) is None


def test_phrasings_naming_the_organisation_need_its_name(wording: PromptWording) -> None:
    prompt = "您即將離開範例證券網站，前往 LINE 官方帳號。"
    assert wording.says_outside(prompt) is None
    assert wording.says_outside(prompt, ("範例證券",)) == "離開範例證券"
    assert wording.says_outside("You are now leaving Example Securities.", ("Example Securities",)) is not None
    # The legal form is dropped: prompts use the short name.
    assert wording.says_outside(prompt, ("範例證券股份有限公司",)) == "離開範例證券"
    assert wording.says_outside("You are leaving Example Securities", ("Example Securities Co., Ltd.",)) is not None
    assert wording.names(("公司",)) == ("公司",)  # a name that is only a legal form keeps no empty short name


def test_cues_notice_a_leaving_prompt_without_deciding(wording: PromptWording) -> None:
    assert wording.cue("您即將離開") == "離開"
    assert wording.cue("確定要前往 Facebook 嗎？") is None


def test_find_phrase_returns_the_phrase_as_written() -> None:
    assert find_phrase("Leaving OUR web site", ("leaving our website",)) == "leaving our website"
    assert find_phrase("anything", ()) is None
