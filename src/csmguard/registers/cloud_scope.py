"""Which cloud services articles 4–7 cover (CSM-3): external services involving critical systems, data or
services (3.1), unless the firm's scope profile says the guideline applies to all its cloud services; a private
cloud built inside the organization and serving only it is not a cloud service of the guideline (3.2)."""

from __future__ import annotations

from dataclasses import dataclass

from csmguard.registers import models as m
from csmguard.registers.facts import RegisterFacts

# The scope question by which a firm applies articles 4–7 to every cloud service, critical or not.
ALL_SERVICES_QUESTION = "cloud_all_services_in_scope"


@dataclass(frozen=True)
class ServiceScope:
    """Whether a service is in scope of articles 4–7, and why not when it is not."""

    service: m.CloudService
    in_scope: bool
    reason_zh: str = ""
    reason_en: str = ""


def service_scope(service: m.CloudService, facts: RegisterFacts) -> ServiceScope:
    """The scope of articles 4–7 for ``service``."""
    if service.deployment is m.Deployment.PRIVATE_INTERNAL:
        return ServiceScope(service, False, f"{service.name} 為組織內部自建且僅對內提供服務之私有雲（第3條第2項）",
                            f"{service.name} is a private cloud built inside the organization and serving only it "
                            "(article 3.2)")
    if not service.critical and facts.answers.get(ALL_SERVICES_QUESTION) is not True:
        return ServiceScope(service, False,
                            f"{service.name} 未涉及關鍵性系統、資料或服務，第4條至第7條不適用（第3條第1項）",
                            f"{service.name} involves no critical system, data or service, so articles 4-7 do not "
                            "apply to it (article 3.1)")
    return ServiceScope(service, True)


def provider_services(provider: str, facts: RegisterFacts) -> list[m.CloudService]:
    """The recorded services of ``provider``."""
    return [s for s in facts.services if s.provider == provider]


def provider_in_scope(provider: str, facts: RegisterFacts) -> bool | None:
    """Whether any recorded active service of ``provider`` is in scope; None when it has no recorded service
    (its criticality, so whether articles 4–7 apply, is unknown)."""
    services = [s for s in provider_services(provider, facts) if s.status is m.ServiceStatus.ACTIVE]
    if not services:
        return None
    return any(service_scope(s, facts).in_scope for s in services)
