"""What each reference field of a rule may hold, so that a control of one standard is never filed under
another (an ISO/IEC 27001 Annex A number under ISO/IEC 27017, a CCM ID of the wrong domain …).

ISO/IEC 27017:2015 numbers its controls as ISO/IEC 27002:2013 does (clauses 5 to 18, 114 controls) and adds
seven cloud controls (CLD.x); it has no "A." prefix, which is ISO/IEC 27001's Annex A numbering. CSA CCM v4.0
has 197 controls in 17 domains; OWASP MASVS v2 has 24 controls in 8 groups."""

from __future__ import annotations

import re

# ISO/IEC 27002:2013 controls per sub-clause: (clause, sub-clause) → number of controls.
_ISO27002_2013: dict[tuple[int, int], int] = {
    (5, 1): 2,
    (6, 1): 5, (6, 2): 2,
    (7, 1): 2, (7, 2): 3, (7, 3): 1,
    (8, 1): 4, (8, 2): 3, (8, 3): 3,
    (9, 1): 2, (9, 2): 6, (9, 3): 1, (9, 4): 5,
    (10, 1): 2,
    (11, 1): 6, (11, 2): 9,
    (12, 1): 4, (12, 2): 1, (12, 3): 1, (12, 4): 4, (12, 5): 1, (12, 6): 2, (12, 7): 1,
    (13, 1): 3, (13, 2): 4,
    (14, 1): 3, (14, 2): 9, (14, 3): 1,
    (15, 1): 3, (15, 2): 2,
    (16, 1): 7,
    (17, 1): 3, (17, 2): 1,
    (18, 1): 5, (18, 2): 3,
}
ISO27017_CLOUD_CONTROLS = frozenset({
    "CLD.6.3.1",   # shared roles and responsibilities within a cloud computing environment
    "CLD.8.1.5",   # removal of cloud service customer assets
    "CLD.9.5.1",   # segregation in virtual computing environments
    "CLD.9.5.2",   # virtual machine hardening
    "CLD.12.1.5",  # administrator's operational security
    "CLD.12.4.5",  # monitoring of cloud services
    "CLD.13.1.4",  # alignment of security management for virtual and physical networks
})
ISO27017_CONTROLS = frozenset(
    {f"{clause}.{sub}.{n}" for (clause, sub), count in _ISO27002_2013.items() for n in range(1, count + 1)}
) | ISO27017_CLOUD_CONTROLS

# CSA Cloud Controls Matrix v4.0: controls per domain.
_CCM_4_0: dict[str, int] = {
    "A&A": 6, "AIS": 7, "BCR": 11, "CCC": 9, "CEK": 21, "DCS": 15, "DSP": 19, "GRC": 8, "HRS": 13,
    "IAM": 16, "IPY": 4, "IVS": 9, "LOG": 13, "SEF": 8, "STA": 14, "TVM": 10, "UEM": 14,
}
CCM_CONTROLS = frozenset(f"{domain}-{n:02d}" for domain, count in _CCM_4_0.items() for n in range(1, count + 1))

# OWASP MASVS v2: controls per group.
_MASVS_2: dict[str, int] = {"STORAGE": 2, "CRYPTO": 2, "AUTH": 3, "NETWORK": 2, "PLATFORM": 3, "CODE": 4,
                            "RESILIENCE": 4, "PRIVACY": 4}
MASVS_CONTROLS = frozenset(f"MASVS-{group}-{n}" for group, count in _MASVS_2.items() for n in range(1, count + 1))

_CWE = re.compile(r"CWE-[1-9][0-9]{0,4}")
_CHECKOV = re.compile(r"CKV2?_[A-Z0-9]+_[0-9]+")
_MOBSF = re.compile(r"[a-z][a-z0-9_]*")


def _explain_iso27017(value: str) -> str:
    if value.startswith("A."):
        return (f"{value!r} is ISO/IEC 27001 Annex A numbering, not ISO/IEC 27017 (which numbers controls as "
                "ISO/IEC 27002:2013, e.g. 6.2.1, plus CLD.x); cite the 27017 control or put the 27001 one in 'other'")
    return f"{value!r} is not an ISO/IEC 27017:2015 control (ISO/IEC 27002:2013 numbering 5.1.1–18.2.3, or CLD.x)"


def reference_problem(field: str, value: str) -> str | None:
    """Why ``value`` does not belong in the reference field ``field`` of a rule, or None when it does.

    ``other`` is free text; every other field holds IDs of one standard or tool."""
    if field == "iso27017":
        return None if value in ISO27017_CONTROLS else _explain_iso27017(value)
    if field == "ccm":
        return None if value in CCM_CONTROLS else f"{value!r} is not a CSA CCM v4.0 control ID (e.g. SEF-07)"
    if field == "masvs":
        return None if value in MASVS_CONTROLS else f"{value!r} is not an OWASP MASVS v2 control (e.g. MASVS-NETWORK-1)"
    if field == "cwe":
        return None if _CWE.fullmatch(value) else f"{value!r} is not a CWE ID (CWE-<number>)"
    if field == "checkov":
        return None if _CHECKOV.fullmatch(value) else f"{value!r} is not a Checkov check ID (CKV_<FAMILY>_<n>)"
    if field == "mobsf":
        return None if _MOBSF.fullmatch(value) else f"{value!r} is not a MobSF/mobsfscan rule ID (snake_case)"
    return None

# ISO/IEC 27001:2022 Annex A: controls per theme (5 organizational, 6 people, 7 physical, 8 technological).
_ISO27001_2022 = {5: 37, 6: 8, 7: 14, 8: 34}
ISO27001_2022_CONTROLS = frozenset(f"A.{theme}.{n}" for theme, count in _ISO27001_2022.items()
                                   for n in range(1, count + 1))
_NIST_800_53 = re.compile(r"(?:AC|AT|AU|CA|CM|CP|IA|IR|MA|MP|PE|PL|PM|PS|PT|RA|SA|SC|SI|SR)"
                          r"-[1-9][0-9]?(?:\([1-9][0-9]?\))?")

_FRAMEWORK_FIELDS = {"iso27017:2015": "iso27017", "csa-ccm:4.0": "ccm", "owasp-masvs:2": "masvs"}


def mapping_problem(framework: str, control: str) -> str | None:
    """Why ``control`` is not a control of the catalog framework ``framework``, or None when it is."""
    if framework in _FRAMEWORK_FIELDS:
        return reference_problem(_FRAMEWORK_FIELDS[framework], control)
    if framework == "iso27001:2022":
        if control in ISO27001_2022_CONTROLS:
            return None
        return f"{control!r} is not an ISO/IEC 27001:2022 Annex A control"
    if framework == "nist-sp800-53:r5":
        return None if _NIST_800_53.fullmatch(control) else f"{control!r} is not a NIST SP 800-53 Rev. 5 control ID"
    return f"unknown framework {framework!r}"
