"""The code of a DEX file: classes, their methods and static field values, method bodies and line tables.

Built on the pools of :mod:`dex` (strings, types, member ids), it reads ``class_defs``, each class's
``class_data`` (encoded fields and methods), every ``code_item`` (registers, instructions, try blocks) and
``debug_info`` line programs, and decodes instructions with :mod:`dalvik`. Every offset and count is checked
against the file before it is used, and the code units decoded across the file are capped (a hostile file
may point many methods at one huge code item): a malformed file raises :class:`DexError`, never loops.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from csmguard.scanners.app.dalvik import (
    FORMATS,
    INDEX_FIELD,
    INDEX_KINDS,
    INDEX_METHOD,
    INDEX_STRING,
    INDEX_TYPE,
    PAYLOAD_NAMES,
    SIZES,
    Insn,
    decode,
)
from csmguard.scanners.app.dex import DexError, member_ids, member_refs, string_pool, type_pool
from csmguard.scanners.app.facts import DexFacts
from csmguard.scanning.budget import MAX_DEX_WORK_FACTOR, BudgetExceeded

ACC_STATIC = 0x8
NO_INDEX = 0xFFFFFFFF
_BIG_ENDIAN = sys.byteorder == "big"


class _Reader:
    """ULEB128/SLEB128 and fixed-width reads from ``data`` at ``pos``, each bounds-checked."""

    __slots__ = ("data", "pos", "size")

    def __init__(self, data: bytes, pos: int, what: str) -> None:
        if not 0 < pos < len(data):
            raise DexError(f"{what} offset {pos} lies outside the file")
        self.data = data
        self.pos = pos
        self.size = len(data)

    def uleb(self) -> int:
        result = shift = 0
        data, pos = self.data, self.pos
        for _ in range(5):
            if pos >= self.size:
                raise DexError("a LEB128 value runs past the end of the file")
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                self.pos = pos
                return result & 0xFFFFFFFF
            shift += 7
        raise DexError("a LEB128 value is longer than 5 bytes")

    def sleb(self) -> int:
        start = self.pos
        value = self.uleb()
        bits = min(32, 7 * (self.pos - start))
        value &= (1 << bits) - 1
        return value - (1 << bits) if value >> (bits - 1) else value

    def u8(self) -> int:
        if self.pos >= self.size:
            raise DexError("a value runs past the end of the file")
        self.pos += 1
        return self.data[self.pos - 1]

    def raw(self, n: int) -> bytes:
        if self.pos + n > self.size:
            raise DexError("a value runs past the end of the file")
        self.pos += n
        return self.data[self.pos - n:self.pos]


@dataclass(frozen=True, slots=True)
class CodeItem:
    """A method body: register counts, the code units, the try blocks and the debug-info offset."""

    registers: int
    ins: int
    outs: int
    units: array[int]
    debug_off: int
    tries: tuple[tuple[int, int, int], ...]  # (start address, code units covered, handler list offset)
    handler_list_off: int  # file offset of the encoded_catch_handler_list (0 when there are no tries)


@dataclass(frozen=True, slots=True)
class DexMethod:
    """A method defined in the file: its class, name, descriptor, access flags and body (None when abstract
    or native)."""

    cls: str
    name: str
    proto: str
    access: int
    code: CodeItem | None
    index: int

    @property
    def ref(self) -> str:
        """``Lpkg/Cls;->name(params)ret``."""
        return f"{self.cls}->{self.name}{self.proto}"


@dataclass(frozen=True, slots=True)
class DexClass:
    """A class defined in the file."""

    name: str
    superclass: str | None
    interfaces: tuple[str, ...]
    source_file: str | None
    access: int
    methods: tuple[DexMethod, ...]
    static_fields: tuple[str, ...]  # field names, in the order of the encoded static fields
    static_values: dict[str, object] = field(default_factory=dict)  # name → initial value where given
    fields: tuple[tuple[str, str, int], ...] = ()  # (name, type descriptor, access flags), static ones first


class DexImage:
    """One DEX file read for its code; classes are read on demand by :meth:`classes`."""

    def __init__(self, data: bytes, path: str) -> None:
        self.data = data
        self.path = path
        self.strings = string_pool(data)
        self.types = type_pool(data, self.strings)
        n_types, n_strings = len(self.types), len(self.strings)
        self._method_ids = member_ids(data, 0x58, "method_ids", n_types, n_strings)
        self._field_ids = member_ids(data, 0x50, "field_ids", n_types, n_strings)
        self._proto_size, self._proto_off = struct.unpack_from("<2I", data, 0x48)
        if self._proto_size and (self._proto_off < 0x70 or self._proto_off + 12 * self._proto_size > len(data)):
            raise DexError(f"proto_ids section (offset {self._proto_off}) lies outside the file")
        self._class_size, self._class_off = struct.unpack_from("<2I", data, 0x60)
        if self._class_size and (self._class_off < 0x70 or self._class_off + 32 * self._class_size > len(data)):
            raise DexError(f"class_defs section (offset {self._class_off}) lies outside the file")
        self._protos: dict[int, str] = {}
        self._refs: dict[tuple[int, int], str] = {}
        # id(code item) → (the item, kept alive so that its id is not reused, and its references)
        self._code_refs: dict[int, tuple[CodeItem, list[str]]] = {}
        self._work = 0
        self._work_cap = MAX_DEX_WORK_FACTOR * len(data)

    # -- pools ------------------------------------------------------------------------------------------
    def facts(self) -> DexFacts:
        """The string-table facts of :func:`dex.read_dex`, from the pools already read."""
        return DexFacts(self.path, tuple(self.strings), tuple(self.types),
                        tuple(member_refs(self._method_ids, self.types, self.strings)),
                        tuple(member_refs(self._field_ids, self.types, self.strings)))

    @property
    def method_count(self) -> int:
        """The number of method ids."""
        return len(self._method_ids) // 4

    @property
    def field_count(self) -> int:
        """The number of field ids."""
        return len(self._field_ids) // 4

    def type_list(self, offset: int) -> tuple[str, ...]:
        """The types of a ``type_list`` at ``offset`` (0: none)."""
        if not offset:
            return ()
        if offset + 4 > len(self.data):
            raise DexError(f"type list offset {offset} lies outside the file")
        (count,) = struct.unpack_from("<I", self.data, offset)
        if offset + 4 + 2 * count > len(self.data):
            raise DexError(f"type list at {offset} runs past the end of the file")
        n = len(self.types)
        idx = struct.unpack_from(f"<{count}H", self.data, offset + 4)
        if any(i >= n for i in idx):
            raise DexError("a type list names a type that does not exist")
        return tuple(self.types[i] for i in idx)

    def proto(self, index: int) -> str:
        """The descriptor ``(params)ret`` of a proto id."""
        cached = self._protos.get(index)
        if cached is not None:
            return cached
        if index >= self._proto_size:
            raise DexError(f"proto index {index} does not exist")
        _shorty, ret, params = struct.unpack_from("<3I", self.data, self._proto_off + 12 * index)
        if ret >= len(self.types):
            raise DexError("a proto names a return type that does not exist")
        text = f"({''.join(self.type_list(params))}){self.types[ret]}"
        self._protos[index] = text
        return text

    def method_parts(self, index: int) -> tuple[str, str, str]:
        """(class, name, descriptor) of a method id; DexError when the index does not exist."""
        if index >= self.method_count:
            raise DexError(f"method index {index} does not exist")
        raw = self._method_ids
        k = 4 * index
        return self.types[raw[k]], self.strings[raw[k + 2] | (raw[k + 3] << 16)], self.proto(raw[k + 1])

    def method_ref(self, index: int) -> str:
        """``Lcls;->name(params)ret`` of a method id."""
        cls, name, proto = self.method_parts(index)
        return f"{cls}->{name}{proto}"

    def field_parts(self, index: int) -> tuple[str, str, str]:
        """(class, name, type) of a field id."""
        if index >= self.field_count:
            raise DexError(f"field index {index} does not exist")
        raw = self._field_ids
        k = 4 * index
        if raw[k + 1] >= len(self.types):
            raise DexError("a field_id names a type that does not exist")
        return self.types[raw[k]], self.strings[raw[k + 2] | (raw[k + 3] << 16)], self.types[raw[k + 1]]

    def field_ref(self, index: int) -> str:
        """``Lcls;->name:Ltype;`` of a field id."""
        cls, name, typ = self.field_parts(index)
        return f"{cls}->{name}:{typ}"

    def string(self, index: int) -> str:
        """A string of the pool; DexError when the index does not exist."""
        if index >= len(self.strings):
            raise DexError(f"string index {index} does not exist")
        return self.strings[index]

    def type(self, index: int) -> str:
        """A type descriptor; DexError when the index does not exist."""
        if index >= len(self.types):
            raise DexError(f"type index {index} does not exist")
        return self.types[index]

    def reference(self, kind: int, index: int) -> str | None:
        """The reference line of a pool index of an instruction (``dalvik.INDEX_*``): the string, the type
        descriptor, or ``Lcls;->name`` of a method or field; None for the other kinds."""
        key = (kind, index)
        cached = self._refs.get(key)
        if cached is not None:
            return cached
        if kind == INDEX_STRING:
            text = self.string(index)
        elif kind == INDEX_TYPE:
            text = self.type(index)
        elif kind == INDEX_METHOD:
            cls, name, _ = self.method_parts(index)
            text = f"{cls}->{name}"
        elif kind == INDEX_FIELD:
            cls, name, _ = self.field_parts(index)
            text = f"{cls}->{name}"
        else:
            return None
        self._refs[key] = text
        return text

    def references(self, code: CodeItem) -> list[str]:
        """The distinct references of a body's instructions in order, read without decoding operands."""
        cached = self._code_refs.get(id(code))
        if cached is not None:
            return cached[1]
        out = self._references(code)
        self._code_refs[id(code)] = (code, out)
        return out

    def _references(self, code: CodeItem) -> list[str]:
        units = code.units
        end = len(units)
        out: list[str] = []
        seen: set[str] = set()
        kinds, sizes = INDEX_KINDS, SIZES
        pc = 0
        while pc < end:
            first = units[pc]
            op = first & 0xFF
            size = sizes[op]
            if (op == 0 and first in PAYLOAD_NAMES) or not size:
                try:
                    size = decode(units, pc, end).size
                except ValueError as exc:
                    raise DexError(str(exc)) from exc
            elif kinds[op]:
                if pc + size > end:
                    raise DexError(f"instruction at {pc} runs past the end of the code")
                index = units[pc + 1] | (units[pc + 2] << 16) if op == 0x1B else units[pc + 1]
                text = self.reference(kinds[op], index)
                if text is not None and text not in seen:
                    seen.add(text)
                    out.append(text)
            pc += size
        return out

    # -- classes ----------------------------------------------------------------------------------------
    def _spend(self, units: int) -> None:
        self._work += units
        if self._work > self._work_cap:
            raise DexError(str(BudgetExceeded(
                f"MAX_DEX_WORK_FACTOR={MAX_DEX_WORK_FACTOR}",
                "the file's code items and line programs are read more often than its size allows "
                "(shared code items?)")))

    def classes(self) -> Iterator[DexClass]:
        """The classes defined in the file, in ``class_defs`` order."""
        data = self.data
        for k in range(self._class_size):
            (cls, access, sup, ifaces, src, _annotations, class_data, static_values) = struct.unpack_from(
                "<8I", data, self._class_off + 32 * k)
            name = self.type(cls)
            superclass = None if sup == NO_INDEX else self.type(sup)
            source = None if src == NO_INDEX else self.string(src)
            methods: list[DexMethod] = []
            statics: list[str] = []
            fields: list[tuple[str, str, int]] = []
            if class_data:
                methods, fields = self._class_data(class_data)
                statics = [f[0] for f in fields if f[2] & ACC_STATIC]
            values: dict[str, object] = {}
            if static_values and statics:
                reader = _Reader(data, static_values, "static values")
                count = reader.uleb()
                self._spend(count)
                for position in range(count):
                    value = self._value(reader, 0)
                    if position < len(statics):
                        values[statics[position]] = value
            yield DexClass(name, superclass, self.type_list(ifaces), source, access, tuple(methods), tuple(statics),
                           values, tuple(fields))

    def _class_data(self, offset: int) -> tuple[list[DexMethod], list[tuple[str, str, int]]]:
        reader = _Reader(self.data, offset, "class data")
        n_static, n_instance, n_direct, n_virtual = (reader.uleb() for _ in range(4))
        self._spend(n_static + n_instance + n_direct + n_virtual)
        fields: list[tuple[str, str, int]] = []
        index = 0
        for k in range(n_static + n_instance):
            index = (0 if k in (0, n_static) else index) + reader.uleb()
            access = reader.uleb()
            _cls, name, typ = self.field_parts(index)
            fields.append((name, typ, access | (ACC_STATIC if k < n_static else 0)))
        methods: list[DexMethod] = []
        for k in range(n_direct + n_virtual):
            index = (0 if k in (0, n_direct) else index) + reader.uleb()
            access = reader.uleb()
            code_off = reader.uleb()
            cls, name, proto = self.method_parts(index)
            methods.append(DexMethod(cls, name, proto, access, self._code(code_off) if code_off else None, index))
        return methods, fields

    def _code(self, offset: int) -> CodeItem:
        data = self.data
        if offset + 16 > len(data) or offset < 0x70:
            raise DexError(f"code item offset {offset} lies outside the file")
        registers, ins, outs, tries_size, debug_off, size = struct.unpack_from("<4H2I", data, offset)
        start = offset + 16
        end = start + 2 * size
        if end > len(data):
            raise DexError(f"code item at {offset} ({size} code units) runs past the end of the file")
        self._spend(size)
        units = array("H", data[start:end])
        if _BIG_ENDIAN:
            units.byteswap()
        tries: tuple[tuple[int, int, int], ...] = ()
        handlers = 0
        if tries_size:
            at = end + (2 if size % 2 else 0)
            if at + 8 * tries_size > len(data):
                raise DexError(f"try items of the code item at {offset} run past the end of the file")
            raw = struct.unpack_from(f"<{2 * tries_size}I", data, at)  # u4 start, u2 count + u2 handler as one u4
            tries = tuple((raw[k], raw[k + 1] & 0xFFFF, raw[k + 1] >> 16) for k in range(0, len(raw), 2))
            handlers = at + 8 * tries_size
        return CodeItem(registers, ins, outs, units, debug_off, tries, handlers)

    def _value(self, reader: _Reader, depth: int) -> object:
        """One ``encoded_value``: numbers, strings, types, fields, methods, null, booleans and arrays as
        Python values; annotations and method handles as their kind (never needed as constants)."""
        if depth > 32:
            raise DexError("encoded values nested deeper than 32 levels")
        head = reader.u8()
        kind, arg = head & 0x1F, head >> 5
        if kind == 0x1C:
            count = reader.uleb()
            self._spend(count)
            return [self._value(reader, depth + 1) for _ in range(count)]
        if kind == 0x1D:
            reader.uleb()
            count = reader.uleb()
            self._spend(count)
            for _ in range(count):
                reader.uleb()
                self._value(reader, depth + 1)
            return "<annotation>"
        if kind == 0x1E:
            return None
        if kind == 0x1F:
            return bool(arg)
        raw = reader.raw(arg + 1)
        if kind in (0x00, 0x02, 0x04, 0x06):  # byte, short, int, long: sign-extended
            return int.from_bytes(raw, "little", signed=True)
        if kind == 0x03:  # char
            return int.from_bytes(raw, "little")
        if kind == 0x10:  # float: the bytes are the high-order ones, zero-extended to the right
            return struct.unpack("<f", raw.rjust(4, b"\x00"))[0]
        if kind == 0x11:
            return struct.unpack("<d", raw.rjust(8, b"\x00"))[0]
        index = int.from_bytes(raw, "little")
        if kind == 0x17:
            return self.string(index)
        if kind == 0x18:
            return ("type", self.type(index))
        if kind in (0x19, 0x1B):
            return ("field", self.field_ref(index))
        if kind == 0x1A:
            return ("method", self.method_ref(index))
        if kind in (0x15, 0x16):
            return ("handle", index)
        raise DexError(f"unknown encoded value type 0x{kind:02x}")

    # -- code -------------------------------------------------------------------------------------------
    def instructions(self, code: CodeItem) -> list[Insn]:
        """Every instruction of a method body in address order, payload pseudo-instructions included."""
        units = code.units
        end = len(units)
        out: list[Insn] = []
        pc = 0
        try:
            while pc < end:
                insn = decode(units, pc, end)
                out.append(insn)
                pc += insn.size
        except ValueError as exc:
            raise DexError(str(exc)) from exc
        return out

    def handler_addresses(self, code: CodeItem) -> set[int]:
        """The addresses of the exception handlers of a method body."""
        if not code.tries:
            return set()
        reader = _Reader(self.data, code.handler_list_off, "catch handlers")
        count = reader.uleb()
        self._spend(count)
        out: set[int] = set()
        for _ in range(count):
            size = reader.sleb()
            self._spend(abs(size))
            for _ in range(abs(size)):
                reader.uleb()
                out.add(reader.uleb())
            if size <= 0:
                out.add(reader.uleb())
        return out

    def line_table(self, code: CodeItem) -> list[tuple[int, int]]:
        """The (address, source line) entries of the body's debug info, in program order; [] without it."""
        if not code.debug_off:
            return []
        reader = _Reader(self.data, code.debug_off, "debug info")
        line = reader.uleb()
        params = reader.uleb()
        self._spend(params)
        for _ in range(params):
            reader.uleb()
        address = 0
        out: list[tuple[int, int]] = []
        budget = len(self.data)
        while budget:
            budget -= 1
            op = reader.u8()
            if op == 0x00:
                self._spend(len(out))
                return out
            if op == 0x01:
                address += reader.uleb()
            elif op == 0x02:
                line += reader.sleb()
            elif op in (0x03, 0x04):
                for _ in range(3 if op == 0x03 else 4):
                    reader.uleb()
            elif op in (0x05, 0x06, 0x09):
                reader.uleb()
            elif op >= 0x0A:
                adjusted = op - 0x0A
                line += -4 + adjusted % 15
                address += adjusted // 15
                out.append((address, line))
        raise DexError("a debug-info line program has no end")


def fast_sizes(units: array[int]) -> Iterator[tuple[int, int]]:
    """(address, opcode or payload ident) of each instruction, without decoding operands."""
    end = len(units)
    pc = 0
    while pc < end:
        first = units[pc]
        op = first & 0xFF
        if op == 0 and first in PAYLOAD_NAMES:
            insn = decode(units, pc, end)
            yield pc, first
            pc += insn.size
            continue
        if FORMATS[op] is None:
            raise DexError(f"unused opcode 0x{op:02x} at {pc}")
        yield pc, op
        pc += SIZES[op]
