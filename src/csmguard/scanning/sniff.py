"""Says what an input is when a scanner recognised nothing of its own kind in it, so that the error can
tell the user what was found instead ("no APK, AAB, IPA or app source under infra/main.tf: found Terraform").

It looks at names and at most a few kilobytes of each file; it never parses, so it cannot fail on hostile
content."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from csmguard.domain import LocalizedText, ScanError, text

_BY_SUFFIX: dict[str, str] = {
    ".tf": "Terraform", ".tfvars": "Terraform variables", ".hcl": "HCL", ".md": "Markdown", ".txt": "text",
    ".csv": "CSV", ".xlsx": "Excel workbook", ".xls": "Excel workbook", ".docx": "Word document",
    ".pdf": "PDF", ".apk": "APK", ".aab": "AAB", ".ipa": "IPA", ".java": "Java", ".kt": "Kotlin",
    ".swift": "Swift", ".m": "Objective-C", ".dart": "Dart", ".js": "JavaScript", ".ts": "TypeScript",
    ".py": "Python", ".go": "Go", ".html": "HTML", ".htm": "HTML", ".xml": "XML", ".png": "image",
    ".jpg": "image", ".jpeg": "image", ".gif": "image", ".zip": "zip archive", ".toml": "TOML",
    ".sh": "shell script", ".ini": "INI", ".log": "log", ".pem": "PEM", ".sql": "SQL",
}
_SAMPLE_BYTES = 4096
_MAX_FILES = 5000


def _yaml_kind(head: str) -> str:
    if "AWSTemplateFormatVersion" in head or ("Resources:" in head and "Type: AWS::" in head):
        return "CloudFormation template"
    if "apiVersion:" in head and "kind:" in head:
        return "Kubernetes manifest"
    return "YAML"


def _export_kind(head: str) -> str | None:
    """The kind of an exported live cloud configuration, judged from its first kilobytes."""
    if '"configurationItem' in head or ('"resourceType"' in head and '"AWS::' in head):
        return "AWS Config export"
    if '"asset_type"' in head or '"assetType"' in head:
        return "Cloud Asset Inventory export"
    if '"/subscriptions/' in head and ('"skip_token"' in head or '"totalRecords"' in head
                                       or '"total_records"' in head or '"resourceGroup"' in head):
        return "Azure Resource Graph result"
    return None


def _json_kind(head: str) -> str:
    exported = _export_kind(head)
    if exported is not None:
        return exported
    if '"AWSTemplateFormatVersion"' in head or '"AWS::' in head:
        return "CloudFormation template"
    if '"terraform_version"' in head or '"resource_changes"' in head or '"planned_values"' in head:
        return "Terraform plan JSON"
    if '"@odata' in head or '"complianceState"' in head:
        return "Intune export"
    stripped = head.strip()
    if not stripped:
        return "empty file"
    return "JSON"


def describe_file(path: Path) -> str:
    """A few words naming what kind of file ``path`` is (English: the error texts name formats)."""
    name = path.name.lower()
    if name.endswith(".tf.json"):
        return "Terraform JSON"
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            raw = handle.read(_SAMPLE_BYTES)
    except OSError as exc:
        return f"an unreadable file ({exc.strerror})"
    if size == 0:
        return "an empty file"
    head = raw.decode("utf-8", errors="replace")
    if suffix in {".yaml", ".yml", ".template"}:
        return _yaml_kind(head)
    if suffix == ".json":
        return _json_kind(head)
    if suffix in {".ndjson", ".jsonl"}:
        return _export_kind(head) or "JSON lines"
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if raw.startswith(b"PK\x03\x04"):
        return "zip archive"
    if b"\x00" in raw[:1024]:
        return "binary data"
    return "text" if not suffix else f"{suffix} file"


def describe(path: Path) -> str:
    """What ``path`` holds: one file's kind, or a folder's most common kinds with counts."""
    if not path.exists():
        return "nothing (no such file or folder)"
    if path.is_file():
        return describe_file(path)
    kinds: Counter[str] = Counter()
    seen = 0
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            file = Path(dirpath, filename)
            if file.is_symlink() or not file.is_file():
                continue
            kinds[describe_file(file)] += 1
            seen += 1
            if seen >= _MAX_FILES:
                break
        if seen >= _MAX_FILES:
            break
    if not kinds:
        return "an empty folder"
    parts = [f"{count} {kind}" for kind, count in kinds.most_common(4)]
    if len(kinds) > 4:
        parts.append(f"{sum(kinds.values()) - sum(c for _, c in kinds.most_common(4))} other file(s)")
    return ", ".join(parts)


# What each scanner looks for, as the error of a scan that recognised nothing names it.
LOOKED_FOR: dict[str, LocalizedText] = {
    "app": text("APK、AAB、IPA 或 App 原始碼", "APK, AAB, IPA or app source"),
    "iac": text("Terraform、Terraform plan JSON、CloudFormation 範本、Kubernetes 資源定義或雲端組態匯出"
                "（AWS Config、aws CLI、Azure Resource Graph、Cloud Asset Inventory）",
                "Terraform, Terraform plan JSON, CloudFormation template, Kubernetes manifest or cloud "
                "configuration export (AWS Config, aws CLI, Azure Resource Graph, Cloud Asset Inventory)"),
    "fleet": text("MDM 匯出之行動裝置", "mobile device in an MDM export"),
    "messages": text("簡訊／推播範本或訊息紀錄", "SMS/push template or message log"),
    "policydoc": text("政策文件（DOCX、PDF、Markdown、純文字）", "policy document (DOCX, PDF, Markdown, text)"),
    "site": text("可讀取之網頁", "readable web page"),
    "endpoint": text("可連線之端點", "reachable endpoint"),
    "social": text("官方社群帳號", "official social media account"),
    "register": text("登錄資料", "register record"),
}


def found_instead(paths: list[Path] | tuple[Path, ...]) -> dict[str, str]:
    """What each input holds, keyed by the input as the user named it."""
    return {str(path): describe(path) for path in paths}


def nothing_recognised(scanner: str, found: dict[str, str]) -> LocalizedText:
    """The error of a scan that recognised nothing: what it looked for, under which inputs, and what each
    input holds instead."""
    looked_for = LOOKED_FOR.get(scanner, text("可檢測之輸入", "input it can scan"))
    where = "; ".join(f"{name}: found {what}" for name, what in found.items()) or "no input given"
    where_zh = "；".join(f"{name}：內容為 {what}" for name, what in found.items()) or "未指定輸入"
    return text(f"未辨識到任何{looked_for.zh_tw}（{where_zh}）", f"no {looked_for.en} under {where}")


def unrecognised_error(scanner: str, found: dict[str, str]) -> ScanError:
    """The errors[] entry of a scan that recognised nothing of its kind in any input."""
    return ScanError(target=", ".join(found) or scanner, message=nothing_recognised(scanner, found).en)
