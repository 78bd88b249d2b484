"""APK and IPA scans on real packages built in the test: binary manifest, DEX, network security config, Info.plist."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from csmguard.domain import Finding, FindingStatus
from csmguard.rules.loader import RuleSet
from csmguard.scanners.app.axml import parse_axml
from csmguard.scanners.app.dex import read_dex
from csmguard.services.app_scan import load_app_rules, scan_app
from tests.scanners.app.builders import (
    El,
    encode_axml,
    encode_dex,
    encode_proto_xml,
    encode_resource_table,
    ipa_entries,
    manifest,
    write_zip,
)

WEBVIEW = "Landroid/webkit/WebView;"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_app_rules()


def _by_rule(findings: tuple[Finding, ...], status: FindingStatus = FindingStatus.FAIL) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        if f.status is status:
            out.setdefault(f.rule_id, []).append(f)
    return out


def insecure_apk(path: Path, *, strip_names: bool = False) -> Path:
    components = [
        El("activity", {"name": ".Main", "exported": True}, [El("intent-filter", {}, [
            El("action", {"name": "android.intent.action.MAIN"}),
            El("category", {"name": "android.intent.category.LAUNCHER"})])]),
        El("service", {"name": ".Sync", "exported": True}),
        El("receiver", {"name": ".Admin", "permission": "android.permission.BIND_DEVICE_ADMIN", "exported": True}),
    ]
    app_manifest = manifest(app_attrs={"debuggable": True, "allowBackup": True, "usesCleartextTraffic": True,
                                       "networkSecurityConfig": "@xml/network_security_config"},
                            components=components)
    nsc = El("network-security-config", {}, [El("base-config", {"cleartextTrafficPermitted": True}, [
        El("trust-anchors", {}, [El("certificates", {"src": "user"})])])])
    dex = encode_dex(
        ["AKIAZ7Q3XW2RT5YHBN4K", "http://quote.broker-example.com.tw/stream", "AES/ECB/PKCS5Padding",
         "com.metasploit.stage.Payload", "/sdcard/Download/plugin.dex"],
        methods=[(WEBVIEW, "addJavascriptInterface"), ("Landroid/webkit/SslErrorHandler;", "proceed"),
                 ("Ldalvik/system/DexClassLoader;", "<init>")],
        fields=[("Lorg/apache/http/conn/ssl/SSLSocketFactory;", "Lorg/apache/http/conn/ssl/X509HostnameVerifier;",
                 "ALLOW_ALL_HOSTNAME_VERIFIER")])
    dex2 = encode_dex(["ghp_R8kLm2Nq5Vt7Xz9Bc1Df3Gh5Jk7Lm9Np2Qr4"], methods=[(WEBVIEW, "loadUrl")])
    return write_zip(path, {
        "AndroidManifest.xml": encode_axml(app_manifest, strip_names=strip_names),
        "res/xml/network_security_config.xml": encode_axml(nsc),
        "classes.dex": dex, "classes2.dex": dex2,
        "assets/config.json": b'{"api": "http://api.broker-example.com.tw/v1"}',
        "resources.arsc": encode_resource_table(["Trade", "AIzaSyD3kLq8Zx7vR2mN9pW4tY6uB1cE5fG0hJk", "下單成功"]),
        "res/drawable/icon.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
    })


def test_binary_readers_round_trip() -> None:
    root = parse_axml(encode_axml(manifest(app_attrs={"debuggable": True, "allowBackup": False}), strip_names=True))
    assert root.iter("application")[0].attrs == {"debuggable": "true", "allowBackup": "false"}
    dex = read_dex(encode_dex(["中文字串", "plain"], methods=[(WEBVIEW, "loadUrl")]), "classes.dex")
    assert "中文字串" in dex.strings and dex.methods == (f"{WEBVIEW}->loadUrl",)


@pytest.mark.parametrize("strip_names", [False, True])
def test_insecure_apk(tmp_path: Path, rules: RuleSet, strip_names: bool) -> None:
    apk = insecure_apk(tmp_path / "trade.apk", strip_names=strip_names)
    result, _ = scan_app([apk], rules=rules)
    assert result.errors == ()
    fails = _by_rule(result.findings)
    assert set(fails) == {"APP-001", "APP-010", "APP-011", "APP-014", "APP-015", "APP-017", "APP-022", "APP-041",
                          "APP-050", "APP-051", "APP-052", "APP-060", "APP-064", "APP-065"}
    secrets = {f.location.path: f.evidence["secret"] for f in fails["APP-001"]}
    assert secrets == {"classes.dex": "AKIA…(20 chars)…BN4K", "classes2.dex": "ghp_…(40 chars)…2Qr4",
                       "resources.arsc": "AIza…(39 chars)…0hJk"}
    assert {f.location.path for f in fails["APP-010"]} == {"classes.dex", "assets/config.json"}
    assert [f.evidence["detail"] for f in fails["APP-052"]] == ["service .Sync (exported, no android:permission)"]
    assert {f.location.path for f in fails["APP-011"]} == {"AndroidManifest.xml",
                                                           "res/xml/network_security_config.xml"}
    manual = _by_rule(result.findings, FindingStatus.MANUAL)
    assert set(manual) == {"APP-016", "APP-070", "APP-071", "APP-072"}
    assert result.stats["targets"][str(apk)]["kind"] == "apk"
    assert result.stats["files_read"] == result.stats["files_scanned"] + result.stats["files_rejected"]


def test_hardened_apk_passes(tmp_path: Path, rules: RuleSet) -> None:
    app_manifest = manifest(app_attrs={"allowBackup": False}, components=[
        El("service", {"name": ".Sync", "exported": False})])
    nsc = El("network-security-config", {}, [
        El("base-config", {"cleartextTrafficPermitted": False}),
        El("domain-config", {}, [El("domain", {"name": "api.broker-example.com.tw"}),
                                 El("pin-set", {}, [El("pin", {"digest": "SHA-256"})])])])
    dex = encode_dex(["https://api.broker-example.com.tw/v1", "AES/GCM/NoPadding"],
                     methods=[("Lcom/scottyab/rootbeer/RootBeer;", "isRooted"),
                              ("Lcom/google/android/play/core/integrity/IntegrityManager;", "requestIntegrityToken"),
                              ("Landroid/view/Window;", "setFlags")])
    apk = write_zip(tmp_path / "good.apk", {"AndroidManifest.xml": encode_axml(app_manifest),
                                            "res/xml/network_security_config.xml": encode_axml(nsc),
                                            "classes.dex": dex})
    result, _ = scan_app([apk], rules=rules)
    assert result.errors == ()
    assert _by_rule(result.findings) == {}
    assert _by_rule(result.findings, FindingStatus.MANUAL) == {}
    passes = _by_rule(result.findings, FindingStatus.PASS)
    assert {"APP-011", "APP-016", "APP-050", "APP-051", "APP-052", "APP-070", "APP-071", "APP-072"} <= set(passes)


@pytest.mark.parametrize("binary_plist", [True, False])
def test_ipa(tmp_path: Path, rules: RuleSet, binary_plist: bool) -> None:
    plist = {"CFBundleIdentifier": "tw.example.trade", "NSAppTransportSecurity": {"NSAllowsArbitraryLoads": True}}
    executable = (b"\xcf\xfa\xed\xfe" + bytes(100) + b"http://quote.broker-example.com.tw/ws\x00"
                  + bytes(20) + b"sk_live_51Hx8KqL2mN7vR4tY9wZ3cB6n\x00/Applications/Cydia.app\x00" + bytes(50))
    extra = {"config.json": b'{"secret": "AIzaSyD3kLq8Zx7vR2mN9pW4tY6uB1cE5fG0hJk"}', "Assets.car": bytes(300)}
    ipa = write_zip(tmp_path / "Trade.ipa", ipa_entries("Trade", plist, executable, binary_plist=binary_plist,
                                                         extra=extra))
    result, _ = scan_app([ipa], rules=rules)
    assert result.errors == ()
    fails = _by_rule(result.findings)
    assert set(fails) == {"APP-001", "APP-010", "APP-012"}
    assert {f.evidence["kind"] for f in fails["APP-001"]} == {"Stripe live key", "Google API key"}
    assert fails["APP-012"][0].evidence["detail"] == "NSAllowsArbitraryLoads = true"
    passes = _by_rule(result.findings, FindingStatus.PASS)
    assert "APP-070" in passes  # Cydia path check in the executable
    assert set(_by_rule(result.findings, FindingStatus.MANUAL)) == {"APP-016", "APP-071", "APP-072"}
    assert plistlib  # the plist builder is the standard library's


def test_several_targets_at_once(tmp_path: Path, rules: RuleSet) -> None:
    apk = insecure_apk(tmp_path / "a.apk")
    src = tmp_path / "src"
    src.mkdir()
    (src / "Api.kt").write_text('const val U = "http://api.broker-example.com.tw/"\n', encoding="utf-8")
    result, _ = scan_app([apk, src, tmp_path / "missing.apk"], rules=rules)
    targets = {f.target.id for f in result.findings}
    assert targets == {str(apk), str(src)}
    assert [(e.target, e.message) for e in result.errors] == [(str(tmp_path / "missing.apk"), "no such file or folder")]


def test_parallel_scan_of_a_large_tree_matches_the_sequential_one(tmp_path: Path, rules: RuleSet) -> None:
    from csmguard.scanners.app.scan import PARALLEL_MIN_FILES, AppScanOptions

    for i in range(PARALLEL_MIN_FILES + 10):
        body = f'class C{i} {{ String u = "http://h{i}.broker-example.com.tw/"; }}\n' if i % 50 == 0 else "class X {}\n"
        (tmp_path / f"C{i}.java").write_text(body, encoding="utf-8")
    (tmp_path / "AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="p">'
        '<application android:debuggable="true"/></manifest>', encoding="utf-8")
    (tmp_path / "Bad.java").write_bytes(b"\x00\x01" * 10)
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    one, _ = scan_app([tmp_path], rules=rules, options=AppScanOptions(jobs=1))
    two, _ = scan_app([tmp_path], rules=rules, options=AppScanOptions(jobs=2))

    def summary(result: object) -> tuple[object, ...]:
        assert isinstance(result, type(one))
        return (sorted((f.rule_id, f.status.value, f.fingerprint) for f in result.findings),
                sorted((e.path or "", e.message) for e in result.errors),
                {k: result.stats[k] for k in ("files_read", "files_scanned", "files_rejected", "files_ignored")})

    assert summary(one) == summary(two)
    assert len([f for f in two.findings if f.rule_id == "APP-010" and f.status is FindingStatus.FAIL]) == 9
    assert "APP-050" in {f.rule_id for f in two.findings if f.status is FindingStatus.FAIL}


def test_identical_matches_in_one_file_are_separate_findings(tmp_path: Path, rules: RuleSet) -> None:
    line = '  void q(SQLiteDatabase db, String id) { db.rawQuery("SELECT * FROM t WHERE id=" + id, null); }\n'
    source = tmp_path / "Dup.java"
    source.write_text("class Dup {\n" + line + line + "}\n", encoding="utf-8")

    def fails() -> list[tuple[int | None, str]]:
        result, _ = scan_app([tmp_path], rules=rules)
        return sorted((f.location.line, f.fingerprint) for f in result.findings
                      if f.rule_id == "APP-040" and f.status is FindingStatus.FAIL)

    before = fails()
    assert [ln for ln, _ in before] == [2, 3] and before[0][1] != before[1][1]
    source.write_text("// moved\nclass Dup {\n" + line + line + "}\n", encoding="utf-8")
    after = fails()
    assert [ln for ln, _ in after] == [3, 4] and {fp for _, fp in after} == {fp for _, fp in before}


def test_app_bundle(tmp_path: Path, rules: RuleSet) -> None:
    app_manifest = manifest(app_attrs={"debuggable": True, "allowBackup": False}, target_sdk=34, components=[
        El("service", {"name": ".Sync", "exported": True}),
        El("receiver", {"name": ".Boot", "exported": False})])
    nsc = El("network-security-config", {}, [El("domain-config", {"cleartextTrafficPermitted": True}, [
        El("domain", {"name": "quote.broker-example.com.tw"})])])
    aab = write_zip(tmp_path / "app.aab", {
        "base/manifest/AndroidManifest.xml": encode_proto_xml(app_manifest),
        "base/res/xml/network_security_config.xml": encode_proto_xml(nsc),
        "base/dex/classes.dex": encode_dex(["AES/ECB/PKCS5Padding"]),
        "BundleConfig.pb": b"\x0a\x04\x08\x01"})
    result, _ = scan_app([aab], rules=rules)
    assert result.errors == ()
    fails = _by_rule(result.findings)
    assert set(fails) == {"APP-011", "APP-022", "APP-050", "APP-052"}
    assert [f.evidence["detail"] for f in fails["APP-052"]] == ["service .Sync (exported, no android:permission)"]
    assert [f.location.path for f in fails["APP-011"]] == ["base/res/xml/network_security_config.xml"]
    assert "APP-051" in _by_rule(result.findings, FindingStatus.PASS)
    assert result.stats["targets"][str(aab)]["kind"] == "aab"


def test_password_evidence_is_redacted_in_both_languages(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "Db.java").write_text('class Db { static final String DB_PASSWORD = "Tr4d3r!2024x"; }\n',
                                      encoding="utf-8")
    result, _ = scan_app([tmp_path], rules=rules)
    [finding] = [f for f in result.findings if f.rule_id == "APP-003" and f.status is FindingStatus.FAIL]
    assert finding.message.en == "Hard-coded value of DB_PASSWORD: Tr…(12 chars)…4x"
    assert finding.message.zh_tw == "寫死的DB_PASSWORD 的值：Tr…(12 chars)…4x"
    assert finding.evidence["secret"] == "Tr…(12 chars)…4x"
    assert "Tr4d3r!2024x" not in finding.model_dump_json()
