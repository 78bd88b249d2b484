"""Shared strategies of the fuzz harnesses: mutations of a valid seed (byte edits, cuts, splices of
structural bytes) and raw bytes, so that both shallow and deep parser states are reached."""

from __future__ import annotations

from hypothesis import strategies as st

STRUCTURAL = [b"[", b"]", b"{", b"}", b"<", b">", b'"', b"\\", b":", b"&", b"*", b"\n", b"\x00", b"\xff", b"\xe5"]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few bytes changed, structural bytes inserted, a slice repeated, and a tail cut."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["set", "insert", "repeat", "delete"]))
        if action == "set":
            data[position] = draw(st.integers(0, 255))
        elif action == "insert":
            data[position:position] = draw(st.sampled_from(STRUCTURAL)) * draw(st.integers(1, 300))
        elif action == "repeat":
            end = min(len(data), position + draw(st.integers(1, 40)))
            data[position:position] = data[position:end] * draw(st.integers(1, 50))
        else:
            del data[position:position + draw(st.integers(1, 20))]
    cut = draw(st.integers(0, max(0, len(data) // 4)))
    return bytes(data[: len(data) - cut])


def inputs(seed: bytes) -> st.SearchStrategy[bytes]:
    """Mutations of ``seed`` most of the time, raw bytes otherwise."""
    return st.one_of(mutated(seed), mutated(seed), mutated(seed), st.binary(max_size=2048))
