"""The Dalvik instruction set as data: each opcode's name and format, and the decoding of one instruction.

Formats follow the Dalvik bytecode specification ("Dalvik bytecode" and "Dalvik executable instruction
formats" in the Android source documentation): a format name such as ``35c`` gives the size in 16-bit code
units (first digit), the number of registers (second) and the kind of extra data (``c`` a pool index, ``t`` a
branch offset, ``s``/``i``/``l``/``h``/``n``/``b`` literals). The three payload pseudo-instructions
(packed-switch, sparse-switch, fill-array-data) start with a ``nop`` whose high byte is 1, 2 or 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

PACKED_SWITCH_PAYLOAD = 0x100
SPARSE_SWITCH_PAYLOAD = 0x200
FILL_ARRAY_DATA_PAYLOAD = 0x300
PAYLOAD_NAMES = {PACKED_SWITCH_PAYLOAD: "packed-switch-payload", SPARSE_SWITCH_PAYLOAD: "sparse-switch-payload",
                 FILL_ARRAY_DATA_PAYLOAD: "fill-array-data-payload"}

# What a pool index of a ``c`` format names.
INDEX_STRING, INDEX_TYPE, INDEX_FIELD, INDEX_METHOD, INDEX_PROTO, INDEX_CALL_SITE, INDEX_HANDLE = range(1, 8)


def _table() -> tuple[list[str | None], list[str | None], list[int]]:
    names: list[str | None] = [None] * 256
    formats: list[str | None] = [None] * 256
    kinds = [0] * 256

    def put(first: int, fmt: str, *ops: str, kind: int = 0) -> None:
        for k, name in enumerate(ops):
            names[first + k] = name
            formats[first + k] = fmt
            kinds[first + k] = kind

    put(0x00, "10x", "nop")
    put(0x01, "12x", "move")
    put(0x02, "22x", "move/from16")
    put(0x03, "32x", "move/16")
    put(0x04, "12x", "move-wide")
    put(0x05, "22x", "move-wide/from16")
    put(0x06, "32x", "move-wide/16")
    put(0x07, "12x", "move-object")
    put(0x08, "22x", "move-object/from16")
    put(0x09, "32x", "move-object/16")
    put(0x0A, "11x", "move-result", "move-result-wide", "move-result-object", "move-exception")
    put(0x0E, "10x", "return-void")
    put(0x0F, "11x", "return", "return-wide", "return-object")
    put(0x12, "11n", "const/4")
    put(0x13, "21s", "const/16")
    put(0x14, "31i", "const")
    put(0x15, "21h", "const/high16")
    put(0x16, "21s", "const-wide/16")
    put(0x17, "31i", "const-wide/32")
    put(0x18, "51l", "const-wide")
    put(0x19, "21h", "const-wide/high16")
    put(0x1A, "21c", "const-string", kind=INDEX_STRING)
    put(0x1B, "31c", "const-string/jumbo", kind=INDEX_STRING)
    put(0x1C, "21c", "const-class", kind=INDEX_TYPE)
    put(0x1D, "11x", "monitor-enter", "monitor-exit")
    put(0x1F, "21c", "check-cast", kind=INDEX_TYPE)
    put(0x20, "22c", "instance-of", kind=INDEX_TYPE)
    put(0x21, "12x", "array-length")
    put(0x22, "21c", "new-instance", kind=INDEX_TYPE)
    put(0x23, "22c", "new-array", kind=INDEX_TYPE)
    put(0x24, "35c", "filled-new-array", kind=INDEX_TYPE)
    put(0x25, "3rc", "filled-new-array/range", kind=INDEX_TYPE)
    put(0x26, "31t", "fill-array-data")
    put(0x27, "11x", "throw")
    put(0x28, "10t", "goto")
    put(0x29, "20t", "goto/16")
    put(0x2A, "30t", "goto/32")
    put(0x2B, "31t", "packed-switch", "sparse-switch")
    put(0x2D, "23x", "cmpl-float", "cmpg-float", "cmpl-double", "cmpg-double", "cmp-long")
    put(0x32, "22t", "if-eq", "if-ne", "if-lt", "if-ge", "if-gt", "if-le")
    put(0x38, "21t", "if-eqz", "if-nez", "if-ltz", "if-gez", "if-gtz", "if-lez")
    put(0x44, "23x", "aget", "aget-wide", "aget-object", "aget-boolean", "aget-byte", "aget-char", "aget-short",
        "aput", "aput-wide", "aput-object", "aput-boolean", "aput-byte", "aput-char", "aput-short")
    put(0x52, "22c", "iget", "iget-wide", "iget-object", "iget-boolean", "iget-byte", "iget-char", "iget-short",
        "iput", "iput-wide", "iput-object", "iput-boolean", "iput-byte", "iput-char", "iput-short", kind=INDEX_FIELD)
    put(0x60, "21c", "sget", "sget-wide", "sget-object", "sget-boolean", "sget-byte", "sget-char", "sget-short",
        "sput", "sput-wide", "sput-object", "sput-boolean", "sput-byte", "sput-char", "sput-short", kind=INDEX_FIELD)
    put(0x6E, "35c", "invoke-virtual", "invoke-super", "invoke-direct", "invoke-static", "invoke-interface",
        kind=INDEX_METHOD)
    put(0x74, "3rc", "invoke-virtual/range", "invoke-super/range", "invoke-direct/range", "invoke-static/range",
        "invoke-interface/range", kind=INDEX_METHOD)
    put(0x7B, "12x", "neg-int", "not-int", "neg-long", "not-long", "neg-float", "neg-double", "int-to-long",
        "int-to-float", "int-to-double", "long-to-int", "long-to-float", "long-to-double", "float-to-int",
        "float-to-long", "float-to-double", "double-to-int", "double-to-long", "double-to-float", "int-to-byte",
        "int-to-char", "int-to-short")
    arith = ("add", "sub", "mul", "div", "rem", "and", "or", "xor", "shl", "shr", "ushr")
    fp = ("add", "sub", "mul", "div", "rem")
    binops = [f"{op}-int" for op in arith] + [f"{op}-long" for op in arith] + [f"{op}-float" for op in fp] + [
        f"{op}-double" for op in fp]
    put(0x90, "23x", *binops)
    put(0xB0, "12x", *(f"{op}/2addr" for op in binops))
    put(0xD0, "22s", "add-int/lit16", "rsub-int", "mul-int/lit16", "div-int/lit16", "rem-int/lit16", "and-int/lit16",
        "or-int/lit16", "xor-int/lit16")
    put(0xD8, "22b", "add-int/lit8", "rsub-int/lit8", "mul-int/lit8", "div-int/lit8", "rem-int/lit8", "and-int/lit8",
        "or-int/lit8", "xor-int/lit8", "shl-int/lit8", "shr-int/lit8", "ushr-int/lit8")
    put(0xFA, "45cc", "invoke-polymorphic", kind=INDEX_METHOD)
    put(0xFB, "4rcc", "invoke-polymorphic/range", kind=INDEX_METHOD)
    put(0xFC, "35c", "invoke-custom", kind=INDEX_CALL_SITE)
    put(0xFD, "3rc", "invoke-custom/range", kind=INDEX_CALL_SITE)
    put(0xFE, "21c", "const-method-handle", kind=INDEX_HANDLE)
    put(0xFF, "21c", "const-method-type", kind=INDEX_PROTO)
    return names, formats, kinds


NAMES, FORMATS, INDEX_KINDS = _table()
# Code units of each opcode (0 for the unused ones, which the verifier refuses).
SIZES = [int(f[0]) if f else 0 for f in FORMATS]

INVOKE_OPS = frozenset(range(0x6E, 0x73)) | frozenset(range(0x74, 0x79)) | {0xFA, 0xFB}
BRANCH_OPS = frozenset({0x28, 0x29, 0x2A}) | frozenset(range(0x32, 0x3E))
SWITCH_OPS = frozenset({0x2B, 0x2C})
# Instructions after which execution does not fall through.
END_OPS = frozenset({0x0E, 0x0F, 0x10, 0x11, 0x27, 0x28, 0x29, 0x2A})


class Insn(NamedTuple):
    """One decoded instruction: its address (code units from the method start), opcode (a payload's ident
    for payloads), size in code units, registers (``regs``: in the order the format lists them, the
    destination first where there is one), pool index ``ref`` (-1 when none), literal (None when none) and branch or
    payload target (an address, None when none)."""

    pc: int
    op: int
    size: int
    regs: tuple[int, ...]
    ref: int = -1
    literal: int | None = None
    target: int | None = None

    @property
    def name(self) -> str:
        """The mnemonic (``invoke-virtual``, ``fill-array-data-payload`` …)."""
        return PAYLOAD_NAMES.get(self.op) or NAMES[self.op] or f"unused-{self.op:02x}"


def _s8(v: int) -> int:
    return v - 0x100 if v & 0x80 else v


def _s16(v: int) -> int:
    return v - 0x10000 if v & 0x8000 else v


def _s32(v: int) -> int:
    return v - 0x1_0000_0000 if v & 0x8000_0000 else v


def decode(u: Sequence[int], pc: int, end: int) -> Insn:
    """Decode the instruction at ``pc`` of the code units ``u`` (which end at ``end``); ValueError when it
    is unused, runs past the end or is a malformed payload."""
    first = u[pc]
    op = first & 0xFF
    if op == 0 and first in PAYLOAD_NAMES:
        return _payload(u, pc, end, first)
    fmt = FORMATS[op]
    if fmt is None:
        raise ValueError(f"unused opcode 0x{op:02x} at {pc}")
    size = SIZES[op]
    if pc + size > end:
        raise ValueError(f"{NAMES[op]} at {pc} runs past the end of the code")
    hi = first >> 8
    if fmt == "10x":
        return Insn(pc, op, 1, ())
    if fmt == "12x":
        return Insn(pc, op, 1, (hi & 0xF, hi >> 4))
    if fmt == "11n":
        lit = hi >> 4
        return Insn(pc, op, 1, (hi & 0xF,), literal=lit - 16 if lit & 8 else lit)
    if fmt == "11x":
        return Insn(pc, op, 1, (hi,))
    if fmt == "10t":
        return Insn(pc, op, 1, (), target=pc + _s8(hi))
    u1 = u[pc + 1]
    if fmt == "21c":
        return Insn(pc, op, 2, (hi,), ref=u1)
    if fmt == "22c":
        return Insn(pc, op, 2, (hi & 0xF, hi >> 4), ref=u1)
    if fmt == "23x":
        return Insn(pc, op, 2, (hi, u1 & 0xFF, u1 >> 8))
    if fmt == "22x":
        return Insn(pc, op, 2, (hi, u1))
    if fmt == "21t":
        return Insn(pc, op, 2, (hi,), target=pc + _s16(u1))
    if fmt == "21s":
        return Insn(pc, op, 2, (hi,), literal=_s16(u1))
    if fmt == "21h":
        shift = 48 if op == 0x19 else 16
        return Insn(pc, op, 2, (hi,), literal=_s16(u1) << shift)
    if fmt == "20t":
        return Insn(pc, op, 2, (), target=pc + _s16(u1))
    if fmt == "22b":
        return Insn(pc, op, 2, (hi, u1 & 0xFF), literal=_s8(u1 >> 8))
    if fmt == "22t":
        return Insn(pc, op, 2, (hi & 0xF, hi >> 4), target=pc + _s16(u1))
    if fmt == "22s":
        return Insn(pc, op, 2, (hi & 0xF, hi >> 4), literal=_s16(u1))
    u2 = u[pc + 2]
    if fmt in ("35c", "45cc"):
        count = hi >> 4
        if count > 5:
            raise ValueError(f"{NAMES[op]} at {pc} names {count} registers (at most 5)")
        regs = (u2 & 0xF, (u2 >> 4) & 0xF, (u2 >> 8) & 0xF, u2 >> 12, hi & 0xF)[:count]
        if fmt == "45cc":
            return Insn(pc, op, 4, regs, ref=u1, literal=u[pc + 3])
        return Insn(pc, op, 3, regs, ref=u1)
    if fmt in ("3rc", "4rcc"):
        regs = tuple(range(u2, u2 + hi))
        if fmt == "4rcc":
            return Insn(pc, op, 4, regs, ref=u1, literal=u[pc + 3])
        return Insn(pc, op, 3, regs, ref=u1)
    wide = u1 | (u2 << 16)
    if fmt == "31c":
        return Insn(pc, op, 3, (hi,), ref=wide)
    if fmt == "31i":
        return Insn(pc, op, 3, (hi,), literal=_s32(wide))
    if fmt == "31t":
        return Insn(pc, op, 3, (hi,), target=pc + _s32(wide))
    if fmt == "30t":
        return Insn(pc, op, 3, (), target=pc + _s32(wide))
    if fmt == "32x":
        return Insn(pc, op, 3, (u1, u2))
    # 51l
    value = wide | (u[pc + 3] << 32) | (u[pc + 4] << 48)
    return Insn(pc, op, 5, (hi,), literal=value - (1 << 64) if value >> 63 else value)


def _payload(u: Sequence[int], pc: int, end: int, ident: int) -> Insn:
    if pc + (2 if ident == SPARSE_SWITCH_PAYLOAD else 4) > end:
        raise ValueError(f"{PAYLOAD_NAMES[ident]} at {pc} runs past the end of the code")
    count = u[pc + 1]
    if ident == PACKED_SWITCH_PAYLOAD:
        size = 4 + 2 * count
    elif ident == SPARSE_SWITCH_PAYLOAD:
        size = 2 + 4 * count
    else:
        count = u[pc + 2] | (u[pc + 3] << 16)
        width = u[pc + 1]
        size = 4 + (count * width + 1) // 2
    if pc + size > end:
        raise ValueError(f"{PAYLOAD_NAMES[ident]} at {pc} ({size} code units) runs past the end of the code")
    return Insn(pc, ident, size, (), literal=count)


def switch_targets(u: Sequence[int], switch: Insn, payload: Insn) -> list[int]:
    """The case targets of a packed- or sparse-switch, as addresses (relative to the switch instruction)."""
    base = payload.pc
    count = payload.literal or 0
    first = base + (4 if payload.op == PACKED_SWITCH_PAYLOAD else 2 + 2 * count)
    return [switch.pc + _s32(u[first + 2 * k] | (u[first + 2 * k + 1] << 16)) for k in range(count)]


def array_values(u: Sequence[int], payload: Insn) -> list[int]:
    """The elements of a fill-array-data payload as signed integers (element width 1, 2, 4 or 8 bytes)."""
    width = u[payload.pc + 1]
    count = payload.literal or 0
    raw = b"".join(u[payload.pc + 4 + k].to_bytes(2, "little") for k in range((count * width + 1) // 2))
    return [int.from_bytes(raw[k * width:(k + 1) * width], "little", signed=True) for k in range(count)] \
        if width in (1, 2, 4, 8) else []
