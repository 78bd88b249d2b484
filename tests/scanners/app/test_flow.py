"""The tree-sitter frontends and the data flow on the program model: constants through fields, locals,
concatenations and own methods; sources to sinks across private methods; Java and Kotlin alike; the budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.rules.model import Rule
from csmguard.scanners.app.flow import Resolver
from csmguard.scanners.app.flowchecks import FLOW_CHECKS, FlowHit
from csmguard.scanners.app.lower.base import MAX_LOWER_DEPTH
from csmguard.scanners.app.lower.frontends import lower_unit
from csmguard.scanners.app.program import Assign, Const, Invoke, Local, ProgramFile, Return, method_calls
from csmguard.scanners.app.scan import AppScanner, AppScanOptions
from csmguard.services.app_scan import load_app_rules


@pytest.fixture(scope="module")
def rules() -> dict[str, Rule]:
    return {r.id: r for r in load_app_rules().for_scanner("app")}


def _model(kind: str, source: str) -> ProgramFile:
    model = lower_unit(kind, f"Sample.{'java' if kind == 'java' else 'kt'}", source)
    assert model is not None
    return model


def _hits(rule: Rule, check: str, model: ProgramFile) -> list[FlowHit]:
    return list(FLOW_CHECKS[check](rule, model, Resolver(model)))


JAVA_KEY = """
package tw.example;
import javax.crypto.spec.SecretKeySpec;
class Crypto {
    private static final String HEAD = "k3y-";
    private String tail = "Zq9x";
    SecretKeySpec key() {
        String material = HEAD + tail + suffix();
        return new SecretKeySpec(material.getBytes(), "AES");
    }
    private String suffix() { return "-2024"; }
}
"""


def test_java_constant_key_through_field_local_concat_and_own_method(rules: dict[str, Rule]) -> None:
    hits = _hits(rules["APP-003"], "hardcoded_crypto_key", _model("java", JAVA_KEY))
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.cls, hit.method, hit.line) == ("tw.example.Crypto", "key", 9)
    assert hit.steps and hit.steps[-1].label.startswith("material = ")


def test_a_field_assigned_from_outside_is_not_constant(rules: dict[str, Rule]) -> None:
    source = JAVA_KEY.replace("private String suffix()",
                              "void setTail(String t) { tail = t; }\n    private String suffix()")
    assert _hits(rules["APP-003"], "hardcoded_crypto_key", _model("java", source)) == []


def test_a_field_assigned_in_a_method_left_unlowered_is_not_constant(rules: dict[str, Rule]) -> None:
    # restore() holds no trigger word, so it is not lowered; its assignment still makes the field unknown
    source = JAVA_KEY.replace("private String suffix()", "void restore(Store s) { this.tail = s.read(); }\n"
                                                           "    private String suffix()")
    model = lower_unit("java", "Crypto.java", source, ((("keyspec",),),))
    assert model is not None
    restore = next(m for c in model.classes for m in c.methods if m.name == "restore")
    assert "unanalysed" in restore.modifiers
    assert _hits(rules["APP-003"], "hardcoded_crypto_key", model) == []


JAVA_LOG = """
class SignIn {
    private final EditText pinField;
    void submit() {
        String typed = pinField.getText().toString();
        trace("user", typed);
        trace("screen", "login");
    }
    private void trace(String what, String value) {
        Log.d("SignIn", what + "=" + value);
    }
}
"""


def test_source_to_sink_across_a_private_method(rules: dict[str, Rule]) -> None:
    hits = _hits(rules["APP-030"], "sensitive_to_log", _model("java", JAVA_LOG))
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.cls, hit.method, hit.line) == ("SignIn", "trace", 10)
    assert hit.source is not None and "pinField.getText" in hit.source.label
    assert "pinField" in hit.detail


KOTLIN_LOG = """
package tw.example
import android.util.Log
class SignIn(private val pinField: EditText) {
    companion object { private const val TAG = "SignIn" }
    fun submit() {
        val typed = pinField.text.toString()
        trace(typed)
    }
    private fun trace(value: String) {
        Log.d(TAG, "entered $value")
    }
}
"""


def test_kotlin_templates_property_getters_and_private_functions(rules: dict[str, Rule]) -> None:
    model = _model("kotlin", KOTLIN_LOG)
    hits = _hits(rules["APP-030"], "sensitive_to_log", model)
    assert [(h.cls, h.method, h.line) for h in hits] == [("tw.example.SignIn", "trace", 11)]
    log = next(c for c in method_calls(next(m for m in model.classes[0].methods if m.name == "trace"))
               if c.name == "d")
    assert log.owner == "android.util.Log"


def test_kotlin_constant_key_in_an_object(rules: dict[str, Rule]) -> None:
    source = """
