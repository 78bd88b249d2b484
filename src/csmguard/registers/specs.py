"""The list of registers: kind (as used on the command line), record model, table and titles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from csmguard.domain import LocalizedText, text
from csmguard.domain.errors import InputError
from csmguard.registers import models as m
from csmguard.registers.fields import RegisterRecord


@dataclass(frozen=True)
class RegisterSpec:
    """One register: its kind, record model, table name and title."""

    kind: str
    model: type[RegisterRecord]
    table: str
    title: LocalizedText

    @property
    def key_fields(self) -> tuple[str, ...]:
        """The fields that identify a record."""
        return self.model.KEY

    def fields(self) -> list[str]:
        """The record's fields in column order."""
        return list(self.model.model_fields)

    def labels(self, lang: str) -> dict[str, str]:
        """Field name → column label in ``lang`` (zh-TW or en)."""
        out: dict[str, str] = {}
        for name, info in self.model.model_fields.items():
            extra: Any = info.json_schema_extra or {}
            out[name] = str(extra.get("zh-TW", name)) if lang == "zh-TW" else (info.title or name)
        return out


_SPECS: tuple[RegisterSpec, ...] = (
    RegisterSpec("profile", m.ScopeAnswer, "reg_scope_answers",
                 text("組織概況（適用範圍回答）", "Organization profile")),
    RegisterSpec("cloud-services", m.CloudService, "reg_cloud_services", text("雲端服務", "Cloud services")),
    RegisterSpec("cloud-providers", m.CloudProvider, "reg_cloud_providers", text("雲端服務業者", "Cloud providers")),
    RegisterSpec("sla-reports", m.SlaReport, "reg_sla_reports", text("服務水準報告", "SLA metric reports")),
    RegisterSpec("provider-incidents", m.ProviderIncident, "reg_provider_incidents",
                 text("業者資安事件", "Provider security incidents")),
    RegisterSpec("vm-image-changes", m.VmImageChangeLog, "reg_vm_image_changes",
                 text("虛擬機映像檔變更紀錄", "VM image change logs")),
    RegisterSpec("isolation-statements", m.IsolationStatement, "reg_isolation_statements",
                 text("虛擬機隔離說明", "Isolation statements")),
    RegisterSpec("deletion-certificates", m.DeletionCertificate, "reg_deletion_certificates",
                 text("資料刪除證明", "Deletion certificates")),
    RegisterSpec("social-accounts", m.SocialAccount, "reg_social_accounts",
                 text("社群媒體帳號", "Social media accounts")),
    RegisterSpec("social-risk-assessments", m.SocialRiskAssessment, "reg_social_risk_assessments",
                 text("社群媒體風險評估", "Social media risk assessments")),
    RegisterSpec("policies", m.PolicyDocument, "reg_policies", text("政策文件", "Policy documents")),
    RegisterSpec("devices", m.MobileDevice, "reg_devices", text("行動裝置", "Mobile devices")),
    RegisterSpec("staff-changes", m.StaffChange, "reg_staff_changes", text("人員異動", "Staff changes")),
    RegisterSpec("byod-agreements", m.ByodAgreement, "reg_byod_agreements", text("BYOD 使用協議", "BYOD agreements")),
    RegisterSpec("apps", m.MobileApp, "reg_apps", text("行動應用程式", "Mobile apps")),
    RegisterSpec("app-releases", m.AppRelease, "reg_app_releases", text("App 版本發布", "App releases")),
)


def register_specs() -> dict[str, RegisterSpec]:
    """Every register, keyed by kind, in a stable order."""
    return {spec.kind: spec for spec in _SPECS}


def get_spec(kind: str) -> RegisterSpec:
    """The register of ``kind``; InputError naming the known kinds otherwise."""
    specs = register_specs()
    if kind not in specs:
        raise InputError(None, f"unknown register {kind!r}; known: {', '.join(specs)}", field="kind")
    return specs[kind]
