"""The fictional 範例證券股份有限公司 as data: register records, attestations and exceptions.

Dates are relative to the day the demo runs, so the demo keeps the same story whenever it is run:
most records are in order, and a few gaps are planted on purpose (each marked GAP below).
Evidence files are named by their file name under ``data/evidence``; the demo stores them and
puts their SHA-256 in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

ORGANIZATION = "範例證券股份有限公司"

Record = dict[str, Any]
Evidence = Callable[[str], str]  # evidence file name → its SHA-256 in the workspace


def _month(day: date, back: int) -> str:
    year, month = day.year, day.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}"


def registers(today: date, ev: Evidence) -> dict[str, list[Record]]:
    """Every register's records, keyed by register kind, in the order to add them."""
    def ago(days: int) -> str:
        return (today - timedelta(days=days)).isoformat()

    def ahead(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    sla = [{"provider": "亞太雲端", "period": _month(today, back), "received_on": ago(30 * back - 10),
            "all_metrics_met": True} for back in range(2, 8)]
    # GAP (REG-004): 雲郵科技 sent no SLA report for the month before last
    sla += [{"provider": "雲郵科技", "period": _month(today, back), "received_on": ago(30 * back - 12),
             "all_metrics_met": back != 4} for back in range(3, 8)]
    return {
        "cloud-providers": [
            {"name": "亞太雲端", "service_level": "可用性 99.95%，ISO 27001，24x7 SOC",
             "redundancy_backup": "台北、台中異地雙中心，每日異地備份", "recovery_time_hours": 4,
             "star_level": "2", "star_award": "gold", "star_expiry": ahead(300),
             "other_certifications": "ISO 27001;ISO 27017", "audit_rights": True, "last_audit_on": ago(200),
             "last_audit_kind": "certification_report", "next_audit_due": ahead(165),
             "audit_reports": ev("provider-assessment-2026.md"), "contract_start": ago(900)},
            # GAP (REG-001, REG-002): audit overdue, STAR self-assessment only, never audited on site
            {"name": "雲郵科技", "service_level": "可用性 99.9%，SOC 2 Type II", "redundancy_backup": "同區多可用區",
             "recovery_time_hours": 8, "star_level": "1", "star_award": "none", "audit_rights": False,
             "last_audit_on": ago(400), "last_audit_kind": "document_review", "next_audit_due": ago(35),
             "contract_start": ago(1200)},
            # GAP (REG-003): no contractual recovery time
            {"name": "客服雲", "service_level": "可用性 99.5%", "redundancy_backup": "每日備份",
             "star_level": "2", "star_award": "silver", "star_expiry": ahead(200), "audit_rights": True,
             "last_audit_on": ago(100), "last_audit_kind": "certification_report", "next_audit_due": ahead(265),
             "contract_start": ago(500)},
        ],
        "cloud-services": [
            # not critical: articles 4-7 do not apply to this service (3.1), its findings are not applicable
            {"name": "雲端電子郵件", "provider": "雲郵科技", "model": "saas", "critical": False,
             "data_classification": "internal", "started_on": ago(1200)},
            {"name": "電子對帳單寄送", "provider": "雲郵科技", "model": "saas", "critical": True,
             "data_classification": "personal data", "started_on": ago(1100)},
            {"name": "行情備援系統", "provider": "亞太雲端", "model": "iaas", "critical": True,
             "data_classification": "confidential", "started_on": ago(800)},
            {"name": "客服系統", "provider": "客服雲", "model": "saas", "critical": True,
             "data_classification": "personal data", "started_on": ago(480)},
            {"name": "電子交易平台測試環境", "provider": "亞太雲端", "model": "iaas", "critical": False,
             "status": "terminated", "started_on": ago(700), "terminated_on": ago(120)},
            # GAP (REG-006): terminated IaaS without a deletion certificate
            {"name": "舊版報表平台", "provider": "亞太雲端", "model": "iaas", "critical": True,
             "status": "terminated", "started_on": ago(1500), "terminated_on": ago(90)},
        ],
        "sla-reports": sla,
        "provider-incidents": [
            {"provider": "亞太雲端", "reference": "APC-2026-017", "occurred_at": f"{ago(75)}T09:10:00",
             "notified_at": f"{ago(75)}T10:40:00", "agreed_notification_hours": 4, "summary": "DDoS 流量異常",
             "resolved": True},
            # GAP (REG-005): notified 30 hours after, 24 agreed
            {"provider": "雲郵科技", "reference": "MAIL-0921", "occurred_at": f"{ago(50)}T02:00:00",
             "notified_at": f"{ago(49)}T08:00:00", "agreed_notification_hours": 24,
             "summary": "帳號撞庫攻擊", "resolved": True},
        ],
        "vm-image-changes": [
            {"service": "行情備援系統", "image": "mkt-standby-v12", "changed_on": ago(40),
             "change": "記憶體 16GB→32GB", "log_received_on": ago(38)},
        ],
        "isolation-statements": [
            {"service": "行情備援系統", "provider": "亞太雲端", "received_on": ago(300),
             "document": ev("isolation-statement.md")},
        ],
        "deletion-certificates": [
            {"service": "電子交易平台測試環境", "provider": "亞太雲端", "issued_on": ago(100),
             "covers_backups": True, "document": ev("deletion-certificate-test-env.md")},
        ],
        # privacy_policy_url: set by demo/social.py to the policy copies the demo serves on 127.0.0.1
        "social-accounts": [
            {"platform": "Facebook", "handle": "example.securities", "url": "https://www.facebook.com/example.securities",
             "shows_org_name": True, "shows_contact": True, "administrators": "林公關=管理者;王專員=編輯",
             "mfa": True, "content_approval": True, "operated_since": ago(900),
             "privacy_policy_understood_on": ago(910), "privacy_policy_reviewed_on": ago(120)},
            # GAP (REG-007, REG-008): no contact shown; privacy policy last reviewed over a year ago
            {"platform": "LINE", "handle": "@examplesec", "url": "https://lin.ee/examplesec",
             "shows_org_name": True, "shows_contact": False, "administrators": "林公關=管理者",
             "mfa": True, "content_approval": True, "operated_since": ago(700),
             "privacy_policy_understood_on": ago(705), "privacy_policy_reviewed_on": ago(420)},
        ],
        "social-risk-assessments": [
            {"platform_type": "即時通訊（LINE）", "data_leakage_risk": "高", "social_engineering_risk": "中",
             "malware_risk": "中", "controls": "教育訓練；禁止傳送客戶資料；MDM", "assessed_on": ago(150),
             "next_review": ahead(215)},
            {"platform_type": "社群網站（Facebook）", "data_leakage_risk": "中", "social_engineering_risk": "中",
             "malware_risk": "低", "controls": "年度宣導；惡意連結過濾", "assessed_on": ago(150),
             "next_review": ahead(215)},
        ],
        "policies": [
            {"kind": "social_media_use", "title": "社群媒體使用管理辦法", "version": "3", "approved": True,
             "approved_on": ago(250), "next_review": ahead(115), "document": ev("social-media-policy-v3.md")},
            {"kind": "mobile_device", "title": "行動裝置申請、使用、更新及繳回作業規範", "version": "2",
             "approved": True, "approved_on": ago(300), "next_review": ahead(65),
             "document": ev("mobile-device-rules.md")},
            {"kind": "byod_agreement_template", "title": "員工自攜行動裝置使用協議書", "version": "1",
             "approved": True, "approved_on": ago(300), "next_review": ahead(65)},
        ],
        "devices": [
            {"device_id": "MD-001", "owner": "張經理", "department": "經紀部", "ownership": "company",
             "holds_sensitive_data": True, "platform": "iOS", "os_version": "18.6", "mdm_managed": True},
            {"device_id": "MD-002", "owner": "李營業員", "department": "經紀部", "ownership": "company",
             "holds_sensitive_data": True, "platform": "Android", "os_version": "15", "mdm_managed": True},
            # GAP (REG-010): 陳怡君 left 20 days ago; her phone is still in use
            {"device_id": "MD-003", "owner": "陳怡君", "department": "財富管理部", "ownership": "company",
             "holds_sensitive_data": True, "platform": "iOS", "os_version": "17.5", "mdm_managed": True},
            {"device_id": "MD-004", "owner": "黃襄理", "department": "資訊部", "ownership": "company",
             "holds_sensitive_data": False, "platform": "Windows", "os_version": "11", "mdm_managed": True,
             "status": "wiped", "status_changed_on": ago(55)},
            {"device_id": "BY-001", "owner": "周研究員", "department": "研究部", "ownership": "byod",
             "holds_sensitive_data": False, "platform": "Android", "os_version": "14", "mdm_managed": True},
            # GAP (REG-011): BYOD device without an agreement
            {"device_id": "BY-002", "owner": "吳業務", "department": "經紀部", "ownership": "byod",
             "holds_sensitive_data": False, "platform": "iOS", "os_version": "18.1", "mdm_managed": False},
        ],
        "staff-changes": [
            {"person": "陳怡君", "change": "depart", "effective_on": ago(20), "from_department": "財富管理部"},
            {"person": "黃襄理", "change": "depart", "effective_on": ago(60), "from_department": "資訊部"},
            {"person": "周研究員", "change": "join", "effective_on": ago(200), "to_department": "研究部"},
        ],
        "byod-agreements": [
            {"holder": "周研究員", "device_id": "BY-001", "permitted_purposes": "收發公司郵件;行事曆",
             "data_types": "內部一般資料", "valid_from": ago(190), "valid_until": ahead(175),
             "signed_on": ago(190), "last_review": ago(30)},
        ],
        "apps": [
            {"app_id": "example-trade-android", "name": "範例證券 App", "platform": "android",
             "store_ids": "tw.example.securities", "source_available": True, "vendor": "範例資訊"},
            # the iOS app is built by an outside vendor that keeps the source: its MobSF report of each release is
            # the vendor evidence CSM-17.2 asks for (imported by the demo: csmguard import findings --release)
            {"app_id": "example-trade-ios", "name": "範例證券 App", "platform": "ios",
             "store_ids": "id1234567890", "source_available": False, "vendor": "範例行動科技"},
        ],
        "app-releases": [
            {"app_id": "example-trade-android", "version": "3.2.0", "released_on": ago(80), "scan_outcome": "passed",
             "scanned_on": ago(85), "scan_report": ev("app-scan-report-android-3.2.md")},
            {"app_id": "example-trade-ios", "version": "3.2.0", "released_on": ago(78)},
            # GAP (REG-012, CSM-17.2): the vendor's iOS hotfix went out with no test report from the vendor
            {"app_id": "example-trade-ios", "version": "3.2.1", "released_on": ago(12)},
        ],
    }


def attestations(today: date) -> list[Record]:
    """People's statements per requirement (``evidence`` lists file names under data/evidence)."""
    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def ahead(days: int) -> date:
        return today + timedelta(days=days)

    common = {"attested_by": "資安長 劉志明", "reviewer": "稽核室 許主任"}
    return [
        {"requirement": "CSM-3.1", "status": "implemented", "attested_on": ago(200), "expires_on": ahead(165),
         "statement": "年度雲端服務風險評估已完成並經資訊安全委員會核准。",
         "evidence": ["cloud-risk-assessment-2026.md"], **common},
        {"requirement": "CSM-4.1", "status": "implemented", "attested_on": ago(200), "expires_on": ahead(165),
         "statement": "已評估各雲端服務提供者之服務水準及資安防護，不足處採補償性措施。",
         "evidence": ["provider-assessment-2026.md"], **common},
        {"requirement": "CSM-10.1.1", "status": "implemented", "attested_on": ago(240), "expires_on": ahead(125),
         "statement": "社群媒體使用管理辦法第一點定義得分享之業務資訊。", "evidence": ["social-media-policy-v3.md"],
         **common},
        {"requirement": "CSM-10.1.2", "status": "implemented", "attested_on": ago(240), "expires_on": ahead(125),
         "statement": "社群媒體使用管理辦法第二點區分私人與公務用途及注意事項。",
         "evidence": ["social-media-policy-v3.md"], **common},
        {"requirement": "CSM-10.2", "status": "implemented", "attested_on": ago(150), "expires_on": ahead(215),
         "statement": "已就員工得使用之社群媒體類型評估風險並採行控制措施。",
         "evidence": ["social-media-risk-assessment.md"], **common},
        {"requirement": "CSM-11.4", "status": "implemented", "attested_on": ago(90), "expires_on": ahead(275),
         "statement": "官方帳號權限分級管理，發文須經主管核可。", "evidence": ["account-permission-procedure.md"],
         **common},
        {"requirement": "CSM-14.1", "status": "implemented", "attested_on": ago(300), "expires_on": ahead(65),
         "statement": "已訂定行動裝置申請、使用、更新及繳回作業規範。", "evidence": ["mobile-device-rules.md"],
         **common},
        {"requirement": "CSM-14.3", "status": "partially_implemented", "attested_on": ago(60),
         "expires_on": ahead(120), "statement": "已完成風險評估，MDM 尚有 1 台 BYOD 裝置未納管。",
         "evidence": ["mdm-rollout-status.md"], **common},
        {"requirement": "CSM-16.1", "status": "implemented", "attested_on": ago(80), "expires_on": ahead(285),
         "statement": "App 3.2.0 已完成滲透測試，無高風險弱點。", "evidence": ["app-pentest-report-3.2.md"],
         **common},
        {"requirement": "CSM-5.4", "status": "not_applicable", "attested_on": ago(200), "expires_on": ahead(165),
         "statement": "本公司使用之雲端服務均不以應用程式介面存取。", "evidence": [], **common},
        # expired: the website check was done last year and not repeated
        {"requirement": "CSM-11.2", "status": "implemented", "attested_on": ago(440), "expires_on": ago(75),
         "statement": "官網所有社群媒體連結均有離站提示視窗。", "evidence": ["website-link-warning-check.md"],
         **common},
    ]


def exceptions(today: date) -> list[Record]:
    """Accepted deviations with compensating controls (CSM-4.1)."""
    return [
        {"requirement": "CSM-4.3", "rule_ids": ["REG-001", "REG-002"],
         "rationale": "雲郵科技拒絕實地稽核且未取得 STAR 認證；本年度稽核延後至合約續約時辦理。",
         "compensating_controls": "每季檢視 SOC 2 Type II 報告及橋接函，並要求 24 小時內通報資安事件。",
         "approver": "總經理 蔡大同", "approved_on": today - timedelta(days=40),
         "expires_on": today + timedelta(days=140), "evidence": ["email-soc2-review.md"]},
        # expired: a temporary waiver for the SLA reports that lapsed
        {"requirement": "CSM-6.1", "rule_ids": ["REG-004"],
         "rationale": "雲郵科技系統轉換期間暫停提供月報。", "compensating_controls": "以每週服務狀態頁截圖替代。",
         "approver": "資訊長 鄭明華", "approved_on": today - timedelta(days=200),
         "expires_on": today - timedelta(days=20), "evidence": []},
    ]


def policy_decisions() -> tuple[list[tuple[str, str | None]], list[str], str]:
    """The firm's policy decisions: the settings its CISO confirmed (name, value or None for the value in force),
    the good practices it adopted as policy, and who decided. The other settings stay unconfirmed defaults,
    which the report lists."""
    confirmed: list[tuple[str, str | None]] = [("provider_audit_interval_days", None), ("device_wipe_days", "5")]
    return confirmed, ["SOC-003"], "陳資安長"
