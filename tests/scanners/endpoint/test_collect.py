"""The collectors on their own: SSH against a real asyncssh server, KEXINIT and HTTP parsing, the local
OpenSSL capability check, hostname matching and the HSTS max-age parser."""

from __future__ import annotations

import asyncio
import struct
from datetime import UTC, datetime

import pytest

from csmguard.rules.loader import RuleSet
from csmguard.scanners.endpoint.check_base import CheckContext
from csmguard.scanners.endpoint.checks import evaluate
from csmguard.scanners.endpoint.collect_ssh import SshProtocolError, collect_ssh, parse_kexinit
from csmguard.scanners.endpoint.collect_tls import TlsToolkit, collect_tls, local_toolkit, parse_http_head
from csmguard.scanners.endpoint.facts import (
    CertificateFacts,
    EndpointFacts,
    EndpointTarget,
    ProbeVerdict,
    Protocol,
)
from csmguard.scanners.endpoint.policy import load_policy
from csmguard.scanners.endpoint.tls_judge import hostname_matches, hsts_max_age
from tests.scanners.endpoint.lab import Lab
from tests.scanners.endpoint.servers import kexinit_packet


def test_collect_ssh_reads_a_real_asyncssh_server(lab: Lab) -> None:
    asyncssh = pytest.importorskip("asyncssh")

    async def start() -> tuple[object, int]:
        key = asyncssh.generate_private_key("ssh-ed25519")
        server = await asyncssh.listen(
            "127.0.0.1", 0, server_host_keys=[key], kex_algs=["curve25519-sha256"],
            encryption_algs=["aes256-gcm@openssh.com", "aes128-cbc"], mac_algs=["hmac-sha2-256-etm@openssh.com"])
        return server, server.sockets[0].getsockname()[1]

    server, port = asyncio.run_coroutine_threadsafe(start(), lab.host.loop).result(timeout=30)
    try:
        facts = asyncio.run(collect_ssh("127.0.0.1", port, 5))
    finally:
        lab.host.loop.call_soon_threadsafe(server.close)  # type: ignore[attr-defined]
    assert facts.banner.startswith("SSH-2.0-AsyncSSH")
    assert "curve25519-sha256" in facts.kex
    assert facts.host_key == ("ssh-ed25519",)
    assert facts.ciphers_c2s == ("aes256-gcm@openssh.com", "aes128-cbc")
    assert facts.macs_s2c == ("hmac-sha2-256-etm@openssh.com",)
    target = EndpointTarget(raw=f"sftp://127.0.0.1:{port}", protocol=Protocol.SFTP, host="127.0.0.1", port=port)
    ctx = CheckContext(load_policy(), datetime.now(UTC))
    from csmguard.services.endpoint_scan import load_endpoint_rules

    found = {f.rule_id: f.status.value for f in evaluate(load_endpoint_rules().rules,
                                                          EndpointFacts(target, "127.0.0.1", ssh=facts), ctx)}
    assert found == {"EP-020": "pass", "EP-021": "pass", "EP-022": "fail", "EP-023": "pass", "EP-024": "pass",
                     "EP-025": "unknown"}  # host keys are read by a second step, below


def test_host_keys_of_a_real_asyncssh_server(lab: Lab) -> None:
    asyncssh = pytest.importorskip("asyncssh")
    from csmguard.scanners.endpoint.collect_ssh_hostkey import collect_host_keys

    async def start() -> tuple[object, int]:
        keys = [asyncssh.generate_private_key("ssh-ed25519"), asyncssh.generate_private_key("ssh-rsa", 2048),
                asyncssh.generate_private_key("ecdsa-sha2-nistp256")]
        server = await asyncssh.listen("127.0.0.1", 0, server_host_keys=keys)
        return server, server.sockets[0].getsockname()[1]

    server, port = asyncio.run_coroutine_threadsafe(start(), lab.host.loop).result(timeout=30)
    try:
        facts = asyncio.run(collect_ssh("127.0.0.1", port, 5))
        keys, problem = asyncio.run(collect_host_keys("127.0.0.1", port, 5, facts.kex, facts.host_key))
    finally:
        lab.host.loop.call_soon_threadsafe(server.close)  # type: ignore[attr-defined]
    assert problem == ""
    assert sorted(f"{k.key_type}-{k.bits}" for k in keys) == ["EC-256", "Ed25519-256", "RSA-2048"]


def test_parse_kexinit_reads_the_name_lists() -> None:
    packet = kexinit_packet(["curve25519-sha256"], ["ssh-ed25519"], ["aes128-ctr"], ["hmac-sha2-256"])
    (length, padding) = struct.unpack(">IB", packet[:5])
    lists = parse_kexinit(packet[5:5 + length - padding - 1])
    assert lists[0] == ("curve25519-sha256",) and lists[2] == lists[3] == ("aes128-ctr",)
    assert lists[8] == ()


@pytest.mark.parametrize(("payload", "message"), [
    (b"", "expected SSH_MSG_KEXINIT"),
    (bytes([21]) + b"\x00" * 40, "expected SSH_MSG_KEXINIT"),
    (bytes([20]) + b"\x00" * 16 + struct.pack(">I", 500) + b"abc", "runs past the end"),
    (bytes([20]) + b"\x00" * 16 + struct.pack(">I", 0), "ends inside"),
])
def test_parse_kexinit_rejects_malformed_packets(payload: bytes, message: str) -> None:
    with pytest.raises(SshProtocolError, match=message):
        parse_kexinit(payload)


