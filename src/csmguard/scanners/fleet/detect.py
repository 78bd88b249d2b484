"""Which adapter reads a file: detected from its first bytes, or forced with ``--format-in``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import orjson

from csmguard.domain.errors import InputError
from csmguard.scanners.fleet.collect_common import DeviceStream, header_key
from csmguard.scanners.fleet.collect_generic import read_generic_csv
from csmguard.scanners.fleet.collect_google import read_google
from csmguard.scanners.fleet.collect_intune import read_graph_json, read_graph_lines, read_graph_page, read_intune_csv
from csmguard.scanners.fleet.collect_jamf import read_jamf
from csmguard.scanners.fleet.collect_ws1 import read_ws1

HEAD_BYTES = 65536
_WRAPPERS = ("value", "results", "mobile_devices", "mobileDevices", "Devices", "mobiledevices")
_INTUNE_CSV_HEADERS = frozenset({"devicename", "primaryuserupn", "os", "managedby", "compliance", "ownership",
                                 "primaryuseremailaddress", "azureaddeviceid", "microsoftentradeviceid",
                                 "enrollmentdate", "intuneregistered", "lastcheckin", "jailbroken"})
_GENERIC_ONLY = frozenset({"holdssensitivedata", "autolockminutes", "wipeafterfailures", "passcodeminlength",
                           "threatstate", "userenrollment", "workprofile", "nfcblocked", "bluetoothrestricted",
                           "airdropblocked", "tetheringblocked", "simplepasscodeblocked"})


class InputFormat(StrEnum):
    """The export formats the fleet scanner reads (``--format-in``)."""

    AUTO = "auto"
    INTUNE_GRAPH = "intune-graph"
    INTUNE_JSONL = "intune-jsonl"
    INTUNE_CSV = "intune-csv"
    INTUNE_POLICY = "intune-policy"
    JAMF = "jamf"
    WORKSPACE_ONE = "workspace-one"
    GOOGLE = "google"
    GENERIC_CSV = "generic-csv"


@dataclass(frozen=True)
class Detected:
    """A file's format and, for JSON documents, where the list of records is (an ijson prefix)."""

    path: Path
    format: InputFormat
    prefix: str = "item"

    @property
    def is_graph_page(self) -> bool:
        """Whether the file is one Graph response page (``{"value": [...]}``)."""
        return self.format is InputFormat.INTUNE_GRAPH and self.prefix == "value.item"


def _json_prefix(head: str, wrappers: tuple[str, ...]) -> str:
    stripped = head.lstrip()
    if stripped.startswith("["):
        return "item"
    for key in wrappers:
        if f'"{key}"' in head:
            return f"{key}.item"
    return "" if stripped.startswith("{") else "item"  # a single device object


def detect(path: Path, forced: InputFormat = InputFormat.AUTO) -> Detected:
    """The format of ``path``: forced, or told by its first bytes; InputError when it is none we read."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    head = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = head.lstrip()
    if forced is not InputFormat.AUTO:
        if forced in (InputFormat.INTUNE_CSV, InputFormat.GENERIC_CSV, InputFormat.INTUNE_JSONL,
                      InputFormat.INTUNE_POLICY):
            return Detected(path, forced)
        return Detected(path, forced, _json_prefix(head, _WRAPPERS))
    if not stripped:
        raise InputError(str(path), "the file is empty")
    if stripped[0] in "[{":
        first_line = stripped.split("\n", 1)[0]
        try:
            first = orjson.loads(first_line)
        except orjson.JSONDecodeError:
            first = None
        if isinstance(first, dict) and not any(k in first for k in _WRAPPERS) and "@odata.type" not in first:
            return Detected(path, InputFormat.INTUNE_JSONL)
        if "CompliancePolicy" in head or "DeviceConfiguration" in head:
            return Detected(path, InputFormat.INTUNE_POLICY)
        if '"mobiledevices"' in head or "admin#directory#mobiledevice" in head:
            return Detected(path, InputFormat.GOOGLE, _json_prefix(head, ("mobiledevices",)))
        if '"Udid"' in head or '"CompromisedStatus"' in head or '"LocationGroupName"' in head:
            return Detected(path, InputFormat.WORKSPACE_ONE, _json_prefix(head, ("Devices",)))
        if any(marker in head for marker in ('"mobileDeviceId"', '"userAndLocation"', '"mobile_devices"',
                                             '"jailbreakStatus"', '"jailbreak_detected"')):
            return Detected(path, InputFormat.JAMF, _json_prefix(head, ("results", "mobile_devices", "mobileDevices")))
        return Detected(path, InputFormat.INTUNE_GRAPH, _json_prefix(head, ("value",)))
    cells = [cell.strip().strip('"') for cell in stripped.split("\n", 1)[0].split(",")]
    header = {header_key(cell) for cell in cells}
    if "deviceid" in header or "intunedeviceid" in header:
        generic = "device_id" in cells or bool(header & _GENERIC_ONLY)
        if len(header & _INTUNE_CSV_HEADERS) >= 2 and not generic:
            return Detected(path, InputFormat.INTUNE_CSV)
        return Detected(path, InputFormat.GENERIC_CSV)
    if "," in head.split("\n", 1)[0]:
        raise InputError(str(path), "a CSV file without a device ID column (Device ID or device_id)", field="header")
    raise InputError(str(path), "not an MDM export this scanner reads (JSON, JSON lines or CSV); "
                                "use --format-in to name the format")


def _reader(detected: Detected) -> Callable[[], DeviceStream]:
    path, prefix = detected.path, detected.prefix
    readers: dict[InputFormat, Callable[[], DeviceStream]] = {
        InputFormat.INTUNE_GRAPH: lambda: (read_graph_page(path) if prefix == "value.item"
                                           else read_graph_json(path, prefix)),
        InputFormat.INTUNE_JSONL: lambda: read_graph_lines(path),
        InputFormat.INTUNE_CSV: lambda: read_intune_csv(path),
        InputFormat.JAMF: lambda: read_jamf(path, prefix),
        InputFormat.WORKSPACE_ONE: lambda: read_ws1(path, prefix),
        InputFormat.GOOGLE: lambda: read_google(path, prefix),
        InputFormat.GENERIC_CSV: lambda: read_generic_csv(path),
    }
    return readers[detected.format]


def read_devices(detected: Detected) -> DeviceStream:
    """The device stream of a detected device export (not for policy files)."""
    if detected.format in (InputFormat.INTUNE_POLICY, InputFormat.AUTO):
        raise InputError(str(detected.path), f"{detected.format.value} is not a device export")
    return _reader(detected)()


def has_next_link(path: Path) -> bool:
    """Whether a Graph page names a next page (``@odata.nextLink`` at its start or end)."""
    with path.open("rb") as handle:
        start = handle.read(HEAD_BYTES)
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - HEAD_BYTES))
        end = handle.read()
    return b'"@odata.nextLink"' in start or b'"@odata.nextLink"' in end
