"""Per-method comparison of our DEX code reader with androguard (an independent parser), for the
differential tests and the benchmark: opcodes in order, invoke targets, const-string values, line tables."""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from csmguard.scanners.app.dalvik import INVOKE_OPS, PAYLOAD_NAMES
from csmguard.scanners.app.dexcode import DexImage

STRING_OPS = (0x1A, 0x1B)


@dataclass
class MethodView:
    """What both readers are asked about one method."""

    opcodes: list[int] = field(default_factory=list)
    invokes: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    lines: list[tuple[int, int]] = field(default_factory=list)


def dex_files(path: Path) -> list[tuple[str, bytes]]:
    """The classes*.dex of an APK (or the file itself when it is a DEX)."""
    if path.suffix == ".dex":
        return [(path.name, path.read_bytes())]
    with zipfile.ZipFile(path) as zf:
        return [(n, zf.read(n)) for n in sorted(zf.namelist()) if n.startswith("classes") and n.endswith(".dex")]


def ours(data: bytes, name: str) -> dict[str, MethodView]:
    """Our reader's view of every method with code, by ``Lcls;->name(params)ret``."""
    image = DexImage(data, name)
    out: dict[str, MethodView] = {}
    for cls in image.classes():
        for method in cls.methods:
            if method.code is None:
                continue
            view = MethodView()
            for insn in image.instructions(method.code):
                view.opcodes.append(insn.op)
                if insn.op in INVOKE_OPS:
                    view.invokes.append(image.method_ref(insn.ref))
                elif insn.op in STRING_OPS:
                    view.strings.append(image.string(insn.ref))
            view.lines = image.line_table(method.code)
            out[method.ref] = view
    return out


def _lines(debug: object) -> list[tuple[int, int]]:
    """The (address, line) entries from androguard's decoded debug-info program."""
    line = debug.get_line_start()  # type: ignore[attr-defined]
    address = 0
    out: list[tuple[int, int]] = []
    for op in debug.get_bytecodes():  # type: ignore[attr-defined]
        value = op.get_op_value()
        if value == 0x01:
            address += op.format[0][0]
        elif value == 0x02:
            line += op.format[0][0]
        elif value >= 0x0A:
            adjusted = value - 0x0A
            line += -4 + adjusted % 15
            address += adjusted // 15
            out.append((address, line))
    return out


def theirs(data: bytes) -> dict[str, MethodView]:
    """androguard's view of every method with code."""
    from androguard.core.dex import DEX, DebugInfoItem  # type: ignore[import-untyped]  # test-only dependency
    from loguru import logger

    logger.remove()
    logging.getLogger("androguard").setLevel(logging.ERROR)
    dex = DEX(data)
    out: dict[str, MethodView] = {}
    for method in dex.get_encoded_methods():
        code = method.get_code()
        if not code:
            continue
        view = MethodView()
        for insn in code.get_bc().get_instructions():
            op = insn.get_op_value()
            view.opcodes.append(op)
            if op in INVOKE_OPS:
                view.invokes.append(insn.get_translated_kind().replace(" ", ""))  # it spaces the parameters
            elif op in STRING_OPS:
                view.strings.append(insn.get_raw_string())
        if code.get_debug_info_off():
            # (androguard's own get_debug() seeks on an object that cannot seek: read the item directly)
            buff = io.BytesIO(data)
            buff.seek(code.get_debug_info_off())
            view.lines = _lines(DebugInfoItem(buff, dex.CM))
        ref = f"{method.get_class_name()}->{method.get_name()}{method.get_descriptor().replace(' ', '')}"
        out[ref] = view
    return out


def differences(data: bytes, name: str, limit: int = 10) -> tuple[int, int, list[str]]:
    """(methods compared, instructions compared, the first ``limit`` differences)."""
    a, b = ours(data, name), theirs(data)
    problems: list[str] = []
    if set(a) != set(b):
        problems.append(f"methods only ours: {sorted(set(a) - set(b))[:3]}, only androguard: "
                        f"{sorted(set(b) - set(a))[:3]}")
    count = 0
    for ref in sorted(set(a) & set(b)):
        x, y = a[ref], b[ref]
        count += len(x.opcodes)
        for what in ("opcodes", "invokes", "strings", "lines"):
            if getattr(x, what) != getattr(y, what):
                problems.append(f"{ref}: {what} differ: {getattr(x, what)[:8]} / {getattr(y, what)[:8]}")
        if len(problems) >= limit:
            break
    return len(a), count, problems


PAYLOADS = tuple(PAYLOAD_NAMES)
