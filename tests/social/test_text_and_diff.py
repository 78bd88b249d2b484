from __future__ import annotations

from csmguard.social.extract import main_text
from csmguard.social.worddiff import render_change, tokens, word_diff


def test_main_text_keeps_the_policy_and_drops_navigation_and_scripts() -> None:
    html = ("<html><head><style>p{}</style><script>var x=1</script></head><body><nav>Menu</nav>"
            "<main><h1>隱私政策</h1><p>我們蒐集  您的\u3000資料。</p></main><footer>Footer</footer></body></html>")
    assert main_text(html) == "隱私政策\n我們蒐集 您的 資料。"


def test_tokens_treat_each_cjk_character_as_a_word() -> None:
    assert tokens("我們share data.") == ["我", "們", "share", "data."]


def test_word_diff_finds_inserted_and_removed_words_with_context() -> None:
    old = "我們不會將您的資料提供給第三方。We keep logs for 30 days."
    new = "我們會將您的資料提供給合作夥伴。We keep logs for 90 days."
    changes = word_diff(old, new)
    removed = {c.removed for c in changes}
    added = {c.added for c in changes}
    assert "不" in removed and "第三方" in removed and "30" in removed
    assert "合作夥伴" in added and "90" in added
    assert any("[-30-]{+90+}" in render_change(c) for c in changes)
    assert word_diff(old, old) == []
