"""One mechanism for bilingual text: a scanner on the rule contract keeps its zh-TW and English text in
its rules' YAML (``messages:``), not in Python. Its ``.py`` files hold no CJK characters, and every
message name its checks pass literally is declared by one of its rules (or its shared messages)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from csmguard.catalog.loader import load_catalog
from csmguard.rules.loader import load_rules

SRC = Path(__file__).parents[2] / "src" / "csmguard"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Scanners whose messages have moved to YAML: scanner -> its checks' Python code (files, or folders: every
# .py in them; a reader's own keyword lists, e.g. policydoc/collect.py, are data, not messages). Add a
# scanner here when its text has moved.
MIGRATED: dict[str, tuple[Path, ...]] = {
    "iac": (SRC / "scanners" / "iac",),
    "social": (SRC / "social" / "checks.py",),
    "policydoc": (SRC / "scanners" / "policydoc" / "checks.py", SRC / "scanners" / "policydoc" / "elements.py"),
}
# How checks name a message: the argument position of the name in these calls.
MESSAGE_ARGUMENT = {"verdict": 3, "by_sensitivity": 3, "_ok": 2, "_bad": 2, "_unencrypted": 3, "detail": 1,
                    "render": 0, "finding": None}
# (``finding``: the ``message=`` keyword; a conditional ``a if x else b`` counts both names)


def _files(scanner: str) -> list[Path]:
    return [path for where in MIGRATED[scanner]
            for path in (sorted(where.rglob("*.py")) if where.is_dir() else [where])]


@pytest.mark.parametrize("scanner", sorted(MIGRATED))
def test_no_cjk_in_the_python_of_a_migrated_scanner(scanner: str) -> None:
    found = [f"{path.name}:{number}: {line.strip()}"
             for path in _files(scanner)
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if CJK.search(line)]
    assert found == [], "move the text into the rule YAML's messages:"


def _literal_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if called not in MESSAGE_ARGUMENT:
            continue
        position = MESSAGE_ARGUMENT[called]
        candidates = list(node.args[position:position + 1]) if position is not None else []
        candidates += [k.value for k in node.keywords if k.arg == "message"]
        for arg in candidates:
            for value in (arg.body, arg.orelse) if isinstance(arg, ast.IfExp) else (arg,):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    names.add(value.value)
    return names


@pytest.mark.parametrize("scanner", sorted(MIGRATED))
def test_every_message_a_check_names_is_declared(scanner: str) -> None:
    rules = load_rules(load_catalog("csm-17"), [scanner]).for_scanner(scanner, include_deprecated=True)
    declared = {name for rule in rules for name in rule.messages}
    used = {name for path in _files(scanner) for name in _literal_names(path)}
    assert used, "the checks name their messages"
    assert used - declared == set()