object Keys { const val AES = "0123456789abcdef" }
class Box {
    fun key() = SecretKeySpec(Keys.AES.toByteArray(), "AES")
}
"""
    hits = _hits(rules["APP-003"], "hardcoded_crypto_key", _model("kotlin", source))
    assert [(h.cls, h.method) for h in hits] == [("Box", "key")]


def test_anonymous_classes_are_named_like_dex_and_keep_their_supertype(rules: dict[str, Rule]) -> None:
    source = """
package a;
class Net {
    HostnameVerifier any = new HostnameVerifier() {
        public boolean verify(String host, SSLSession s) { return true; }
    };
    HostnameVerifier strict = new HostnameVerifier() {
        public boolean verify(String host, SSLSession s) { return host.equals("api.example.tw"); }
    };
}
"""
    model = _model("java", source)
    assert {c.name: c.supertypes for c in model.classes if c.kind == "anonymous"} == {
        "a.Net$1": ("HostnameVerifier",), "a.Net$2": ("HostnameVerifier",)}
    hits = _hits(rules["APP-014"], "hostname_verifier_all", model)
    assert [h.cls for h in hits] == ["a.Net$1"]


def test_every_call_appears_once_lambdas_included() -> None:
    source = """
class A {
    void f(Button b) {
        b.setOnClickListener(v -> { Log.d("t", v.toString()); });
        int n = g(h(1)) + k();
    }
}
"""
    model = _model("java", source)
    method = model.classes[0].methods[0]
    names = [c.name for c in method_calls(method)]
    assert sorted(names) == sorted(["setOnClickListener", "d", "toString", "g", "h", "k"])
    # the lambda's body is lowered inline: its log call is an event of the enclosing method
    assert any(isinstance(e, Invoke) and e.call.name == "d" for e in method.events)


def test_local_array_filled_at_run_time_is_not_a_constant_iv(rules: dict[str, Rule]) -> None:
    source = """
class Iv {
    IvParameterSpec fixed() { byte[] iv = new byte[16]; return new IvParameterSpec(iv); }
    IvParameterSpec fresh() { byte[] iv = new byte[16]; random.nextBytes(iv); return new IvParameterSpec(iv); }
}
"""
    hits = _hits(rules["APP-023"], "static_iv", _model("java", source))
    assert [h.method for h in hits] == ["fixed"]


def test_strings_resolve_concatenations_with_unknown_parts() -> None:
    model = _model("java", 'class Q { String q(String id) { String t = "trades"; return "SELECT * FROM " + t + '
                           '" WHERE id = " + id; } }')
    cls = model.classes[0]
    method = cls.methods[0]
    ret = method.events[-1]
    assert isinstance(ret, Return) and ret.value is not None
    assert Resolver(model).strings(ret.value, cls, method) == ["SELECT * FROM trades WHERE id = …"]
    first = method.events[0]
    assert isinstance(first, Assign) and first.target == Local("t") and first.value == Const("trades")


def test_deeply_nested_expression_is_a_scan_error_not_a_hang(tmp_path: Path) -> None:
    depth = MAX_LOWER_DEPTH + 50
    body = "(" * depth + '"password"' + ")" * depth
    (tmp_path / "Deep.java").write_text(f"class Deep {{ void f() {{ Log.d(\"t\", {body}); }} }}\n")
    scanner = AppScanner(load_app_rules().for_scanner("app"))
    outcome = scanner.scan_target(tmp_path, AppScanOptions())
    assert any("MAX_LOWER_DEPTH" in e.message and e.path and e.path.endswith("Deep.java") for e in outcome.errors)


def test_decrypted_values_and_secret_keyed_reads_are_sensitive(rules: dict[str, Rule]) -> None:
    source = """
class Api {
    void onResponse(JSONObject body) {
        Log.d("api", body.getString("accessToken"));
        Log.d("api", body.getString("status"));
        JSONObject clear = new JSONObject(Crypto.decrypt(body.getString("enc_data")));
        Log.d("api", clear.toString());
    }
}
"""
    hits = _hits(rules["APP-030"], "sensitive_to_log", _model("java", source))
    assert sorted(h.line for h in hits) == [4, 7]
