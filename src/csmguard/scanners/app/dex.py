"""A fast reader for Dalvik executables (classes*.dex): the string pool and type, method and field references.

No decompiling: the header, ``string_ids``, ``type_ids``, ``field_ids`` and ``method_ids`` are enough to
know which strings an app holds and which framework APIs it calls. Every offset and count is checked
against the file size first, so a malformed file raises :class:`DexError` instead of looping or crashing.
"""

from __future__ import annotations

import struct

from csmguard.scanners.app.facts import DexFacts

HEADER_SIZE = 0x70
MAX_ITEMS = 4_000_000


class DexError(ValueError):
    """The bytes are not a well-formed DEX file."""


def is_dex(data: bytes) -> bool:
    """Whether ``data`` starts with a DEX magic (``dex\\n0NN\\0``)."""
    return len(data) >= 8 and data[:4] == b"dex\n" and data[7] == 0


def _decode_mutf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Modified UTF-8: NUL as C0 80 and supplementary characters as surrogate pairs; anything else invalid is
    # replaced (a damaged string must not stop the reading of the others).
    try:
        return raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", errors="surrogatepass").encode(
            "utf-16", errors="surrogatepass").decode("utf-16", errors="replace")
    except UnicodeError:
        return raw.decode("utf-8", errors="replace")


def _section(data: bytes, size: int, offset: int, item: int, name: str) -> None:
    if size > MAX_ITEMS:
        raise DexError(f"{name}: {size} items, more than the cap of {MAX_ITEMS}")
    if size and (offset < HEADER_SIZE or offset + size * item > len(data)):
        raise DexError(f"{name} section (offset {offset}, {size} items) lies outside the file")


def string_pool(data: bytes) -> list[str]:
    """The decoded string pool of a DEX file (header checked first); DexError when it is malformed."""
    if not is_dex(data):
        raise DexError("not a DEX file (bad magic)")
    if len(data) < HEADER_SIZE:
        raise DexError("truncated DEX header")
    string_size, string_off = struct.unpack_from("<2I", data, 0x38)
    _section(data, string_size, string_off, 4, "string_ids")
    size = len(data)
    strings: list[str] = []
    append = strings.append
    find = data.find
    for data_off in struct.unpack_from(f"<{string_size}I", data, string_off) if string_size else ():
        if data_off >= size:
            raise DexError(f"string data offset {data_off} lies outside the file")
        # Skip the ULEB128 length (UTF-16 units); the bytes run to the terminating NUL.
        pos = data_off
        while pos < size and data[pos] & 0x80:
            pos += 1
        pos += 1
        end = find(b"\x00", pos)
        if end == -1:
            raise DexError("unterminated string in the string data")
        append(_decode_mutf8(data[pos:end]))
    return strings


def type_pool(data: bytes, strings: list[str]) -> list[str]:
    """The type descriptors of a DEX file (``Ljava/lang/String;``, ``[B`` …)."""
    type_size, type_off = struct.unpack_from("<2I", data, 0x40)
    _section(data, type_size, type_off, 4, "type_ids")
    type_idx = struct.unpack_from(f"<{type_size}I", data, type_off) if type_size else ()
    n_strings = len(strings)
    if any(i >= n_strings for i in type_idx):
        raise DexError("a type_id names a string that does not exist")
    return [strings[i] for i in type_idx]


def member_ids(data: bytes, header_at: int, label: str, n_types: int, n_strings: int) -> tuple[int, ...]:
    """The raw ``field_ids`` or ``method_ids`` (``header_at`` 0x50 or 0x58) as a flat tuple of four 16-bit
    halves per item: class index, type or proto index, and the name's string index (low, high)."""
    count, offset = struct.unpack_from("<2I", data, header_at)
    _section(data, count, offset, 8, label)
    if not count:  # an empty section's offset is not checked, and may lie outside the file
        return ()
    raw = struct.unpack_from(f"<{count * 4}H", data, offset)
    for k in range(count):
        if raw[4 * k] >= n_types or (raw[4 * k + 2] | (raw[4 * k + 3] << 16)) >= n_strings:
            raise DexError(f"a {label[:-1]} names a type or string that does not exist")
    return raw


def member_refs(raw: tuple[int, ...], types: list[str], strings: list[str]) -> list[str]:
    """``Lclass;->name`` for each item of :func:`member_ids`."""
    return [f"{types[raw[k]]}->{strings[raw[k + 2] | (raw[k + 3] << 16)]}" for k in range(0, len(raw), 4)]


def read_dex(data: bytes, path: str) -> DexFacts:
    """The strings and references of one DEX file; DexError when it is malformed."""
    strings = string_pool(data)
    types = type_pool(data, strings)
    methods = member_ids(data, 0x58, "method_ids", len(types), len(strings))
    fields = member_ids(data, 0x50, "field_ids", len(types), len(strings))
    return DexFacts(path, tuple(strings), tuple(types), tuple(member_refs(methods, types, strings)),
                    tuple(member_refs(fields, types, strings)))
