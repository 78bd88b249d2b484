"""The English of the catalog says what the zh-TW text says: one test per translation defect of issue #13."""

from __future__ import annotations

from csmguard.catalog.model import Catalog


def _en(catalog: Catalog, node_id: str) -> str:
    node = catalog.node(node_id)
    assert node.text is not None
    return node.text.en


def _question(catalog: Catalog, question_id: str) -> tuple[str, str, str]:
    question = next(q for q in catalog.questions if q.id == question_id)
    return question.text.zh_tw, question.text.en, question.help.en


def test_title_keeps_related_and_management_and_control(catalog: Catalog) -> None:
    # 證券期貨市場相關公會 … 資訊安全管控指引
    assert "Management and Control Guideline" in catalog.title.en
    assert "Market-Related Associations" in catalog.title.en


def test_publisher_is_the_market_related_associations(catalog: Catalog) -> None:
    assert catalog.publisher.en == "Securities and futures market-related associations"


def test_article_1_keeps_the_discussion_and_the_risk_issues_of_each_subject(catalog: Catalog) -> None:
    text = _en(catalog, "CSM-1")
    assert "discussion of issues of strengthening information security" in text  # 議題之討論決議
    # 風險議題 bears on cloud operational security, mobile devices and social media alike.
    assert "risk issues of cloud computing service operational security, of mobile devices and of social media" in text


def test_article_4_2_does_not_add_rto(catalog: Catalog) -> None:
    node = catalog.node("CSM-4.2")
    assert node.text is not None and "RTO" not in node.text.en
    assert all("RTO" not in clause.text.en for clause in node.weaker_clauses)
    assert "recovery time of the cloud service" in node.text.en


def test_article_4_3_the_customer_carries_out_the_on_site_audit(catalog: Catalog) -> None:
    text = _en(catalog, "CSM-4.3")
    assert "shall effectively carry out regular audits" in text  # 應落實
    assert "either require the provider to furnish its certification report or conduct an on-site audit of the " \
           "provider itself" in text
    clause = catalog.node("CSM-4.3").weaker_clauses[0].text.en
    assert "conduct an on-site audit of the provider itself" in clause


def test_article_11_4_keeps_the_mechanism(catalog: Catalog) -> None:
    assert "account permission management mechanism" in _en(catalog, "CSM-11.4")


def test_article_12_2_and_the_byod_question_read_the_same_and(catalog: Catalog) -> None:
    definition = _en(catalog, "CSM-12.2")
    assert "handle the organization's affairs and to connect directly" in definition
    zh, en, help_en = _question(catalog, "allows_byod")
    assert "處理組織事務，並直接連接" in zh and "或連接" not in zh
    assert "handle its affairs and connect directly" in en and " or connect" not in en
    assert "only a device that does both" in help_en


def test_article_14_1_update_is_renewal_of_the_device(catalog: Catalog) -> None:
    assert "application for, use, renewal and return of mobile devices" in _en(catalog, "CSM-14.1")


def test_article_14_2_adds_no_examples_of_its_own(catalog: Catalog) -> None:
    assert "(e.g." not in _en(catalog, "CSM-14.2")


def test_article_14_4_1_is_identity_verification(catalog: Catalog) -> None:
    assert _en(catalog, "CSM-14.4.1") == "Mobile devices should have an identity verification mechanism."


def test_article_16_5_is_fund_flows(catalog: Catalog) -> None:
    assert "trades or fund flows" in _en(catalog, "CSM-16.5")
    _, en, _ = _question(catalog, "app_handles_transactions")
    assert "fund flows" in en and "money" not in en


def test_no_english_text_carries_a_term_the_zh_text_lacks(catalog: Catalog) -> None:
    """Glosses such as RTO or 'money flows' stay out of every provision's English."""
    for node in catalog.provisions():
        if node.text is None:
            continue
        assert "money flow" not in node.text.en, node.id
        if "RTO" in node.text.en:
            assert "RTO" in node.text.zh_tw, node.id
