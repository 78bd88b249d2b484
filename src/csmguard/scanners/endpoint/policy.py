"""The endpoint policy (profile): a data file saying which protocols, suites, keys and algorithms pass."""

from __future__ import annotations

import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from csmguard.domain import LocalizedText
from csmguard.domain.errors import InputError, input_error_from_validation
from csmguard.scanning.budget import BudgetExceeded, safe_load_yaml

DEFAULT_PROFILE = "tw-securities-intermediate"
TLS_VERSIONS = ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")


class TlsPolicy(BaseModel):
    """What a TLS endpoint must offer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    allowed_versions: tuple[str, ...] = Field(min_length=1)
    allowed_kex: tuple[str, ...] = Field(min_length=1)
    allowed_suites: tuple[str, ...] = Field(min_length=1)
    allowed_symmetric: tuple[str, ...] = Field(min_length=1)
    min_cipher_bits: int = Field(ge=0)
    min_rsa_bits: int = Field(ge=0)
    min_ec_bits: int = Field(ge=0)
    allowed_signature_hashes: tuple[str, ...] = Field(min_length=1)
    max_certificate_lifetime_days: int = Field(ge=1)
    expiry_warning_days: int = Field(ge=0)
    hsts_min_max_age: int = Field(ge=0)


class SshPolicy(BaseModel):
    """Which SSH algorithms are weak (shell-style patterns, ``*`` and ``?``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weak_kex: tuple[str, ...] = ()
    weak_ciphers: tuple[str, ...] = ()
    weak_macs: tuple[str, ...] = ()
    weak_host_key: tuple[str, ...] = ()
    min_host_key_rsa_bits: int = Field(default=2048, ge=0)
    min_host_key_ec_bits: int = Field(default=256, ge=0)


class EndpointPolicy(BaseModel):
    """A named profile with its TLS and SSH parts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    title: LocalizedText
    tls: TlsPolicy
    ssh: SshPolicy


def matches_any(name: str, patterns: tuple[str, ...]) -> bool:
    """Whether an algorithm name matches one of the policy's patterns (case-sensitive, as SSH names are)."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def load_policy(path: Path | None = None) -> EndpointPolicy:
    """The policy in ``path``, or the shipped default profile; bad files raise :class:`InputError`."""
    if path is None:
        source = f"{DEFAULT_PROFILE}.yaml"
        content = resources.files("csmguard.scanners.endpoint").joinpath("profiles", source).read_text("utf-8")
    else:
        source = str(path)
        try:
            content = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(source, f"cannot read the profile: {exc.strerror}") from exc
    try:
        data: Any = safe_load_yaml(content)
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {exc}") from exc
    except BudgetExceeded as exc:
        raise InputError(source, f"not read: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(source, "a profile is a mapping with id, title, tls and ssh")
    try:
        policy = EndpointPolicy.model_validate(data)
    except ValidationError as exc:
        raise input_error_from_validation(source, exc) from exc
    unknown = [v for v in policy.tls.allowed_versions if v not in TLS_VERSIONS]
    if unknown:
        raise InputError(source, f"unknown TLS version(s) {unknown}; known: {', '.join(TLS_VERSIONS)}",
                         field="tls.allowed_versions")
    return policy
