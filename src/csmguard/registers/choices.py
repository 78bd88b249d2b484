"""The words people read and type for the registers' coded choices (``certification_report`` is 驗證報告／
Certification report): labels in zh-TW and English for every enumeration of :mod:`csmguard.registers.models`,
shown in the web app and the templates, and accepted back from imported files and forms."""

from __future__ import annotations

from enum import Enum
from typing import Any

from csmguard.domain import Lang
from csmguard.registers import models as m

LABELS: dict[type[Enum], dict[str, tuple[str, str]]] = {
    m.ServiceModel: {"iaas": ("IaaS（基礎設施即服務）", "IaaS"), "paas": ("PaaS（平台即服務）", "PaaS"),
                     "saas": ("SaaS（軟體即服務）", "SaaS")},
    m.Deployment: {"external": ("外部雲端服務", "External cloud service"),
                   "private_internal": ("內部私有雲", "Private internal cloud")},
    m.ServiceStatus: {"active": ("使用中", "Active"), "terminated": ("已終止", "Terminated")},
    m.StarLevel: {"none": ("無", "None"), "1": ("第 1 級（自我評估）", "Level 1 (self-assessment)"),
                  "2": ("第 2 級（第三方稽核）", "Level 2 (third-party audit)"),
                  "3": ("第 3 級（持續監控）", "Level 3 (continuous monitoring)")},
    m.StarAward: {"none": ("無", "None"), "bronze": ("銅級", "Bronze"), "silver": ("銀級", "Silver"),
                  "gold": ("金級", "Gold")},
    m.AuditKind: {"on_site": ("實地稽核", "On-site audit"),
                  "certification_report": ("驗證報告", "Certification report"),
                  "document_review": ("書面審查", "Document review")},
    m.PolicyKind: {"social_media_use": ("社群媒體使用政策", "Social media use policy"),
                   "mobile_device": ("行動裝置管理政策", "Mobile device policy"),
                   "byod_agreement_template": ("BYOD 協議範本", "BYOD agreement template"),
                   "cloud_service": ("雲端服務政策", "Cloud service policy"),
                   "app_security": ("App 安全政策", "App security policy"), "other": ("其他", "Other")},
    m.Ownership: {"company": ("公司配發", "Company-owned"), "byod": ("員工自攜（BYOD）", "Personal (BYOD)")},
    m.DeviceStatus: {"in_use": ("使用中", "In use"), "wiped": ("已抹除", "Wiped"),
                     "reassigned": ("已轉配", "Reassigned"),
                     "returned": ("已歸還", "Returned"), "lost": ("遺失", "Lost"), "retired": ("已報廢", "Retired")},
    m.StaffChangeKind: {"join": ("到職", "Join"), "move": ("調職", "Move"), "depart": ("離職", "Departure")},
    m.AppPlatform: {"android": ("Android", "Android"), "ios": ("iOS", "iOS"), "other": ("其他", "Other")},
    m.ScanOutcome: {"not_scanned": ("未檢測", "Not scanned"), "passed": ("通過", "Passed"),
                    "failed": ("未通過", "Failed")},
}


def label(value: Any, lang: Lang | str = Lang.ZH_TW) -> str | None:
    """The label of an enumeration member of a register in ``lang``; None for any other value."""
    if not isinstance(value, Enum):
        return None
    found = LABELS.get(type(value), {}).get(str(value.value))
    if found is None:
        return None
    return found[0] if Lang(lang) is Lang.ZH_TW else found[1]


def label_of(kind: type[Enum], code: str, lang: Lang | str) -> str:
    """The label of ``code`` of the enumeration ``kind`` (the code itself when it has none)."""
    found = LABELS.get(kind, {}).get(code)
    return code if found is None else found[0] if Lang(lang) is Lang.ZH_TW else found[1]


def parse(kind: type[Enum], value: Any) -> Any:
    """A cell or form value for the enumeration ``kind``: its code, or the code of the label (zh-TW or English,
    any case) or of the number (``2`` for STAR level 2) typed instead; anything else unchanged, for the
    validation to refuse with its message."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and float(value).is_integer():
        value = str(int(value))
    if not isinstance(value, str):
        return value
    text = value.strip()
    codes = {str(member.value) for member in kind}
    if text in codes:
        return text
    wanted = text.lower()
    for code, (zh, en) in LABELS.get(kind, {}).items():
        if wanted in (zh.lower(), en.lower(), code.lower()):
            return code
    if wanted.endswith(".0") and wanted[:-2] in codes:  # "2.0" from a spreadsheet's number cell
        return wanted[:-2]
    return text
