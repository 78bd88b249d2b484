"""The typed records of every register (one pydantic model each), with zh-TW and English labels."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from csmguard.registers.fields import (
    AdminList,
    LocalTime,
    Period,
    RegisterRecord,
    Sha256,
    ShaList,
    TextList,
    label,
)


class ServiceModel(StrEnum):
    """Cloud service model."""

    IAAS = "iaas"
    PAAS = "paas"
    SAAS = "saas"


class Deployment(StrEnum):
    """Whether a cloud service is external (a cloud service under the guideline) or a private internal cloud."""

    EXTERNAL = "external"
    PRIVATE_INTERNAL = "private_internal"


class ServiceStatus(StrEnum):
    """Whether a cloud service is in use or terminated."""

    ACTIVE = "active"
    TERMINATED = "terminated"


class StarLevel(StrEnum):
    """CSA STAR level: none, 1 (self-assessment), 2 (third-party audit), 3 (continuous)."""

    NONE = "none"
    LEVEL_1 = "1"
    LEVEL_2 = "2"
    LEVEL_3 = "3"


class StarAward(StrEnum):
    """The award of a CSA STAR Certification (kept apart from the STAR level)."""

    NONE = "none"
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"


class AuditKind(StrEnum):
    """How the last audit of a provider was done."""

    ON_SITE = "on_site"
    CERTIFICATION_REPORT = "certification_report"
    DOCUMENT_REVIEW = "document_review"


class PolicyKind(StrEnum):
    """Kinds of policy documents."""

    SOCIAL_MEDIA_USE = "social_media_use"
    MOBILE_DEVICE = "mobile_device"
    BYOD_AGREEMENT_TEMPLATE = "byod_agreement_template"
    CLOUD_SERVICE = "cloud_service"
    APP_SECURITY = "app_security"
    OTHER = "other"


class Ownership(StrEnum):
    """Who owns a mobile device."""

    COMPANY = "company"
    BYOD = "byod"


class DeviceStatus(StrEnum):
    """Where a mobile device stands."""

    IN_USE = "in_use"
    WIPED = "wiped"
    REASSIGNED = "reassigned"
    RETURNED = "returned"
    LOST = "lost"
    RETIRED = "retired"


class StaffChangeKind(StrEnum):
    """Joins, moves and departures of staff."""

    JOIN = "join"
    MOVE = "move"
    DEPART = "depart"


class AppPlatform(StrEnum):
    """Mobile app platforms."""

    ANDROID = "android"
    IOS = "ios"
    OTHER = "other"


class ScanOutcome(StrEnum):
    """The result of a pre-release security scan of an app."""

    NOT_SCANNED = "not_scanned"
    PASSED = "passed"
    FAILED = "failed"


class ScopeAnswer(RegisterRecord):
    """Organization profile: one answer to a scope question of the catalog."""

    KEY: ClassVar[tuple[str, ...]] = ("question",)
    question: str = label("問題代碼", "Question", min_length=1)
    answer: bool = label("回答", "Answer")
    note: str | None = label("備註", "Note", None)


class CloudService(RegisterRecord):
    """A cloud service the firm uses."""

    KEY: ClassVar[tuple[str, ...]] = ("name",)
    name: str = label("服務名稱", "Service name", min_length=1)
    provider: str = label("雲端服務業者", "Provider", min_length=1)
    model: ServiceModel = label("服務模式", "Service model")
    critical: bool = label("涉及關鍵性系統或資料", "Critical")
    data_classification: str = label("資料分級", "Data classification", "internal")
    deployment: Deployment = label("部署型態", "Deployment", Deployment.EXTERNAL)
    status: ServiceStatus = label("狀態", "Status", ServiceStatus.ACTIVE)
    started_on: date | None = label("啟用日", "Started on", None)
    terminated_on: date | None = label("終止日", "Terminated on", None)
    notes: str | None = label("備註", "Notes", None)


class CloudProvider(RegisterRecord):
    """A cloud service provider and what was assessed of it (CSM-4)."""

    KEY: ClassVar[tuple[str, ...]] = ("name",)
    name: str = label("業者名稱", "Provider name", min_length=1)
    service_level: str | None = label("服務水準（含資安防護）", "Service level incl. security", None)
    redundancy_backup: str | None = label("備援（備份）機制", "Redundancy/backup mechanism", None)
    recovery_time_hours: float | None = label("契約復原時間（小時）", "Contractual recovery time (hours)", None, ge=0)
    star_level: StarLevel = label("CSA STAR 等級", "CSA STAR level", StarLevel.NONE)
    star_award: StarAward = label("STAR 認證獎項", "STAR Certification award", StarAward.NONE)
    star_expiry: date | None = label("STAR 認證到期日", "STAR expiry", None)
    other_certifications: TextList = label("其他認證", "Other certifications", ())
    audit_rights: bool = label("契約稽核權", "Audit rights", False)
    last_audit_on: date | None = label("最近稽核日", "Last audit", None)
    last_audit_kind: AuditKind | None = label("最近稽核方式", "Last audit kind", None)
    next_audit_due: date | None = label("下次稽核期限", "Next audit due", None)
    audit_reports: ShaList = label("已取得稽核報告", "Audit reports received", ())
    contract_start: date | None = label("契約起日", "Contract start", None)


class SlaReport(RegisterRecord):
    """A service level metric report received from a provider for one period (CSM-6.1)."""

    KEY: ClassVar[tuple[str, ...]] = ("provider", "period")
    provider: str = label("雲端服務業者", "Provider", min_length=1)
    period: Period = label("期間", "Period")
    received_on: date = label("收到日期", "Received on")
    all_metrics_met: bool | None = label("各項指標均達成", "All metrics met", None)
    notes: str | None = label("備註", "Notes", None)
    document: Sha256 | None = label("報告檔案", "Report file", None)


class ProviderIncident(RegisterRecord):
    """A security incident at a provider and when the provider notified the firm (CSM-6.3)."""

    KEY: ClassVar[tuple[str, ...]] = ("provider", "reference")
    provider: str = label("雲端服務業者", "Provider", min_length=1)
    reference: str = label("事件編號", "Reference", min_length=1)
    occurred_at: LocalTime = label("發生時間", "Occurred at")
    notified_at: LocalTime | None = label("通知時間", "Notified at", None)
    agreed_notification_hours: float = label("約定通知時限（小時）", "Agreed notification hours", ge=0)
    summary: str | None = label("摘要", "Summary", None)
    resolved: bool = label("已結案", "Resolved", False)
    last_update_on: date | None = label("最近更新通知日", "Last update received on", None)
    isolation_failure: bool = label("隔離性失效", "Isolation failure", False)


class VmImageChangeLog(RegisterRecord):
    """A record of significant VM image changes received from a provider (CSM-7.1)."""

    KEY: ClassVar[tuple[str, ...]] = ("service", "image", "changed_on")
    service: str = label("雲端服務", "Service", min_length=1)
    image: str = label("映像檔", "Image", min_length=1)
    changed_on: date = label("變更日", "Changed on")
    change: str = label("變更內容", "Change", min_length=1)
    log_received_on: date | None = label("收到紀錄日", "Log received on", None)


class IsolationStatement(RegisterRecord):
    """A provider's description of virtual machine isolation (CSM-7.2)."""

    KEY: ClassVar[tuple[str, ...]] = ("service",)
    service: str = label("雲端服務", "Service", min_length=1)
    provider: str = label("雲端服務業者", "Provider", min_length=1)
    received_on: date = label("收到日期", "Received on")
    document: Sha256 | None = label("說明文件", "Document", None)


