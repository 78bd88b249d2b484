"""Finding the IaC files below the targets and reading each with the right reader (Terraform, plans,
CloudFormation, Kubernetes, and exported live cloud configuration); a file that cannot be read becomes a
ScanError and the rest is still read."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from csmguard.domain import ScanError
from csmguard.scanners.iac.collect_documents import (
    NotIac,
    cloudformation_resources,
    document_resources,
    is_cloudformation,
    is_kubernetes,
    kubernetes_resources,
)
from csmguard.scanners.iac.collect_exports import ExportFile, map_exports, read_export, read_ndjson_export
from csmguard.scanners.iac.collect_terraform import TerraformReader, collect_terraform
from csmguard.scanners.iac.facts import IacFacts, Resource
from csmguard.scanners.iac.yamlload import load_documents
from csmguard.scanning.budget import BudgetExceeded, load_json, load_json_line
from csmguard.scanning.progress import Progress
from csmguard.scanning.walk import SkippedFile, WalkOptions, walk_files

YAML_SUFFIXES = (".yaml", ".yml", ".template")
LINES_SUFFIXES = (".ndjson", ".jsonl")  # Cloud Asset Inventory exports, one asset a line
DOCUMENT_SUFFIXES = (*YAML_SUFFIXES, ".json", *LINES_SUFFIXES)


def _displayer(target: Path) -> Callable[[Path], str]:
    """Paths shown as the user named the target plus the path inside it (stable fingerprints)."""
    root = target.resolve() if target.is_dir() else target.resolve().parent
    shown = target if target.is_dir() else target.parent

    def display(path: Path) -> str:
        resolved = path.resolve()
        try:
            return (shown / resolved.relative_to(root)).as_posix()
        except ValueError:
            return os.path.relpath(resolved)

    return display


def yaml_resources(text: str, display: str) -> list[Resource]:
    """The resources of a YAML file: a CloudFormation template or Kubernetes manifests; NotIac when
    no document is either."""
    out: list[Resource] = []
    recognised = False
    for line, doc in load_documents(text):
        if is_cloudformation(doc):
            recognised = True
            assert isinstance(doc, dict)
            out.extend(cloudformation_resources(doc, display, text, json_form=False))
        elif is_kubernetes(doc):
            recognised = True
            assert isinstance(doc, dict)
            out.extend(kubernetes_resources(doc, display, line))
    if not recognised:
        raise NotIac("YAML that is not a CloudFormation template or Kubernetes manifest")
    return out


def _json_lines(text: str) -> list[tuple[int, object]] | None:
    """(line number, record) of every non-blank line when each is a JSON object, else None."""
    out: list[tuple[int, object]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = load_json_line(line.encode("utf-8"))
        except ValueError:
            return None
        if not isinstance(record, dict):
            return None
        out.append((number, record))
    return out


def json_file_resources(text: str, display: str) -> tuple[list[Resource], ExportFile | None]:
    """The resources of a JSON or JSON-lines file that is a plan, template or manifest, or the items of an
    exported live configuration (AWS Config, ``aws`` CLI outputs, Resource Graph, Cloud Asset Inventory),
    mapped once every file is read (:func:`map_exports`); NotIac when it is none of them."""
    try:
        doc = load_json(text)
    except json.JSONDecodeError:
        lines = _json_lines(text)
        if lines is None or len(lines) < 2:
            raise
        exported = read_ndjson_export(lines, display)
        if exported is None:
            raise NotIac("JSON lines that are not Cloud Asset Inventory assets") from None
        return [], exported
    exported = read_export(doc, display)
    if exported is not None:
        return [], exported
    return document_resources(doc, text, display), None


def collect(targets: Sequence[Path], *, excludes: Sequence[str] = (), progress: Progress) -> IacFacts:
    """Read every Terraform folder, plan, template and manifest below ``targets``."""
    errors: list[ScanError] = []
    resources: list[Resource] = []
    read = parsed = skipped_count = 0
    exports: list[ExportFile] = []
    options = WalkOptions(ignored_globs=tuple(excludes))
    documents: list[tuple[Path, str, str]] = []
    readers: list[TerraformReader] = []
    terraform: list[tuple[TerraformReader, dict[Path, list[Path]]]] = []
    for target in targets:
        if not target.exists():
            errors.append(ScanError(target=str(target), message="no such file or folder"))
            continue
        display = _displayer(target)
        skipped: list[SkippedFile] = []
        files = [target.resolve()] if target.is_file() else [w.path for w in walk_files(target, options, skipped)]
        for item in skipped:
            errors.append(ScanError(target=str(target), path=item.path.as_posix(), message=f"skipped: {item.reason}"))
        reader = TerraformReader(display=display, target=str(target))
        target_folders: dict[Path, list[Path]] = {}
        for path in files:
            name = path.name.lower()
            if name.endswith((".tf", ".tf.json")):
                target_folders.setdefault(path.parent.resolve(), []).append(path)
            elif name.endswith(DOCUMENT_SUFFIXES) and not name.endswith(".tfvars.json"):
                documents.append((path, display(path), str(target)))
        readers.append(reader)
        if target_folders:
            terraform.append((reader, target_folders))
    progress.start("iac", total=len(documents) + sum(len(folders) for _, folders in terraform))
    for reader, target_folders in terraform:
        resources.extend(collect_terraform(target_folders, reader))
        progress.advance(len(target_folders))
    for path, shown, target_name in documents:
        read += 1
        try:
            text = path.read_text(encoding="utf-8")
            exported: ExportFile | None = None
            if path.name.lower().endswith(YAML_SUFFIXES):
                found = yaml_resources(text, shown)
            else:
                found, exported = json_file_resources(text, shown)
        except NotIac:
            skipped_count += 1
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(ScanError(target=target_name, path=shown, message=f"cannot read: {exc}"))
        except yaml.YAMLError as exc:
            first = str(exc).strip().replace("\n", " ")
            errors.append(ScanError(target=target_name, path=shown, message=f"not valid YAML: {first[:300]}"))
        except json.JSONDecodeError as exc:
            errors.append(ScanError(target=target_name, path=shown, message=f"not valid JSON: {exc}"))
        except BudgetExceeded as exc:
            errors.append(ScanError(target=target_name, path=shown, message=f"not read: {exc}"))
        else:
            parsed += 1
            resources.extend(found)
            if exported is not None:
                exports.append(exported)
        progress.advance()
    progress.finish()
    exported_read = map_exports(exports)
    resources.extend(exported_read.resources)
    for reader in readers:
        errors[:0] = reader.errors
        read += reader.files_read
        parsed += reader.files_parsed
    return IacFacts(resources=tuple(resources), errors=tuple(errors), files_read=read, files_parsed=parsed,
                    files_skipped=skipped_count, export_items=exported_read.items,
                    export_unmapped=dict(exported_read.unmapped))
