"""Property test: on generated Terraform-like HCL, the fast reader and python-hcl2 agree."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from csmguard.scanners.iac.hclparse import HclSyntaxError, parse_hcl
from csmguard.scanners.iac.tfexpr import hcl2_loads

NAMES = st.sampled_from(["name", "size", "encrypted", "tags", "ports", "cidr_blocks", "policy", "x_1", "ami-id"])
LABELS = st.sampled_from(["aws_ebs_volume", "aws_security_group", "google_compute_firewall", "main", "web-1"])
EXPRESSIONS = st.sampled_from([
    "var.enabled", "local.tags", "aws_kms_key.k.arn", "data.aws_ami.ubuntu.id", "var.n > 1 ? 2 : 0",
    'join(",", var.list)', "length(var.list) == 0", "aws_subnet.s[*].id", "var.map[\"k\"]", "!var.flag",
    "[for s in var.list : upper(s)]", "{ for k, v in var.m : k => v }", "module.vpc.id",
])
STRINGS = st.lists(st.sampled_from([*"abcXYZ019 -_./:*@", '\\"', "\\\\", "\\n", "${var.x}"]),
                   max_size=8).map(lambda parts: '"' + "".join(parts) + '"')
NUMBERS = st.integers(min_value=-70000, max_value=70000).map(str)
SCALARS = st.one_of(STRINGS, NUMBERS, st.sampled_from(["true", "false", "null"]), EXPRESSIONS)


def _values(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return SCALARS
    inner = _values(depth - 1)
    lists = st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    objects = st.lists(st.tuples(NAMES, inner), max_size=3, unique_by=lambda t: t[0]).map(
        lambda pairs: "{\n" + "\n".join(f"  {k} = {v}" for k, v in pairs) + "\n}")
    return st.one_of(inner, lists, objects)


ATTRIBUTES = st.tuples(NAMES, _values(2)).map(lambda kv: f"{kv[0]} = {kv[1]}")
COMMENTS = st.sampled_from(["", "# note", "// note", "/* note */"])


@st.composite
def bodies(draw: st.DrawFn, depth: int = 1) -> str:
    lines = []
    used: set[str] = set()
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        attribute = draw(ATTRIBUTES)
        name = attribute.split(" ", 1)[0]
        if name in used:
            continue
        used.add(name)
        lines.append(f"{attribute} {draw(COMMENTS)}".rstrip())
    if depth:
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            block = draw(st.sampled_from(["ingress", "root_block_device", "versioning"]))
            if block in used:
                continue
            lines.append(f"{block} {{\n{draw(bodies(depth - 1))}\n}}")
    return "\n".join(lines)


@st.composite
def files(draw: st.DrawFn) -> str:
    blocks = []
    for index in range(draw(st.integers(min_value=1, max_value=3))):
        kind = draw(st.sampled_from(["resource", "data", "variable", "locals"]))
        if kind in {"resource", "data"}:
            header = f'{kind} "{draw(LABELS)}" "r{index}"'
        elif kind == "variable":
            header = f'variable "v{index}"'
        else:
            header = "locals"
        blocks.append(f"{header} {{\n{draw(bodies())}\n}}\n")
    return "\n".join(blocks)


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return re.sub(r"\s+", "", value)
    return value


@settings(max_examples=150, deadline=None)
@given(files())
def test_fast_reader_agrees_with_python_hcl2(text: str) -> None:
    try:
        expected = hcl2_loads(text)
    except Exception:  # python-hcl2 refuses it: the fast reader's answer is not compared
        return
    try:
        got = parse_hcl(text)
    except HclSyntaxError:
        return  # refused: the scanner falls back to python-hcl2, which is correct by definition
    assert _normalised(got) == _normalised(expected), text