class DeletionCertificate(RegisterRecord):
    """A certificate of complete data deletion after an IaaS service ended (CSM-7.6)."""

    KEY: ClassVar[tuple[str, ...]] = ("service",)
    service: str = label("雲端服務", "Service", min_length=1)
    provider: str = label("雲端服務業者", "Provider", min_length=1)
    issued_on: date = label("開立日期", "Issued on")
    covers_backups: bool = label("含備份檔", "Covers backups", True)
    document: Sha256 | None = label("證明文件", "Document", None)


class SocialAccount(RegisterRecord):
    """A social media account operated by the firm (CSM-11)."""

    KEY: ClassVar[tuple[str, ...]] = ("platform", "handle")
    platform: str = label("平台", "Platform", min_length=1)
    handle: str = label("帳號", "Handle", min_length=1)
    url: str | None = label("網址", "URL", None)
    official: bool = label("官方帳號", "Official", True)
    shows_org_name: bool = label("揭露組織名稱", "Shows organization name", False)
    shows_contact: bool = label("揭露聯絡方式", "Shows contact", False)
    administrators: AdminList = label("管理者與角色", "Administrators and roles", ())
    mfa: bool = label("多因子驗證", "MFA", False)
    content_approval: bool = label("內容發布審核", "Content approval", False)
    privacy_policy_url: str | None = label("平台隱私權政策網址", "Platform privacy-policy URL", None)
    privacy_policy_reviewed_on: date | None = label("隱私權政策最近檢視日", "Last privacy-policy review", None)
    operated_since: date | None = label("開始經營日", "Operated since", None)
    privacy_policy_understood_on: date | None = label("經營前了解隱私權政策日", "Privacy policy understood on", None)


