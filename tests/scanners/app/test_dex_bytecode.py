"""The DEX code reader against androguard on DEX files assembled by smali (the Android tool chain's assembler,
from Debian) from sources written for these tests (dexdiff/smali, dexdiff/zoo.py), the lowering of bytecode
into located statements, and findings in classes.dex located by class and method. Larger real APKs are
compared in the benchmark (``python -m bench.app.dex``), which reads them outside the repository."""

from __future__ import annotations

import struct
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csmguard.scanners.app.dalvik import (
    FILL_ARRAY_DATA_PAYLOAD,
    INVOKE_OPS,
    PACKED_SWITCH_PAYLOAD,
    SPARSE_SWITCH_PAYLOAD,
)
from csmguard.scanners.app.dex import DexError
from csmguard.scanners.app.dexcode import DexImage
from csmguard.scanners.app.dexflow import MethodView, Value, java_name, lower, meet
from csmguard.scanners.app.dextext import bytecode_units
from csmguard.scanners.app.program import Assign, Const, FieldRef, Local, Param, Unknown, method_calls
from csmguard.scanners.app.scan import AppScanner, AppScanOptions
from csmguard.services.app_scan import load_app_rules
from tests.scanners.app.dexdiff.build import build_all
from tests.scanners.app.dexdiff.compare import dex_files, differences, ours


@lru_cache(maxsize=1)
def built() -> dict[str, Path]:
    """The assembled fixtures (once per test process)."""
    return build_all(Path(tempfile.mkdtemp(prefix="csmguard-dexdiff-")))


FIXTURES = ("main", "second", "zoo", "apk")
MAIN_DEX = built()["main"].read_bytes()


def _views(path: Path, *, all_app_code: bool = False) -> dict[str, MethodView]:
    out: dict[str, MethodView] = {}
    for name, data in dex_files(path):
        errors: list[str] = []
        out.update((v.label, v) for v in lower(DexImage(data, name), errors, all_app_code=all_app_code).views)
        assert errors == []
    return out


def _texts(view: MethodView) -> list[str]:
    return [s.text for s in view.statements]


@pytest.mark.parametrize("fixture", FIXTURES)
def test_same_methods_instructions_targets_strings_and_lines_as_androguard(fixture: str) -> None:
    pytest.importorskip("androguard")
    compared = 0
    for name, data in dex_files(built()[fixture]):
        methods, instructions, problems = differences(data, name)
        assert problems == [], f"{fixture}/{name}"
        assert methods > 0 and instructions > 0
        compared += instructions
    assert compared > 0


def test_the_fixtures_exercise_payloads_handlers_lines_and_multidex() -> None:
    opcodes = {op for fixture in FIXTURES for name, data in dex_files(built()[fixture])
               for view in ours(data, name).values() for op in view.opcodes}
    assert {FILL_ARRAY_DATA_PAYLOAD, PACKED_SWITCH_PAYLOAD, SPARSE_SWITCH_PAYLOAD} <= opcodes
    assert len(opcodes) > 200  # most of the instruction set occurs somewhere
    assert any(view.lines for view in ours(MAIN_DEX, "classes.dex").values())
    assert [name for name, _ in dex_files(built()["apk"])] == ["classes.dex", "classes2.dex"]
    caught = 0
    for fixture in ("main", "zoo"):
        image = DexImage(built()[fixture].read_bytes(), "classes.dex")
        for method in (m for c in image.classes() for m in c.methods if m.code and m.code.tries):
            assert method.code is not None
            starts = {i.pc: i.name for i in image.instructions(method.code)}
            handlers = image.handler_addresses(method.code)
            assert handlers and all(a in starts for a in handlers)  # every handler starts an instruction
            caught += sum(starts[a] == "move-exception" for a in handlers)
    assert caught >= 3  # Check.verify's handler, the zoo's typed handler and its catch-all


