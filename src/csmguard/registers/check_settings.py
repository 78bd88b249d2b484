"""Periods and thresholds of the register checks, with their documented defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class RegisterCheckSettings(BaseModel):
    """Periods and thresholds of the register checks (``[checks]`` in csmguard.toml)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider_audit_interval_days: int = Field(365, ge=1, description="REG-001: a provider audit older than this "
                                              "is overdue when no next-audit date is recorded")
    audit_grace_days: int = Field(0, ge=0, description="REG-001: days of grace after the next-audit date")
    sla_period: Literal["month", "quarter"] = Field("month", description="REG-004: SLA reporting period")
    sla_report_grace_days: int = Field(30, ge=0, description="REG-004: days after a period closes before its "
                                       "report is missing")
    sla_lookback_periods: int = Field(6, ge=1, description="REG-004: how many closed periods are checked")
    privacy_review_days: int = Field(365, ge=1, description="REG-008: the longest time between reviews of a "
                                     "platform's privacy policy")
    policy_review_days: int = Field(365, ge=1, description="REG-018: the longest age of a social media policy "
                                    "without a next-review date")
    device_wipe_days: int = Field(7, ge=0, description="REG-010: days after a departure within which the "
                                  "person's devices are wiped or reassigned")
    byod_review_days: int = Field(365, ge=1, description="REG-011: the longest time between reviews of a "
                                  "BYOD agreement")
    social_risk_review_days: int = Field(365, ge=1, description="REG-014: the longest age of a social media "
                                         "risk assessment without a next-review date")
    isolation_notice_hours: float = Field(1, gt=0, description="REG-022: the longest time after an isolation "
                                          "failure within which the provider's notice counts as immediate (hours)")
    incident_update_days: int = Field(7, ge=1, description="REG-021: the longest time an open provider incident "
                                      "may go without an update from the provider")
