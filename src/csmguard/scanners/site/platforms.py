"""Which URLs lead to a social media platform: the host list is data (data/social_hosts.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from csmguard.domain.errors import InputError


@dataclass(frozen=True)
class Platform:
    """One platform: its name, hosts (subdomains included) and optional path prefixes."""

    name: str
    hosts: tuple[str, ...]
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlatformTable:
    """Looks a URL up in the platform list."""

    platforms: tuple[Platform, ...]

    def platform_of(self, url: str) -> str | None:
        """The platform name of ``url`` (http/https only), or None."""
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return None
        if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            return None
        host = parts.hostname.lower().rstrip(".")
        path = (parts.path or "/").lower()
        best: tuple[int, str] | None = None
        for platform in self.platforms:
            for candidate in platform.hosts:
                if host == candidate or host.endswith("." + candidate):
                    if platform.paths and not any(path.startswith(p) for p in platform.paths):
                        continue
                    if best is None or len(candidate) > best[0]:
                        best = (len(candidate), platform.name)
        return best[1] if best else None


def load_platforms(path: Path | None = None) -> PlatformTable:
    """The shipped platform list, or the YAML file at ``path``; errors name the file and field."""
    source = str(path) if path else "social_hosts.yaml"
    try:
        content = path.read_text(encoding="utf-8") if path else (
            resources.files("csmguard.scanners.site").joinpath("data", "social_hosts.yaml").read_text(encoding="utf-8"))
        data: Any = yaml.safe_load(content)
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("platforms"), dict):
        raise InputError(source, "expected a mapping 'platforms: {name: {hosts: [...]}}'", field="platforms")
    platforms: list[Platform] = []
    for name, spec in data["platforms"].items():
        hosts = spec.get("hosts") if isinstance(spec, dict) else None
        if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) for h in hosts):
            raise InputError(source, "hosts must be a non-empty list of host names", field=f"platforms.{name}.hosts")
        paths = spec.get("paths") or []
        platforms.append(Platform(str(name), tuple(h.lower() for h in hosts), tuple(str(p).lower() for p in paths)))
    return PlatformTable(tuple(platforms))