def test_constants_reach_the_calls_that_use_them() -> None:
    views = _views(built()["apk"])
    crypto = _texts(views["com.example.vault.Crypto.decrypt(byte[], byte[])"])
    assert 'Cipher.getInstance("AES").init(2, new SecretKeySpec(p1, "AES/ECB/PKCS7Padding"));' in crypto
    check = _texts(views["com.example.vault.Check.verify(String)"])
    # a StringBuilder chain reads as a concatenation; constants and a static helper's result as arguments
    assert 'Log.d("CodeCheck", "AES error:" + v0.getMessage());' in check
    assert any('Check.hexToBytes("3f1a9c07d2b84e6aa1c55e0f9d2b7c41"), Base64.decode("q8ZtY3xW0bN2mP5rK7vL1c=="'
               in t for t in check)
    logger = _texts(views["com.example.vault.second.Logger.logLogin(String, String)"])
    assert logger == ['Log.d("Auth", "login password=" + p2);']  # found in classes2.dex


def test_paths_that_disagree_meet_as_a_choice() -> None:
    # (D8 shares one loadUrl between `if (…) loadUrl("https://…") else loadUrl(url)`.) At the join, a register
    # both paths define but with different values holds the choice, which the analysis follows into each part
    # as a conditional's; one only some paths define is forgotten; one all paths agree on is kept as it is.
    https, url, same = Value("str", "https://x", '"https://x"'), Value("expr", None, "url", Local("url")), \
        Value("int", 1, "1")
    met = meet([{0: https, 1: same, 2: https}, {0: url, 1: same}])
    assert met[1] is same and 2 not in met
    assert met[0].ir == Unknown("?:", (Const("https://x"), Local("url")))
    assert met[0].text == '("https://x" ?: url)'


def test_a_loop_forgets_what_its_body_overwrites() -> None:
    # for (String dir : System.getenv("PATH").split(":")) if (new File(dir, "su").exists()) …
    root = _texts(_views(built()["apk"])["com.example.vault.RootCheck.hasSu()"])
    assert root[0] == 'System.getenv("PATH").split(":");'
    assert any(t.startswith("if (new File(v") and t.endswith(', "su").exists())') for t in root)


def test_arrays_switches_and_source_lines() -> None:
    main = built()["main"]
    views = _views(main, all_app_code=True)
    assert _texts(views["com.example.vault.Arrays.someArrays()"])[0] == "this.ba = new byte[]{20, 30, 40, 50};"
    assert 'return "密碼\x00nul";' in _texts(views["com.example.vault.Arrays.classify(int)"])
    lines = {s.text: s.line for s in views["com.example.vault.Check.verify(String)"].statements}
    assert lines['Log.d("CodeCheck", "AES error:" + v0.getMessage());'] == 23


def test_findings_in_classes_dex_name_class_and_method() -> None:
    scanner = AppScanner(load_app_rules().for_scanner("app"))
    outcome = scanner.scan_target(built()["apk"], AppScanOptions())
    ecb = [f for f in outcome.findings if f.rule_id == "APP-022" and f.status.value == "fail"]
    assert ecb, [f.rule_id for f in outcome.findings]
    assert ecb[0].location is not None
    assert ecb[0].location.path == "classes.dex"
    # found by the program-model check (Cipher.getInstance("AES") means ECB); the DEX text's hit on the
    # "AES/ECB/PKCS7Padding" string of the same method is not reported again
    assert ecb[0].location.resource == "com.example.vault.Crypto.decrypt"
    assert ecb[0].location.line == 14
    assert ecb[0].evidence["class"] == "com.example.vault.Crypto"
    assert len(ecb) == 1
    assert not outcome.errors


_FOLDED = {("Ljava/lang/StringBuilder;", "<init>"), ("Ljava/lang/StringBuilder;", "append"),
           ("Ljava/lang/StringBuilder;", "toString"), ("Lkotlin/jvm/internal/Intrinsics;", "stringPlus"),
           ("Ljava/lang/String;", "valueOf")}


