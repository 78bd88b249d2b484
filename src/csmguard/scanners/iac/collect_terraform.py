"""Reading Terraform configurations: every folder of ``*.tf`` files is a module; folders that no other
scanned folder calls are root modules, evaluated with their variables' defaults, ``terraform.tfvars``
and ``*.auto.tfvars``; local modules (``source = "./mod"``) are evaluated with their inputs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csmguard.domain import ScanError
from csmguard.scanners.iac.facts import TERRAFORM, Resource
from csmguard.scanners.iac.hclparse import HclSyntaxError, parse_hcl
from csmguard.scanners.iac.instances import MODULES_JSON, read_modules_json, terraform_instances
from csmguard.scanners.iac.tfeval import FileAccess
from csmguard.scanners.iac.tfexpr import expand_dynamic, hcl2_loads, resolve
from csmguard.scanning.budget import BudgetExceeded, check_value_depth, load_json

MAX_MODULE_DEPTH = 8
_BLOCK_LINE = re.compile(r'^[ \t]*(resource|data|module)[ \t]+"?([\w-]+)"?(?:[ \t]+"?([\w-]+)"?)?[ \t]*\{',
                         re.MULTILINE)
_META_ARGS = {"source", "version", "count", "for_each", "providers", "depends_on"}


def provider_of(resource_type: str) -> str:
    """The cloud a Terraform or CloudFormation type belongs to."""
    lowered = resource_type.lower()
    if lowered.startswith(("aws_", "aws::")):
        return "aws"
    if lowered.startswith(("azurerm_", "azuread_", "azapi_")):
        return "azure"
    if lowered.startswith(("google_", "gcp_")):
        return "gcp"
    if lowered.startswith("kubernetes_"):
        return "kubernetes"
    return "other"


def _parse_any(text: str) -> Any:
    """HCL by the fast reader, or by python-hcl2 where the fast reader does not handle the syntax;
    BudgetExceeded for a body nested deeper than the budget, whichever reader read it."""
    try:
        return parse_hcl(text)
    except HclSyntaxError:
        body = hcl2_loads(text)
        check_value_depth(body)
        return body


@dataclass
class _ParsedFile:
    path: Path
    display: str
    body: dict[str, Any]
    lines: dict[tuple[str, str, str], int]


@dataclass
class TerraformReader:
    """Parses folders of Terraform files once each and evaluates module instances from them."""

    display: Callable[[Path], str]
    target: str
    errors: list[ScanError] = field(default_factory=list)
    files_read: int = 0
    files_parsed: int = 0
    _dirs: dict[Path, list[_ParsedFile]] = field(default_factory=dict)

    @property
    def boundary(self) -> Path:
        """The folder ``file()`` may read below: the scanned target (its folder when it is a file)."""
        target = Path(self.target).resolve()
        return target.parent if target.is_file() else target

    def _parse_file(self, path: Path) -> _ParsedFile | None:
        self.files_read += 1
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.errors.append(ScanError(target=self.target, path=self.display(path), message=f"cannot read: {exc}"))
            return None
        if path.name.endswith(".tf.json"):
            return self._parse_json(path, text)
        try:
            body = _parse_any(text)
        except BudgetExceeded as exc:
            self.errors.append(ScanError(target=self.target, path=self.display(path), message=f"not read: {exc}"))
            return None
        except Exception as exc:  # python-hcl2 (lark) raises many types, RecursionError among them
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.errors.append(ScanError(target=self.target, path=self.display(path),
                                         message=f"not valid HCL: {first_line[:300]}"))
            return None
        self.files_parsed += 1
        lines: dict[tuple[str, str, str], int] = {}
        for match in _BLOCK_LINE.finditer(text):
            key = (match.group(1), match.group(2), match.group(3) or "")
            lines.setdefault(key, text.count("\n", 0, match.start()) + 1)
        return _ParsedFile(path, self.display(path), body, lines)

    def _parse_json(self, path: Path, text: str) -> _ParsedFile | None:
        """A Terraform JSON configuration (``*.tf.json``): top-level blocks are objects, not lists."""
        try:
            data = load_json(text)
        except BudgetExceeded as exc:
            self.errors.append(ScanError(target=self.target, path=self.display(path), message=f"not read: {exc}"))
            return None
        except ValueError as exc:
            self.errors.append(ScanError(target=self.target, path=self.display(path), message=f"not valid JSON: {exc}"))
            return None
        if not isinstance(data, dict):
            self.errors.append(ScanError(target=self.target, path=self.display(path),
                                         message="a Terraform JSON configuration is an object of blocks"))
            return None
        self.files_parsed += 1
        body = {key: value if isinstance(value, list) else [value] for key, value in data.items()}
        return _ParsedFile(path, self.display(path), body, {})

    def load_dir(self, folder: Path, files: Iterable[Path] | None = None) -> list[_ParsedFile]:
        """The parsed ``*.tf`` files of ``folder`` (read from disk when ``files`` is not given)."""
        folder = folder.resolve()
        if folder not in self._dirs:
            # A module folder is read whole, but never through a symbolic link (it could lead anywhere).
            paths = sorted(files) if files is not None else sorted(
                p for p in [*folder.glob("*.tf"), *folder.glob("*.tf.json")] if not p.is_symlink())
            self._dirs[folder] = [p for p in (self._parse_file(path) for path in paths) if p is not None]
        return self._dirs[folder]

    def installed_modules(self, root: Path) -> dict[str, Path]:
        """Registry and git modules ``terraform init`` installed for ``root``: module key (``a.b``) → folder,
        from ``.terraform/modules/modules.json``; empty when absent or unreadable (then not followed)."""
        installed, problem = read_modules_json(root)
        if problem:
            self.errors.append(ScanError(target=self.target, path=self.display(root / MODULES_JSON), message=problem))
        return installed

    def module_calls(self, folder: Path, root: Path | None = None,
                     key: str = "") -> list[tuple[str, Path, dict[str, Any], _ParsedFile]]:
        """The module calls of a folder: name, folder called, inputs, calling file. Local sources always;
        registry and git sources when ``root``'s modules.json lists them under ``key``."""
        out = []
        installed = self.installed_modules(root) if root is not None else {}
        for parsed in self.load_dir(folder):
            for block in parsed.body.get("module", []):
                for name, attrs in block.items():
                    source = attrs.get("source") if isinstance(attrs, dict) else None
                    if isinstance(source, str) and source.startswith(("./", "../")):
                        out.append((name, (folder / source).resolve(), attrs, parsed))
                    elif isinstance(source, str) and f"{key}.{name}".lstrip(".") in installed:
                        out.append((name, installed[f"{key}.{name}".lstrip(".")], attrs, parsed))
        return out

    def tfvars(self, folder: Path) -> dict[str, Any]:
        """The variable values of ``terraform.tfvars`` and ``*.auto.tfvars`` (JSON forms too), later wins."""
        names = ["terraform.tfvars", "terraform.tfvars.json"]
        autos = sorted(p.name for p in folder.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")))
        values: dict[str, Any] = {}
        for name in [*names, *autos]:
            path = folder / name
            if not path.is_file() or path.is_symlink():
                continue
            self.files_read += 1
            try:
                text = path.read_text(encoding="utf-8")
                data = load_json(text) if name.endswith(".json") else _parse_any(text)
            except Exception as exc:
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                self.errors.append(ScanError(target=self.target, path=self.display(path),
                                             message=f"not a valid variables file: {message[:300]}"))
                continue
            self.files_parsed += 1
            if isinstance(data, dict):
                values.update(data)
        return values

    def evaluate(self, folder: Path, inputs: dict[str, Any], prefix: str = "",
                 stack: tuple[Path, ...] = (), root: Path | None = None) -> list[Resource]:
        """The resources of one module instance at ``folder`` with variable values ``inputs``."""
        folder = folder.resolve()
        root = root or folder
        if folder in stack or len(stack) >= MAX_MODULE_DEPTH:
            self.errors.append(ScanError(target=self.target, path=self.display(folder),
                                         message=f"module nesting too deep or cyclic at {prefix or 'root'}"))
            return []
        parsed_files = self.load_dir(folder)
        variables: dict[str, Any] = {}
        local_values: dict[str, Any] = {}
        for parsed in parsed_files:
            for block in parsed.body.get("variable", []):
                for name, attrs in block.items():
                    if isinstance(attrs, dict) and "default" in attrs:
                        variables[name] = attrs["default"]
            for block in parsed.body.get("locals", []):
                local_values.update(block)
        variables.update(inputs)
        context: dict[str, dict[str, Any]] = {"var": variables, "local": local_values}
        files = FileAccess(module=folder, root=root, boundary=self.boundary)
        for _ in range(4):  # locals may refer to locals
            context["local"] = {k: resolve(v, context, files=files) for k, v in context["local"].items()}
        scope = f"{self.display(folder)}#{prefix}"
        out: list[Resource] = []
        for parsed in parsed_files:
            for mode, key in (("managed", "resource"), ("data", "data")):
                for block in parsed.body.get(key, []):
                    for rtype, named in block.items():
                        if not isinstance(named, dict):
                            continue
                        for name, attrs in named.items():
                            if not isinstance(attrs, dict):
                                continue
                            local = f"data.{rtype}.{name}" if mode == "data" else f"{rtype}.{name}"
                            meta = {k: resolve(attrs[k], context, files=files) for k in ("count", "for_each")
                                    if k in attrs}
                            copies, note = terraform_instances(meta)
                            for suffix, extra in copies:
                                here = {**context, **extra} if extra else context
                                out.append(Resource(
                                    provider=provider_of(rtype), type=rtype, address=prefix + local + suffix,
                                    attributes=expand_dynamic(resolve(attrs, here, files=files), here, files),
                                    file=parsed.display,
                                    line=parsed.lines.get((key, rtype, name)), source=TERRAFORM, scope=scope,
                                    mode=mode, note=note))
        for name, child, attrs, parsed in self.module_calls(folder, root, ".".join(re.findall(r"module\.([\w-]+)\.",
                                                                                              prefix))):
            if not child.is_dir():
                self.errors.append(ScanError(target=self.target, path=parsed.display, field=f"module.{name}.source",
                                             message=f"local module folder {attrs.get('source')} does not exist"))
                continue
            child_inputs = {k: resolve(v, context, files=files) for k, v in attrs.items() if k not in _META_ARGS}
            out.extend(self.evaluate(child, child_inputs, f"{prefix}module.{name}.", (*stack, folder), root))
        return out


def collect_terraform(folders: dict[Path, list[Path]], reader: TerraformReader) -> list[Resource]:
    """The resources of every root module among ``folders`` (folder → its ``*.tf`` files); a folder that
    another scanned folder calls as a local module is evaluated only through its calls."""
    for folder, files in folders.items():
        reader.load_dir(folder, files)
    called = {child for folder in folders for _, child, _, _ in reader.module_calls(folder)}
    resources: list[Resource] = []
    for folder in sorted(folders):
        if folder.resolve() in called:
            continue
        resources.extend(reader.evaluate(folder, reader.tfvars(folder)))
    return resources
