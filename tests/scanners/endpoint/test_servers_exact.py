"""The complete verdict of every rule on a few servers: nothing more, nothing less than expected."""

from __future__ import annotations

from tests.scanners.endpoint.lab import Lab

TLS_RULES = [f"EP-{n:03d}" for n in range(1, 14)]


def _statuses(lab: Lab, server: str, **options: object) -> dict[str, str]:
    return {rule: f.status.value for rule, f in lab.findings(server, **options).items()}


def test_good_https_server_passes_every_tls_rule_and_nothing_else_applies(lab: Lab) -> None:
    assert _statuses(lab, "good") == dict.fromkeys(TLS_RULES, "pass")


def test_tls10_only_server(lab: Lab) -> None:
    expected = dict.fromkeys(TLS_RULES, "pass")
    expected.update({"EP-001": "fail", "EP-003": "fail", "EP-005": "fail", "EP-040": "fail"})
    assert _statuses(lab, "tls10-only", app_backend=True) == expected


def test_cleartext_ftp_server(lab: Lab) -> None:
    assert _statuses(lab, "ftp-plain") == {"EP-030": "fail", "EP-031": "fail"}


def test_explicit_ftps_server_gets_the_tls_rules_but_not_hsts(lab: Lab) -> None:
    # pyftpdlib's TLS defaults still accept plain-RSA key exchange and CBC suites: the scan says so.
    expected = dict.fromkeys(TLS_RULES[:-1], "pass")
    expected.update({"EP-004": "fail", "EP-005": "fail", "EP-030": "pass", "EP-031": "pass"})
    assert _statuses(lab, "ftps-required", try_login=True) == expected


def test_weak_ssh_server(lab: Lab) -> None:
    assert _statuses(lab, "ssh-weak") == {"EP-020": "pass", "EP-021": "fail", "EP-022": "fail", "EP-023": "fail",
                                          "EP-024": "fail", "EP-025": "fail"}
    host_keys = lab.findings("ssh-weak")["EP-025"].evidence["host_keys"]
    assert isinstance(host_keys, list)
    assert sorted(k["key"] for k in host_keys) == ["DSA-1024", "Ed25519-256", "RSA-1024"]
    assert all(k["fingerprint"].startswith("SHA256:") for k in host_keys)
