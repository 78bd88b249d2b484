"""Pure checks of file-transfer facts: SSH algorithms offered, FTP without TLS."""

from __future__ import annotations

from csmguard.domain import Finding, FindingStatus, text
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.endpoint.check_base import CheckContext, CheckFn, make, names
from csmguard.scanners.endpoint.facts import EndpointFacts, LoginProbe, SshFacts
from csmguard.scanners.endpoint.policy import SshPolicy, matches_any

PASS = FindingStatus.PASS
FAIL = FindingStatus.FAIL
UNKNOWN = FindingStatus.UNKNOWN


def ssh_version(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when the SSH server speaks protocol 1 (banner ``SSH-1.x``, including ``1.99``)."""
    ssh = facts.ssh
    if ssh is None:
        return []
    evidence: dict[str, JsonValue] = {"banner": ssh.banner[:120], "protocol": ssh.protocol_version}
    if ssh.protocol_version.startswith("1"):
        return [make(rule, facts, FAIL, values={"version": ssh.protocol_version}, evidence=evidence)]
    return [make(rule, facts, PASS, message=text(f"SSH 協定版本 {ssh.protocol_version}。",
                                                 f"SSH protocol version {ssh.protocol_version}."), evidence=evidence)]


def _ssh_algorithms(kind: str) -> CheckFn:
    def offered(ssh: SshFacts) -> tuple[str, ...]:
        if kind == "kex":
            return ssh.kex
        if kind == "cipher":
            return tuple(dict.fromkeys(ssh.ciphers_c2s + ssh.ciphers_s2c))
        if kind == "mac":
            return tuple(dict.fromkeys(ssh.macs_c2s + ssh.macs_s2c))
        return ssh.host_key

    def weak_patterns(policy: SshPolicy) -> tuple[str, ...]:
        return {"kex": policy.weak_kex, "cipher": policy.weak_ciphers, "mac": policy.weak_macs,
                "host_key": policy.weak_host_key}[kind]

    def check(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
        ssh = facts.ssh
        if ssh is None:
            return []
        names_offered = offered(ssh)
        if not names_offered:
            return [make(rule, facts, UNKNOWN, message=text("伺服器未送出 SSH 2 演算法清單（KEXINIT）。",
                                                          "The server sent no SSH 2 algorithm lists (KEXINIT)."),
                         evidence={"banner": ssh.banner[:120]})]
        weak = [n for n in names_offered if matches_any(n, weak_patterns(ctx.policy.ssh))]
        evidence: dict[str, JsonValue] = {"offered": list(names_offered[:30]), "weak": weak[:30]}
        if weak:
            return [make(rule, facts, FAIL, values={"algorithms": names(weak, 8)}, evidence=evidence)]
        return [make(rule, facts, PASS, message=text("伺服器未提供政策列為弱的演算法。",
                                                     "The server offers no algorithm the policy lists as weak."),
                     evidence=evidence)]
    return check


ssh_kex = _ssh_algorithms("kex")
ssh_ciphers = _ssh_algorithms("cipher")
ssh_macs = _ssh_algorithms("mac")
ssh_host_key = _ssh_algorithms("host_key")


def ssh_host_key_size(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when a host key the server uses is RSA below the policy's size, EC below its size, or DSA."""
    ssh = facts.ssh
    if ssh is None:
        return []
    policy = ctx.policy.ssh
    keys = [f"{k.key_type}-{k.bits}" for k in ssh.host_keys]
    evidence: dict[str, JsonValue] = {"host_keys": [{"algorithm": k.algorithm, "key": f"{k.key_type}-{k.bits}",
                                                     "fingerprint": k.fingerprint} for k in ssh.host_keys[:8]],
                                      "not_read": ssh.host_keys_error}
    minimum = {"RSA": policy.min_host_key_rsa_bits, "EC": policy.min_host_key_ec_bits,
               "Ed25519": policy.min_host_key_ec_bits, "Ed448": policy.min_host_key_ec_bits}
    weak = [f"{k.key_type}-{k.bits}" for k in ssh.host_keys
            if k.key_type not in minimum or k.bits < minimum[k.key_type]]
    if weak:
        need = f"RSA ≥ {policy.min_host_key_rsa_bits}, EC ≥ {policy.min_host_key_ec_bits}"
        return [make(rule, facts, FAIL, values={"keys": names(weak, 6), "need": need}, evidence=evidence)]
    if not ssh.host_keys or ssh.host_keys_error:
        reason = ssh.host_keys_error or "the server sent no SSH 2 algorithm lists"
        return [make(rule, facts, UNKNOWN, message=text(f"無法讀取全部主機金鑰：{reason}",
                                                      f"Could not read every host key: {reason}"),
                     evidence=evidence)]
    return [make(rule, facts, PASS, message=text(f"主機金鑰 {', '.join(keys)} 符合政策。",
                                                 f"Host keys {', '.join(keys)} meet the policy."), evidence=evidence)]


def ftp_auth_tls(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when an FTP server does not accept AUTH TLS: everything, credentials too, goes in cleartext."""
    ftp = facts.ftp
    if ftp is None:
        return []
    evidence: dict[str, JsonValue] = {"greeting": ftp.greeting, "auth_reply": ftp.auth_reply,
                                      "features": list(ftp.features[:20])}
    if ftp.auth_tls:
        return [make(rule, facts, PASS, message=text("伺服器接受 AUTH TLS（顯式 FTPS）。",
                                                     "The server accepts AUTH TLS (explicit FTPS)."),
                     evidence=evidence)]
    return [make(rule, facts, FAIL, values={"reply": ftp.auth_reply}, evidence=evidence)]


def ftp_cleartext_login(rule: Rule, facts: EndpointFacts, ctx: CheckContext) -> list[Finding]:
    """Fail when credentials can be sent before TLS: proven by a throwaway login (``--try-login``), or implied
    when the server has no AUTH TLS at all; ``unknown`` when TLS is offered and no login was tried."""
    ftp = facts.ftp
    if ftp is None:
        return []
    evidence: dict[str, JsonValue] = {"auth_tls": ftp.auth_tls, "login_probe": ftp.login.value,
                                      "login_reply": ftp.login_reply}
    if ftp.login in (LoginProbe.PASSWORD_REQUESTED, LoginProbe.LOGGED_IN):
        how = text("伺服器在未加密下要求或接受密碼", "the server asked for or accepted a password before TLS")
        return [make(rule, facts, FAIL, values={"how_zh": how.zh_tw, "how_en": how.en}, evidence=evidence)]
    if ftp.login is LoginProbe.REFUSED:
        return [make(rule, facts, PASS, message=text("伺服器在 TLS 之前拒絕登入。",
                                                     "The server refuses a login before TLS."), evidence=evidence)]
    if not ftp.auth_tls:
        how = text("伺服器不支援 AUTH TLS，登入只能以明文進行",
                   "the server has no AUTH TLS, so a login can only be cleartext")
        return [make(rule, facts, FAIL, values={"how_zh": how.zh_tw, "how_en": how.en}, evidence=evidence)]
    reason = ftp.login_reply if ftp.login is LoginProbe.ERROR else "use --try-login to test with a throwaway user name"
    return [make(rule, facts, UNKNOWN, message=text(f"伺服器支援 AUTH TLS，但未確認是否拒絕明文登入（{reason}）。",
                                                  f"AUTH TLS is offered; whether a cleartext login is refused was not "
                                                  f"tested ({reason})."), evidence=evidence)]
