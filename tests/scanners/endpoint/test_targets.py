"""Target parsing, the targets file, and the refusal of non-public addresses."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.rules.loader import RuleSet
from csmguard.scanners.endpoint.facts import Protocol
from csmguard.scanners.endpoint.targets import TargetError, parse_target, read_targets_file
from csmguard.scanning.addresses import refusal_reason
from csmguard.services.endpoint_scan import EndpointScanRequest, scan_endpoints
from tests.scanners.endpoint.lab import Lab


@pytest.mark.parametrize(("raw", "protocol", "host", "port", "path"), [
    ("example.com", Protocol.HTTPS, "example.com", 443, "/"),
    ("example.com:8443", Protocol.HTTPS, "example.com", 8443, "/"),
    ("example.com:22", Protocol.SFTP, "example.com", 22, "/"),
    ("example.com:21", Protocol.FTP, "example.com", 21, "/"),
    ("example.com:990", Protocol.FTPS, "example.com", 990, "/"),
    ("https://Example.com/login?next=1", Protocol.HTTPS, "example.com", 443, "/login?next=1"),
    ("tls://mgmt.example.com:8443", Protocol.TLS, "mgmt.example.com", 8443, "/"),
    ("sftp://files.example.com", Protocol.SFTP, "files.example.com", 22, "/"),
    ("ssh://files.example.com:2222", Protocol.SFTP, "files.example.com", 2222, "/"),
    ("ftp://files.example.com", Protocol.FTP, "files.example.com", 21, "/"),
    ("ftps://files.example.com", Protocol.FTPS, "files.example.com", 990, "/"),
    ("[2001:db8::1]:443", Protocol.HTTPS, "2001:db8::1", 443, "/"),
])
def test_parse_target(raw: str, protocol: Protocol, host: str, port: int, path: str) -> None:
    target = parse_target(raw)
    assert (target.protocol, target.host, target.port, target.path) == (protocol, host, port, path)


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "empty"),
    ("http://example.com", "cleartext HTTP"),
    ("gopher://example.com", "unsupported scheme"),
    ("ftp://user:secret@example.com", "credentials"),
    ("example.com:99999", "cannot parse"),
    ("example.com/path", "without a scheme"),
    ("https://", "no host"),
])
def test_parse_target_rejects(raw: str, reason: str) -> None:
    with pytest.raises(TargetError, match=reason):
        parse_target(raw)


@pytest.mark.parametrize(("address", "label"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"),
    ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("240.0.0.1", "reserved"), ("0.0.0.0", "unspecified"),
    ("::ffff:10.0.0.1", "private"), ("100.64.0.1", "not a globally routable"), ("fd00::1", "private"),
])
def test_refusal_reason_names_the_range(address: str, label: str) -> None:
    reason = refusal_reason(address)
    assert reason is not None and label in reason and address.split("::ffff:")[-1] in reason


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_not_refused(address: str) -> None:
    assert refusal_reason(address) is None


def test_targets_file_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "targets.txt"
    path.write_text("# endpoints\n\nexample.com  # the site\n   # indented comment\nsftp://files.example.com\n",
                    encoding="utf-8")
    lines = read_targets_file(path)
    assert [(line.text, line.line) for line in lines] == [("example.com", 3), ("sftp://files.example.com", 5)]


def test_refused_and_bad_targets_become_errors_and_the_run_goes_on(
        lab: Lab, endpoint_rules: RuleSet, tmp_path: Path) -> None:
    good = lab.target("good")
    path = tmp_path / "targets.txt"
    path.write_text(f"{good}\nhttp://plain.example\n127.0.0.1:1\n", encoding="utf-8")
    result = scan_endpoints(EndpointScanRequest(targets_file=path, timeout=5), rules=endpoint_rules)
    by_row = {e.row: e for e in result.errors}
    assert by_row[2].path == str(path) and "cleartext HTTP" in by_row[2].message
    refused = [e for e in result.errors if e.row is None]
    assert {e.target for e in refused} == {good, "127.0.0.1:1"}
    assert all("loopback" in e.message and "--allow-private" in e.message for e in refused)
    assert result.findings == ()
    assert result.stats["targets_read"] == 3 and result.stats["targets_evaluated"] == 0
    assert result.stats["targets_rejected"] == 3

    allowed = scan_endpoints(EndpointScanRequest(targets_file=path, timeout=5, allow_private=True,
                                                 ca_file=lab.certs.ca_file), rules=endpoint_rules)
    assert allowed.stats["targets_evaluated"] == 1 and allowed.stats["targets_rejected"] == 2
    assert {f.target.id for f in allowed.findings} == {good.removesuffix("/")}
    unreachable = next(e for e in allowed.errors if e.target == "127.0.0.1:1")
    assert "cannot connect" in unreachable.message


def test_hostname_resolution_is_checked_before_connecting(endpoint_rules: RuleSet) -> None:
    result = scan_endpoints(EndpointScanRequest(targets=("localhost:1",), timeout=5), rules=endpoint_rules)
    (error,) = result.errors
    assert "localhost resolves to it" in error.message and "loopback" in error.message


def test_a_server_that_never_answers_tls_is_an_error_not_findings(lab: Lab, endpoint_rules: RuleSet) -> None:
    silent = lab.target("silent")
    result = scan_endpoints(EndpointScanRequest(targets=(silent, lab.target("good")), allow_private=True,
                                                timeout=2, ca_file=lab.certs.ca_file), rules=endpoint_rules)
    (error,) = result.errors
    assert error.target == silent and "did not answer a TLS handshake within 2 s" in error.message
    assert {f.target.id for f in result.findings} == {lab.target("good").removesuffix("/")}
    assert result.stats["targets_evaluated"] == 1 and result.stats["targets_rejected"] == 1


def test_the_same_endpoint_twice_is_probed_once_and_counted(lab: Lab, endpoint_rules: RuleSet) -> None:
    good = lab.target("good")
    result = scan_endpoints(EndpointScanRequest(targets=(good, good.upper().replace("HTTPS://", "https://"), good),
                                                allow_private=True, timeout=5, ca_file=lab.certs.ca_file),
                            rules=endpoint_rules)
    assert result.errors == ()
    assert [f.rule_id for f in result.findings] == [f"EP-{n:03d}" for n in range(1, 14)]
    stats = result.stats
    assert (stats["targets_read"], stats["targets_evaluated"], stats["targets_duplicate"],
            stats["targets_rejected"]) == (3, 1, 2, 0)
