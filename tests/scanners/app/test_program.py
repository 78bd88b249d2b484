"""The program model's helpers: every call of a method exactly once, innermost first; simple names."""

from __future__ import annotations

from csmguard.scanners.app.program import (
    Assign,
    Call,
    Concat,
    Const,
    Invoke,
    Local,
    MethodModel,
    Return,
    method_calls,
    simple_name,
)


def test_method_calls_visits_nested_calls_once_innermost_first() -> None:
    get_text = Call("getText", "android.widget.EditText", Local("et"), (), 3)
    to_string = Call("toString", None, get_text, (), 3)
    log = Call("d", "android.util.Log", None, (Const("TAG"), Concat((Const("pw="), to_string))), 3)
    init = Call("<init>", "javax.crypto.spec.SecretKeySpec", None, (Local("k"), Const("AES")), 4)
    method = MethodModel("login", (), None, 1, 6, (
        Invoke(3, log),
        Assign(4, Local("spec"), init, "SecretKeySpec"),
        Return(5, None),
    ))
    assert [c.name for c in method_calls(method)] == [
        "getText", "toString", "d", "<init>"]


def test_simple_name() -> None:
    assert simple_name("com.example.Login$1") == "1"
    assert simple_name("com.example.Login") == "Login"
    assert simple_name("Login") == "Login"
    assert simple_name(None) == ""