class SocialRiskAssessment(RegisterRecord):
    """The risk assessment of a type of social media staff may use (CSM-10.2)."""

    KEY: ClassVar[tuple[str, ...]] = ("platform_type",)
    platform_type: str = label("社群媒體類型", "Platform type", min_length=1)
    allowed_to_staff: bool = label("開放員工使用", "Allowed to staff", True)
    data_leakage_risk: str | None = label("資料外洩風險", "Data leakage risk", None)
    social_engineering_risk: str | None = label("社交工程風險", "Social engineering risk", None)
    malware_risk: str | None = label("惡意程式風險", "Malware risk", None)
    controls: str | None = label("控制措施", "Controls", None)
    assessed_on: date = label("評估日", "Assessed on")
    next_review: date | None = label("下次檢視日", "Next review", None)


class PolicyDocument(RegisterRecord):
    """A policy, rule or template document (social media use, mobile devices, BYOD agreement …)."""

    KEY: ClassVar[tuple[str, ...]] = ("kind", "version")
    kind: PolicyKind = label("類別", "Kind")
    title: str = label("名稱", "Title", min_length=1)
    version: str = label("版本", "Version", min_length=1)
    approved: bool = label("已核定", "Approved", False)
    approved_on: date | None = label("核定日", "Approved on", None)
    next_review: date | None = label("下次檢視日", "Next review", None)
    document: Sha256 | None = label("文件檔案", "File", None)


class MobileDevice(RegisterRecord):
    """A mobile device that handles the firm's sensitive matters (CSM-13, CSM-14)."""

    KEY: ClassVar[tuple[str, ...]] = ("device_id",)
    device_id: str = label("裝置編號", "Device ID", min_length=1)
    owner: str = label("使用人", "Owner", min_length=1)
    department: str | None = label("部門", "Department", None)
    ownership: Ownership = label("所有權", "Ownership", Ownership.COMPANY)
    holds_sensitive_data: bool = label("存有敏感性資料", "Holds sensitive data", False)
    platform: str | None = label("平台", "Platform", None)
    os_version: str | None = label("作業系統版本", "OS version", None)
    mdm_managed: bool = label("MDM 納管", "MDM-managed", False)
    status: DeviceStatus = label("狀態", "Status", DeviceStatus.IN_USE)
    status_changed_on: date | None = label("狀態變更日", "Status changed on", None)
    reassigned_to: str | None = label("重新配發給", "Reassigned to", None)


class StaffChange(RegisterRecord):
    """A staff join, move or departure (CSM-14.2)."""

    KEY: ClassVar[tuple[str, ...]] = ("person", "change", "effective_on")
    person: str = label("人員", "Person", min_length=1)
    change: StaffChangeKind = label("異動類別", "Change")
    effective_on: date = label("生效日", "Effective on")
    from_department: str | None = label("原部門", "From department", None)
    to_department: str | None = label("新部門", "To department", None)
    devices_reconfigured_on: date | None = label("裝置重新配置日", "Devices reconfigured on", None)


class ByodAgreement(RegisterRecord):
    """A BYOD use agreement with a device holder (CSM-15)."""

    KEY: ClassVar[tuple[str, ...]] = ("holder", "device_id")
    holder: str = label("持有人", "Holder", min_length=1)
    device_id: str = label("裝置編號", "Device ID", min_length=1)
    permitted_purposes: TextList = label("允許用途", "Permitted purposes", ())
    data_types: TextList = label("資料類型", "Data types", ())
    valid_from: date = label("期間起日", "Valid from")
    valid_until: date = label("期間迄日", "Valid until")
    signed_on: date | None = label("簽署日", "Signed on", None)
    last_review: date | None = label("最近檢視日", "Last review", None)


class MobileApp(RegisterRecord):
    """A mobile app the firm publishes (CSM-16, CSM-17)."""

    KEY: ClassVar[tuple[str, ...]] = ("app_id",)
    app_id: str = label("App 代碼", "App ID", min_length=1)
    name: str = label("名稱", "Name", min_length=1)
    platform: AppPlatform = label("平台", "Platform")
    store_ids: TextList = label("商店識別碼", "Store IDs", ())
    source_available: bool = label("可取得原始碼", "Source available", True)
    vendor: str | None = label("開發廠商", "Vendor", None)


class AppRelease(RegisterRecord):
    """A release of a mobile app, with its pre-release scan and vendor evidence (CSM-17)."""

    KEY: ClassVar[tuple[str, ...]] = ("app_id", "version")
    app_id: str = label("App 代碼", "App ID", min_length=1)
    version: str = label("版本", "Version", min_length=1)
    released_on: date | None = label("發布日", "Released on", None)
    scan_outcome: ScanOutcome = label("上架前檢測結果", "Pre-release scan", ScanOutcome.NOT_SCANNED)
    scanned_on: date | None = label("檢測日", "Scanned on", None)
    scan_report: Sha256 | None = label("檢測報告", "Scan report", None)
    vendor_evidence: ShaList = label("廠商佐證", "Vendor evidence", ())
    notes: str | None = Field(None, title="Notes", json_schema_extra={"zh-TW": "備註"})
