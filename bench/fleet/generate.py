"""Writes realistic Intune Graph ``managedDevice`` exports of any size (JSON lines or ``value`` pages)."""

from __future__ import annotations

import argparse
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

DEPARTMENTS = ("Brokerage", "Futures", "Wealth", "IT", "Compliance", "Risk", "Finance", "Operations", "HR", "Audit")
MODELS = (("Apple", "iPhone 15", "iOS", ("17.5.1", "17.6", "18.1", "16.7.8", "18.0.1")),
          ("Apple", "iPad Air", "iPadOS", ("17.6", "18.1")),
          ("samsung", "SM-S921B", "Android", ("14", "14", "13", "12")),
          ("Google", "Pixel 8", "Android", ("15", "14")),
          ("Microsoft Corporation", "Surface Laptop 5", "Windows", ("10.0.22631.4460", "10.0.19045.5131")))
THREATS = ("secured", "secured", "secured", "unknown", "lowSeverity", "mediumSeverity", "unresponsive")
COMPLIANCE = ("compliant",) * 8 + ("noncompliant", "inGracePeriod", "unknown")
JAILBROKEN = ("False",) * 18 + ("True", "Unknown")


def device(rng: random.Random, index: int, now: datetime) -> dict[str, object]:
    """One managedDevice object with the fields and value spellings Graph returns."""
    maker, model, os_name, versions = MODELS[rng.randrange(len(MODELS))]
    personal = rng.random() < 0.25
    user = f"user{index:07d}@example-securities.com.tw"
    enrollment = ("appleUserEnrollment" if personal and os_name != "Windows" and maker == "Apple" else
                  "appleBulkWithUser" if maker == "Apple" else
                  "windowsAzureADJoin" if os_name == "Windows" else
                  "userEnrollment" if personal else "androidEnterpriseFullyManaged")
    synced = now - timedelta(days=rng.choice((0, 0, 1, 2, 5, 9, 16, 40)), minutes=rng.randrange(1440))
    patch = (now - timedelta(days=rng.choice((20, 45, 70, 130)))).date().replace(day=1).isoformat() \
        if os_name == "Android" else None
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "userId": str(uuid.UUID(int=rng.getrandbits(128))),
        "deviceName": f"{user.split('@')[0]}_{model.replace(' ', '')}",
        "managedDeviceOwnerType": "personal" if personal else "company",
        "enrolledDateTime": (synced - timedelta(days=rng.randrange(30, 900))).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lastSyncDateTime": synced.strftime("%Y-%m-%dT%H:%M:%S.%f0Z"),
        "operatingSystem": os_name,
        "complianceState": rng.choice(COMPLIANCE),
        "jailBroken": rng.choice(JAILBROKEN) if os_name != "Windows" else "Unknown",
        "managementAgent": "mdm",
        "osVersion": rng.choice(versions),
        "easActivated": rng.random() < 0.5,
        "easDeviceId": f"{rng.getrandbits(64):016X}",
        "easActivationDateTime": "0001-01-01T00:00:00Z",
        "azureADRegistered": True,
        "deviceEnrollmentType": enrollment,
        "activationLockBypassCode": None,
        "emailAddress": user,
        "azureADDeviceId": str(uuid.UUID(int=rng.getrandbits(128))),
        "deviceRegistrationState": "registered",
        "deviceCategoryDisplayName": rng.choice(DEPARTMENTS),
        "isSupervised": maker == "Apple" and not personal,
        "exchangeLastSuccessfulSyncDateTime": "0001-01-01T00:00:00Z",
        "exchangeAccessState": "none",
        "exchangeAccessStateReason": "none",
        "remoteAssistanceSessionUrl": None,
        "remoteAssistanceSessionErrorDetails": None,
        "isEncrypted": rng.random() < 0.93,
        "userPrincipalName": user,
        "model": model,
        "manufacturer": maker,
        "imei": f"35{rng.randrange(10**12, 10**13)}",
        "complianceGracePeriodExpirationDateTime": "9999-12-31T23:59:59Z",
        "serialNumber": f"{rng.getrandbits(48):012X}",
        "phoneNumber": f"+8869{rng.randrange(10**7, 10**8)}",
        "androidSecurityPatchLevel": patch,
        "userDisplayName": f"User {index}",
        "configurationManagerClientEnabledFeatures": None,
        "wiFiMacAddress": f"{rng.getrandbits(48):012x}",
        "deviceHealthAttestationState": None,
        "subscriberCarrier": rng.choice(("Chunghwa Telecom", "Taiwan Mobile", "FarEasTone", "")),
        "meid": "",
        "totalStorageSpaceInBytes": 128 * 1024**3,
        "freeStorageSpaceInBytes": rng.randrange(1, 100) * 1024**3,
        "managedDeviceName": f"{user.split('@')[0]}_{os_name}_{synced:%m/%d/%Y_%I:%M %p}",
        "partnerReportedThreatState": rng.choice(THREATS),
        "requireUserEnrollmentApproval": None,
        "managementCertificateExpirationDate": "2027-06-01T00:00:00Z",
        "iccid": None,
        "udid": None,
        "notes": None,
        "ethernetMacAddress": None,
        "physicalMemoryInBytes": 0,
        "enrollmentProfileName": None,
        "managementState": rng.choice(("managed",) * 40 + ("retirePending",)),
        "department": rng.choice(DEPARTMENTS),
    }


def write_jsonl(path: Path, count: int, seed: int = 14) -> Path:
    """``count`` devices as JSON lines (one managedDevice per line)."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for index in range(count):
            out.write(orjson.dumps(device(rng, index, now)))
            out.write(b"\n")
    return path


def write_pages(folder: Path, count: int, page_size: int = 1000, seed: int = 14) -> list[Path]:
    """``count`` devices as Graph response pages of ``page_size`` with ``@odata.nextLink`` chaining them."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    pages = max(1, -(-count // page_size))
    for page in range(pages):
        items = [device(rng, page * page_size + i, now) for i in range(min(page_size, count - page * page_size))]
        body: dict[str, object] = {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices",
            "@odata.count": count, "value": items}
        if page < pages - 1:
            body["@odata.nextLink"] = ("https://graph.microsoft.com/v1.0/deviceManagement/managedDevices"
                                       f"?$skiptoken=page{page + 1}")
        path = folder / f"managedDevices-page{page + 1:04d}.json"
        path.write_bytes(orjson.dumps(body))
        paths.append(path)
    return paths


def main() -> None:
    """Command line: ``python -m bench.fleet.generate OUT --devices N [--pages]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--pages", action="store_true", help="write Graph pages into the folder OUT")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    if args.pages:
        print(f"wrote {len(write_pages(args.out, args.devices, seed=args.seed))} page(s) to {args.out}")
    else:
        print(f"wrote {write_jsonl(args.out, args.devices, seed=args.seed)}")


if __name__ == "__main__":
    main()
