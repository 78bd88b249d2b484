"""The registry of firm-policy settings: every value the guideline leaves to the firm (how often "定期" is, how
soon after a staff change, which wireless functions are needed), with its shipped default, the duty it
parameterises (the provision and its words, quoted), and where the value is applied.

The register-check settings are the fields of :class:`RegisterCheckSettings` (``[checks]`` in csmguard.toml);
the fleet settings are keys of the fleet baseline file; the social setting is an option of ``social check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from csmguard.domain import LocalizedText, text
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.scanners.fleet.baseline import default_baseline_data


class AppliedIn(StrEnum):
    """Where a setting's value takes effect."""

    WORKSPACE = "workspace"  # csmguard.toml [checks]: the register checks of the workspace read it
    FLEET_BASELINE = "fleet-baseline"  # the fleet baseline file given to `scan fleet --baseline-file`
    SOCIAL_CHECK = "social-check"  # `social check --review-within-days`


@dataclass(frozen=True)
class SettingSpec:
    """One firm-policy setting: its name, shipped default, the provision and the words of the duty it sets a
    value for, and where the value is applied."""

    name: str
    default: Any
    requirement: str
    quote: str  # the provision's own words, verbatim (a test checks them against the catalog)
    meaning: LocalizedText
    applied_in: AppliedIn

    @property
    def duty(self) -> LocalizedText:
        """The duty as shown to people: the provision, its words, and what the value means."""
        return text(f"{self.requirement}「{self.quote}」：{self.meaning.zh_tw}",
                    f"{self.requirement} 「{self.quote}」: {self.meaning.en}")


_CHECKS = RegisterCheckSettings()

# name → (requirement, quoted words, meaning zh, meaning en)
_REGISTER: dict[str, tuple[str, str, str, str]] = {
    "provider_audit_interval_days": (
        "CSM-4.3", "應落實定期對雲端服務提供者之查核",
        "未訂下次查核日時，查核之最長間隔（天）",
        "the longest time between provider audits when no next audit date is recorded (days)"),
    "audit_grace_days": (
        "CSM-4.3", "應落實定期對雲端服務提供者之查核", "下次查核日後之寬限天數",
        "days of grace after the next audit date"),
    "sla_period": (
        "CSM-6.1", "應定期提供協議中各項服務水準指標之報告", "服務水準報告之週期（month 或 quarter）",
        "the SLA reporting period (month or quarter)"),
    "sla_report_grace_days": (
        "CSM-6.1", "應定期提供協議中各項服務水準指標之報告", "期間結束後報告應送達之天數",
        "days after a period closes before its report is missing"),
    "sla_lookback_periods": (
        "CSM-6.1", "應定期提供協議中各項服務水準指標之報告", "檢查之已結束期間數",
        "how many closed periods are checked"),
    "privacy_review_days": (
        "CSM-11.1", "定期檢視其隱私政策之異動及評估其風險", "平台隱私政策檢視之最長間隔（天）",
        "the longest time between reviews of a platform's privacy policy (days)"),
    "policy_review_days": (
        "CSM-10.1", "組織應擬定社群媒體使用政策",
        "政策檢視之最長間隔（天；良好實務 REG-018，每年檢視係後繼指引之規定）",
        "the longest age of the policy without a review (days; good practice REG-018, the yearly review is the "
        "successor guideline's rule)"),
    "device_wipe_days": (
        "CSM-14.2", "組織人員異動時，應進行重新配置或清除配置程序", "異動後完成清除或重新配置之天數",
        "days after a staff change within which the devices are wiped or reassigned"),
    "byod_review_days": (
        "CSM-15.1", "組織應定期審核並限制員工自攜行動裝置使用用途、使用期間及資料種類", "BYOD 協議審核之最長間隔（天）",
        "the longest time between reviews of a BYOD agreement (days)"),
    "isolation_notice_hours": (
        "CSM-7.2", "隔離性失效時應立即通知雲端服務使用者", "隔離性失效後通知仍屬「立即」之最長時數",
        "the longest time after an isolation failure within which a notice counts as immediate (hours)"),
    "incident_update_days": (
        "CSM-6.3", "並定期更新事件處理的相關訊息", "未結案事件兩次更新通知之最長間隔（天）",
        "the longest time an open incident may go without an update from the provider (days)"),
    "social_risk_review_days": (
        "CSM-10.2", "組織應針對開放員工使用之社群媒體類型評估其風險程度", "未訂下次檢視日時，風險評估之最長效期（天）",
        "the longest age of a risk assessment without a next review date (days)"),
}

_FLEET: dict[str, tuple[tuple[str, str], str, str, str, str]] = {
    "fleet.wireless.needed": (
        ("wireless", "needed"), "CSM-14.4.5", "行動裝置宜限制或關閉不需要之無線連線功能",
        "公司所需之無線功能（如 Bluetooth）；未訂定時，未限制之功能為無法判斷",
        "the wireless functions the firm needs (e.g. Bluetooth); until set, an unrestricted function is undecided"),
    "fleet.departures.grace_days": (
        ("departures", "grace_days"), "CSM-14.2", "組織人員異動時，應進行重新配置或清除配置程序",
        "異動後完成清除或重新配置之天數（行動裝置管理匯出）",
        "days after a staff change to wipe or reassign (MDM export)"),
    "fleet.byod.review_interval_days": (
        ("byod", "review_interval_days"), "CSM-15.1",
        "組織應定期審核並限制員工自攜行動裝置使用用途、使用期間及資料種類",
        "BYOD 協議審核之最長間隔（天；行動裝置管理匯出）",
        "the longest time between BYOD agreement reviews (days; MDM export)"),
}

# The default of `social check --review-within-days` (services.social.DEFAULT_REVIEW_WITHIN_DAYS; a test keeps
# the two equal: the policy registry does not import the service layer).
SOCIAL_REVIEW_DEFAULT = 30


def _fleet_default(path: tuple[str, str]) -> Any:
    data = default_baseline_data()
    value = data.get(path[0], {}).get(path[1])
    return list(value) if isinstance(value, tuple) else value


def setting_specs() -> tuple[SettingSpec, ...]:
    """Every firm-policy setting, register settings first, in a stable order."""
    specs = [SettingSpec(name, getattr(_CHECKS, name), req, quote, text(zh, en), AppliedIn.WORKSPACE)
             for name, (req, quote, zh, en) in _REGISTER.items()]
    specs += [SettingSpec(name, _fleet_default(path), req, quote, text(zh, en), AppliedIn.FLEET_BASELINE)
              for name, (path, req, quote, zh, en) in _FLEET.items()]
    specs.append(SettingSpec(
        "social.privacy_change_review_days", SOCIAL_REVIEW_DEFAULT, "CSM-11.1", "定期檢視其隱私政策之異動及評估其風險",
        text("偵測到隱私政策異動後應完成檢視之天數", "days a detected privacy-policy change may wait for review"),
        AppliedIn.SOCIAL_CHECK))
    return tuple(specs)


def setting_spec(name: str) -> SettingSpec | None:
    """The setting called ``name``, or None."""
    return next((s for s in setting_specs() if s.name == name), None)