@pytest.mark.parametrize("fixture", ["main", "second", "apk"])
def test_program_model_holds_every_call_once_with_owner_and_line(fixture: str) -> None:
    for name, data in dex_files(built()[fixture]):
        lowered = lower(DexImage(data, name), [])
        models = {(c.name, m.name, m.params): m for c in lowered.program.classes for m in c.methods}
        image = DexImage(data, name)  # a second reading (one reading's budget is for reading the file once)
        bodies = {m.ref: m.code for c in image.classes() for m in c.methods}
        for view in lowered.views:
            if view.model is None:
                continue
            code = bodies[f"{view.cls}->{view.name}{view.proto}"]
            assert code is not None
            invokes = [image.method_parts(i.ref)[:2] for i in image.instructions(code) if i.op in INVOKE_OPS]
            expected = [f"{java_name(c)}.{n}" for c, n in invokes if (c, n) not in _FOLDED]
            model = models[(java_name(view.cls), view.name, view.model.params)]
            got = [f"{c.owner}.{c.name}" for c in method_calls(model)]
            assert sorted(got) == sorted(expected), view.label


def test_program_model_of_a_release_method() -> None:
    lowered = lower(DexImage(MAIN_DEX, "classes.dex"), [])
    cls = next(c for c in lowered.program.classes if c.name == "com.example.vault.Crypto")
    method = next(m for m in cls.methods if m.name == "decrypt")
    calls = {c.name: c for c in method_calls(method)}
    assert calls["getInstance"].owner == "javax.crypto.Cipher"
    assert calls["getInstance"].args == (Const("AES"),)
    assert calls["<init>"].owner == "javax.crypto.spec.SecretKeySpec"
    assert calls["<init>"].args == (Param(0, "p1"), Const("AES/ECB/PKCS7Padding"))
    assert "static" in method.modifiers and method.params == (("p1", "byte[]"), ("p2", "byte[]"))
    assert method.line == 13 and method.end_line >= 16  # lines from the debug info
    arrays = next(c for c in lower(DexImage(MAIN_DEX, "classes.dex"), [], all_app_code=True).program.classes
                  if c.name == "com.example.vault.Arrays")
    some = next(m for m in arrays.methods if m.name == "someArrays")
    assert any(isinstance(e, Assign) and e.target == FieldRef(None, "ba") and e.line == 12 for e in some.events)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0x70, len(MAIN_DEX) - 1), st.integers(0, 255)), min_size=1, max_size=6))
def test_damaged_bytecode_is_a_dex_error_or_a_reading(edits: list[tuple[int, int]]) -> None:
    data = bytearray(MAIN_DEX)
    for pos, value in edits:
        data[pos] = value
    errors: list[str] = []
    try:
        dex_text, view, model = bytecode_units(DexImage(bytes(data), "classes.dex"), errors)
    except DexError as exc:
        assert str(exc)
    else:
        assert dex_text.kind == "dex" and view.kind == "java" and model.language == "dex"
        assert all(isinstance(e, str) and e for e in errors)


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def test_code_items_shared_by_many_methods_stop_at_the_budget() -> None:
    # A hostile file: the first class's data replaced by 5,000 methods that all point at the largest code item
    dex = built()["zoo"].read_bytes()
    image = DexImage(dex, "classes.dex")
    methods = [m for c in image.classes() for m in c.methods if m.code]
    biggest = max(methods, key=lambda m: len(m.code.units) if m.code else 0)
    assert biggest.code is not None
    start = struct.unpack_from("<I", dex, 0x64)[0]
    code_off = next(off for off in range(0x70, len(dex) - 16)
                    if dex[off + 16:off + 16 + 2 * len(biggest.code.units)] == biggest.code.units.tobytes()
                    and struct.unpack_from("<I", dex, off + 12)[0] == len(biggest.code.units))
    entry = _uleb(0) + _uleb(1) + _uleb(code_off)
    class_data = _uleb(0) + _uleb(0) + _uleb(5000) + _uleb(0) + _uleb(biggest.index) + _uleb(1) + _uleb(code_off)
    class_data += entry * 4999
    hostile = bytearray(dex) + class_data
    struct.pack_into("<I", hostile, start + 24, len(dex))  # class_defs[0].class_data_off
    with pytest.raises(DexError, match="MAX_DEX_WORK_FACTOR"):
        list(DexImage(bytes(hostile), "classes.dex").classes())
