"""The shared budget checks: YAML expansion and nesting, the JSON nesting gauge, value depth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from csmguard.domain.errors import InputError
from csmguard.scanners.fleet.baseline import load_baseline
from csmguard.scanners.messages.config import load_settings
from csmguard.scanning.budget import (
    MAX_NESTING_DEPTH,
    BudgetExceeded,
    JsonDepthGauge,
    check_json_depth,
    check_value_depth,
    load_json,
    safe_load_yaml,
)
from csmguard.scanning.suppressions import load_suppressions
from tests.hostile import payloads


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@pytest.mark.parametrize("bomb", [payloads.cfn_alias_bomb(), payloads.k8s_alias_bomb()], ids=["cfn", "k8s"])
def test_a_yaml_alias_bomb_is_refused_before_it_is_built(bomb: bytes) -> None:
    with pytest.raises(BudgetExceeded, match="MAX_YAML_EXPANDED_NODES"):
        safe_load_yaml(bomb.decode())


def test_aliases_within_the_budget_load_and_nesting_through_aliases_counts() -> None:
    assert safe_load_yaml("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
    # Each anchor one level deeper than the last: shallow text, deep document.
    chain = ["a0: &a0 [1]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, MAX_NESTING_DEPTH + 2)]
    with pytest.raises(BudgetExceeded, match="MAX_NESTING_DEPTH"):
        safe_load_yaml("\n".join(chain))


def test_deep_json_is_refused_before_parsing_and_the_limit_itself_is_accepted() -> None:
    at_limit = "[" * MAX_NESTING_DEPTH + "]" * MAX_NESTING_DEPTH
    assert _depth(load_json(at_limit)) == MAX_NESTING_DEPTH
    with pytest.raises(BudgetExceeded, match="MAX_NESTING_DEPTH=128"):
        load_json("[" + at_limit + "]")
    with pytest.raises(BudgetExceeded):
        check_json_depth(payloads.deep_json(200_000))


def test_brackets_inside_strings_and_escapes_do_not_count() -> None:
    check_json_depth(json.dumps({"a": "[" * 500, "b": '\\"{{{{' * 100, "c": ["]" * 50]}))
    with pytest.raises(BudgetExceeded):
        check_value_depth(json.loads("[" * 200 + "]" * 200))


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab字\n'),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                               st.text(alphabet='[]{}"\\k', max_size=3), inner, max_size=3), max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(json_values, st.lists(st.integers(0, 400), max_size=4), st.booleans())
@example(["a\\\\", ["\\"]], [3, 4], False)
def test_the_gauge_measures_json_nesting_exactly_however_the_text_is_cut(
        value: object, cuts: list[int], ascii_only: bool) -> None:
    data = json.dumps(value, ensure_ascii=ascii_only).encode()
    depth = _depth(value)
    positions = sorted(min(c, len(data)) for c in cuts)
    for limit, refused in ((depth, False), (depth - 1, True)):
        if limit < 0:
            continue
        gauge = JsonDepthGauge(limit)
        start = 0
        try:
            for end in [*positions, len(data)]:
                gauge.feed(data[start:end])
                start = end
        except BudgetExceeded:
            assert refused
        else:
            assert not refused and gauge.depth == 0


def test_yaml_errors_stay_yaml_errors() -> None:
    with pytest.raises(yaml.YAMLError):
        safe_load_yaml("a: [1, 2")


def test_config_files_are_read_within_the_yaml_budget(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("x:\n" + "\n".join(payloads.alias_bomb_lines()) + "\nsuppressions: *a9\n", encoding="utf-8")
    for reader in (load_suppressions, load_baseline, load_settings):
        with pytest.raises(InputError, match="MAX_YAML_EXPANDED_NODES") as info:
            reader(bomb)
        assert info.value.file == str(bomb)
