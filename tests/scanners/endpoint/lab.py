"""The test lab: named loopback servers, started on first use, and cached scans of them."""

from __future__ import annotations

import logging
import shutil
import ssl
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from csmguard.domain import Finding, ScanResult
from csmguard.rules.loader import RuleSet
from csmguard.services.endpoint_scan import EndpointScanRequest, scan_endpoints
from tests.scanners.endpoint.servers import CertFactory, ServerHost, host_key_blobs, server_context, start_ftp

STRONG_SSH = {"kex": ["curve25519-sha256", "ecdh-sha2-nistp256"], "host_key": ["ssh-ed25519", "rsa-sha2-256"],
              "ciphers": ["chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr"],
              "macs": ["hmac-sha2-256-etm@openssh.com", "hmac-sha2-512"]}
WEAK_SSH = {"kex": ["diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "curve25519-sha256"],
            "host_key": ["ssh-dss", "ssh-rsa", "ssh-ed25519"],
            "ciphers": ["3des-cbc", "aes128-cbc", "arcfour", "aes128-ctr"],
            "macs": ["hmac-md5", "hmac-sha1-96", "hmac-sha1", "hmac-sha2-256"]}


def _sha1_self_signed(folder: Path) -> tuple[Path, Path]:
    """A SHA-1-signed certificate: ``cryptography`` refuses to sign with SHA-1, the openssl tool still does."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed; a SHA-1-signed certificate cannot be made")
    cert, key = folder / "sha1.crt", folder / "sha1.key"
    done = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-sha1", "-nodes", "-subj",
                           "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "30",
                           "-keyout", str(key), "-out", str(cert)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"openssl could not make a SHA-1 certificate: {done.stderr[-200:]!r}")
    return cert, key


def _dh_params(folder: Path) -> Path:
    """RFC 7919 ffdhe2048 parameters for a DHE server (a named group: made instantly by the openssl tool)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed; DH parameters for a DHE server cannot be made")
    path = folder / "ffdhe2048.pem"
    done = subprocess.run(["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048",
                           "-out", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"openssl could not write DH parameters: {done.stderr[-200:]!r}")
    return path


@dataclass
class Lab:
    """Named servers on 127.0.0.1; ``target(name)`` starts one on first use and returns its target string."""

    folder: Path
    rules: RuleSet
    certs: CertFactory = field(init=False)
    host: ServerHost = field(init=False)
    _targets: dict[str, str] = field(default_factory=dict)
    _scans: dict[tuple[Any, ...], ScanResult] = field(default_factory=dict)
    _ftp: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        logging.getLogger("pyftpdlib").setLevel(logging.WARNING)
        self.certs = CertFactory(self.folder)
        self.host = ServerHost()

    def _tls(self, leaf: dict[str, Any], **server: Any) -> Callable[[], ssl.SSLContext]:
        def make() -> ssl.SSLContext:
            name = "-".join(f"{k}{v}" for k, v in sorted(leaf.items())) or "good"
            return server_context(*self.certs.leaf(name, **leaf), **server)
        return make

    def _start(self, name: str) -> str:
        https = {
            "good": ({}, {}, "max-age=63072000; includeSubDomains"),
            "good-ec": ({"key": "ec256"}, {}, "max-age=63072000"),
            "expired": ({"start_days": -100, "end_days": -10}, {}, "max-age=63072000"),
            "not-yet-valid": ({"start_days": 10, "end_days": 100}, {}, "max-age=63072000"),
            "expiring": ({"end_days": 10}, {}, "max-age=63072000"),
            "long-lived": ({"end_days": 800}, {}, "max-age=63072000"),
            "self-signed": ({"self_signed": True}, {}, "max-age=63072000"),
            "wrong-host": ({"dns": ("wrong.example",), "ips": ()}, {}, "max-age=63072000"),
            "rsa1024": ({"key": "rsa1024"}, {}, "max-age=63072000"),
            "tls10-only": ({}, {"versions": ("TLSv1", "TLSv1"), "ciphers": "ECDHE-RSA-AES128-SHA"}, "max-age=63072000"),
            "tls11-only": ({}, {"versions": ("TLSv1.1", "TLSv1.1"), "ciphers": "ECDHE-RSA-AES128-SHA"},
                           "max-age=63072000"),
            "tls13-only": ({}, {"versions": ("TLSv1.3", "TLSv1.3")}, "max-age=63072000"),
            "rsa-kex": ({}, {"versions": ("TLSv1.2", "TLSv1.2"),
                             "ciphers": "AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"}, "max-age=63072000"),
            "cbc": ({}, {"versions": ("TLSv1.2", "TLSv1.2"),
                         "ciphers": "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-GCM-SHA256"}, "max-age=63072000"),
            "no-hsts": ({}, {}, None),
            "short-hsts": ({}, {}, "max-age=86400"),
        }
        if name in https:
            leaf, server, hsts = https[name]
            try:
                ctx = self._tls(leaf, **server)()
            except ssl.SSLError as exc:
                pytest.skip(f"the local OpenSSL cannot serve {name!r}: {exc}")
            if name in ("tls10-only", "tls11-only"):
                self._skip_unless_offerable(name, ctx)
            return f"https://127.0.0.1:{self.host.https(ctx, hsts=hsts)}/"
        if name == "dhe":
            ctx = server_context(*self.certs.leaf("dhe"), versions=("TLSv1.2", "TLSv1.2"),
                                 ciphers="DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
                                 dh_params=_dh_params(self.folder))
            return f"https://127.0.0.1:{self.host.https(ctx)}/"
        if name == "silent":
            return f"https://127.0.0.1:{self.host.silent()}/"
        if name == "sha1":
            return f"https://127.0.0.1:{self.host.https(server_context(*_sha1_self_signed(self.folder)))}/"
        if name == "implicit-ftps":
            return f"ftps://127.0.0.1:{self.host.implicit_ftps(self._tls({})())}"
        if name == "ssh-strong":
            keys = host_key_blobs(2048)
            return f"sftp://127.0.0.1:{self.host.raw_ssh('SSH-2.0-OpenSSH_9.6', **STRONG_SSH, keys=keys)}"
        if name == "ssh-weak":
            keys = host_key_blobs(1024)
            return f"sftp://127.0.0.1:{self.host.raw_ssh('SSH-2.0-OpenSSH_5.3', **WEAK_SSH, keys=keys)}"
        if name == "ssh-rsa1024-only":
            algorithms = {**STRONG_SSH, "host_key": ["rsa-sha2-256"]}
            port = self.host.raw_ssh("SSH-2.0-OpenSSH_9.6", **algorithms, keys=host_key_blobs(1024))
            return f"sftp://127.0.0.1:{port}"
        if name == "ssh-nokeys":  # lists host key algorithms but never answers the key exchange
            return f"sftp://127.0.0.1:{self.host.raw_ssh('SSH-2.0-OpenSSH_9.6', **STRONG_SSH)}"
        if name == "ssh-v1":
            return f"sftp://127.0.0.1:{self.host.raw_ssh('SSH-1.5-OldServer', **STRONG_SSH)}"
        if name == "ssh-199":
            return f"sftp://127.0.0.1:{self.host.raw_ssh('SSH-1.99-OpenSSH_3.9', **STRONG_SSH)}"
        if name == "not-tls":  # an SSH server named as an HTTPS target: no TLS at all
            return f"https://127.0.0.1:{self.host.raw_ssh('SSH-2.0-OpenSSH_9.6', **STRONG_SSH)}/"
        ftp = {"ftp-plain": None, "ftps-required": True, "ftps-optional": False}
        if name in ftp:
            required = ftp[name]
            leaf = None if required is None else self.certs.leaf("ftp")
            server, port = start_ftp(self.folder, tls=leaf, tls_control_required=bool(required))
            self._ftp.append(server)
            return f"ftp://127.0.0.1:{port}"
        raise KeyError(f"no lab server named {name!r}")

    def _skip_unless_offerable(self, name: str, _ctx: ssl.SSLContext) -> None:
        from csmguard.scanners.endpoint.collect_tls import local_toolkit

        version = "TLSv1" if name == "tls10-only" else "TLSv1.1"
        reason = local_toolkit().version_support[version]
        if reason:
            pytest.skip(f"{name}: {reason}")

    def target(self, name: str) -> str:
        """The target string of server ``name``, starting it if needed."""
        if name not in self._targets:
            self._targets[name] = self._start(name)
        return self._targets[name]

    def scan(self, name: str, *, try_login: bool = False, app_backend: bool = False, system_store: bool = False,
             host: str | None = None, scheme: str | None = None) -> ScanResult:
        """Scan server ``name`` once per option set (cached) with --allow-private and the test CA."""
        key = (name, try_login, app_backend, system_store, host, scheme)
        if key not in self._scans:
            target = self.target(name)
            if host is not None:
                target = target.replace("127.0.0.1", host)
            if scheme is not None:
                target = scheme + target[target.index("://"):].rstrip("/")
            request = EndpointScanRequest(targets=(target,), allow_private=True, try_login=try_login,
                                          app_backend=app_backend, timeout=5,
                                          ca_file=None if system_store else self.certs.ca_file)
            self._scans[key] = scan_endpoints(request, rules=self.rules)
        return self._scans[key]

    def findings(self, name: str, **options: Any) -> dict[str, Finding]:
        """Rule ID → the finding of that rule on server ``name``."""
        result = self.scan(name, **options)
        assert not result.errors, [e.describe() for e in result.errors]
        return {f.rule_id: f for f in result.findings}

    def close(self) -> None:
        """Stop every server."""
        for server in self._ftp:
            server.close_all()
        self.host.close()
