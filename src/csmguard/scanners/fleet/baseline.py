"""The fleet baseline: thresholds as data (``data/baseline.yaml``), overridable by a user's file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from csmguard.domain.errors import InputError, input_error_from_validation
from csmguard.scanning.budget import BudgetExceeded, safe_load_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PasscodeBaseline(_Strict):
    """Passcode, auto-lock and wipe thresholds."""

    min_length: int = Field(ge=4, le=64)
    block_simple: bool
    auto_lock_minutes: int = Field(ge=1)
    auto_lock_minutes_sensitive: int = Field(ge=1)
    wipe_after_failures: int = Field(ge=2, le=20)
    wipe_after_failures_sensitive: int = Field(ge=2, le=20)
    remote_wipe_suffices: bool


class CheckinBaseline(_Strict):
    """How fresh a device's last check-in must be."""

    max_days: int = Field(ge=1)
    warn_days: int = Field(ge=0)


class OsBaseline(_Strict):
    """Minimum OS versions per platform and the oldest acceptable security patch."""

    minimum_versions: dict[str, str]
    max_patch_age_days: int = Field(ge=1)


class ThreatBaseline(_Strict):
    """Whether a threat-defence state is required and which states are healthy."""

    required: bool
    accepted_states: tuple[str, ...]


class AppsBaseline(_Strict):
    """The allowed-apps list."""

    allowed: tuple[str, ...]
    allowed_by_policy: bool


class DeparturesBaseline(_Strict):
    """Grace days after a staff change."""

    grace_days: int = Field(ge=0)


class ByodBaseline(_Strict):
    """BYOD agreement review interval and the data type needed for sensitive data."""

    review_interval_days: int = Field(ge=1)
    sensitive_data_type: str


class WirelessBaseline(_Strict):
    """The wireless functions the firm needs on sensitive devices (CSM-14.4.5 restricts the unneeded ones)."""

    needed: tuple[str, ...] | None = Field(None, description="None: the firm has not said which it needs, so "
                                           "an unrestricted function is undecided, never a failure")


class SensitivityBaseline(_Strict):
    """How a device is known to hold sensitive data."""

    unknown_is_sensitive: bool
    sensitive_groups: tuple[str, ...]


class FleetBaseline(_Strict):
    """The whole baseline file."""

    version: int = 1
    passcode: PasscodeBaseline
    checkin: CheckinBaseline
    os: OsBaseline
    threat: ThreatBaseline
    apps: AppsBaseline
    departures: DeparturesBaseline
    byod: ByodBaseline
    sensitivity: SensitivityBaseline
    wireless: WirelessBaseline = Field(default_factory=WirelessBaseline)
    sources: tuple[str, ...] = ()


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "minimum_versions":
            out[key] = _merge(out[key], value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def default_baseline_data() -> dict[str, Any]:
    """The shipped defaults as plain data."""
    text = resources.files("csmguard.scanners.fleet").joinpath("data/baseline.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def load_baseline(path: Path | None = None) -> FleetBaseline:
    """The shipped baseline, with ``path`` (a full or partial baseline file) merged over it."""
    data = default_baseline_data()
    source = "csmguard/scanners/fleet/data/baseline.yaml"
    if path is not None:
        source = str(path)
        try:
            override: Any = safe_load_yaml(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(source, f"cannot read: {exc.strerror}") from exc
        except yaml.YAMLError as exc:
            raise InputError(source, f"not valid YAML: {exc}") from exc
        except BudgetExceeded as exc:
            raise InputError(source, f"not read: {exc}") from exc
        if override is not None and not isinstance(override, dict):
            raise InputError(source, "a baseline file is a mapping (passcode:, checkin:, os: …)")
        data = _merge(data, override or {})
    try:
        return FleetBaseline.model_validate(data)
    except ValidationError as exc:
        raise input_error_from_validation(source, exc) from exc