def test_parse_http_head() -> None:
    head = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\nstrict-transport-security:  max-age=300 ; preload"
    facts = parse_http_head(head)
    assert facts.status_line == "HTTP/1.1 301 Moved" and facts.header == "max-age=300 ; preload"
    assert parse_http_head(b"HTTP/1.0 200 OK\r\nServer: x").header is None
    assert parse_http_head(b"SSH-2.0-OpenSSH").status_line is None


@pytest.mark.parametrize(("header", "expected"), [
    ("max-age=31536000", 31536000), ("includeSubDomains; max-age=\"600\"", 600), ("MAX-AGE=5;preload", 5),
    ("includeSubDomains", None), ("max-age=", None), ("xmax-age=50", None),
])
def test_hsts_max_age(header: str, expected: int | None) -> None:
    assert hsts_max_age(header) == expected


def _cert(dns: tuple[str, ...] = (), ips: tuple[str, ...] = ()) -> CertificateFacts:
    now = datetime.now(UTC)
    return CertificateFacts(subject="CN=x", issuer="CN=x", dns_names=dns, ip_addresses=ips, common_names=("x",),
                            not_before=now, not_after=now, key_type="RSA", key_bits=2048, signature_hash="sha256",
                            signature_algorithm="sha256WithRSAEncryption", self_signed=False, sha256="00",
                            chain_trusted=True)


@pytest.mark.parametrize(("host", "cert", "expected"), [
    ("www.example.com", _cert(dns=("www.example.com",)), True),
    ("WWW.Example.com.", _cert(dns=("www.example.com",)), True),
    ("api.example.com", _cert(dns=("*.example.com",)), True),
    ("example.com", _cert(dns=("*.example.com",)), False),
    ("a.b.example.com", _cert(dns=("*.example.com",)), False),
    ("x.com", _cert(dns=("*.com",)), False),
    ("www.example.com", _cert(dns=("example.com",)), False),
    ("127.0.0.1", _cert(ips=("127.0.0.1",)), True),
    ("127.0.0.1", _cert(dns=("127.0.0.1",)), False),
    ("2001:db8::1", _cert(ips=("2001:db8:0::1",)), True),
])
def test_hostname_matches(host: str, cert: CertificateFacts, expected: bool) -> None:
    assert hostname_matches(host, cert) is expected


def test_version_the_local_openssl_cannot_offer_is_unknown_never_a_pass(lab: Lab, endpoint_rules: RuleSet) -> None:
    real = local_toolkit(lab.certs.ca_file)
    reason = "the local OpenSSL cannot offer TLSv1 (simulated build without it)"
    crippled = TlsToolkit(suites=real.suites, version_support={**real.version_support, "TLSv1": reason},
                          ca_file=real.ca_file)
    url = lab.target("good")
    port = int(url.rsplit(":", 1)[1].strip("/"))
    policy = load_policy()
    tls = asyncio.run(collect_tls(crippled, policy.tls, "127.0.0.1", port, "127.0.0.1", 5, http_path="/"))
    probes = {p.version: p for p in tls.versions}
    assert probes["TLSv1"].verdict is ProbeVerdict.UNKNOWN and probes["TLSv1"].reason == reason
    assert probes["TLSv1.2"].verdict is ProbeVerdict.ACCEPTED
    target = EndpointTarget(raw=url, protocol=Protocol.HTTPS, host="127.0.0.1", port=port)
    findings = {f.rule_id: f for f in evaluate(endpoint_rules.rules, EndpointFacts(target, "127.0.0.1", tls=tls),
                                               CheckContext(policy, datetime.now(UTC)))}
    assert findings["EP-001"].status.value == "unknown" and reason in findings["EP-001"].message.en
    assert findings["EP-002"].status.value == "pass"


def test_local_toolkit_knows_the_modern_versions() -> None:
    toolkit = local_toolkit()
    assert toolkit.version_support["TLSv1.2"] == "" and toolkit.version_support["TLSv1.3"] == ""
    assert toolkit.suites["ECDHE-RSA-AES128-GCM-SHA256"].kex == "ecdhe"
    assert toolkit.suites["AES128-GCM-SHA256"].kex == "rsa"
    assert toolkit.suites["ECDHE-RSA-AES128-SHA"].aead is False


def _reply(data: bytes) -> tuple[int, str]:
    from csmguard.scanners.endpoint.collect_ftp import read_reply

    async def run() -> tuple[int, str]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return await read_reply(reader)
    return asyncio.run(run())


def test_ftp_replies_single_and_multi_line() -> None:
    assert _reply(b"220 ready\r\n") == (220, "ready")
    code, text = _reply(b"211-Features:\r\n AUTH TLS\r\n PBSZ\r\n211 End\r\n")
    assert code == 211 and text.split("\n") == ["Features:", "AUTH TLS", "PBSZ", "End"]


def test_ftp_reply_that_is_not_ftp_is_rejected() -> None:
    from csmguard.scanners.endpoint.collect_ftp import FtpProtocolError

    with pytest.raises(FtpProtocolError, match="not an FTP reply"):
        _reply(b"SSH-2.0-OpenSSH_9.6\r\n")
